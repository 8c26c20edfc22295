/**
 * Pools end to end (SPEC §4.1, issue 12): random take / release / addRef
 * sequences on a profiled pool, with test boundaries, write a log; the
 * analyzer reads exactly the model's pool leaks (under the test that took
 * the block, at the site of its last `ref@` when its count was above 1),
 * its double frees (a free block released) and the most blocks in use.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLines } from '../../src/analyzer/analyze.js';
import {
  addRef,
  createAllocator,
  createPool,
  expandPool,
  forceAlloc,
  profile,
  release,
  resetPools,
  setNumObjsToForce,
  tryAlloc,
} from '../../src/heap/index.js';
import { formatRecordLine } from '../../src/protocol/records.js';

afterEach(() => resetPools());

type Op =
  | { kind: 'test' }
  | { kind: 'take'; force: boolean; site: number }
  | { kind: 'release' | 'addRef'; pick: number; site: number }
  | { kind: 'again'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'test' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('take' as const), force: fc.boolean(), site: fc.nat({ max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('release' as const, 'addRef' as const), pick: fc.nat(), site: fc.nat({ max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('again' as const), pick: fc.nat() }) },
);

interface Held {
  object: number;
  count: number;
  test: string;
  takenAt: string;
  lastRef: string | null;
}

describe('pools through the analyzer', () => {
  it('finds exactly the model\'s pool leaks, double frees and most blocks in use', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), fc.integer({ min: 1, max: 6 }), (ops, initial) => {
        resetPools();
        const lines: string[] = [formatRecordLine({ kind: 'test', name: 't0' })];
        const arena = profile(createAllocator('sdk', new Uint8Array(8192)), { sink: (l) => lines.push(l), heap: 'arena' });
        const pool = createPool('app.items', 24, { from: arena });
        setNumObjsToForce(pool, 2);
        expandPool(pool, initial, 'src/init.c:1');
        let test = 't0';
        const held: Held[] = [];
        const released: number[] = [];
        const doubles = new Map<string, number>();
        let inUse = 0;
        const maxInUse = new Map<string, number>([[test, 0]]);
        const touched = new Set<string>(); // tests that used the pool: only they report it
        const note = () => maxInUse.set(test, Math.max(maxInUse.get(test) ?? 0, inUse));
        for (const o of ops) {
          if (o.kind === 'test') {
            test = `t${maxInUse.size}`;
            lines.push(formatRecordLine({ kind: 'test', name: test }));
            maxInUse.set(test, inUse); // blocks already in use when the test starts count
          } else if (o.kind === 'take') {
            const site = `src/take${o.site}.c:${o.site + 10}`;
            const object = o.force ? forceAlloc(pool, site) : tryAlloc(pool, site);
            if (object === null) continue; // an empty pool's tryAlloc writes nothing
            touched.add(test);
            held.push({ object, count: 1, test, takenAt: site, lastRef: null });
            inUse++;
            note();
          } else if (o.kind === 'addRef' || o.kind === 'release') {
            if (held.length === 0) continue;
            touched.add(test);
            const h = held[o.pick % held.length];
            const site = `src/ref${o.site}.c:${o.site + 20}`;
            if (o.kind === 'addRef') {
              addRef(h.object, site);
              h.count++;
              h.lastRef = site;
            } else {
              release(h.object, site);
              h.count--;
              if (h.count === 0) {
                held.splice(held.indexOf(h), 1);
                released.push(h.object);
                inUse--;
              } else h.lastRef = site;
            }
          } else if (released.length > 0) {
            // Legato's "free block released": fatal there, a throw here, a double free in the log
            const object = released[o.pick % released.length];
            if (held.some((h) => h.object === object)) continue; // taken again since
            touched.add(test);
            expect(() => release(object, 'src/again.c:99')).toThrow();
            doubles.set(test, (doubles.get(test) ?? 0) + 1);
          }
        }
        const facts = analyzeLines(lines);
        const byTest = new Map(facts.tests.map((t) => [t.name, t]));
        for (const [name, most] of maxInUse) {
          const t = byTest.get(name)!;
          const pool = t.pools?.find((p) => p.pool === 'app.items');
          // the test that created the pool, and every test that used it, report it
          if (touched.has(name) || name === 't0') expect(pool?.maxInUse, `${name} most in use`).toBe(most);
          const want = held
            .filter((h) => h.test === name)
            .map((h) => (h.count > 1 && h.lastRef !== null ? h.lastRef : h.takenAt))
            .sort();
          expect((pool?.leaks ?? []).map((b) => b.site).sort(), `${name} leaks`).toEqual(want);
          expect(t.freeErrors.filter((e) => e.kind === 'double-free' && e.heap === 'app.items').length, `${name} double frees`).toBe(doubles.get(name) ?? 0);
        }
        // the pool's memory is persistent, never a heap leak
        expect(facts.tests.flatMap((t) => t.leaks)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
