/**
 * The profiling decorator and the app heap over it: records refused before
 * anything is done when they would not read back (SPEC §2.2, issue 10),
 * only what the allocator did is logged, `resize` records when asked, heap
 * names, and `mem_check` on a region that held bytes before.
 */
import { describe, expect, it } from 'vitest';
import { AppHeap, createAllocator, Heap, mem_check, mem_init, profile } from '../../src/heap/index.js';

function appHeap(options: ConstructorParameters<typeof AppHeap>[1] = {}): { heap: AppHeap; lines: string[] } {
  const lines: string[] = [];
  const heap = new AppHeap(4096, { log: (l) => lines.push(l), prefix: '', ...options });
  return { heap, lines };
}

describe('sites and names that would not read back are refused before anything happens', () => {
  it('APP_MEM_ALLOC(40, "") and sites holding line breaks', () => {
    const { heap, lines } = appHeap();
    const before = heap.stat();
    expect(() => heap.APP_MEM_ALLOC(40, '')).toThrow(TypeError);
    expect(() => heap.APP_MEM_ALLOC(40, 'a.c:1\n==MP free;0xda7a0064;a.c:2')).toThrow(TypeError);
    expect(() => heap.APP_MEM_CALLOC({ ptr: null }, 40, 'a.c:1\r')).toThrow(TypeError);
    expect(() => heap.APP_MEM_STRDUP('x', { file: 'a\nb.c', line: 1 })).toThrow(TypeError);
    expect(heap.stat()).toEqual(before);
    const p = heap.APP_MEM_ALLOC(40, 'a.c:3')!;
    expect(() => heap.APP_MEM_FREE(p, 'a.c:4\n')).toThrow(TypeError);
    expect(() => heap.APP_MEM_REALLOC(p, 80, '')).toThrow(TypeError);
    expect(heap.stat().nb_allocated).toBe(1);
    expect(lines).toEqual(['==MP init;0xda7a0000;4096', '==MP alloc;40;0xda7a0064;a.c:3']);
  });

  it('test names holding line breaks', () => {
    const { heap, lines } = appHeap({ testRecords: true });
    expect(() => heap.test('tests/a.py::t\n==MP free;0x1;x.c:1')).toThrow(TypeError);
    expect(lines).toEqual(['==MP init;0xda7a0000;4096']);
  });

  it('heap names outside the pattern', () => {
    expect(() => profile(createAllocator('tlsf', 1024), { sink: () => {}, heap: 'my heap' })).toThrow(TypeError);
  });
});

describe('only what the allocator did is logged', () => {
  it('APP_MEM_REALLOC(p + 1, 0) frees nothing and logs nothing', () => {
    const { heap, lines } = appHeap();
    const p = heap.APP_MEM_ALLOC(40, 'a.c:1')!;
    expect(heap.APP_MEM_REALLOC(p + 1, 0, 'a.c:2')).toBeNull();
    expect(heap.APP_MEM_REALLOC(p + 1, 80, 'a.c:3')).toBeNull();
    expect(heap.stat().nb_allocated).toBe(1);
    expect(lines.slice(1)).toEqual(['==MP alloc;40;0xda7a0064;a.c:1']);
  });

  it('a refused realloc writes no fail record; a failed one does, when asked', () => {
    const { heap, lines } = appHeap({ failRecords: true });
    const p = heap.APP_MEM_ALLOC(40, 'a.c:1')!;
    heap.APP_MEM_REALLOC(p + 1, 80, 'a.c:2');
    heap.APP_MEM_REALLOC(p, 9000, 'a.c:3');
    expect(lines.slice(2)).toEqual(['==MP fail;9000;a.c:3']);
  });

  it('resize records for reallocs done in place, when asked', () => {
    const { heap, lines } = appHeap({ resizeRecords: true });
    const p = heap.APP_MEM_ALLOC(40, 'a.c:1')!;
    heap.APP_MEM_ALLOC(4, 'a.c:2');
    expect(heap.APP_MEM_REALLOC(p, 20, 'a.c:3')).toBe(p);
    expect(heap.APP_MEM_REALLOC(p, 16, 'a.c:4')).toBe(p);
    expect(lines.slice(3)).toEqual(['==MP resize;0xda7a0064;40;20;a.c:3', '==MP resize;0xda7a0064;20;16;a.c:4']);
  });

  it('profile names its heap, and logs a reset as init', () => {
    const lines: string[] = [];
    const a = profile(createAllocator('bump', 1024, { base: 0x30000000 }), { sink: (l) => lines.push(l), heap: 'scratch', sites: 'b.c:1' });
    const p = a.allocate(10)!;
    a.free(p);
    a.reset!();
    expect(lines).toEqual(['==MP init@scratch;0x30000000;1024', '==MP alloc@scratch;10;0x30000010;b.c:1', '==MP free@scratch;0x30000010;b.c:1', '==MP init@scratch;0x30000000;1024']);
  });

  it('takes sites from the stack by default', () => {
    const lines: string[] = [];
    const a = profile(createAllocator('tlsf', 1024), { sink: (l) => lines.push(l), init: false });
    const here = Number(new Error().stack!.split('\n')[1].match(/:(\d+):\d+\)?$/)![1]);
    a.allocate(8); // here + 1
    expect(lines[0]).toMatch(new RegExp(`;test/heap/profile\\.test\\.ts:${here + 1}$`));
  });
});

describe('mem_init on a dirty region', () => {
  it('leaves nothing mem_check flags: list heads past the segments in use are the region\'s old bytes', () => {
    const region = new Uint8Array(1024).fill(0xa5);
    const ctx = mem_init(region)!;
    expect(() => mem_check(ctx)).not.toThrow();
    const heap = new Heap(new Uint8Array(2048).fill(0xff));
    heap.check();
    const p = heap.alloc(100)!;
    heap.free(p);
    heap.check();
  });
});
