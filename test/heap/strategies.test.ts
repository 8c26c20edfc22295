/**
 * What each strategy is documented to do: first fit takes the lowest block
 * that fits, best fit the smallest, worst fit the largest; bump frees
 * nothing until reset; buddy splits and merges powers of two; TLSF's
 * two-level index and its good-fit rounding. And the checks that find a
 * broken region.
 */
import { describe, expect, it } from 'vitest';
import {
  BLOCK_HEADER,
  BuddyAllocator,
  BumpAllocator,
  createAllocator,
  HeapCorruptionError,
  STRATEGIES,
  type Allocator,
} from '../../src/heap/index.js';
import { flOf, slOf } from '../../src/heap/bins.js';

const BASE = 0x20000000;

function alloc(a: Allocator, n: number): number {
  const p = a.allocate(n);
  if (p === null) throw new Error(`allocate(${n}) returned null`);
  return p;
}

/**
 * Free blocks of the given payload sizes, in address order, each kept apart
 * by a small live block; returns their addresses.
 */
function holes(a: Allocator, sizes: number[]): number[] {
  const made = sizes.map((n) => {
    const p = alloc(a, n);
    alloc(a, 8); // a separator
    return p;
  });
  // The tail: no big free block left (TLSF may refuse the exact largest, it rounds requests up).
  for (let n = a.stats().largestFree - BLOCK_HEADER - 64; n > 0 && a.allocate(n) === null; n -= 16);
  made.forEach((p) => a.free(p));
  return made;
}

describe('fit strategies pick the documented block', () => {
  it('first fit takes the free block at the lowest address that holds the request', () => {
    const a = createAllocator('first-fit', 4096, { base: BASE });
    const [h200, , h50] = holes(a, [200, 100, 50, 300]);
    expect(alloc(a, 40)).toBe(h200);
    expect(alloc(a, 40)).toBe(h200 + 48); // the rest of the same hole
    expect(alloc(a, 50)).toBe(h200 + 96);
    void h50;
  });

  it('best fit takes the smallest free block that holds the request', () => {
    const a = createAllocator('best-fit', 4096, { base: BASE });
    const [h200, h100, h50, h300] = holes(a, [200, 100, 50, 300]);
    expect(alloc(a, 40)).toBe(h50);
    expect(alloc(a, 90)).toBe(h100);
    expect(alloc(a, 250)).toBe(h300);
    expect(alloc(a, 150)).toBe(h200);
  });

  it('worst fit takes the largest free block', () => {
    const a = createAllocator('worst-fit', 4096, { base: BASE });
    const [h200, , , h300] = holes(a, [200, 100, 50, 300]);
    expect(alloc(a, 16)).toBe(h300);
    expect(alloc(a, 16)).toBe(h300 + 24); // still the largest: what is left of it
    expect(alloc(a, 180)).toBe(h300 + 48); // 264 bytes left there, more than the 208 of the next hole
    expect(alloc(a, 16)).toBe(h200);
  });

  it('tlsf takes the head of the first bin whose every block fits, skipping a fit in the request\'s own bin', () => {
    const a = createAllocator('tlsf', 4096, { base: BASE });
    // Bin [256, 272) holds the 264-byte block of a 256-byte hole.
    const [h256, h400] = holes(a, [256, 400]);
    // A 256-byte block request rounds up to 271: still that bin, whose every block fits.
    expect(alloc(a, 248)).toBe(h256);
    a.free(h256);
    // A 264-byte block request rounds up to 279, the next bin: the exact fit in its own bin is not looked at.
    expect(alloc(a, 256)).toBe(h400);
  });

  it('tlsf\'s two-level index: floor(log2) classes cut in 16, linear below 128', () => {
    expect([flOf(16), slOf(16)]).toEqual([0, 2]);
    expect([flOf(120), slOf(120)]).toEqual([0, 15]);
    expect([flOf(128), slOf(128)]).toEqual([1, 0]);
    expect([flOf(255), slOf(255)]).toEqual([1, 15]);
    expect([flOf(256), slOf(256)]).toEqual([2, 0]);
    expect([flOf(4096 + 3 * 256), slOf(4096 + 3 * 256)]).toEqual([6, 3]);
  });
});

describe('bump', () => {
  it('frees nothing until reset, and grows the last block in place', () => {
    const a = createAllocator('bump', 1024, { base: BASE }) as BumpAllocator;
    const p = alloc(a, 100);
    const q = alloc(a, 100);
    const top = a.top;
    a.free(p);
    expect(a.top).toBe(top);
    expect(a.owns(p)).toBe(false);
    expect(alloc(a, 100)).toBe(q + 112); // never p again
    expect(() => a.free(p)).toThrow(HeapCorruptionError);
    const last = alloc(a, 16);
    expect(a.resize(last, 200)).toBe(true);
    expect(a.resize(q, 200)).toBe(false); // not the last block
    a.reset();
    expect(alloc(a, 100)).toBe(p);
    a.check();
  });
});

describe('buddy', () => {
  it('splits a power of two in halves and merges buddies back', () => {
    const a = createAllocator('buddy', 4096 + 48, { base: BASE }) as BuddyAllocator;
    expect(a.maxBlock).toBe(4096);
    const before = a.stats();
    const p = alloc(a, 8); // a 16-byte block: 4096 split down to 16
    const sizes = () => {
      const out: [number, boolean][] = [];
      a.walk((c) => void out.push([c.size, c.used]));
      return out;
    };
    expect(sizes()).toEqual([
      [16, true],
      [16, false],
      [32, false],
      [64, false],
      [128, false],
      [256, false],
      [512, false],
      [1024, false],
      [2048, false],
    ]);
    const q = alloc(a, 9); // 17 bytes with the header: a 32-byte block
    expect(q - p).toBe(32);
    expect(a.usableSize(q)).toBe(24);
    expect(a.resize(q, 24)).toBe(true);
    expect(a.resize(q, 25)).toBe(false);
    a.free(p);
    a.free(q);
    expect(sizes()).toEqual([[4096, false]]);
    expect(a.stats()).toEqual(before);
  });

  it('keeps tiles of decreasing powers of two apart: they never merge across', () => {
    const a = createAllocator('buddy', 3 * 1024 + 48) as BuddyAllocator;
    expect(a.stats().freeBlocks).toBe(2); // 2048 + 1024
    const p = alloc(a, 1500);
    const q = alloc(a, 1000);
    a.free(q);
    a.free(p);
    expect(a.stats().freeBlocks).toBe(2);
    a.check();
  });
});

describe('check() finds a broken region', () => {
  for (const name of STRATEGIES) {
    it(name, () => {
      const a = createAllocator(name, 2048, { base: BASE });
      const p = alloc(a, 40);
      alloc(a, 40);
      a.check();
      // Overwrite the block's header (the 8 bytes before an 8-byte-header payload; the SDK's 4).
      a.region.fill(0x55, p - BASE - 8, p - BASE);
      expect(() => a.check()).toThrow(HeapCorruptionError);
    });
  }
});

describe('every strategy', () => {
  for (const name of STRATEGIES) {
    it(`${name}: allocate, usableSize, owns, reallocate keeps contents, NULL when full`, () => {
      const a = createAllocator(name, 2048, { base: BASE });
      expect(a.allocate(0)).toBeNull();
      const p = alloc(a, 10);
      expect(a.usableSize(p)).toBeGreaterThanOrEqual(10);
      expect(a.owns(p)).toBe(true);
      expect(a.owns(p + 1)).toBe(false);
      a.region.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p - BASE);
      alloc(a, 10);
      const q = a.reallocate(p, 300)!;
      expect([...a.region.subarray(q - BASE, q - BASE + 10)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(a.allocate(4000)).toBeNull();
      expect(a.reallocate(q, 4000)).toBeNull();
      expect(a.owns(q)).toBe(true);
      expect(a.reallocate(q, 0)).toBeNull();
      expect(a.owns(q)).toBe(false);
      a.check();
    });
  }
  it('createAllocator refuses unknown names', () => {
    expect(() => createAllocator('malloc' as never, 1024)).toThrow(/unknown allocator/);
  });
});
