/**
 * pytest's dialect (SPEC §3.1), in every mode it is run in:
 *
 * - `pytest -v`: a node id at the start of a line starts a test; the rest
 *   of that line is the test's first output (`-v -s` glues the first record
 *   to it); `PASSED`/`FAILED`/… give its outcome.
 * - `pytest -s` (no `-v`): the module path, then one result character per
 *   test; each character ends a test and the next test's output follows on
 *   the same line. Such tests are named `PATH #k`.
 * - `pytest -q -s`: result characters only; tests are named `#k`. With no
 *   count announced, each character names and ends the test whose output
 *   came before it (output after the last one is no test's).
 * - Result characters and outcome words are glued to the next output
 *   (`.apdu: …`, `PASSEDapdu: …`): logger names that start lines elsewhere
 *   in the input tell where the output begins.
 * - Once pytest closes its test phase (FAILURES, warnings summary, `-x`'s
 *   `stopping after`, the tally), node ids and outcome words there name
 *   tests already run. After the tally, what follows is the next session
 *   (CI jobs concatenate one log per device).
 *
 * A plain-mode test announced by a module line or a result character counts
 * only if something happens in it: it is held back until its first record or
 * outcome, so a result character past the last test starts nothing.
 */
import { EMULATOR_PREFIX, MARKER, RECORD_LINE_PREFIX } from '../protocol/records.js';
import { MAIN_LANE, type Adapter, type HarnessEvent, type Lane, type LoggerLine, type Outcome } from './types.js';

const LANE = MAIN_LANE;

/** What one line says in pytest's terms, before the session's mode gives it a meaning. */
export type PytestToken =
  | { t: 'session-start' }
  /** `tally`: the final `N passed in Xs` line: the session is over. */
  | { t: 'session-end'; title: string; tally?: true }
  | { t: 'collected'; count: number }
  | { t: 'node'; name: string }
  /** `name` set: the summary form `FAILED path::test - reason`. */
  | { t: 'outcome'; outcome: Outcome; name?: string }
  /** Without -v: `PATH ` starts the module's first test. */
  | { t: 'module'; path: string }
  /** Without -v: one character per finished test. */
  | { t: 'results'; chars: string };

const OUTCOME_WORDS: Record<string, Outcome> = {
  PASSED: 'passed',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  XFAIL: 'xfail',
  XPASS: 'xpass',
  ERROR: 'error',
};
const OUTCOME_WORD = new RegExp(`^(${Object.keys(OUTCOME_WORDS).join('|')})`);
const COLLECTED = /^(?:collecting \.\.\. )?collected (\d+) items?(.*)$/;
const DESELECTED = /\/ (\d+) deselected/;
const SELECTED = /\/ (\d+) selected/;
const SECTION = /^=+ (.+?) =+$/;
/** `-x`, an interrupted run: `!!!!!! stopping after 1 failures !!!!!!`. */
const BANG_SECTION = /^!{3,} (.+?) !{3,}$/;
/** The final tally, framed or (with -q) not: `2 failed, 19 passed, 1 skipped in 2.19s`. */
const TALLY = /^(?:no tests ran|\d+ \w+(?:, \d+ \w+)*) in \d[\d.]*s(?:econds)?\b/;
const TEARDOWN_REPORT = /^at (?:setup|teardown|call) of /;
const SESSION_END_TITLE =
  /^(FAILURES|ERRORS|PASSES|XFAILURES|XPASSES|short test summary info|warnings summary|.*durations|no tests ran.*|.* in \d[\d.]*s\b.*|.*coverage.*)$/i;
/** The path part of a node id or module line: a file with an extension. */
const TEST_PATH = /^[^\s:]+\.[A-Za-z0-9]+$/;
const RESULT_CHARS = /^[.FEsxX]+/;
const MAX_RESULT_RUN = 400;
/**
 * What may follow a run of result characters for the run to count: output
 * that starts a recognised line (the emulator, a record, a logging prefix).
 */
const RECOGNISED_OUTPUT = /^(?:seproxyhal|apdu: |==MP |[A-Z][A-Z]+:[\w.]*:|werkzeug|\[\s*\d+%\]|\[gw\d+\])/;
/** A logger's prefix at the start of a line: `NAME: ` (speculos, ragger, apdu…). */
const LOGGER = /^([A-Za-z_][\w.-]*):(?: |$)/;
/** Before anything else says this is pytest, result characters followed by text count only before `[ 40%]`. */
const PROGRESS = /^\s+\[\s*\d+%\]$/;
const NO_LOGGERS: ReadonlySet<string> = new Set();
/** Logger names remembered (a bound: the input chooses them). */
const MAX_LOGGERS = 256;

/** What the line before any record says of pytest depends on this much context. */
export interface PytestContext {
  /** Logger names that started a line so far. */
  loggers: ReadonlySet<string>;
  /** Nothing in the input said pytest yet: result characters need stronger evidence. */
  strict: boolean;
}

const NO_CONTEXT: PytestContext = { loggers: NO_LOGGERS, strict: false };

/** Output starts here: the emulator's or a record, or a logger that starts lines in this input. */
function recognised(text: string, loggers: ReadonlySet<string>): boolean {
  if (RECOGNISED_OUTPUT.test(text)) return true;
  if (loggers.size === 0) return false;
  const m = LOGGER.exec(text);
  return m !== null && loggers.has(m[1]);
}

const RESULT_OUTCOME: Record<string, Outcome> = {
  '.': 'passed',
  F: 'failed',
  E: 'error',
  s: 'skipped',
  x: 'xfail',
  X: 'xpass',
};

/**
 * A node id at the start of `text`: `PATH::NAME`, `PATH::CLASS::NAME`,
 * optionally `[PARAMS]` (which may contain spaces). Returns its length.
 */
export function nodeIdLength(text: string): number {
  const sep = text.indexOf('::');
  if (sep <= 0) return 0;
  const path = text.slice(0, sep);
  if (!TEST_PATH.test(path)) return 0;
  let end = text.length;
  for (let i = sep + 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      end = i;
      break;
    }
  }
  let id = text.slice(0, end);
  const open = id.indexOf('[');
  if (open >= 0 && !id.endsWith(']')) {
    // parameters with spaces: extend to the `]` that ends a word
    const close = text.slice(open).search(/\](?=\s|$)/);
    if (close < 0) return 0;
    end = open + close + 1;
    id = text.slice(0, end);
  }
  const names = (open >= 0 ? id.slice(0, open) : id).slice(sep + 2).split('::');
  for (const n of names) if (n === '' || n.includes(':')) return 0;
  return end;
}

/**
 * An outcome word at the start of `text`, if it is pytest's: alone, before
 * `[ 40%]` or `(reason)`, before the node id it reports (summary form), or
 * glued to the next output line. `ERROR    name:file.py:12 …` is a log line.
 */
function outcomeAt(text: string, out: PytestToken[], loggers: ReadonlySet<string>): boolean {
  const m = OUTCOME_WORD.exec(text);
  if (!m) return false;
  const outcome = OUTCOME_WORDS[m[1]];
  const after = text.slice(m[1].length);
  let rest = after.trimStart();
  if (after === '' || recognised(after, loggers)) {
    out.push({ t: 'outcome', outcome });
    return true;
  }
  if (rest === after) return false; // glued to something else: a word, not an outcome
  const c = rest.charCodeAt(0);
  if (rest === '' || c === 0x5b /* [ */ || c === 0x28 /* ( */ || recognised(rest, loggers)) {
    out.push({ t: 'outcome', outcome });
    return true;
  }
  // -rA: `ERROR at teardown of path::test`
  const report = TEARDOWN_REPORT.exec(rest);
  if (report !== null) rest = rest.slice(report[0].length);
  const idLen = nodeIdLength(rest);
  if (idLen === 0) return false;
  out.push({ t: 'outcome', outcome, name: rest.slice(0, idLen) });
  return true;
}

/** Where a run of result characters counts: the length of the run, or 0. */
function resultRunLength(text: string, context: PytestContext): number {
  const m = RESULT_CHARS.exec(text);
  // pytest wraps its result lines at the terminal's width: a longer run is text
  if (!m || m[0].length > MAX_RESULT_RUN) return 0;
  for (let i = m[0].length; i > 0; i--) {
    const rest = text.slice(i);
    if (rest === '' || recognised(rest, context.loggers)) return i;
    const c = rest.charCodeAt(0);
    if ((c === 0x20 || c === 0x09) && (!context.strict || PROGRESS.test(rest))) return i;
  }
  return 0;
}

function parseCollected(m: RegExpExecArray): number {
  const count = Number(m[1]);
  const tail = m[2];
  const selected = SELECTED.exec(tail);
  if (selected) return Number(selected[1]);
  const deselected = DESELECTED.exec(tail);
  return deselected ? Math.max(0, count - Number(deselected[1])) : count;
}

/**
 * pytest's structure in the part of a line before any record. Pure: the
 * tokens of one line, given the context (logger names seen so far).
 */
export function pytestTokens(head: string, context: PytestContext = NO_CONTEXT): PytestToken[] {
  const out: PytestToken[] = [];
  if (head === '') return out;
  const c0 = head.charCodeAt(0);
  // Emulator output is never pytest structure (a result character would come first).
  if (c0 === 0x73 /* s */ && head.startsWith('seproxyhal')) return out;
  const loggers = context.loggers;

  if (c0 === 0x3d /* = */) {
    const m = SECTION.exec(head);
    if (m) {
      const title = m[1];
      if (title === 'test session starts') out.push({ t: 'session-start' });
      else if (TALLY.test(title)) out.push({ t: 'session-end', title, tally: true });
      else if (SESSION_END_TITLE.test(title)) out.push({ t: 'session-end', title });
    }
    return out;
  }
  if (c0 === 0x21 /* ! */) {
    const m = BANG_SECTION.exec(head);
    if (m) out.push({ t: 'session-end', title: m[1] });
    return out;
  }
  if (((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x6e) /* digit, n */ && !context.strict && TALLY.test(head)) {
    out.push({ t: 'session-end', title: head, tally: true }); // -q: the tally is not framed
    return out;
  }
  if (c0 === 0x63 /* c */) {
    const m = COLLECTED.exec(head);
    if (m) {
      out.push({ t: 'collected', count: parseCollected(m) });
      return out;
    }
  }
  if (outcomeAt(head, out, loggers)) return out;

  const idLen = nodeIdLength(head);
  if (idLen > 0) {
    out.push({ t: 'node', name: head.slice(0, idLen) });
    let after = head.slice(idLen).trimStart();
    // an inherited test: `path::Class::test <- base.py PASSED`
    if (after.startsWith('<- ')) after = after.slice(after.indexOf(' ', 3) + 1 || after.length).trimStart();
    outcomeAt(after, out, loggers);
    return out;
  }

  let rest = head;
  const space = head.indexOf(' ');
  const token = space < 0 ? head : head.slice(0, space);
  if (token.endsWith('.py') && TEST_PATH.test(token)) {
    out.push({ t: 'module', path: token });
    if (space < 0) return out;
    rest = head.slice(space + 1);
  }
  const run = resultRunLength(rest, context);
  if (run > 0) out.push({ t: 'results', chars: rest.slice(0, run) });
  return out;
}

/** The usual record line: the emulator's prefix, then the record. */

/** What the adapter knows of the lane's current test. */
interface Current {
  name: string | null;
  /** Announced (plain mode) but not started: it counts only once something happens in it. */
  held: boolean;
  /** Module of a plain-mode test (`PATH #k`), to give its number back if it never counts. */
  plainPath: string | null;
}

export class PytestAdapter implements Adapter {
  readonly name = 'pytest' as const;
  private current: Current | null = null;
  private collected: number | null = null;
  /** Named tests of this session (held ones included, given back when dropped). */
  private namedTests = 0;
  /** Plain (non -v) pytest: the module whose tests are numbered `PATH #k`. */
  private plainModule: string | null = null;
  private readonly plainCounters = new Map<string, number>();
  /** This session printed node ids (`pytest -v`): result characters are not boundaries. */
  private verbose = false;
  /** pytest has closed its test phase: node ids there name tests already run. */
  private afterTests = false;
  /** The final tally was printed: what follows is the next session's. */
  private sessionOver = false;
  /** `pytest -q` with no count: each result character names and ends the test before it. */
  private namesAtResult = false;
  /** Logger names that started a line (`apdu: …`): output glued to a result starts with them. */
  private readonly loggers = new Set<string>();
  /** Whether any pytest structure was seen (for detection). */
  structureSeen = false;

  line(text: string, _lineNo: number, out: HarnessEvent[]): void {
    const m = text.indexOf(MARKER);
    // The usual record line has no structure before its record: skip the parse.
    if (!(m === EMULATOR_PREFIX.length && text.startsWith(RECORD_LINE_PREFIX))) {
      const head = m >= 0 ? text.slice(0, m) : text;
      const tokens = pytestTokens(head, { loggers: this.loggers, strict: !this.structureSeen });
      for (let i = 0; i < tokens.length; i++) this.token(tokens[i], out);
      if (tokens.length === 0) this.learnLogger(head);
    }
    out.push({ type: 'input', lane: LANE, text });
  }

  /** A line that starts `NAME: ` names a logger, unless a result character explained it. */
  private learnLogger(head: string): void {
    if (this.loggers.size >= MAX_LOGGERS) return;
    const m = LOGGER.exec(head);
    if (m !== null) this.loggers.add(m[1]);
  }

  /**
   * A logger's line is no node id (no `::` after a path), module line,
   * section, tally or `collected` line; it may be a result run or an
   * outcome word glued to output (`.apdu: …`, `PASSEDapdu: …`), and it
   * teaches its name as a logger the first time. Emulator output is never
   * structure (see pytestTokens).
   */
  quiet(line: LoggerLine): boolean {
    const name = line.name;
    if (line.logger && this.loggers.size < MAX_LOGGERS && !this.loggers.has(name)) return false;
    // By first letter, not regular expression (this runs for every logger line): a result
    // character (F E s x X) or an outcome word's first (P F S X E) may be glued output.
    switch (name.charCodeAt(0)) {
      case 0x73 /* s */:
        return name.startsWith('seproxyhal');
      case 0x50 /* P */:
        return !name.startsWith('PASSED');
      case 0x53 /* S */:
        return !name.startsWith('SKIPPED');
      case 0x46 /* F */:
      case 0x45 /* E */:
      case 0x78 /* x */:
      case 0x58 /* X */:
        return false;
    }
    return true;
  }

  activity(_lane: Lane, out: HarnessEvent[]): void {
    if (this.sessionOver) this.newSession(out); // the next device's log, concatenated
    const t = this.current;
    if (t === null) {
      // the analyzer opens an unnamed test for activity outside any test
      this.current = { name: null, held: false, plainPath: null };
    } else if (t.held) {
      t.held = false;
      out.push({ type: 'test-start', lane: LANE, name: t.name });
    }
  }

  end(_out: HarnessEvent[]): void {
    this.dropHeld();
  }

  seen(): 'pytest'[] {
    return this.structureSeen ? [this.name] : [];
  }

  /** Handles one token in the session's current mode. */
  token(k: PytestToken, out: HarnessEvent[]): void {
    // after the tally only `pytest -q` starts without a header: by its output or its results
    if (this.sessionOver && k.t === 'results') this.newSession(out);
    switch (k.t) {
      case 'session-start':
        this.structureSeen = true;
        this.newSession(out);
        break;
      case 'session-end':
        this.structureSeen = true;
        this.closeTest(out);
        this.plainModule = null;
        this.afterTests = true;
        if (k.tally) this.sessionOver = true;
        out.push({ type: 'session-end' });
        break;
      case 'collected':
        this.structureSeen = true;
        this.collected = k.count;
        out.push({ type: 'plan', count: k.count });
        break;
      case 'node':
        this.structureSeen = true;
        if (this.afterTests) break;
        this.verbose = true;
        this.plainModule = null;
        // `path::test PASSED` then `path::test ERROR`: a teardown report, same test
        if (this.current !== null && this.current.name === k.name) break;
        this.startTest(k.name, false, null, out);
        break;
      case 'outcome':
        if (k.name !== undefined) {
          // the summary form names its test; it never changes which test runs
          out.push({ type: 'outcome-of', name: k.name, outcome: k.outcome });
          break;
        }
        this.outcome(k.outcome, out);
        break;
      case 'module':
        if (this.afterTests || this.verbose) break;
        this.structureSeen = true;
        this.plainModule = k.path;
        this.startPlainTest(out);
        break;
      case 'results':
        if (this.afterTests || this.verbose) break;
        this.structureSeen = true;
        this.results(k.chars, out);
        break;
    }
  }

  /** A new pytest session: numbering and pytest's mode start afresh. */
  private newSession(out: HarnessEvent[]): void {
    this.closeTest(out);
    this.plainModule = null;
    this.plainCounters.clear();
    this.namedTests = 0;
    this.collected = null;
    this.verbose = false;
    this.afterTests = false;
    this.sessionOver = false;
    this.namesAtResult = false;
    out.push({ type: 'session-start' });
  }

  /**
   * pytest without -v: each result character ends the current test and
   * starts the next, except past the announced count, where it is the same
   * test's teardown (`.E`) and what follows is that test's teardown output.
   * With no count (`-q`), a character names and ends the test before it,
   * and output after it waits, unnamed, for the next character.
   */
  private results(chars: string, out: HarnessEvent[]): void {
    if (this.plainModule === null && this.collected === null) {
      // `pytest -q` and no count: the last character cannot be told from the others
      this.plainModule = '';
      this.namesAtResult = true;
    }
    if (this.namesAtResult) {
      for (let i = 0; i < chars.length; i++) {
        this.current = null;
        this.namedTests++;
        out.push({ type: 'test-end', lane: LANE, outcome: RESULT_OUTCOME[chars[i]], name: this.plainName('') });
      }
      return;
    }
    if (this.plainModule === null) {
      // `pytest -q`: no module line; what ran so far was the first test
      this.plainModule = '';
      const t = this.current;
      if (t !== null && !t.held && t.name === null) {
        t.name = this.plainName('');
        t.plainPath = '';
        this.namedTests++;
        out.push({ type: 'test-name', lane: LANE, name: t.name });
      }
    }
    for (let i = 0; i < chars.length; i++) {
      if (this.current === null) this.startPlainTest(out);
      this.outcome(RESULT_OUTCOME[chars[i]], out);
      if (this.collected === null || this.namedTests < this.collected) this.startPlainTest(out);
    }
  }

  private outcome(outcome: Outcome, out: HarnessEvent[]): void {
    const t = this.current;
    if (t === null) return;
    if (t.held) {
      t.held = false;
      out.push({ type: 'test-start', lane: LANE, name: t.name });
    }
    out.push({ type: 'outcome', lane: LANE, outcome });
  }

  private startTest(name: string | null, held: boolean, plainPath: string | null, out: HarnessEvent[]): void {
    this.closeTest(out);
    if (name !== null) this.namedTests++;
    this.current = { name, held, plainPath };
    if (!held) out.push({ type: 'test-start', lane: LANE, name });
  }

  private startPlainTest(out: HarnessEvent[]): void {
    const path = this.plainModule!;
    this.startTest(this.plainName(path), true, path, out);
  }

  /** `PATH #k`, k counting the module's tests (`#k` alone under `pytest -q`). */
  private plainName(path: string): string {
    const k = (this.plainCounters.get(path) ?? 0) + 1;
    this.plainCounters.set(path, k);
    return path === '' ? `#${k}` : `${path} #${k}`;
  }

  /** The current test ends where the next starts; a held one that never counted gives its number back. */
  private closeTest(_out: HarnessEvent[]): void {
    this.dropHeld();
    this.current = null;
  }

  private dropHeld(): void {
    const t = this.current;
    if (t === null || !t.held) return;
    this.current = null;
    if (t.name !== null) this.namedTests--;
    const path = t.plainPath;
    if (path !== null) this.plainCounters.set(path, (this.plainCounters.get(path) ?? 1) - 1);
  }
}
