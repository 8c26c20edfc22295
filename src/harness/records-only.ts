/**
 * `--harness records`: no runner's structure at all; only `test;NAME`
 * records (read by the analyzer) mark tests. Every line is input.
 */
import { MAIN_LANE, type Adapter, type HarnessEvent } from './types.js';

export class RecordsAdapter implements Adapter {
  readonly name = 'records' as const;
  line(text: string, _lineNo: number, out: HarnessEvent[]): void {
    out.push({ type: 'input', lane: MAIN_LANE, text });
  }
  quiet(): boolean {
    return true;
  }
  activity(): void {}
  end(): void {}
  seen(): [] {
    return [];
  }
}
