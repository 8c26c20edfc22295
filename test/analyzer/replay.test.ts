/**
 * `valground replay`'s engine on scripted logs: reallocs paired from their
 * free and alloc, frees that are not replayed, pools, named heaps and
 * lanes, heap sizes, logged failures, and the causes a divergence is given.
 */
import { describe, expect, it } from 'vitest';
import { ReplayLogBuilder } from '../../src/analyzer/replay-log.js';
import { OP_ALLOC, OP_FREE, OP_GROW, OP_INIT, OP_SHRINK } from '../../src/analyzer/replay-ops.js';
import { replayLogOfText } from '../../src/analyzer/replay-read.js';
import { replayLog } from '../../src/analyzer/replay.js';
import { AppHeap, type AppHeapOptions } from '../../src/heap/app-heap.js';
import { createAllocator, STRATEGIES } from '../../src/heap/create.js';
import { profile } from '../../src/heap/profile.js';
import { parseRecord, toFields } from '../../src/protocol/records.js';

function appHeap(options: AppHeapOptions = {}): { heap: AppHeap; lines: string[] } {
  const lines: string[] = [];
  const heap = new AppHeap(2048, { log: (l) => lines.push(l), prefix: '', ...options });
  return { heap, lines };
}

function replay(lines: readonly string[], options: Parameters<typeof replayLog>[1] = { allocators: ['sdk'] }) {
  return replayLog(replayLogOfText(lines.join('\n')), options);
}

function lineOf(lines: readonly string[], text: string): number {
  const i = lines.findIndex((l) => l.includes(text));
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

const hex = (p: number) => '0x' + p.toString(16).padStart(8, '0');

describe('reading the log', () => {
  it('pairs a free and an alloc from one site into one realloc, and keeps the block id through it', () => {
    const { heap, lines } = appHeap({ resizeRecords: true });
    const p = heap.APP_MEM_ALLOC(40, 'src/a.c:1')!;
    heap.APP_MEM_ALLOC(8, 'src/a.c:2');
    const q = heap.APP_MEM_REALLOC(p, 400, 'src/buf.c:9')!; // moves: free + alloc
    heap.APP_MEM_REALLOC(q, 100, 'src/buf.c:9'); // in place: resize
    heap.APP_MEM_FREE(q, 'src/a.c:3');
    const log = replayLogOfText(lines.join('\n'));
    const ops = log.streams[0].ops;
    expect([...ops.kind.subarray(0, ops.length)]).toEqual([OP_INIT, OP_ALLOC, OP_ALLOC, OP_GROW, OP_SHRINK, OP_FREE]);
    expect([...ops.block.subarray(0, ops.length)]).toEqual([0, 0, 1, 0, 0, 0]);
    expect(log.streams[0].records).toBe(7); // the moved realloc is two records
    expect(replay(lines).heaps[0].allocators[0].addresses).toMatchObject({ compared: 1, divergent: 0 });
  });

  it('lists double and invalid frees and does not replay them', () => {
    const lines = [
      '==MP init;0xda7a0000;1024',
      '==MP alloc;16;0xda7a0064;src/a.c:1',
      '==MP free;0xda7a0064;src/a.c:2',
      '==MP free;0xda7a0064;src/a.c:3',
      '==MP free;0xda7a0400;src/a.c:4',
      '==MP alloc;24;0xda7a0064;src/a.c:5',
      '==MP alloc;24;0xda7a0084;src/a.c:6',
    ];
    const r = replay(lines, {});
    expect(r.freeErrors).toEqual([
      { kind: 'double-free', lane: '', heap: null, address: 0xda7a0064, site: 'src/a.c:3', line: 4, test: null, firstFreeLine: 3 },
      { kind: 'invalid-free', lane: '', heap: null, address: 0xda7a0400, site: 'src/a.c:4', line: 5, test: null },
    ]);
    for (const a of r.heaps[0].allocators) expect({ allocator: a.allocator, errors: a.errors }).toEqual({ allocator: a.allocator, errors: [] });
    expect(r.heaps[0].allocators[0].addresses).toMatchObject({ compared: 1, divergent: 0 });
  });

  it('replays named heaps as heaps of their own, and does not replay pools', () => {
    const lines: string[] = [];
    const sink = (l: string) => lines.push(l);
    const main = profile(createAllocator('sdk', 1024), { sink, sites: 'src/m.c:1' });
    const named = profile(createAllocator('sdk', 4096, { base: 0x20000000 }), { sink, heap: 'net', sites: 'src/n.c:1' });
    const a = main.allocate(100)!;
    const b = named.allocate(300)!;
    named.allocate(20);
    lines.push('==MP pool@tx;32;4', '==MP alloc@tx;32;0x20001000;src/p.c:1', '==MP free@tx;0x20001000;src/p.c:2');
    main.free(a);
    named.free(b);
    const r = replay(lines, {});
    expect(r.heaps.map((h) => [h.heap, h.heapSizes, h.records])).toEqual([
      [null, [1024], 3],
      ['net', [4096], 4],
    ]);
    expect(r.pools).toEqual([{ lane: '', name: 'tx', records: 3 }]);
    for (const h of r.heaps) expect(h.allocators.find((x) => x.allocator === 'sdk')!.addresses).toMatchObject({ compared: 1, divergent: 0 });
    expect(r.heaps[1].allocators[0].peakBytes).toBe(304 + 24); // the sdk chunks of 300 and 20 bytes
  });

  it('keeps each lane (a CTest test’s process) apart', () => {
    const b = new ReplayLogBuilder();
    const feed = (lane: string, text: string, line: number) => {
      const parsed = parseRecord(text);
      if (!parsed.ok) throw new Error(parsed.message);
      b.onRecord(lane, toFields(parsed.record), line, null);
    };
    feed('1', 'init;0xda7a0000;1024', 1);
    feed('2', 'init;0xda7a0000;2048', 2);
    feed('1', 'alloc;16;0xda7a0064;src/a.c:1', 3);
    feed('2', 'alloc;16;0xda7a0064;src/a.c:1', 4);
    feed('2', 'free;0xda7a0064;src/a.c:2', 5);
    const r = replayLog(b.finish(), { allocators: ['sdk'] });
    expect(r.heaps.map((h) => [h.lane, h.heapSizes, h.operations])).toEqual([
      ['1', [1024], 2],
      ['2', [2048], 3],
    ]);
    expect(r.heaps.map((h) => h.allocators[0].addresses!.divergent)).toEqual([0, 0]);
    expect(r.freeErrors).toEqual([]);
  });
});

describe('heap sizes', () => {
  const noInit = ['==MP alloc;100;0x20000064;src/a.c:1', '==MP alloc;100;0x200000cc;src/a.c:2', '==MP free;0x20000064;src/a.c:3'];

  it('skips operations before any init without --heap-size, and says so', () => {
    const r = replay(noInit, {});
    expect(r.heaps[0].unsized).toBe(3);
    expect(r.heaps[0].allocators.every((a) => a.tests.length === 0 && a.peakBytes === 0)).toBe(true);
  });

  it('replays them on a heap of --heap-size bytes, without comparing addresses (the heap start is unknown)', () => {
    const r = replay(noInit, { allocators: ['sdk', 'tlsf'], heapSize: 1024 });
    const [sdk, tlsf] = r.heaps[0].allocators;
    expect(r.heaps[0].unsized).toBe(0);
    expect(sdk.peakBytes).toBe(2 * 104);
    expect(tlsf.peakBytes).toBe(2 * 112);
    expect(sdk.addresses).toMatchObject({ compared: 0, notCompared: 1, divergent: 0 });
    expect(sdk.addresses!.reason).toMatch(/no init/);
  });

  it('tries another size: allocations that no longer fit fail, at their sites', () => {
    const { heap, lines } = appHeap();
    heap.APP_MEM_ALLOC(600, 'src/big.c:1');
    heap.APP_MEM_ALLOC(600, 'src/big.c:2');
    const r = replay(lines, { allocators: ['sdk'], heapSize: 1024 });
    const sdk = r.heaps[0].allocators[0];
    expect(sdk.failures).toBe(1);
    expect(sdk.failed).toEqual([{ line: 3, size: 600, site: 'src/big.c:2', test: null }]);
    expect(sdk.addresses).toMatchObject({ compared: 0, notCompared: 1, reason: '--heap-size is not the logged size' });
  });

  it('says when an allocator refuses the heap size', () => {
    const r = replay(['==MP init;0xda7a0000;100', '==MP alloc;8;0xda7a0064;src/a.c:1'], { allocators: ['sdk', 'first-fit'] });
    expect(r.heaps[0].allocators[0].errors[0]).toMatch(/100-byte heap is refused/);
    expect(r.heaps[0].allocators[1].errors).toEqual([]);
  });
});

describe('logged failures', () => {
  it('count as failures where the allocator would refuse them too, and as served otherwise', () => {
    const { heap, lines } = appHeap({ failRecords: true });
    heap.APP_MEM_ALLOC(1500, 'src/a.c:1');
    heap.APP_MEM_ALLOC(1000, 'src/a.c:2'); // fails on 2048 bytes
    const tight = replay(lines, { allocators: ['sdk'] }).heaps[0].allocators[0];
    expect([tight.failures, tight.servedLoggedFailures]).toEqual([1, 0]);
    const roomy = replay(lines, { allocators: ['sdk'], heapSize: 4096 }).heaps[0].allocators[0];
    expect([roomy.failures, roomy.servedLoggedFailures]).toEqual([0, 1]);
  });
});

describe('why an sdk replay parts from its log', () => {
  /** alloc a (200), alloc b, realloc a to 20 bytes in place, alloc 100: the SDK puts it in a's freed tail. */
  function shrinkInPlace(options: AppHeapOptions): string[] {
    const { heap, lines } = appHeap(options);
    const a = heap.APP_MEM_ALLOC(200, 'src/a.c:1')!;
    heap.APP_MEM_ALLOC(50, 'src/b.c:2');
    expect(heap.APP_MEM_REALLOC(a, 20, 'src/a.c:3')).toBe(a);
    heap.APP_MEM_ALLOC(100, 'src/c.c:4');
    return lines;
  }

  it('a block shrunk in place, unlogged: the logged address lies inside it, and it is named', () => {
    const lines = shrinkInPlace({});
    const check = replay(lines).heaps[0].allocators[0].addresses!;
    expect(check.divergent).toBe(1);
    expect(check.divergences[0]).toMatchObject({
      line: lineOf(lines, 'src/c.c:4'),
      site: 'src/c.c:4',
      cause: { kind: 'in-place-realloc', block: { line: lineOf(lines, 'src/a.c:1'), site: 'src/a.c:1', size: 200 } },
    });
  });

  it('the same program with resize records replays exactly', () => {
    const lines = shrinkInPlace({ resizeRecords: true });
    expect(lines.some((l) => l.startsWith('==MP resize;'))).toBe(true);
    expect(replay(lines).heaps[0].allocators[0].addresses).toMatchObject({ compared: 1, divergent: 0, divergences: [] });
  });

  it('an address allocated again while live: its free is missing', () => {
    const { heap, lines } = appHeap();
    const a = heap.APP_MEM_ALLOC(64, 'src/a.c:1')!;
    heap.APP_MEM_ALLOC(64, 'src/b.c:1');
    heap.APP_MEM_FREE(a, 'src/a.c:2');
    heap.APP_MEM_ALLOC(40, 'src/c.c:1'); // the SDK gives a's chunk back (a 64-byte request would round past its list)
    const without = lines.filter((l) => !l.includes('src/a.c:2'));
    const check = replay(without).heaps[0].allocators[0].addresses!;
    expect(check.divergences[0]).toMatchObject({
      line: 4,
      loggedAddress: a,
      cause: { kind: 'missing-free', block: { line: 2, site: 'src/a.c:1', address: a } },
    });
    expect(hex(check.divergences[0].replayedAddress!)).not.toBe(hex(a));
  });

  it('a log from another allocator: no block explains it', () => {
    const check = replay(['==MP init;0xda7a0000;1024', '==MP alloc;16;0xda7a0100;src/a.c:1']).heaps[0].allocators[0].addresses!;
    expect(check.divergences[0].cause).toEqual({ kind: 'unknown' });
  });

  it('after a divergence the replay goes on (logged addresses map to replayed ones)', () => {
    const lines = shrinkInPlace({});
    const more = [...lines, '==MP free;0xda7a0064;src/a.c:9'];
    const r = replay(more, { allocators: [...STRATEGIES] });
    for (const a of r.heaps[0].allocators) expect({ allocator: a.allocator, errors: a.errors }).toEqual({ allocator: a.allocator, errors: [] });
    expect(r.freeErrors).toEqual([]);
  });
});
