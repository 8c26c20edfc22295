/**
 * The unit-test runners of one process listening together (SPEC §3.6):
 * the `[ RUN ]` family, Unity and TAP. Each line goes to them in turn; the
 * first that reads structure in it (any event but `input`) gives the line's
 * events, otherwise the line is plain output. Used for a plain run and, by
 * the CTest adapter, for each CTest test's own output.
 */
import { MARKER } from '../protocol/records.js';
import { RunFamilyAdapter } from './run-family.js';
import { TapAdapter } from './tap.js';
import { UnityAdapter } from './unity.js';
import { MAIN_LANE, type Adapter, type HarnessEvent, type HarnessName, type Lane, type LoggerLine } from './types.js';

/** Whether an adapter read structure in the line (it pushed more than the line's input). */
function structural(events: readonly HarnessEvent[]): boolean {
  for (let i = 0; i < events.length; i++) if (events[i].type !== 'input') return true;
  return false;
}

export class Runners {
  private readonly adapters: Adapter[] = [new RunFamilyAdapter(), new UnityAdapter(), new TapAdapter()];
  private readonly scratch: HarnessEvent[] = [];
  /** Runners in the order their structure was first seen. */
  private readonly order: Adapter[] = [];

  line(text: string, lineNo: number, out: HarnessEvent[]): void {
    if (!text.startsWith(MARKER)) {
      const scratch = this.scratch;
      for (const a of this.adapters) {
        scratch.length = 0;
        a.line(text, lineNo, scratch);
        if (structural(scratch)) {
          for (const e of scratch) out.push(e);
          this.note(a);
          return;
        }
      }
    }
    out.push({ type: 'input', lane: MAIN_LANE, text });
  }

  private note(a: Adapter): void {
    if (!this.order.includes(a)) this.order.push(a);
  }

  /** Whether any runner's structure was seen (a CTest test with none is a test of its own). */
  get any(): boolean {
    return this.order.length > 0;
  }

  /** Every runner reads the line (none finds structure in it): quiet when each says so. */
  quiet(line: LoggerLine): boolean {
    for (const a of this.adapters) if (!a.quiet(line)) return false;
    return true;
  }

  activity(lane: Lane, out: HarnessEvent[]): void {
    for (const a of this.adapters) a.activity(lane, out);
  }

  end(out: HarnessEvent[]): void {
    for (const a of this.adapters) a.end(out);
  }

  /** Asked at the end: the `[ RUN ]` family may tell gtest from cmocka only after its first lines. */
  seen(): HarnessName[] {
    return this.order.flatMap((a) => a.seen());
  }
}
