/**
 * The failure path (SPEC §6.7): one handler hears of every NULL, from any
 * allocator or pool, with the size, the site, the allocator and the
 * reserve; the reserve works inside the handler only; profiling writes a
 * `fail` record for each failure when asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppHeap,
  createAllocator,
  createPool,
  currentReserve,
  onAllocFailure,
  profile,
  releaseReserve,
  reserve,
  resetPools,
  STRATEGIES,
  track,
  tryAlloc,
} from '../../src/heap/index.js';

afterEach(() => {
  onAllocFailure(null);
  releaseReserve();
  resetPools();
});

describe('onAllocFailure', () => {
  it('is called on every NULL of every strategy, through decorators, with the site', () => {
    const seen: [number, string, string][] = [];
    onAllocFailure((size, site, { allocator }) => seen.push([size, site, (allocator as { name: string }).name]));
    for (const name of STRATEGIES) {
      const a = track(createAllocator(name, 1024));
      expect(a.allocate(5000, `${name}.c:1`)).toBeNull();
    }
    expect(seen).toEqual(STRATEGIES.map((n) => [5000, `${n}.c:1`, n]));
  });

  it('is called for a failed realloc and alloc(0), not for realloc(ptr, 0) nor a refused pointer', () => {
    const sizes: number[] = [];
    onAllocFailure((size) => sizes.push(size));
    const a = createAllocator('sdk', 1024);
    const p = a.allocate(16)!;
    expect(a.allocate(0)).toBeNull();
    expect(a.reallocate(p, 3000)).toBeNull();
    expect(a.reallocate(p + 1, 8)).toBeNull(); // refused: outside the payload area
    expect(a.reallocate(p, 0)).toBeNull(); // freed
    expect(sizes).toEqual([0, 3000]);
  });

  it('is called when a pool is empty', () => {
    const seen: unknown[] = [];
    onAllocFailure((size, _site, { allocator }) => seen.push([size, allocator]));
    const pool = createPool('fail.pool', 24, { from: createAllocator('tlsf', 1024) });
    expect(tryAlloc(pool, 'p.c:1')).toBeNull();
    expect(seen).toEqual([[24, pool]]);
  });

  it('keeps the app heap\'s own hook working', () => {
    const global: number[] = [];
    const own: [number, string][] = [];
    onAllocFailure((size) => global.push(size));
    const heap = new AppHeap(256, { log: () => {}, onAllocFailure: (n, s) => own.push([n, s]) });
    heap.APP_MEM_ALLOC(500, 'a.c:1');
    expect(own).toEqual([[500, 'a.c:1']]);
    expect(global).toEqual([500]);
  });
});

describe('reserve', () => {
  it('is usable inside the handler only, and never touches the exhausted heap', () => {
    const r = reserve(256);
    expect(currentReserve()).toBe(r);
    expect(() => r.allocate(16)).toThrow(/failure handler only/);
    const heap = createAllocator('best-fit', 512);
    const before = heap.stats();
    let report: number | null = null;
    onAllocFailure((size, site, { reserve: res }) => {
      report = res!.allocate(64);
      const text = new TextEncoder().encode(`out of memory: ${size} at ${site}`);
      r.bytes(report!, text.length).set(text);
    });
    expect(heap.allocate(4000, 'big.c:3')).toBeNull();
    expect(report).not.toBeNull();
    expect(new TextDecoder().decode(r.bytes(report!, 28))).toBe('out of memory: 4000 at big.c');
    expect(heap.stats()).toEqual(before);
    expect(() => r.allocate(16)).toThrow();
  });

  it('profiling writes a fail record for every failure when asked', () => {
    const lines: string[] = [];
    const a = profile(createAllocator('buddy', 1024), { sink: (l) => lines.push(l), failRecords: true, init: false, heap: 'net' });
    a.allocate(2000, 'n.c:1');
    const p = a.allocate(100, 'n.c:2')!;
    a.reallocate(p, 5000, 'n.c:3');
    expect(lines).toEqual(['==MP fail@net;2000;n.c:1', `==MP alloc@net;100;0x${p.toString(16)};n.c:2`, '==MP fail@net;5000;n.c:3']);
  });
});
