/**
 * SPEC §9 "writers and parser agree": random programs run through the
 * toolkit's app heap print their records; the analyzer, reading that log
 * however it is chunked, finds exactly the leaks, double frees, carried and
 * persistent blocks the program's own model says.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from '../../src/analyzer/analyze.js';
import { AppHeap, HeapCorruptionError } from '../../src/heap/index.js';

type Op =
  | { op: 'test' }
  | { op: 'reset' }
  | { op: 'alloc'; size: number; site: number }
  | { op: 'persist'; size: number; site: number }
  | { op: 'free'; pick: number }
  | { op: 'double'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ op: 'test' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('alloc' as const), size: fc.integer({ min: 1, max: 400 }), site: fc.nat({ max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('persist' as const), size: fc.integer({ min: 1, max: 40 }), site: fc.nat({ max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('double' as const), pick: fc.nat() }) },
);

interface ModelTest {
  name: string;
  leaks: string[];
  reclaimed: string[];
  doubleFrees: number;
  carried: Array<[string, string]>;
  persistent: number;
}

/** Runs the program on the app heap; returns the log and what the model expects per test. */
function run(ops: Op[]) {
  const lines: string[] = [];
  const heap = new AppHeap(8192, { log: (l) => lines.push(l), testRecords: true });
  lines.length = 0;
  const tests: ModelTest[] = [];
  let live = new Map<number, { site: string; test: ModelTest; persistent: boolean }>();
  let freed = new Set<number>();
  let segmentOwner: ModelTest | null = null;
  let current: ModelTest | null = null;
  const startTest = () => {
    current = { name: `t${tests.length + 1}`, leaks: [], reclaimed: [], doubleFrees: 0, carried: [], persistent: 0 };
    tests.push(current);
    heap.test(current.name);
  };
  const reset = () => {
    // blocks live at an init: reclaimed when the test that started the segment prints it, else leaked
    for (const b of live.values()) {
      if (b.persistent) continue;
      (segmentOwner === current ? b.test.reclaimed : b.test.leaks).push(b.site);
    }
    heap.reset();
    live = new Map();
    freed = new Set();
    segmentOwner = current;
  };
  startTest();
  reset();
  for (const o of ops) {
    const t = current!;
    switch (o.op) {
      case 'test':
        startTest();
        break;
      case 'reset':
        reset();
        break;
      case 'alloc':
      case 'persist': {
        const site = `src/m${o.site}.c:${o.site + 1}`;
        const ref = { ptr: null as number | null };
        const ptr = o.op === 'alloc' ? heap.APP_MEM_ALLOC(o.size, site) : heap.APP_MEM_PERMANENT(ref, o.size, site) ? ref.ptr : null;
        if (ptr === null) break;
        live.set(ptr, { site, test: t, persistent: o.op === 'persist' });
        freed.delete(ptr);
        if (o.op === 'persist') t.persistent++;
        break;
      }
      case 'free': {
        const ptrs = [...live.keys()];
        if (ptrs.length === 0) break;
        const ptr = ptrs[o.pick % ptrs.length];
        const b = live.get(ptr)!;
        if (!b.persistent && b.test !== t) b.test.carried.push([b.site, t.name]);
        heap.APP_MEM_FREE(ptr, 'src/free.c:1');
        live.delete(ptr);
        freed.add(ptr);
        break;
      }
      case 'double': {
        const ptrs = [...freed];
        if (ptrs.length === 0) break;
        // The record is printed before freeing, as the SDK does; the allocator then ignores the
        // free, or finds the chunk merged away and throws EXCEPTION_CORRUPT (nothing changed).
        try {
          heap.APP_MEM_FREE(ptrs[o.pick % ptrs.length], 'src/again.c:2');
        } catch (e) {
          if (!(e instanceof HeapCorruptionError)) throw e;
        }
        t.doubleFrees++;
        break;
      }
    }
  }
  for (const b of live.values()) if (!b.persistent) b.test.leaks.push(b.site);
  return { text: lines.join('\n') + '\n', tests };
}

function cut(text: string, at: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const points = [...new Set(at.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

describe('writers and parser agree (SPEC §9)', () => {
  it('the analysis of a program\'s log is the program\'s model, however the log is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 120 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), async (ops, at) => {
        const { text, tests } = run(ops);
        const facts = await analyzeStream(Readable.from(cut(text, at)));
        const got = facts.tests.map((t) => ({
          name: t.name,
          leaks: t.leaks.map((b) => b.site).sort(),
          reclaimed: t.reclaimed.map((b) => b.site).sort(),
          doubleFrees: t.freeErrors.filter((e) => e.kind === 'double-free').length,
          carried: t.carried.map((b) => [b.site, b.freedBy]).sort(),
          persistent: t.persistent.length,
        }));
        const want = tests.map((t) => ({ ...t, leaks: [...t.leaks].sort(), reclaimed: [...t.reclaimed].sort(), carried: [...t.carried].sort() }));
        expect(got).toEqual(want);
        expect(facts.tests.every((t) => t.freeErrors.every((e) => e.kind === 'double-free'))).toBe(true);
        expect(facts.diagnostics).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
