/**
 * Lines in, test events out, for one adapter alone (no records read, no
 * heap): a line whose input holds a record marker counts as activity in
 * that input's lane, as the analyzer's pipeline reports it.
 */
import { cleanLine } from '../../src/harness/clean.js';
import type { Adapter, HarnessEvent } from '../../src/harness/types.js';
import { MARKER } from '../../src/protocol/records.js';

/** Every event but `input`; `withInput` keeps those too. */
export function feed(adapter: Adapter, lines: readonly string[], withInput = false): HarnessEvent[] {
  const out: HarnessEvent[] = [];
  lines.forEach((raw, i) => {
    const line: HarnessEvent[] = [];
    adapter.line(cleanLine(raw), i + 1, line);
    for (const e of line) {
      if (e.type !== 'input') out.push(e);
      else {
        if (withInput) out.push(e);
        if (e.text.includes(MARKER)) adapter.activity(e.lane, out);
      }
    }
  });
  adapter.end(out);
  return out;
}

/** The events of one line alone, input included. */
export function lineEvents(adapter: Adapter, text: string): HarnessEvent[] {
  const out: HarnessEvent[] = [];
  adapter.line(text, 1, out);
  return out;
}
