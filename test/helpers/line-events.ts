/**
 * One line → what it says, in the shape the line tests assert: pytest's
 * tokens (the pytest adapter's pure part) for the text before any record,
 * then the records of the line (the grammar's `recordsIn`). Both pure: this
 * only puts them side by side, as the analyzer's pipeline does.
 */
import { cleanLine, lineParts } from '../../src/harness/clean.js';
import { pytestTokens } from '../../src/harness/pytest.js';
import { EMULATOR_PREFIX, MARKER, recordsIn, type MemRecord } from '../../src/protocol/records.js';
import type { Outcome } from '../../src/harness/types.js';

export type LineEvent =
  | { type: 'session-start'; line: number }
  | { type: 'session-end'; line: number; title: string }
  | { type: 'collected'; line: number; count: number }
  | { type: 'test-start'; line: number; name: string }
  | { type: 'module'; line: number; path: string }
  | { type: 'results'; line: number; chars: string }
  | { type: 'outcome'; line: number; outcome: Outcome; name?: string }
  | { type: 'record'; line: number; record: MemRecord }
  | { type: 'bad-record'; line: number; message: string; text: string };

export function parseLine(raw: string, line: number): LineEvent[] {
  const clean = cleanLine(raw);
  if (clean === '') return [];
  const out: LineEvent[] = [];
  for (const text of lineParts(clean)) {
    const m = text.indexOf(MARKER);
    if (!(m === EMULATOR_PREFIX.length && text.startsWith(EMULATOR_PREFIX))) {
      for (const k of pytestTokens(m >= 0 ? text.slice(0, m) : text)) {
        switch (k.t) {
          case 'session-start':
            out.push({ type: 'session-start', line });
            break;
          case 'session-end':
            out.push({ type: 'session-end', line, title: k.title });
            break;
          case 'collected':
            out.push({ type: 'collected', line, count: k.count });
            break;
          case 'node':
            out.push({ type: 'test-start', line, name: k.name });
            break;
          case 'module':
            out.push({ type: 'module', line, path: k.path });
            break;
          case 'results':
            out.push({ type: 'results', line, chars: k.chars });
            break;
          case 'outcome':
            out.push(k.name === undefined ? { type: 'outcome', line, outcome: k.outcome } : { type: 'outcome', line, outcome: k.outcome, name: k.name });
            break;
        }
      }
    }
    if (m < 0) continue; // an SDK error line is a record too, but these tests are about markers
    for (const r of recordsIn(text)) {
      out.push(r.ok ? { type: 'record', line, record: r.record } : { type: 'bad-record', line, message: r.message, text: r.text });
    }
  }
  return out;
}
