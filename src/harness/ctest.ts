/**
 * CTest (SPEC §3.3). Each CTest test is a process of its own, so a lane of
 * its own (its own current test, its own heaps), named by its number:
 *
 * - `    Start N: NAME` opens lane N; the status line
 *   `K/M Test #N: NAME ....   Passed 0.01 sec` (`***Failed`, `***Skipped`,
 *   `***Not Run`, `***Timeout`, `***Exception: …`) closes it (`lane-end`).
 * - `-V`/`-VV` prefix each output line of test N with `N: `: the rest is
 *   lane N's output, read by its own unit-test runners (§3.2, §3.4, §3.5),
 *   whose tests are named `NAME::INNER`. With `-j` lanes interleave.
 * - `--output-on-failure` prints a test's output after its status line, up
 *   to the next `Start`/status line or the `N% tests passed` summary.
 * - A CTest test where no runner was seen is one test named NAME, with the
 *   status line's outcome.
 */
import { Runners } from './runners.js';
import { MAIN_LANE, type Adapter, type HarnessEvent, type HarnessName, type Lane, type LoggerLine, type Outcome } from './types.js';

const START = /^\s*Start\s+(\d+): (.+)$/;
const STATUS = /^\s*\d+\/\d+ Test\s+#(\d+): (.+?) \.*\s*(?:\*\*\*)?(Passed|Failed|Skipped|Not Run|Timeout|Exception)\b/;
const SUMMARY = /^\d+% tests passed, \d+ tests? failed out of \d+/;
const HEADER = /^Test project /;

const STATUS_OUTCOMES: Record<string, Outcome> = {
  Passed: 'passed',
  Failed: 'failed',
  Skipped: 'skipped',
  'Not Run': 'skipped',
  Timeout: 'error',
  Exception: 'error',
};

/** One CTest test: its lane and the runners reading its output. */
interface CtestRun {
  n: number;
  name: string;
  lane: Lane;
  runners: Runners;
  /** Its output came with `N: ` prefixes (`-V`): the status line ends it. */
  prefixed: boolean;
  outcome: Outcome | null;
}

/** `-V`'s `N: ` prefix (`N:` alone once trailing blanks are gone): where its colon is, or -1. */
function prefixEnd(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  if (i === 0 || i > 9 || text.charCodeAt(i) !== 0x3a /* : */) return -1;
  return i + 1 === text.length || text.charCodeAt(i + 1) === 0x20 ? i : -1;
}

function newRun(n: number, name: string): CtestRun {
  return { n, name, lane: String(n), runners: new Runners(), prefixed: false, outcome: null };
}

export class CtestAdapter implements Adapter {
  readonly name = 'ctest' as const;
  private readonly running = new Map<number, CtestRun>();
  /** `--output-on-failure`: the test whose output follows its status line. */
  private after: CtestRun | null = null;
  private readonly scratch: HarnessEvent[] = [];
  private structureSeen = false;
  /** Runners seen in finished lanes, in order. */
  private readonly inner: HarnessName[] = [];
  /** Plans of the inner runners, added up: the tests announced so far. */
  private planned = 0;

  line(text: string, lineNo: number, out: HarnessEvent[]): void {
    const c = text.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) {
      const colon = prefixEnd(text);
      const run = colon < 0 ? undefined : this.running.get(Number(text.slice(0, colon)));
      if (run !== undefined) {
        run.prefixed = true;
        return this.inside(run, text.slice(colon + 2), lineNo, out);
      }
      if (SUMMARY.test(text)) {
        this.structureSeen = true;
        this.closeAfter(out);
        return this.own(text, out);
      }
    }
    const status = STATUS.exec(text);
    if (status !== null) {
      this.status(Number(status[1]), status[2], STATUS_OUTCOMES[status[3]], out);
      return this.own(text, out);
    }
    const start = START.exec(text);
    if (start !== null) {
      this.structureSeen = true;
      this.closeAfter(out);
      const n = Number(start[1]);
      const old = this.running.get(n);
      if (old !== undefined) this.finish(old, out);
      this.running.set(n, newRun(n, start[2].trim()));
      return this.own(text, out);
    }
    if (HEADER.test(text)) this.structureSeen = true;
    const owner = this.unprefixedOwner();
    if (owner !== null) this.inside(owner, text, lineNo, out);
    else this.own(text, out);
  }

  /** CTest's own lines: output of no test. */
  private own(text: string, out: HarnessEvent[]): void {
    out.push({ type: 'input', lane: MAIN_LANE, text });
  }

  /** Where output without a prefix goes: the test after its status line, or the only one running. */
  private unprefixedOwner(): CtestRun | null {
    if (this.after !== null) return this.after;
    if (this.running.size !== 1) return null;
    const [only] = this.running.values();
    return only.prefixed ? null : only;
  }

  private status(n: number, name: string, outcome: Outcome, out: HarnessEvent[]): void {
    this.structureSeen = true;
    this.closeAfter(out);
    let run = this.running.get(n);
    if (run === undefined) {
      run = newRun(n, name);
      this.running.set(n, run);
    }
    run.outcome = outcome;
    if (run.prefixed) this.finish(run, out);
    else this.after = run; // --output-on-failure: its output comes now
  }

  private closeAfter(out: HarnessEvent[]): void {
    const run = this.after;
    if (run === null) return;
    this.after = null;
    this.finish(run, out);
  }

  /** The CTest test's process is over: its lane ends. */
  private finish(run: CtestRun, out: HarnessEvent[]): void {
    if (this.running.get(run.n) !== run) return; // already over
    this.running.delete(run.n);
    const ev = this.scratch;
    ev.length = 0;
    run.runners.end(ev);
    this.nest(run, ev, out);
    if (!run.runners.any) out.push({ type: 'test-end', lane: run.lane, outcome: run.outcome, name: run.name });
    for (const h of run.runners.seen()) if (!this.inner.includes(h)) this.inner.push(h);
    out.push({ type: 'lane-end', lane: run.lane });
  }

  /** A line of the test's own output, read by its runners. */
  private inside(run: CtestRun, text: string, lineNo: number, out: HarnessEvent[]): void {
    const ev = this.scratch;
    ev.length = 0;
    run.runners.line(text, lineNo, ev);
    this.nest(run, ev, out);
  }

  /** Runner events, moved into the test's lane and names. */
  private nest(run: CtestRun, events: readonly HarnessEvent[], out: HarnessEvent[]): void {
    const lane = run.lane;
    const name = (inner: string) => `${run.name}::${inner}`;
    for (const e of events) {
      switch (e.type) {
        case 'input':
          out.push({ type: 'input', lane, text: e.text });
          break;
        case 'test-start':
          out.push({ type: 'test-start', lane, name: e.name === null ? null : name(e.name) });
          break;
        case 'test-name':
          out.push({ type: 'test-name', lane, name: name(e.name) });
          break;
        case 'outcome':
          out.push({ type: 'outcome', lane, outcome: e.outcome });
          break;
        case 'outcome-of':
          out.push({ type: 'outcome-of', name: name(e.name), outcome: e.outcome });
          break;
        case 'test-end':
          out.push(e.name === undefined ? { type: 'test-end', lane, outcome: e.outcome } : { type: 'test-end', lane, outcome: e.outcome, name: name(e.name) });
          break;
        case 'plan':
          this.planned += e.count;
          out.push({ type: 'plan', count: this.planned });
          break;
        // a runner's sessions are the process's business; CTest numbers the whole run
        case 'session-start':
        case 'session-end':
        case 'lane-end':
          break;
      }
    }
  }

  /**
   * A logger's line starts with a letter: no `N: ` prefix, status, `Start`
   * or header line. It goes to the test whose output is unprefixed, if any,
   * whose runners then decide.
   */
  quiet(line: LoggerLine): boolean {
    const owner = this.unprefixedOwner();
    return owner === null || owner.runners.quiet(line);
  }

  /** The lane a line holding only a record belongs to (no prefix: see `unprefixedOwner`). */
  recordLine(out: HarnessEvent[]): Lane {
    const owner = this.unprefixedOwner();
    if (owner === null) return MAIN_LANE;
    this.activity(owner.lane, out);
    return owner.lane;
  }

  activity(lane: Lane, out: HarnessEvent[]): void {
    if (lane === MAIN_LANE) return;
    const run = this.running.get(Number(lane));
    if (run === undefined) return;
    const ev = this.scratch;
    ev.length = 0;
    run.runners.activity(lane, ev);
    this.nest(run, ev, out);
  }

  end(out: HarnessEvent[]): void {
    this.closeAfter(out);
    for (const run of [...this.running.values()]) this.finish(run, out);
  }

  seen(): HarnessName[] {
    if (!this.structureSeen) return [];
    const inner = [...this.inner];
    for (const run of this.running.values()) for (const h of run.runners.seen()) if (!inner.includes(h)) inner.push(h);
    return ['ctest', ...inner];
  }

  /** Whether CTest's own lines were seen: it then owns the boundaries. */
  get owns(): boolean {
    return this.structureSeen;
  }
}
