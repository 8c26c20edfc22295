/**
 * Which harness (SPEC §3.6), with no flag: every adapter listens, and the
 * outermost harness that names tests owns the boundaries — CTest (with the
 * unit-test runners of each of its tests) or pytest, from the first line
 * that shows its structure on. Without either, the `[ RUN ]` family, Unity
 * and TAP lines are the boundaries. Once pytest owns, lines of other
 * harnesses inside its tests are plain output.
 */
import { CtestAdapter } from './ctest.js';
import { PytestAdapter } from './pytest.js';
import { Runners } from './runners.js';
import { LoggerLines } from './logger-lines.js';
import { MAIN_LANE, type Harness, type HarnessEvent, type HarnessName, type Lane, type LoggerLine } from './types.js';

/** pytest's header: once a unit-test runner spoke, only this makes pytest the owner. */
function sessionHeader(text: string): boolean {
  return text.charCodeAt(0) === 0x3d /* = */ && text.includes(' test session starts ');
}

export class AutoHarness implements Harness {
  private readonly pytest = new PytestAdapter();
  private readonly ctest = new CtestAdapter();
  private readonly runners = new Runners();
  private owner: PytestAdapter | CtestAdapter | null = null;
  private readonly scratch: HarnessEvent[] = [];
  private readonly heads = new LoggerLines();

  get name(): HarnessName {
    return this.owner?.name ?? 'records';
  }

  line(text: string, lineNo: number, out: HarnessEvent[]): void {
    if (this.owner !== null) return this.owner.line(text, lineNo, out);
    // Nobody owns the boundaries yet: CTest, then pytest, may take them on this line.
    const s = this.scratch;
    s.length = 0;
    this.ctest.line(text, lineNo, s);
    if (this.ctest.owns) return this.take(this.ctest, s, out);
    if (!this.runners.any || sessionHeader(text)) {
      s.length = 0;
      this.pytest.line(text, lineNo, s);
      if (this.pytest.structureSeen) return this.take(this.pytest, s, out);
    }
    this.runners.line(text, lineNo, out);
  }

  private take(owner: PytestAdapter | CtestAdapter, events: readonly HarnessEvent[], out: HarnessEvent[]): void {
    this.owner = owner;
    for (const e of events) out.push(e);
  }

  recordLine(out: HarnessEvent[]): Lane {
    if (this.owner === this.ctest) return this.ctest.recordLine(out);
    this.activity(MAIN_LANE, out);
    return MAIN_LANE;
  }

  /** As `line` would read it: the owner alone, or CTest, pytest (while it listens) and the runners. */
  quiet(line: LoggerLine): boolean {
    if (this.owner !== null) return this.owner.quiet(line);
    // a logger's line is no session header: pytest listens only while no runner spoke
    return this.ctest.quiet(line) && (this.runners.any || this.pytest.quiet(line)) && this.runners.quiet(line);
  }

  quietBytes(buf: Uint8Array, start: number, end: number): boolean {
    const line = this.heads.read(buf, start, end);
    return line !== null && this.quiet(line);
  }

  activity(lane: Lane, out: HarnessEvent[]): void {
    if (this.owner !== null) return this.owner.activity(lane, out);
    // pytest -q names its first test only at its first result character
    if (!this.runners.any) this.pytest.activity(lane, out);
    this.runners.activity(lane, out);
  }

  end(out: HarnessEvent[]): void {
    if (this.owner !== null) return this.owner.end(out);
    this.pytest.end(out);
    this.runners.end(out);
  }

  seen(): HarnessName[] {
    const names = this.owner?.seen() ?? [];
    for (const h of this.runners.seen()) if (!names.includes(h)) names.push(h);
    return names;
  }
}
