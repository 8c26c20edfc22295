/**
 * Random programs through the profiling app heap, for the replay tests: the
 * log they print, and what the app heap itself saw — its statistics per
 * test (`stat().allocated_size` at its highest, failures) and the ground
 * truth of every realloc done in place (which block, at which log line).
 */
import fc from 'fast-check';
import { AppHeap } from '../../src/heap/app-heap.js';

export type Step =
  | { kind: 'alloc'; n: number; site: number }
  | { kind: 'free'; pick: number }
  | { kind: 'realloc'; pick: number; n: number }
  /** A realloc to a fraction of the block: in place, its tail split off. */
  | { kind: 'shrink'; pick: number; percent: number }
  | { kind: 'test' }
  | { kind: 'reset' };

const SITES = ['src/tlv.c:482', 'src/ui/review.c:528', 'src/crypto/hash.c:176', 'lib/io.c:792'];

const request = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 400 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 5000, 40000) });

export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ n: request, site: fc.nat(SITES.length - 1) }).map((r) => ({ kind: 'alloc' as const, ...r })) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: 'free' as const, pick })) },
  { weight: 3, arbitrary: fc.record({ pick: fc.nat(), n: fc.integer({ min: 1, max: 600 }) }).map((r) => ({ kind: 'realloc' as const, ...r })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), percent: fc.integer({ min: 5, max: 90 }) }).map((r) => ({ kind: 'shrink' as const, ...r })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'test' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
);

export const heapSize = fc.integer({ min: 64, max: 1024 }).map((n) => n * 8); // 512..8192

export interface TestStats {
  peakBytes: number;
  failures: number;
}

/** A realloc the SDK did in place, splitting off a tail: the block and where the log showed it last. */
export interface InPlaceShrink {
  /** Log line (1-based) of the alloc record that gave the block its chunk. */
  blockLine: number;
  /** Log line of the next record after the shrink (the shrink itself logs nothing without resize records). */
  atLine: number;
}

export interface ProgramRun {
  lines: string[];
  /** By test name (null: before the first test). */
  stats: Map<string | null, TestStats>;
  failures: number;
  shrinks: InPlaceShrink[];
  /** Per step: the address an alloc or realloc returned (null: it failed; undefined: no such step). */
  results: Array<number | null | undefined>;
  /** Per step: the log line that shows the address it returned (alloc, resize, or the alloc of a moved realloc). */
  addressLines: number[];
  /** Per free step that freed a block: the line of its free record. */
  freeLines: number[];
}

interface Live {
  ptr: number;
  /** Line of the record that gave it its chunk (alloc, or the alloc of a moved realloc). */
  line: number;
}

export interface ProgramOptions {
  resizeRecords: boolean;
  /** This step's free is not done: the block stays live (the program goes on as if it were freed). */
  leakStep?: number;
}

export function runProgram(size: number, steps: readonly Step[], options: ProgramOptions): ProgramRun {
  const lines: string[] = [];
  const results: Array<number | null | undefined> = [];
  const addressLines: number[] = [];
  const freeLines: number[] = [];
  const heap = new AppHeap(size, {
    log: (l) => lines.push(l),
    prefix: '',
    testRecords: true,
    failRecords: true,
    resizeRecords: options.resizeRecords,
  });
  const stats = new Map<string | null, TestStats>();
  const shrinks: InPlaceShrink[] = [];
  const live: Live[] = [];
  let test: string | null = null;
  let tests = 0;
  let failures = 0;
  const bytes = () => heap.stat().allocated_size;
  const touch = () => {
    let s = stats.get(test);
    if (s === undefined) stats.set(test, (s = { peakBytes: bytes(), failures: 0 }));
    return s;
  };
  const failed = () => {
    touch().failures++;
    failures++;
  };
  for (let at = 0; at < steps.length; at++) {
    const s = steps[at];
    switch (s.kind) {
      case 'test':
        heap.test(`test_${++tests}`);
        test = `test_${tests}`;
        continue;
      case 'reset':
        heap.reset();
        live.length = 0;
        continue;
      case 'alloc': {
        touch();
        const p = heap.APP_MEM_ALLOC(s.n, SITES[s.site]);
        results[at] = p;
        addressLines[at] = lines.length;
        if (p === null) failed();
        else live.push({ ptr: p, line: lines.length });
        break;
      }
      case 'free': {
        if (live.length === 0) continue;
        touch();
        const [b] = live.splice(s.pick % live.length, 1);
        if (at !== options.leakStep) heap.APP_MEM_FREE(b.ptr, 'src/main.c:99');
        freeLines[at] = lines.length;
        break;
      }
      case 'realloc':
      case 'shrink': {
        if (live.length === 0) continue;
        const b = live[s.pick % live.length];
        const usable = heap.heap.blockSize(b.ptr);
        const n = s.kind === 'realloc' ? s.n : Math.max(1, Math.floor((usable * s.percent) / 100));
        touch();
        const before = lines.length;
        const chunkBefore = usable;
        const q = heap.APP_MEM_REALLOC(b.ptr, n, 'src/buffer.c:41');
        results[at] = q;
        addressLines[at] = lines.length;
        if (q === null) failed();
        else if (q !== b.ptr) b.line = lines.length;
        else if (heap.heap.blockSize(q) < chunkBefore) shrinks.push({ blockLine: b.line, atLine: before + 1 });
        b.ptr = q ?? b.ptr;
        break;
      }
    }
    const st = touch();
    if (bytes() > st.peakBytes) st.peakBytes = bytes();
  }
  return { lines, stats, failures, shrinks, results, addressLines, freeLines };
}
