/**
 * Unity (SPEC §3.4): nothing announces a test; its result line
 * `FILE:LINE:NAME:PASS`, `…:FAIL: message` or `…:IGNORE[: message]` comes
 * after its output, so everything since the previous result line (or the
 * start of the run) was that test's. The analyzer keeps that activity in an
 * unnamed test, which the result line names `FILE::NAME` and ends.
 * The summary (`-----`, `N Tests M Failures K Ignored`, `OK`/`FAIL`) closes
 * the run; a result line after it starts another run.
 */
import { holdsAscii } from './logger-lines.js';
import { MAIN_LANE, type Adapter, type HarnessEvent, type LoggerLine, type Outcome } from './types.js';

const TALLY = /^\d+ Tests \d+ Failures \d+ Ignored$/;
const DASHES = /^-{5,}$/;

const OUTCOMES: Record<string, Outcome> = { PASS: 'passed', FAIL: 'failed', IGNORE: 'skipped' };
const VERDICTS = Object.keys(OUTCOMES);
const RESULT = new RegExp(`^(.+?):(\\d+):([^:]+):(${VERDICTS.join('|')})(?::.*)?$`);
const VERDICT_MARKS = VERDICTS.map((v) => ':' + v);

/** Cheap test before the regular expression: a result line names its verdict. */
function mayBeResult(text: string): boolean {
  return VERDICT_MARKS.some((m) => text.includes(m));
}

/** The same on bytes, in one pass: a `:` followed by a verdict. */
function holdsVerdict(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (buf[i] !== 0x3a /* : */) continue;
    for (const v of VERDICTS) if (holdsAscii(buf, i + 1, Math.min(end, i + 1 + v.length), v)) return true;
  }
  return false;
}

export class UnityAdapter implements Adapter {
  readonly name = 'unity' as const;
  /** Results in the current run. */
  private tests = 0;
  /** The summary was printed: the next result line starts a new run. */
  private closed = false;
  private structureSeen = false;

  line(text: string, _lineNo: number, out: HarnessEvent[]): void {
    const m = mayBeResult(text) ? RESULT.exec(text) : null;
    if (m !== null) {
      this.structureSeen = true;
      if (this.closed) {
        this.closed = false;
        this.tests = 0;
        out.push({ type: 'session-start' });
      }
      this.tests++;
      out.push({ type: 'test-end', lane: MAIN_LANE, outcome: OUTCOMES[m[4]], name: `${m[1]}::${m[3]}` });
    } else if (this.tests > 0 && (DASHES.test(text) || TALLY.test(text))) {
      // activity after the last result is no test's
      this.closed = true;
      out.push({ type: 'test-end', lane: MAIN_LANE, outcome: null });
    }
    out.push({ type: 'input', lane: MAIN_LANE, text });
  }

  /** A result line may start like a logger's (`FILE:LINE:NAME:PASS`): quiet only without a verdict in it. */
  quiet(line: LoggerLine): boolean {
    return !holdsVerdict(line.buf, line.start, line.end);
  }

  activity(): void {}

  end(): void {}

  seen(): 'unity'[] {
    return this.structureSeen ? [this.name] : [];
  }
}
