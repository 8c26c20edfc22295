/**
 * What a test runner's output says about tests (SPEC §3), as typed events.
 *
 * An adapter turns each (cleaned) line of one runner's dialect into events;
 * whatever on the line is not the runner's own structure is passed on as
 * `input`, where the analyzer looks for memory records. Adapters are pure
 * state machines: no I/O, no clock, the same events for the same lines.
 */
import type { LoggerLine } from './logger-lines.js';

export type { LoggerLine } from './logger-lines.js';

export const OUTCOMES = ['passed', 'failed', 'skipped', 'xfail', 'xpass', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Where output comes from: one process of the run. Plain runs have one lane
 * (`''`); `ctest -V`/`-j` gives each CTest test a lane of its own, with its
 * own current test and its own heaps (they are different processes).
 */
export type Lane = string;
export const MAIN_LANE: Lane = '';

export const HARNESS_NAMES = ['pytest', 'gtest', 'cmocka', 'ctest', 'unity', 'tap', 'records'] as const;
export type HarnessName = (typeof HARNESS_NAMES)[number];

export type HarnessEvent =
  /** A new run of the harness (`===== test session starts =====`): numbering starts afresh. */
  | { type: 'session-start' }
  /** The harness closed its test phase (pytest's FAILURES, the final tally…): the current test ends. */
  | { type: 'session-end' }
  /** The number of tests the harness announced (`collected N items`, `1..N`, `Running N tests`). */
  | { type: 'plan'; count: number }
  /**
   * A test starts in `lane` (the previous one there ends). `name` null: the
   * test is unnamed until a later `test-name` or `test-end` names it (Unity
   * and TAP print a test's name after its output).
   */
  | { type: 'test-start'; lane: Lane; name: string | null }
  /** Names the lane's current test if it has no name yet (activity before the first result of `pytest -q`). */
  | { type: 'test-name'; lane: Lane; name: string }
  /** The outcome of the lane's current test; the test goes on (teardown output may follow). */
  | { type: 'outcome'; lane: Lane; outcome: Outcome }
  /** The outcome of a test already run, by name (summary lines): it starts no test. */
  | { type: 'outcome-of'; name: string; outcome: Outcome }
  /**
   * The lane's current test ends, with its outcome (null: none said). `name`
   * names it if it is still unnamed. Activity after it belongs to no test.
   */
  | { type: 'test-end'; lane: Lane; outcome: Outcome | null; name?: string }
  /** The lane's process is over (a CTest test ended): its heaps end here, as at the end of input. */
  | { type: 'lane-end'; lane: Lane }
  /** Text of the lane's own output, where records are read. */
  | { type: 'input'; lane: Lane; text: string };

/** One runner's reader. */
export interface Adapter {
  /**
   * Whether the logger line `line` (see logger-lines.ts), holding no record,
   * would be plain output now: `line` would push only its input and change
   * nothing. The analyzer then skips it unread; false is always safe.
   */
  quiet(line: LoggerLine): boolean;
  readonly name: HarnessName;
  /**
   * One line (ANSI codes, trailing white space and carriage returns already
   * removed) → its events, pushed to `out` in order.
   */
  line(text: string, lineNo: number, out: HarnessEvent[]): void;
  /**
   * Records were read from this adapter's `input` in `lane`: a test the
   * adapter held back (it counts only if something happens in it) starts
   * now. Pushes the events that must come before those records.
   */
  activity(lane: Lane, out: HarnessEvent[]): void;
  /** End of input: what is still open closes. */
  end(out: HarnessEvent[]): void;
  /** Harnesses whose structure was seen so far, outermost first. */
  seen(): HarnessName[];
}

/**
 * The harness the analyzer listens to: one adapter, or several with the
 * outermost that names tests owning the boundaries (§3.6).
 */
export interface Harness extends Adapter {
  /**
   * A line that holds only one clean record (`==MP …`, after the emulator
   * prefix or alone): the lane its record belongs to, with any held-back
   * test started (events in `out`).
   */
  recordLine(out: HarnessEvent[]): Lane;
  /**
   * Whether the line `buf[start, end)` — holding no record, no SDK error
   * text, no ANSI code and no carriage return before its end, as the
   * analyzer checked — can be skipped unread: a logger's line (`apdu: …`)
   * that no adapter listening now would read as structure or learn from.
   */
  quietBytes(buf: Uint8Array, start: number, end: number): boolean;
}
