/**
 * The profiling app heap: records exactly as the SDK prints them, call sites
 * from the stack, CALLOC/STRDUP/PERMANENT semantics, and a round trip through
 * the analyzer's record parser.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  APP_MEM_ALLOC,
  APP_MEM_CALLOC,
  APP_MEM_FREE,
  APP_MEM_FREE_AND_NULL,
  APP_MEM_REALLOC,
  APP_MEM_STRDUP,
  AppHeap,
  type AppHeapOptions,
  HeapCorruptionError,
  mem_utils_heap,
  mem_utils_init,
} from '../../src/heap/index.js';
import { EMULATOR_PREFIX, MARKER, type MemRecord, parseRecord } from '../../src/protocol/records.js';

const SITE = 'src/app.c:10';

function heapWithLog(size: number | Uint8Array = 4096, options: AppHeapOptions = {}): { heap: AppHeap; lines: string[] } {
  const lines: string[] = [];
  const heap = new AppHeap(size, { log: (l) => lines.push(l), prefix: '', ...options });
  return { heap, lines };
}

describe('records', () => {
  it('prints init, alloc, persist and free exactly as the SDK, with the emulator prefix by default', () => {
    const lines: string[] = [];
    const heap = new AppHeap(8192, { log: (l) => lines.push(l) });
    const p = heap.APP_MEM_ALLOC(512, SITE)!;
    const ref = { ptr: null as number | null };
    heap.APP_MEM_PERMANENT(ref, 64, { file: 'src/settings.c', line: 7 });
    heap.APP_MEM_FREE(p, 'src/app.c:12');
    expect(lines).toEqual([
      'seproxyhal: printf: ==MP init;0xda7a0000;8192',
      'seproxyhal: printf: ==MP alloc;512;0xda7a0064;src/app.c:10',
      'seproxyhal: printf: ==MP persist;64;0xda7a026c;src/settings.c:7',
      'seproxyhal: printf: ==MP free;0xda7a0064;src/app.c:12',
    ]);
    expect(lines[0].startsWith(EMULATOR_PREFIX + MARKER)).toBe(true);
  });

  it('prints init even when the size is refused, and then refuses calls', () => {
    const { heap, lines } = heapWithLog(4100);
    expect(heap.ok).toBe(false);
    expect(lines).toEqual(['==MP init;0xda7a0000;4100']);
    expect(() => heap.APP_MEM_ALLOC(8, SITE)).toThrow(/not initialised/);
    expect(mem_utils_init(100, { log: () => {} })).toBe(false);
  });

  it('logs successful allocations only, and free only for non-NULL pointers', () => {
    const { heap, lines } = heapWithLog(256, { base: 0x20000000 });
    expect(heap.APP_MEM_ALLOC(0, SITE)).toBeNull();
    expect(heap.APP_MEM_ALLOC(1000, SITE)).toBeNull();
    heap.APP_MEM_FREE(null, SITE);
    heap.APP_MEM_FREE_AND_NULL({ ptr: null }, SITE);
    expect(lines).toEqual(['==MP init;0x20000000;256']);
  });

  it('logs a realloc as free + alloc only when the block moved', () => {
    const { heap, lines } = heapWithLog(4096);
    const p = heap.APP_MEM_REALLOC(null, 40, 'a.c:1')!; // NULL: an alloc
    heap.APP_MEM_ALLOC(4, 'a.c:2'); // pins the block in place
    expect(heap.APP_MEM_REALLOC(p, 44, 'a.c:3')).toBe(p); // grows within its 44-byte payload: nothing
    expect(heap.APP_MEM_REALLOC(p, 20, 'a.c:4')).toBe(p); // shrinks in place (tail split off): nothing
    const q = heap.APP_MEM_REALLOC(p, 100, 'a.c:5')!; // moves
    expect(heap.APP_MEM_REALLOC(q, 5000, 'a.c:6')).toBeNull(); // fails: nothing
    expect(heap.APP_MEM_REALLOC(q, 0, 'a.c:7')).toBeNull(); // frees
    expect(lines.slice(1)).toEqual([
      '==MP alloc;40;0xda7a0064;a.c:1',
      '==MP alloc;4;0xda7a0094;a.c:2',
      '==MP free;0xda7a0064;a.c:5',
      `==MP alloc;100;0x${(0xda7a009c).toString(16)};a.c:5`,
      '==MP free;0xda7a009c;a.c:7',
    ]);
  });

  it('prints the free record before freeing, so it is in the log when the free throws', () => {
    const { heap, lines } = heapWithLog(4096, { sdkPrintf: true });
    heap.APP_MEM_ALLOC(16, SITE);
    expect(() => heap.APP_MEM_FREE(0xda7a0200, 'src/nav.c:60')).toThrow(HeapCorruptionError);
    expect(lines.slice(2)).toEqual(['==MP free;0xda7a0200;src/nav.c:60', 'invalid size: header->size  = 0!']);
  });

  it('writes lines to a stream with a newline each', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const heap = new AppHeap(1024, { log: out, prefix: 'x: ' });
    heap.APP_MEM_ALLOC(8, SITE);
    await new Promise((r) => setImmediate(r));
    expect(chunks.join('')).toBe('x: ==MP init;0xda7a0000;1024\nx: ==MP alloc;8;0xda7a0064;src/app.c:10\n');
  });

  it('prints nothing without profiling', () => {
    const { heap, lines } = heapWithLog(1024, { profiling: false });
    heap.APP_MEM_FREE(heap.APP_MEM_ALLOC(8), undefined);
    expect(lines).toEqual([]);
  });

  it('prints fail and test records only when asked, and calls the failure hook on every NULL', () => {
    const failures: [number, string][] = [];
    const { heap, lines } = heapWithLog(256, { failRecords: true, testRecords: true, onAllocFailure: (n, s) => failures.push([n, s]) });
    heap.test('tests/test_x.py::test_a');
    heap.APP_MEM_ALLOC(500, 'big.c:1');
    heap.APP_MEM_CALLOC({ ptr: null }, 300, 'big.c:2');
    heap.APP_MEM_STRDUP('x'.repeat(400), 'big.c:3');
    expect(lines.slice(1)).toEqual(['==MP test;tests/test_x.py::test_a', '==MP fail;500;big.c:1', '==MP fail;300;big.c:2', '==MP fail;401;big.c:3']);
    expect(failures).toEqual([
      [500, 'big.c:1'],
      [300, 'big.c:2'],
      [401, 'big.c:3'],
    ]);
    const quiet = heapWithLog(256, { onAllocFailure: (n, s) => failures.push([n, s]) });
    quiet.heap.test('ignored');
    quiet.heap.APP_MEM_ALLOC(500, 'big.c:4');
    expect(quiet.lines).toEqual(['==MP init;0xda7a0000;256']);
    expect(failures.at(-1)).toEqual([500, 'big.c:4']);
  });
});

describe('call sites', () => {
  it('takes the caller file:line from the stack when no site is given', () => {
    const { heap, lines } = heapWithLog(4096);
    const here = Number(new Error().stack!.split('\n')[1].match(/:(\d+):\d+\)?$/)![1]);
    heap.APP_MEM_ALLOC(8); // here + 1
    heap.alloc(8); // here + 2 (idiomatic alias)
    expect(lines.slice(1)).toEqual([
      `==MP alloc;8;0xda7a0064;test/heap/app-heap.test.ts:${here + 1}`,
      `==MP alloc;8;0xda7a0074;test/heap/app-heap.test.ts:${here + 2}`,
    ]);
  });

  it('does so through the root functions too', () => {
    const lines: string[] = [];
    mem_utils_init(4096, { log: (l) => lines.push(l), prefix: '' });
    const here = Number(new Error().stack!.split('\n')[1].match(/:(\d+):\d+\)?$/)![1]);
    const ref = { ptr: APP_MEM_ALLOC(10) }; // here + 1
    APP_MEM_FREE_AND_NULL(ref); // here + 2
    expect(ref.ptr).toBeNull();
    expect(lines.slice(1)).toEqual([
      `==MP alloc;10;0xda7a0064;test/heap/app-heap.test.ts:${here + 1}`,
      `==MP free;0xda7a0064;test/heap/app-heap.test.ts:${here + 2}`,
    ]);
  });
});

describe('APP_MEM_* semantics', () => {
  it('CALLOC zeroes the block even over dirty memory; size 0 allocates nothing and succeeds', () => {
    const region = new Uint8Array(1024).fill(0xa5);
    mem_utils_init(region, { log: () => {} });
    const heap = mem_utils_heap()!;
    const dirty = APP_MEM_ALLOC(100, SITE)!;
    heap.write(dirty, new Uint8Array(100).fill(0xee));
    APP_MEM_FREE(dirty, SITE);
    const ref = { ptr: null as number | null };
    expect(APP_MEM_CALLOC(ref, 100, SITE)).toBe(true);
    expect(ref.ptr).toBe(dirty);
    expect([...heap.read(ref.ptr!, 100)].every((b) => b === 0)).toBe(true);
    const zero = { ptr: null as number | null };
    const before = heap.stat();
    expect(APP_MEM_CALLOC(zero, 0, SITE)).toBe(true);
    expect(zero.ptr).toBeNull();
    expect(heap.stat()).toEqual(before);
    expect(APP_MEM_CALLOC(zero, 2000, SITE)).toBe(false);
    expect(zero.ptr).toBeNull();
    expect(() => APP_MEM_CALLOC(zero, 70000, SITE)).toThrow(RangeError);
  });

  it('PERMANENT allocates zeroed memory logged as persist', () => {
    const { heap, lines } = heapWithLog(1024);
    const ref = { ptr: null as number | null };
    expect(heap.APP_MEM_PERMANENT(ref, 32, SITE)).toBe(true);
    expect([...heap.read(ref.ptr!, 32)].every((b) => b === 0)).toBe(true);
    expect(lines[1]).toBe('==MP persist;32;0xda7a0064;src/app.c:10');
  });

  it('STRDUP round-trips UTF-8 with a NUL, and stops at an embedded NUL like strlen', () => {
    mem_utils_init(1024, { log: () => {} });
    const heap = mem_utils_heap()!;
    for (const s of ['', 'hello', 'Grüße, 世界 🚀', 'é\u0301']) {
      const p = APP_MEM_STRDUP(s, SITE)!;
      const bytes = new TextEncoder().encode(s);
      expect([...heap.read(p, bytes.length + 1)]).toEqual([...bytes, 0]);
      expect(heap.readString(p)).toBe(s);
    }
    expect(heap.readString(APP_MEM_STRDUP('ab\0cd', SITE)!)).toBe('ab');
  });

  it('REALLOC keeps the contents when the block moves', () => {
    mem_utils_init(1024, { log: () => {} });
    const heap = mem_utils_heap()!;
    const p = APP_MEM_ALLOC(8, SITE)!;
    heap.write(p, [1, 2, 3, 4, 5, 6, 7, 8]);
    APP_MEM_ALLOC(8, SITE);
    const q = APP_MEM_REALLOC(p, 64, SITE)!;
    expect(q).not.toBe(p);
    expect([...heap.read(q, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reset() re-initialises the heap in place and logs init', () => {
    const { heap, lines } = heapWithLog(1024);
    heap.APP_MEM_ALLOC(100, SITE);
    expect(heap.reset()).toBe(true);
    expect(heap.stat().nb_allocated).toBe(0);
    expect(heap.APP_MEM_ALLOC(100, SITE)).toBe(0xda7a0064);
    expect(lines.filter((l) => l.includes('init;'))).toHaveLength(2);
  });
});

describe('round trip through the record parser', () => {
  it('parses every record the heap writes back to the same record', () => {
    const written: MemRecord[] = [];
    const lines: string[] = [];
    const heap = new AppHeap(2048, { log: (l) => lines.push(l), failRecords: true, testRecords: true, base: 0x20001000 });
    const expectRecord = (r: MemRecord) => written.push(r);
    expectRecord({ kind: 'init', address: 0x20001000, size: 2048 });
    heap.test('tests/test_a.py::TestX::test_y[nanox-1;2]');
    expectRecord({ kind: 'test', name: 'tests/test_a.py::TestX::test_y[nanox-1;2]' });
    const a = heap.APP_MEM_ALLOC(33, 'src/a;b.c:12')!;
    expectRecord({ kind: 'alloc', size: 33, address: a, site: 'src/a;b.c:12' });
    const ref = { ptr: null as number | null };
    heap.APP_MEM_PERMANENT(ref, 7, { file: 'C:\\app\\x.c', line: 3 });
    expectRecord({ kind: 'persist', size: 7, address: ref.ptr!, site: 'C:\\app\\x.c:3' });
    heap.APP_MEM_ALLOC(5000, 'src/big.c:1');
    expectRecord({ kind: 'fail', size: 5000, site: 'src/big.c:1' });
    heap.APP_MEM_FREE(a, 'src/a.c:99');
    expectRecord({ kind: 'free', address: a, site: 'src/a.c:99' });

    const parsed = lines.map((line) => {
      const at = line.indexOf(MARKER);
      expect(at).toBeGreaterThanOrEqual(0);
      const result = parseRecord(line.slice(at + MARKER.length));
      if (!result.ok) throw new Error(result.message);
      return result.record;
    });
    expect(parsed).toEqual(written);
  });
});

describe('APP_MEM_REALLOC edge cases', () => {
  it('treats realloc(NULL, 0) as alloc(0): NULL, a fail record, the failure hook', () => {
    const lines: string[] = [];
    const fails: Array<[number, string]> = [];
    const heap = new AppHeap(4096, { log: (l) => lines.push(l), prefix: '', failRecords: true, onAllocFailure: (n, s) => fails.push([n, s]) });
    expect(heap.APP_MEM_REALLOC(null, 0, 'a.c:1')).toBeNull();
    expect(lines.slice(1)).toEqual(['==MP fail;0;a.c:1']);
    expect(fails).toEqual([[0, 'a.c:1']]);
  });

  it('logs no free for realloc(ptr, 0) of a pointer outside the heap (nothing is freed)', () => {
    const lines: string[] = [];
    const heap = new AppHeap(4096, { log: (l) => lines.push(l), prefix: '' });
    expect(heap.APP_MEM_REALLOC(0x1000, 0, 'a.c:2')).toBeNull();
    const p = heap.APP_MEM_ALLOC(8, 'a.c:3');
    expect(heap.APP_MEM_REALLOC(p, 0, 'a.c:4')).toBeNull();
    expect(lines.slice(1)).toEqual(['==MP alloc;8;0xda7a0064;a.c:3', '==MP free;0xda7a0064;a.c:4']);
  });
});
