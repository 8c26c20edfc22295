/**
 * pw_allocator's tracking metrics on scripted sequences (as its
 * TrackingAllocator tests do): requested vs allocated bytes, peaks,
 * cumulative net increases, counts, failures, the free-block figures on
 * demand, and nested trackers sharing a combined parent.
 */
import { describe, expect, it } from 'vitest';
import { createAllocator, track } from '../../src/heap/index.js';

describe('track()', () => {
  it('counts allocate, resize, reallocate, free and failures like pw_allocator', () => {
    const t = track(createAllocator('first-fit', 4096, { base: 0x1000 }));
    const p = t.allocate(10)!; // block 24: 16 usable
    const q = t.allocate(100)!; // block 112: 104 usable
    t.allocate(8); // keeps q from growing in place
    expect(t.metrics()).toMatchObject({ requestedBytes: 118, allocatedBytes: 128, numAllocations: 3, peakRequestedBytes: 118, cumulativeRequestedBytes: 118 });
    expect(t.resize(p, 12)).toBe(true); // same block: requested +2, allocated unchanged
    const r = t.reallocate(q, 300)!; // moves: allocated 304 first, then 104 released
    expect(r).not.toBe(q);
    t.free(p);
    expect(t.allocate(100_000)).toBeNull();
    expect(t.resize(r, 5000)).toBe(false);
    expect(t.metrics()).toEqual({
      requestedBytes: 308,
      peakRequestedBytes: 320,
      cumulativeRequestedBytes: 320,
      allocatedBytes: 312,
      peakAllocatedBytes: 16 + 104 + 8 + 304,
      cumulativeAllocatedBytes: 16 + 104 + 8 + 304,
      numAllocations: 3,
      numDeallocations: 1,
      numResizes: 1,
      numReallocations: 1,
      numFailures: 2,
      unfulfilledBytes: 105_000,
      numFreeBlocks: 2,
      smallestFreeBlockSize: 24 + 112,
      largestFreeBlockSize: 4096 - 8 - (24 + 112 + 16 + 312),
    });
  });

  it('shrinking adds nothing cumulative; a realloc in place is a reallocation, not a resize', () => {
    const t = track(createAllocator('tlsf', 4096));
    const p = t.allocate(200)!;
    t.reallocate(p, 100);
    t.reallocate(p, 150);
    const m = t.metrics();
    expect(m).toMatchObject({ requestedBytes: 150, peakRequestedBytes: 200, cumulativeRequestedBytes: 250, numReallocations: 2, numResizes: 0 });
    t.reallocate(p, 0);
    expect(t.metrics()).toMatchObject({ requestedBytes: 0, allocatedBytes: 0, numDeallocations: 1 });
  });

  it('nested trackers count into a shared parent', () => {
    const heap = createAllocator('sdk', 4096);
    const all = track(heap);
    const ui = track(heap, { parent: all });
    const crypto = track(heap, { parent: all });
    const a = ui.allocate(10)!;
    crypto.allocate(20);
    all.allocate(30);
    crypto.allocate(50_000);
    ui.free(a);
    expect(ui.metrics()).toMatchObject({ requestedBytes: 0, peakRequestedBytes: 10, numAllocations: 1, numDeallocations: 1, numFailures: 0 });
    expect(crypto.metrics()).toMatchObject({ requestedBytes: 20, numAllocations: 1, numFailures: 1, unfulfilledBytes: 50_000 });
    expect(all.metrics()).toMatchObject({ requestedBytes: 50, peakRequestedBytes: 60, cumulativeRequestedBytes: 60, numAllocations: 3, numDeallocations: 1, numFailures: 1 });
  });

  it('returns a plain object', () => {
    const m = track(createAllocator('buddy', 1024)).metrics();
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
