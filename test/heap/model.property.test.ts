/**
 * Model-based property test: random alloc / free / realloc sequences checked
 * against a simple model of the live blocks after every step.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { HEAP_HEADER_SIZE, Heap } from '../../src/heap/index.js';

type Op =
  | { kind: 'alloc'; n: number }
  | { kind: 'free'; pick: number }
  | { kind: 'realloc'; pick: number; n: number }
  | { kind: 'reallocNull'; n: number };

const size = fc.integer({ min: 0, max: 300 }).map((n) => n * 8 + 200); // 200..2600, all accepted
const request = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 700 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: request.map((n) => ({ kind: 'alloc' as const, n })) },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: 'free' as const, pick })) },
  { weight: 3, arbitrary: fc.record({ pick: fc.nat(), n: request }).map((r) => ({ kind: 'realloc' as const, ...r })) },
  { weight: 1, arbitrary: request.map((n) => ({ kind: 'reallocNull' as const, n })) },
);

interface Live {
  n: number; // requested size
  seed: number; // content pattern
}

const chunkSizeFor = (n: number) => {
  const s = (n + 3) & ~3;
  return s + (s & 4 ? 4 : 8);
};
// Smallest chunk size guaranteed to be in a list that alloc(n) searches.
const classCeiling = (chunk: number) => {
  const b = Math.max(5, 31 - Math.clz32(chunk));
  const width = b === 5 ? 16 : 1 << (b - 2);
  return (chunk + width - 1) & ~(width - 1);
};

function fill(heap: Heap, ptr: number, live: Live): void {
  const bytes = heap.bytes(ptr);
  for (let i = 0; i < live.n; i++) bytes[i] = (live.seed + i * 7) & 255;
}

function intact(heap: Heap, ptr: number, live: Live, n = live.n): boolean {
  const bytes = heap.bytes(ptr);
  for (let i = 0; i < n; i++) if (bytes[i] !== ((live.seed + i * 7) & 255)) return false;
  return true;
}

function check(heap: Heap, blocks: Map<number, Live>): void {
  heap.check();
  const spans = [...blocks].map(([ptr, live]) => {
    const usable = heap.blockSize(ptr);
    if (usable < live.n) throw new Error(`block ${ptr} holds ${usable} < ${live.n} bytes`);
    if (!intact(heap, ptr, live)) throw new Error(`block ${ptr} contents changed`);
    return { start: ptr - 4, end: ptr + usable };
  });
  spans.sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    if (spans[i].start < heap.base + HEAP_HEADER_SIZE || spans[i].end > heap.base + heap.size) throw new Error('block outside the heap');
    if (i > 0 && spans[i].start < spans[i - 1].end) throw new Error('blocks overlap');
  }
  const s = heap.stat();
  const allocated = spans.reduce((sum, sp) => sum + (sp.end - sp.start), 0);
  if (s.total_size !== heap.size) throw new Error(`total ${s.total_size} != ${heap.size}`);
  if (s.free_size + s.allocated_size + HEAP_HEADER_SIZE !== s.total_size) throw new Error('free + allocated + 96 != total');
  if (s.allocated_size !== allocated) throw new Error(`allocated ${s.allocated_size} != ${allocated}`);
  if (s.nb_allocated !== blocks.size) throw new Error(`nb_allocated ${s.nb_allocated} != ${blocks.size}`);
}

describe('allocator model', () => {
  it('keeps live blocks disjoint, inside the heap, intact, and the statistics exact', () => {
    fc.assert(
      fc.property(size, fc.array(op, { maxLength: 150 }), fc.integer({ min: 0, max: 255 }), (heapSize, ops, seed0) => {
        const heap = new Heap(heapSize, { debug: false });
        const blocks = new Map<number, Live>();
        let seed = seed0;
        const nth = (pick: number) => [...blocks.keys()][pick % blocks.size];
        const allocate = (n: number, ptr: number | null) => {
          const ex = heap.statEx();
          if (ptr === null) {
            // A refusal is only allowed when no free chunk is sure to fit.
            if (n > 0 && n <= 32756 && ex.largest_free >= classCeiling(chunkSizeFor(n))) throw new Error(`alloc(${n}) refused with a ${ex.largest_free}-byte free chunk`);
            return;
          }
          const live = { n, seed: seed++ & 255 };
          blocks.set(ptr, live);
          fill(heap, ptr, live);
        };
        for (const o of ops) {
          if (o.kind === 'alloc') {
            allocate(o.n, heap.alloc(o.n));
          } else if (o.kind === 'reallocNull') {
            allocate(o.n, heap.realloc(null, o.n));
          } else if (blocks.size > 0) {
            const ptr = nth(o.pick);
            const live = blocks.get(ptr)!;
            if (o.kind === 'free') {
              heap.free(ptr);
              blocks.delete(ptr);
            } else {
              const moved = heap.realloc(ptr, o.n);
              if (o.n === 0) {
                if (moved !== null) throw new Error('realloc to 0 returned a block');
                blocks.delete(ptr);
              } else if (moved === null) {
                // Failure leaves the old block as it was (checked below).
              } else {
                const kept = Math.min(live.n, o.n);
                if (!intact(heap, moved, live, kept)) throw new Error('realloc lost contents');
                blocks.delete(ptr);
                const next = { n: o.n, seed: seed++ & 255 };
                blocks.set(moved, next);
                fill(heap, moved, next);
              }
            }
          }
          check(heap, blocks);
        }
      }),
      { numRuns: 400 },
    );
  });
});
