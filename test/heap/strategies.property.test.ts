/**
 * Model-based property test over every strategy of the Allocator interface
 * and over stacked decorators: random allocate / free / reallocate / resize
 * sequences, checked after every step against a model of the live blocks —
 * they never overlap, stay inside the region and keep their contents
 * (across a moving realloc too); the statistics add up to the capacity;
 * `check()` holds; whatever a profiler writes reads back.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type Allocator, createAllocator, harden, profile, STRATEGIES, type StrategyName, track } from '../../src/heap/index.js';
import { MARKER, parseRecord } from '../../src/protocol/records.js';

type Op =
  | { kind: 'alloc'; n: number }
  | { kind: 'free'; pick: number }
  | { kind: 'realloc'; pick: number; n: number }
  | { kind: 'resize'; pick: number; n: number }
  | { kind: 'reallocNull'; n: number };

const heapSize = fc.integer({ min: 0, max: 300 }).map((n) => n * 8 + 200); // 200..2600: the SDK takes them all
const request = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 700 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: request.map((n) => ({ kind: 'alloc' as const, n })) },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: 'free' as const, pick })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), n: request }).map((r) => ({ kind: 'realloc' as const, ...r })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), n: fc.integer({ min: 1, max: 300 }) }).map((r) => ({ kind: 'resize' as const, ...r })) },
  { weight: 1, arbitrary: request.map((n) => ({ kind: 'reallocNull' as const, n })) },
);

interface Live {
  n: number;
  seed: number;
}

function fill(a: Allocator, ptr: number, live: Live): void {
  const at = ptr - a.base;
  for (let i = 0; i < live.n; i++) a.region[at + i] = (live.seed + i * 7) & 255;
}

function intact(a: Allocator, ptr: number, live: Live, n = live.n): boolean {
  const at = ptr - a.base;
  for (let i = 0; i < n; i++) if (a.region[at + i] !== ((live.seed + i * 7) & 255)) return false;
  return true;
}

function checkModel(a: Allocator, blocks: Map<number, Live>, chunkBytes: number): void {
  a.check();
  const spans = [...blocks].map(([ptr, live]) => {
    const usable = a.usableSize(ptr);
    if (usable === null || usable < live.n) throw new Error(`block ${ptr} holds ${usable} < ${live.n} bytes`);
    if (!a.owns(ptr)) throw new Error(`a live block ${ptr} is not owned`);
    if (!intact(a, ptr, live)) throw new Error(`block ${ptr} contents changed`);
    return { start: ptr, end: ptr + usable };
  });
  spans.sort((x, y) => x.start - y.start);
  for (let i = 0; i < spans.length; i++) {
    if (spans[i].start < a.base || spans[i].end > a.base + a.capacity) throw new Error('block outside the region');
    if (i > 0 && spans[i].start < spans[i - 1].end) throw new Error('blocks overlap');
  }
  const s = a.stats();
  if (s.total_size !== a.capacity) throw new Error(`total ${s.total_size} != capacity ${a.capacity}`);
  if (s.free_size + s.allocated_size !== chunkBytes) throw new Error(`free + allocated = ${s.free_size + s.allocated_size}, the chunks hold ${chunkBytes}`);
  if (s.nb_allocated !== blocks.size) throw new Error(`nb_allocated ${s.nb_allocated} != ${blocks.size} live blocks`);
  if (s.freeBlocks !== s.nb_chunks - s.nb_allocated) throw new Error('free blocks do not add up');
  if (!(s.fragmentation >= 0 && s.fragmentation < 1)) throw new Error(`fragmentation ${s.fragmentation}`);
}

function run(make: (region: Uint8Array) => Allocator, size: number, ops: Op[], seed0: number): void {
  const a = make(new Uint8Array(size));
  const start = a.stats();
  const chunkBytes = start.free_size + start.allocated_size;
  const blocks = new Map<number, Live>();
  let seed = seed0;
  const nth = (pick: number) => [...blocks.keys()][pick % blocks.size];
  const born = (ptr: number | null, n: number) => {
    if (ptr === null) return;
    if (blocks.has(ptr)) throw new Error(`allocate returned live block ${ptr}`);
    const live = { n, seed: seed++ & 255 };
    blocks.set(ptr, live);
    fill(a, ptr, live);
  };
  for (const o of ops) {
    if (o.kind === 'alloc') born(a.allocate(o.n), o.n);
    else if (o.kind === 'reallocNull') born(a.reallocate(null, o.n), o.n);
    else if (blocks.size > 0) {
      const ptr = nth(o.pick);
      const live = blocks.get(ptr)!;
      if (o.kind === 'free') {
        a.free(ptr);
        blocks.delete(ptr);
      } else if (o.kind === 'resize') {
        if (a.resize(ptr, o.n)) {
          if (!intact(a, ptr, live, Math.min(live.n, o.n))) throw new Error('resize lost contents');
          blocks.set(ptr, { n: Math.min(live.n, o.n), seed: live.seed });
          if (o.n > live.n) {
            blocks.delete(ptr);
            born(ptr, o.n);
          }
        }
      } else {
        const moved = a.reallocate(ptr, o.n);
        if (o.n === 0) {
          if (moved !== null) throw new Error('realloc to 0 returned a block');
          blocks.delete(ptr);
        } else if (moved !== null) {
          if (!intact(a, moved, live, Math.min(live.n, o.n))) throw new Error('realloc lost contents');
          blocks.delete(ptr);
          born(moved, o.n);
        }
      }
    }
    checkModel(a, blocks, chunkBytes);
  }
}

const property = (make: (region: Uint8Array) => Allocator, numRuns: number) =>
  fc.assert(
    fc.property(heapSize, fc.array(op, { maxLength: 120 }), fc.integer({ min: 0, max: 255 }), (size, ops, seed) => run(make, size, ops, seed)),
    { numRuns },
  );

describe('every strategy keeps the model', () => {
  for (const name of STRATEGIES) {
    it(name, () => property((r) => createAllocator(name as StrategyName, r), 150));
  }
  it('tlsf with 16-byte alignment', () => property((r) => createAllocator('tlsf', r, { alignment: 16 }), 60));
});

describe('stacked decorators keep the model', () => {
  const lines: string[] = [];
  const sink = (line: string) => {
    lines.push(line);
    if (lines.length > 10_000) lines.length = 0;
  };
  const stacks: Record<string, (r: Uint8Array) => Allocator> = {
    'track(harden(tlsf, poison, guards))': (r) => track(harden(createAllocator('tlsf', r), { poisonInterval: 2, guardWords: 2 })),
    'profile(track(sdk))': (r) => profile(track(createAllocator('sdk', r)), { sink, sites: 'app.c:1', resizeRecords: true, failRecords: true }),
    'harden(profile(best-fit), debug)': (r) => harden(profile(createAllocator('best-fit', r), { sink, sites: 'app.c:2', heap: 'aux' }), { level: 'debug', poisonInterval: 1 }),
    'track(track(buddy), parent)': (r) => {
      const parent = track(createAllocator('buddy', r));
      return track(parent, { parent });
    },
    'profile(harden(first-fit, guards))': (r) => profile(harden(createAllocator('first-fit', r), { guardWords: 1, poisonInterval: 3 }), { sink, sites: 'app.c:3' }),
    'harden(track(worst-fit))': (r) => harden(track(createAllocator('worst-fit', r)), { guardWords: 3 }),
    'track(profile(bump))': (r) => track(profile(createAllocator('bump', r), { sink, sites: 'app.c:4' })),
  };
  for (const [name, make] of Object.entries(stacks)) {
    it(name, () => property(make, 80));
  }
  it('every record written reads back', () => {
    lines.length = 0;
    property((r) => profile(harden(createAllocator('tlsf', r), { guardWords: 1 }), { sink, sites: 'x.c:9', heap: 'h', resizeRecords: true, failRecords: true }), 30);
    for (const line of lines) {
      const r = parseRecord(line.slice(line.indexOf(MARKER) + MARKER.length));
      if (!r.ok) throw new Error(`${line}: ${r.message}`);
    }
  });
});
