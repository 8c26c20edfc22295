/**
 * Hardening: the levels' input checks, poisoning (use after free found when
 * the block is handed out again, and by check()), guard words (found on free
 * and by check()), each written as a `corrupt` record when a profiler is in
 * the stack — above or below the hardening.
 */
import { describe, expect, it } from 'vitest';
import { type Allocator, createAllocator, harden, HeapCorruptionError, profile, STRATEGIES } from '../../src/heap/index.js';

function caught(fn: () => unknown): HeapCorruptionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HeapCorruptionError) return e;
    throw e;
  }
  throw new Error('nothing thrown');
}

function write(a: Allocator, address: number, bytes: number[]): void {
  a.region.set(bytes, address - a.base);
}

describe('levels', () => {
  it('basic: a free of an address the allocator does not own is "outside", a double free too', () => {
    const a = harden(createAllocator('tlsf', 2048), { level: 'basic' });
    const p = a.allocate(32)!;
    expect(caught(() => a.free(p + 8)).kind).toBe('outside');
    expect(caught(() => a.reallocate(p + 8, 10)).kind).toBe('outside');
    a.free(p);
    expect(caught(() => a.free(p)).kind).toBe('outside');
  });

  it('robust (the default): a double free says so', () => {
    for (const name of STRATEGIES) {
      const a = harden(createAllocator(name, 2048));
      const p = a.allocate(32)!;
      a.allocate(8);
      a.free(p);
      const e = caught(() => a.free(p));
      expect([name, e.kind, e.address]).toEqual([name, 'double-free', p]);
      expect(caught(() => a.free(a.base + 3)).kind).toBe('outside');
    }
  });

  it('debug: the allocator is checked after every call', () => {
    const a = harden(createAllocator('best-fit', 2048), { level: 'debug' });
    const p = a.allocate(32)!;
    a.allocate(32);
    write(a, p - 8, [0xff, 0xff, 0xff, 0xff]); // the block header's back tag
    expect(caught(() => a.allocate(8)).kind).toBe('invariant');
  });
});

describe('poisoning', () => {
  for (const name of STRATEGIES.filter((n) => n !== 'bump')) {
    it(`${name}: a write to a freed block is found when the block is handed out again`, () => {
      const lines: string[] = [];
      const a = profile(harden(createAllocator(name, 4096), { poisonInterval: 1 }), { sink: (l) => lines.push(l), sites: 'app.c:7', init: false });
      const p = a.allocate(64)!;
      a.allocate(8);
      a.free(p);
      write(a, p + 20, [1]); // use after free
      // Allocate until the strategy hands p's memory out again (worst fit takes the tail first).
      const e = caught(() => {
        for (let i = 0; i < 200; i++) a.allocate(40, 'app.c:9');
      });
      expect([e.kind, e.what, e.address]).toEqual(['use-after-free', 'poison', p]);
      expect(lines.at(-1)).toBe(`==MP corrupt;0x${p.toString(16)};poison;app.c:9`);
    });
  }

  it('only every Nth freed block is poisoned, and check() verifies the poison', () => {
    const a = harden(createAllocator('tlsf', 4096), { poisonInterval: 2 });
    const blocks = [0, 1, 2, 3].map(() => a.allocate(64)!);
    a.allocate(8);
    for (const p of blocks) a.free(p);
    const pattern = [...a.region.subarray(blocks[1] - a.base + 16, blocks[1] - a.base + 24)];
    expect(pattern).toEqual([0xde, 0xfa, 0xce, 0xdc, 0xde, 0xfa, 0xce, 0xdc]);
    expect(a.region[blocks[0] - a.base + 20]).not.toBe(0xde);
    a.check();
    write(a, blocks[3] + 30, [0]);
    expect(caught(() => a.check())).toMatchObject({ kind: 'use-after-free', address: blocks[3] });
  });

  it('is written as corrupt by a profiler below the hardening too', () => {
    const lines: string[] = [];
    const a = harden(profile(createAllocator('first-fit', 4096), { sink: (l) => lines.push(l), heap: 'aux', init: false }), { poisonInterval: 1 });
    const p = a.allocate(100, 'x.c:1')!;
    a.allocate(8, 'x.c:2');
    a.free(p, 'x.c:3');
    write(a, p + 90, [7]);
    expect(caught(() => a.allocate(100, 'x.c:4')).kind).toBe('use-after-free');
    expect(lines.filter((l) => l.includes('corrupt'))).toEqual([`==MP corrupt@aux;0x${p.toString(16)};poison;x.c:4`]);
  });
});

describe('guard words', () => {
  it('finds a write past the end on free, and one before the start on check()', () => {
    const lines: string[] = [];
    const a = profile(harden(createAllocator('sdk', 4096), { guardWords: 2 }), { sink: (l) => lines.push(l), sites: 'g.c:1', init: false });
    const p = a.allocate(10)!;
    const q = a.allocate(10)!;
    expect(a.usableSize(p)).toBe(10);
    expect([...a.region.subarray(p - a.base - 8, p - a.base)]).toEqual([0xef, 0xbe, 0xad, 0xde, 0xef, 0xbe, 0xad, 0xde]);
    write(a, p + 10, [0]); // one byte too far
    expect(caught(() => a.free(p, 'g.c:5'))).toMatchObject({ kind: 'guard-after', address: p });
    expect(lines.at(-1)).toBe(`==MP corrupt;0x${p.toString(16)};guard-after;g.c:5`);
    write(a, p + 10, [0xef]); // repaired: p's guards hold again
    a.check();
    write(a, q - 1, [0]);
    expect(caught(() => a.check())).toMatchObject({ kind: 'guard-before', address: q });
  });

  it('moves the guards with a block resized in place or moved', () => {
    const a = harden(createAllocator('tlsf', 4096), { guardWords: 1 });
    const p = a.allocate(10)!;
    a.region.fill(9, p - a.base, p - a.base + 10);
    const q = a.reallocate(p, 200)!;
    expect([...a.region.subarray(q - a.base, q - a.base + 10)]).toEqual(Array(10).fill(9));
    a.check();
    expect(a.resize(q, 20)).toBe(true);
    a.check();
    a.free(q);
  });
});
