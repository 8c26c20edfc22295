/**
 * The census (§4.4) and the heap layout at each test's peak (§4.5), checked
 * against an independent model: random programs run on the project's own
 * SDK heap (whose chunks are known exactly), the real allocator's statistics
 * taken at the moment each test reaches its peak, the headroom found by
 * trying allocations on it — and the analyzer, which sees only the log,
 * must say the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../src/analyzer/analyze.js';
import type { Layout, SiteCensus } from '../../src/analyzer/facts.js';
import { sdkHeadroom } from '../../src/analyzer/layout.js';
import { AppHeap, mem_alloc, mem_free, mem_init, mem_stat_ex } from '../../src/heap/index.js';

type Op = { op: 'test' } | { op: 'alloc'; size: number; site: number } | { op: 'free'; pick: number } | { op: 'persist'; size: number; site: number };

const SITES = ['src/a.c:10', 'src/b.c:20', 'lib/c.c:30', 'src/d.c:40'];

const program = fc.record({
  heapSize: fc.constantFrom(4096, 8192, 16384),
  ops: fc.array(
    fc.oneof(
      { weight: 1, arbitrary: fc.constant({ op: 'test' as const }) },
      { weight: 5, arbitrary: fc.record({ op: fc.constant('alloc' as const), size: fc.integer({ min: 1, max: 700 }), site: fc.nat({ max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('persist' as const), size: fc.integer({ min: 1, max: 64 }), site: fc.nat({ max: 3 }) }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
    ),
    { minLength: 1, maxLength: 80 },
  ),
});

/** The largest request the real allocator would still grant now (tried, then given back). */
function triedHeadroom(heap: AppHeap): number {
  let lo = 0;
  let hi = 32756;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const p = mem_alloc(heap.ctx, mid);
    if (p === null) hi = mid - 1;
    else {
      mem_free(heap.ctx, p);
      lo = mid;
    }
  }
  return lo;
}

interface Expected {
  layouts: Array<Layout | null>;
  census: Map<string, SiteCensus>;
  lines: string[];
}

/** Runs the program; each test starts with its own heap (a setUp calling mem_utils_init). */
function run(heapSize: number, ops: Op[]): Expected {
  const lines: string[] = [];
  const heap = new AppHeap(heapSize, { log: (l) => lines.push(l), testRecords: true, prefix: '' });
  lines.length = 0; // the constructor's init: each test prints its own
  const layouts: Array<Layout | null> = [];
  const census = new Map<string, SiteCensus>();
  let live: Array<{ ptr: number; size: number; site: string; persistent: boolean }> = [];
  let peak = -1;
  let current = 0;
  let lastAlloc: number | null = null;
  let testNo = 0;
  const snapshot = () => {
    const s = mem_stat_ex(heap.ctx);
    const requested = live.reduce((n, b) => n + b.size, 0);
    const layout: Layout = {
      allocatedBytes: s.allocated_size + 96,
      overheadBytes: s.allocated_size + 96 - requested,
      freeBytes: s.free_size,
      freeBlocks: s.nb_free,
      largestFree: s.largest_free,
      fragmentation: s.fragmentation,
      headroom: triedHeadroom(heap),
    };
    layouts[layouts.length - 1] = layout;
  };
  const startTest = () => {
    // a test's leaks are found at the next test's init, as in cmocka's setUp
    for (const b of live) if (!b.persistent) census.get(b.site)!.leaks++;
    heap.test(`t${++testNo}`);
    heap.reset();
    live = [];
    current = 0;
    peak = 0;
    lastAlloc = null;
    layouts.push(null);
    snapshot(); // bytes at the start count: an empty heap is the first peak
  };
  for (const o of ops) {
    if (o.op === 'test' || testNo === 0) startTest();
    if (o.op === 'alloc' || o.op === 'persist') {
      const site = SITES[o.site];
      const ref = { ptr: null as number | null };
      const ptr = o.op === 'alloc' ? heap.APP_MEM_ALLOC(o.size, site) : heap.APP_MEM_PERMANENT(ref, o.size, site) ? ref.ptr : null;
      if (ptr === null) continue;
      live.push({ ptr, size: o.size, site, persistent: o.op === 'persist' });
      const c = census.get(site) ?? { site, allocations: 0, bytes: 0, minSize: Infinity, maxSize: 0, maxLive: 0, temporary: 0, leaks: 0 };
      census.set(site, c);
      c.allocations++;
      c.bytes += o.size;
      c.minSize = Math.min(c.minSize, o.size);
      c.maxSize = Math.max(c.maxSize, o.size);
      c.maxLive = Math.max(c.maxLive, live.filter((b) => b.site === site).length);
      lastAlloc = ptr;
      current += o.size;
      if (current > peak) {
        peak = current;
        snapshot();
      }
    } else if (o.op === 'free' && live.length > 0) {
      const [b] = live.splice(o.pick % live.length, 1);
      if (lastAlloc === b.ptr) census.get(b.site)!.temporary++;
      lastAlloc = null;
      heap.APP_MEM_FREE(b.ptr, 'src/free.c:1');
      current -= b.size;
    }
  }
  for (const b of live) if (!b.persistent) census.get(b.site)!.leaks++;
  return { layouts, census, lines };
}

describe('layout at the peak and census, against the real allocator', () => {
  it('the SDK model matches the allocator exactly, test by test', () => {
    fc.assert(
      fc.property(program, ({ heapSize, ops }) => {
        const expected = run(heapSize, ops);
        const facts = analyzeLines(expected.lines);
        const named = facts.tests.filter((t) => t.name !== null);
        expect(named.map((t) => t.layout ?? null)).toEqual(expected.layouts);
        const census = [...expected.census.values()].sort((a, b) => b.allocations - a.allocations || b.bytes - a.bytes || (a.site < b.site ? -1 : 1));
        expect(facts.sites).toEqual(census);
      }),
      { numRuns: 150 },
    );
  });

  it('headroom on a fresh 8192-byte heap is 7164 (the segregated fit refuses what rounds past its one free chunk)', () => {
    expect(sdkHeadroom(8192, [8096])).toBe(7164);
    const region = new Uint8Array(8192);
    const ctx = mem_init(region)!;
    expect(mem_alloc(ctx, 7165)).toBeNull();
    expect(mem_alloc(ctx, 7164)).not.toBeNull();
  });

  it('falls back to the plain model for addresses the SDK never hands out', () => {
    const r = analyzeLines(['==MP test;t', '==MP init;0x1000;1000', '==MP alloc;100;0x1000;a.c:1', '==MP alloc;50;0x1200;a.c:2']);
    expect(r.tests[0].layout).toEqual({ allocatedBytes: 150, overheadBytes: 0, freeBytes: 850, freeBlocks: 2, largestFree: 438, fragmentation: 1 - Math.sqrt(412 ** 2 + 438 ** 2) / 850, headroom: 438 });
  });
});
