/**
 * The SDK's own allocator tests (lib_alloc/unit-tests), ported: chunk and
 * allocation counts after scripted sequences, init limits, oversized
 * requests and corruption detection, plus exact offsets.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEAP_BASE,
  Heap,
  HeapCorruptionError,
  type MemCtx,
  mem_alloc,
  mem_free,
  mem_init,
  mem_parse,
  mem_realloc,
  mem_stat,
  mem_stat_ex,
} from '../../src/heap/index.js';

// The SDK tests use a uint32_t[4096 + 96] buffer.
const SDK_TEST_HEAP = (4096 + 96) * 4;

function init(size = SDK_TEST_HEAP, base?: number): MemCtx {
  const ctx = mem_init(new Uint8Array(size), { base, debug: true });
  if (ctx === null) throw new Error(`mem_init refused ${size}`);
  return ctx;
}

function expectState(ctx: MemCtx, nbChunks: number, nbAllocated: number): void {
  const s = mem_stat(ctx);
  expect({ nb_chunks: s.nb_chunks, nb_allocated: s.nb_allocated, total_size: s.total_size }).toEqual({
    nb_chunks: nbChunks,
    nb_allocated: nbAllocated,
    total_size: ctx.size,
  });
}

function alloc(ctx: MemCtx, n: number): number {
  const p = mem_alloc(ctx, n);
  if (p === null) throw new Error(`mem_alloc(${n}) returned NULL`);
  return p;
}

describe('mem_init', () => {
  it('accepts sizes that are multiples of 8 from 200 to 32856 and refuses the rest', () => {
    const ok = (n: number) => mem_init(new Uint8Array(n)) !== null;
    expect(ok(0x8000 + 96)).toBe(false); // 32864: too big
    expect(ok(0x7ff8 + 96)).toBe(true); // 32856: the biggest possible
    expect(ok(192)).toBe(false); // too small
    expect(ok(200)).toBe(true); // the smallest possible
    expect(ok(201)).toBe(false); // not a multiple of 8
    expect(ok(204)).toBe(false);
  });

  it('starts with one free chunk after the 96-byte header', () => {
    const ctx = init(4096);
    expectState(ctx, 1, 0);
    expect(mem_stat(ctx)).toEqual({ total_size: 4096, free_size: 4000, allocated_size: 0, nb_chunks: 1, nb_allocated: 0 });
  });

  it('lays the heap header out as the C struct on a 64-bit host', () => {
    const region = new Uint8Array(4096);
    mem_init(region, { base: 0x20001000 });
    const dv = new DataView(region.buffer);
    expect(dv.getBigUint64(0, true)).toBe(BigInt(0x20001000 + 4096)); // end
    expect(dv.getBigUint64(8, true)).toBe(7n); // nb_segs = log2(4000) - 4
    // The first chunk: size 4000, no previous chunk.
    expect(dv.getUint16(96, true)).toBe(4000);
    expect(dv.getUint16(98, true)).toBe(0);
  });

  it('uses base 0xda7a0000 by default, the first payload at base + 100', () => {
    const ctx = init(8192);
    expect(ctx.base).toBe(DEFAULT_HEAP_BASE);
    expect(mem_alloc(ctx, 512)).toBe(0xda7a0064);
    expect(mem_alloc(ctx, 64)).toBe(0xda7a026c);
  });
});

describe('mem_alloc / mem_free (SDK test_alloc)', () => {
  it('splits and coalesces', () => {
    const ctx = init();
    expectState(ctx, 1, 0);
    let chunk1 = alloc(ctx, 12);
    expectState(ctx, 2, 1);
    const chunk2 = alloc(ctx, 120);
    expectState(ctx, 3, 2);
    mem_free(ctx, chunk1);
    expectState(ctx, 3, 1);
    chunk1 = alloc(ctx, 12);
    expectState(ctx, 3, 2);
    mem_free(ctx, chunk2); // coalesces with the free tail
    expectState(ctx, 2, 1);
    mem_free(ctx, chunk1);
    expectState(ctx, 1, 0);
    expect(mem_alloc(ctx, SDK_TEST_HEAP * 4)).toBeNull();
  });

  it('rounds chunk sizes to 8k + 8 and returns 8N + 4 payloads', () => {
    const ctx = init(4096, 0);
    const sizes = [1, 4, 5, 8, 12, 13, 16, 20];
    const ptrs = sizes.map((n) => alloc(ctx, n));
    // Round to 4, then add 4 (8N + 4) or 8 (8N): chunks of 8, 8, 16, 16, 16, 24, 24, 24.
    expect(ptrs).toEqual([100, 108, 116, 132, 148, 164, 188, 212]);
    for (const p of ptrs) expect(p % 8).toBe(4);
  });

  it('refuses n = 0, oversized requests and non-integers', () => {
    const ctx = init();
    expect(mem_alloc(ctx, 0)).toBeNull();
    expect(mem_alloc(ctx, 32757)).toBeNull();
    expect(mem_alloc(ctx, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(mem_alloc(ctx, -1)).toBeNull();
    expect(mem_alloc(ctx, Number.NaN)).toBeNull();
    expectState(ctx, 1, 0);
    expect(() => mem_alloc(ctx, 1.5)).toThrow(TypeError);
    // Still usable after a refusal (SDK test_alloc_oversized_request).
    alloc(ctx, 12);
    expectState(ctx, 2, 1);
  });

  it('serves the whole biggest heap, but not one byte more', () => {
    const ctx = init(32856);
    // 32856 - 96 = 32760 = chunk size of a 32752..32756-byte request.
    expect(mem_alloc(ctx, 32757)).toBeNull();
    expect(mem_alloc(ctx, 32756)).toBeNull(); // rounds up past the last size class
    const ctx2 = init(32856);
    expect(mem_alloc(ctx2, 16000)).not.toBeNull();
  });

  it('rounds the request up to the next size class: a 200-byte heap cannot serve 100 bytes', () => {
    // The 104-byte free chunk sits in the 96..111 list; a 104-byte chunk is
    // looked for from the 112..127 list up.
    const ctx = init(200);
    expect(mem_alloc(ctx, 100)).toBeNull();
    expect(mem_alloc(ctx, 92)).not.toBeNull();
    // The 8-byte remainder can never be allocated either.
    expect(mem_alloc(ctx, 1)).toBeNull();
    expectState(ctx, 2, 1);
  });

  it('looks for a fit from the next size class up, skipping smaller lists', () => {
    // Class 1 of segment 5 (free chunks 64..79 bytes) serves any request whose
    // chunk is <= 64; a 72-byte chunk is looked for from the 80..95 list up.
    const ctx = init(4096, 0);
    const a = alloc(ctx, 60); // chunk 64
    const guard = alloc(ctx, 4); // keeps a's chunk from merging with the tail
    mem_free(ctx, a);
    // A 72-byte chunk request rounds up to the next class: a's 64-byte chunk is skipped.
    const b = alloc(ctx, 64);
    expect(b).not.toBe(a);
    // A 64-byte chunk request reuses it.
    expect(alloc(ctx, 60)).toBe(a);
    void guard;
  });

  it('frees LIFO: the last freed chunk of a class is reused first', () => {
    const ctx = init(4096, 0);
    const [a, , b] = [alloc(ctx, 24), alloc(ctx, 4), alloc(ctx, 24), alloc(ctx, 4)];
    mem_free(ctx, a);
    mem_free(ctx, b);
    expect(alloc(ctx, 24)).toBe(b);
    expect(alloc(ctx, 24)).toBe(a);
  });

  it('is silent on a double free, and throws on an address outside the payload area', () => {
    const ctx = init(4096);
    const p = alloc(ctx, 40);
    alloc(ctx, 8);
    mem_free(ctx, p);
    const before = mem_stat(ctx);
    mem_free(ctx, p);
    expect(mem_stat(ctx)).toEqual(before);
    for (const wild of [ctx.base, ctx.base + 99, ctx.base + 4093, ctx.base + 4096, 0]) {
      expect(() => mem_free(ctx, wild)).toThrow(HeapCorruptionError);
    }
  });

  it('throws EXCEPTION_CORRUPT on a free inside the heap where no chunk starts', () => {
    const ctx = init(4096);
    alloc(ctx, 16);
    // Like the real log's free;0xda7a0200 on a 4096-byte heap: the "header" there is zeroes.
    const err = (() => {
      try {
        mem_free(ctx, ctx.base + 0x200);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(HeapCorruptionError);
    expect(err).toMatchObject({ code: 'EXCEPTION_CORRUPT', reason: 'invalid-size', sdkMessage: 'invalid size: header->size  = 0!' });
  });
});

describe('mem_realloc (SDK test_re_alloc)', () => {
  it('grows by moving, stays in place, shrinks with a split, frees on 0, allocates on NULL', () => {
    const ctx = init();
    expectState(ctx, 1, 0);
    const chunk1 = alloc(ctx, 64);
    expectState(ctx, 2, 1);
    const chunk2 = mem_realloc(ctx, chunk1, 128);
    expect(chunk2).not.toBeNull();
    expect(chunk2).not.toBe(chunk1);
    expectState(ctx, 3, 1);
    // Smaller, but not enough to split.
    const chunk3 = mem_realloc(ctx, chunk2, 127);
    expect(chunk3).toBe(chunk2);
    expectState(ctx, 3, 1);
    // Smaller: the tail is split off, not merged with the next free chunk.
    const chunk4 = mem_realloc(ctx, chunk3, 32);
    expect(chunk4).toBe(chunk3);
    expectState(ctx, 4, 1);
    expect(mem_realloc(ctx, chunk4, 0)).toBeNull();
    expectState(ctx, 2, 0);
    const chunk6 = mem_realloc(ctx, null, 256);
    expect(chunk6).not.toBeNull();
    expectState(ctx, 3, 1);
    // An impossible size returns NULL and changes nothing.
    expect(mem_realloc(ctx, chunk6, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(mem_realloc(ctx, chunk6, 40000)).toBeNull();
    expectState(ctx, 3, 1);
  });

  it('grows in place while the payload holds the new size', () => {
    const ctx = init(4096);
    const p = alloc(ctx, 9); // chunk 16: 12 usable bytes
    alloc(ctx, 4);
    expect(mem_realloc(ctx, p, 12)).toBe(p);
    expect(mem_realloc(ctx, p, 13)).not.toBe(p);
  });

  it('copies the payload when moving and leaves the old block untouched on failure', () => {
    const ctx = init(256, 0);
    const p = alloc(ctx, 20); // chunk 24: 20 usable bytes
    ctx.region.set([1, 2, 3, 4, 5], p + 15);
    const q = mem_realloc(ctx, p, 60)!;
    expect(q).not.toBe(p);
    expect([...ctx.region.subarray(q + 15, q + 20)]).toEqual([1, 2, 3, 4, 5]);
    const before = mem_stat(ctx);
    expect(mem_realloc(ctx, q, 1000)).toBeNull();
    expect(mem_stat(ctx)).toEqual(before);
  });

  it('returns NULL for a pointer outside the payload area, and treats 0 as NULL', () => {
    const ctx = init(4096);
    expect(mem_realloc(ctx, 0, 8)).toBe(ctx.base + 100);
    expect(mem_realloc(ctx, ctx.base + 4096, 8)).toBeNull();
    expect(mem_realloc(ctx, 12, 8)).toBeNull();
  });
});

describe('fragmentation (SDK test_fragmentation)', () => {
  it('refuses a block that no longer fits, then serves it once neighbours are freed', () => {
    const size = (16 + 64 + 128) * 8 + 96;
    const ctx = init(size);
    expectState(ctx, 1, 0);
    const small: number[] = [];
    const middle: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < 8; i++) {
      expect(mem_stat(ctx).free_size).toBe(size - 96 - (16 + 64 + 128) * i);
      small.push(alloc(ctx, 12));
      middle.push(alloc(ctx, 60));
      large.push(alloc(ctx, 124));
    }
    expectState(ctx, 24, 24);
    for (const p of small) mem_free(ctx, p);
    expectState(ctx, 24, 16);
    expect(mem_alloc(ctx, 60)).toBeNull();
    for (const p of middle) mem_free(ctx, p);
    expectState(ctx, 16, 8);
    expect(mem_alloc(ctx, 124)).toBeNull();
    alloc(ctx, 60);
    alloc(ctx, 60);
    expectState(ctx, 18, 10);
    for (const p of large) mem_free(ctx, p);
    expectState(ctx, 5, 2);
  });

  it('reports largest free chunk and fragmentation score', () => {
    const ctx = init(4096);
    expect(mem_stat_ex(ctx)).toMatchObject({ largest_free: 4000, nb_free: 1, fragmentation: 0 });
    const ptrs = Array.from({ length: 6 }, () => alloc(ctx, 92)); // chunks of 96
    mem_free(ctx, ptrs[1]);
    mem_free(ctx, ptrs[3]);
    const s = mem_stat_ex(ctx);
    const free = [96, 96, 4000 - 6 * 96];
    const sum = free.reduce((a, b) => a + b, 0);
    expect(s.nb_free).toBe(3);
    expect(s.largest_free).toBe(4000 - 6 * 96);
    expect(s.free_size).toBe(sum);
    expect(s.fragmentation).toBeCloseTo(1 - Math.sqrt(free.reduce((a, b) => a + b * b, 0)) / sum, 12);
    const full = init(224);
    alloc(full, 120); // a 128-byte chunk: the whole free chunk, no split
    expect(mem_stat_ex(full)).toMatchObject({ free_size: 0, largest_free: 0, fragmentation: 0 });
  });
});

describe('corruption (SDK test_corrupt_*)', () => {
  it('detects a next-chunk header overwritten with an invalid size from the neighbouring block', () => {
    const ctx = init();
    const chunk1 = alloc(ctx, 12);
    const chunk2 = alloc(ctx, 120);
    expectState(ctx, 3, 2);
    const off1 = chunk1 - ctx.base;
    ctx.region.fill(0xaa, off1 + 12, off1 + 32); // memset(&chunk1[12], 0xAA, 20)
    expect(() => mem_free(ctx, chunk2)).toThrow(HeapCorruptionError);
  });

  it('detects an overflow that destroys the next chunk', () => {
    const ctx = init();
    const chunk1 = alloc(ctx, 12);
    const chunk2 = alloc(ctx, 120);
    const off1 = chunk1 - ctx.base;
    ctx.region.fill(0x88, off1 + 10, off1 + 30); // memset(&chunk1[10], 0x88, 20)
    let code: string | undefined;
    try {
      mem_free(ctx, chunk2);
    } catch (e) {
      code = (e as HeapCorruptionError).code;
    }
    expect(code).toBe('EXCEPTION_CORRUPT');
  });

  it('detects a broken previous-chunk link, and a corrupt free-list head on allocation', () => {
    const ctx = mem_init(new Uint8Array(4096))!;
    const a = alloc(ctx, 12);
    const b = alloc(ctx, 12);
    // b's phys_prev (chunk offset b-4+2) now claims the chunk before is 8 bytes earlier.
    new DataView(ctx.region.buffer).setUint16(b - ctx.base - 4 + 2, ((a - ctx.base - 4) >> 3) + 1, true);
    expect(() => mem_free(ctx, b)).toThrow(expect.objectContaining({ reason: 'corrupted-prev', sdkMessage: 'corrupted prev_chunk' }));
    // Write a bad size into the free tail chunk: the next allocation validates it.
    const tail = b - ctx.base - 4 + 16;
    new DataView(ctx.region.buffer).setUint16(tail, 6, true);
    expect(() => mem_alloc(ctx, 8)).toThrow(HeapCorruptionError);
  });

  it('debug mode is also switched on by VALGROUND_HEAP_DEBUG', () => {
    const saved = process.env.VALGROUND_HEAP_DEBUG;
    try {
      process.env.VALGROUND_HEAP_DEBUG = '1';
      expect(mem_init(new Uint8Array(256))!.debug).toBe(true);
      process.env.VALGROUND_HEAP_DEBUG = '0';
      expect(mem_init(new Uint8Array(256))!.debug).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.VALGROUND_HEAP_DEBUG;
      else process.env.VALGROUND_HEAP_DEBUG = saved;
    }
  });

  it('debug mode checks invariants after each call', () => {
    const ctx = mem_init(new Uint8Array(4096), { debug: true })!;
    const a = alloc(ctx, 12);
    alloc(ctx, 12);
    // Empty the free lists behind the allocator's back: the tail is no longer listed.
    ctx.region.fill(0, 16, 96);
    expect(() => mem_free(ctx, a)).toThrow(expect.objectContaining({ reason: 'invariant' }));
  });
});

describe('mem_parse and the Heap class', () => {
  it('walks chunks in address order and can stop early', () => {
    const ctx = init(4096, 0);
    const a = alloc(ctx, 12);
    alloc(ctx, 30);
    mem_free(ctx, a);
    const seen: [number, boolean, number][] = [];
    mem_parse(ctx, (addr, allocated, size) => {
      seen.push([addr, allocated, size]);
    });
    expect(seen).toEqual([
      [96, false, 16],
      [112, true, 40],
      [152, false, 4096 - 152],
    ]);
    let n = 0;
    mem_parse(ctx, () => ++n === 2);
    expect(n).toBe(2);
  });

  it('reads and writes a block, bounded by its usable size', () => {
    const heap = new Heap(1024);
    const p = heap.alloc(10)!;
    expect(heap.blockSize(p)).toBe(12);
    heap.write(p, [1, 2, 3], 2);
    expect([...heap.read(p, 5)]).toEqual([0, 0, 1, 2, 3]);
    heap.bytes(p)[0] = 9;
    expect(heap.read(p, 1)[0]).toBe(9);
    expect(() => heap.write(p, new Uint8Array(13))).toThrow(RangeError);
    expect(() => heap.read(p, 4, 10)).toThrow(RangeError);
    heap.free(p);
    expect(() => heap.bytes(p)).toThrow(RangeError);
    expect(heap.chunks()).toEqual([{ address: heap.base + 96, payload: heap.base + 100, allocated: false, size: 928 }]);
    expect(() => new Heap(100)).toThrow(RangeError);
    heap.check();
  });
});

describe('writes into a freed block, as the SDK tolerates them', () => {
  it('ignores the previous link of a list head (C never reads it)', () => {
    const region = new Uint8Array(1024);
    const ctx = mem_init(region)!;
    const p = mem_alloc(ctx, 60)!;
    mem_alloc(ctx, 60);
    mem_free(ctx, p);
    const off = p - ctx.base;
    region[off] = 0xff; // the freed chunk's free-list "previous" link
    region[off + 1] = 0xff;
    expect(mem_alloc(ctx, 60)).toBe(p); // the SDK's answer (checked against its C build)
  });
});
