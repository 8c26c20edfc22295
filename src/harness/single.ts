/** `--harness NAME`: one adapter alone owns the boundaries (for logs where a line could be misread). */
import { LoggerLines } from './logger-lines.js';
import { MAIN_LANE, type Adapter, type Harness, type HarnessEvent, type HarnessName, type Lane, type LoggerLine } from './types.js';

/** An adapter whose output may come in lanes (CTest) says where a record line belongs. */
type LaneAdapter = Adapter & { recordLine?(out: HarnessEvent[]): Lane };

export class SingleHarness implements Harness {
  private readonly heads = new LoggerLines();
  constructor(private readonly adapter: LaneAdapter) {}
  get name(): HarnessName {
    return this.adapter.name;
  }
  line(text: string, lineNo: number, out: HarnessEvent[]): void {
    this.adapter.line(text, lineNo, out);
  }
  activity(lane: Lane, out: HarnessEvent[]): void {
    this.adapter.activity(lane, out);
  }
  recordLine(out: HarnessEvent[]): Lane {
    if (this.adapter.recordLine !== undefined) return this.adapter.recordLine(out);
    this.adapter.activity(MAIN_LANE, out);
    return MAIN_LANE;
  }
  quiet(line: LoggerLine): boolean {
    return this.adapter.quiet(line);
  }
  quietBytes(buf: Uint8Array, start: number, end: number): boolean {
    const line = this.heads.read(buf, start, end);
    return line !== null && this.adapter.quiet(line);
  }
  end(out: HarnessEvent[]): void {
    this.adapter.end(out);
  }
  seen(): HarnessName[] {
    return this.adapter.seen();
  }
}
