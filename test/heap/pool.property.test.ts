/**
 * Model-based property test of pools: random take / force / release / addRef
 * / write sequences on a pool and a sub-pool; after every step the
 * reference counts, statistics and object contents agree with a model, and
 * every record the pools wrote parses back to what the model expects.
 */
import fc from 'fast-check';
import { afterEach, describe, it } from 'vitest';
import {
  addRef,
  createAllocator,
  createPool,
  createSubPool,
  expandPool,
  forceAlloc,
  getRefCount,
  getStats,
  objectBytes,
  type Pool,
  profile,
  release,
  resetPools,
  tryAlloc,
} from '../../src/heap/index.js';
import { MARKER, type MemRecord, parseRecord } from '../../src/protocol/records.js';

afterEach(() => resetPools());

type Op =
  | { kind: 'try' | 'force'; sub: boolean }
  | { kind: 'release' | 'addRef'; pick: number }
  | { kind: 'write'; pick: number; byte: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('try' as const, 'force' as const), sub: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('release' as const, 'addRef' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('write' as const), pick: fc.nat(), byte: fc.integer({ min: 1, max: 255 }) }),
);

interface ModelPool {
  total: number;
  inUse: number;
  max: number;
  allocs: number;
  overflows: number;
}

describe('pool model', () => {
  it('counts, statistics, contents and records agree with the model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 80 }), (initial, subBlocks, ops) => {
        resetPools();
        const lines: string[] = [];
        const from = profile(createAllocator('tlsf', 16384), { sink: (l) => lines.push(l), sites: 'heap.c:1', init: false });
        const main = createPool('m.main', 12, { from });
        expandPool(main, initial);
        const sub = createSubPool(main, 'm.sub', subBlocks);
        const model = new Map<Pool, ModelPool>([
          [main, { total: initial + Math.max(0, subBlocks - initial), inUse: subBlocks, max: subBlocks, allocs: 0, overflows: Math.max(0, subBlocks - initial) }],
          [sub, { total: subBlocks, inUse: 0, max: 0, allocs: 0, overflows: 0 }],
        ]);
        const live = new Map<number, { pool: Pool; refs: number; byte: number }>();
        const expected: MemRecord[] = [];
        const nth = (pick: number) => [...live.keys()][pick % live.size];
        for (const o of ops) {
          if (o.kind === 'try' || o.kind === 'force') {
            const pool = o.sub ? sub : main;
            const m = model.get(pool)!;
            const obj = o.kind === 'try' ? tryAlloc(pool, 'p.c:1') : forceAlloc(pool, 'p.c:2');
            if (obj === null) {
              if (m.inUse < m.total) throw new Error('tryAlloc refused with blocks free');
              continue;
            }
            if (m.inUse === m.total) {
              if (o.kind === 'try') throw new Error('tryAlloc grew the pool');
              m.total++;
              m.overflows++;
              if (pool === sub) {
                const mm = model.get(main)!;
                mm.inUse++;
                mm.max = Math.max(mm.max, mm.inUse);
                if (mm.inUse > mm.total) {
                  mm.total++;
                  mm.overflows++;
                }
              }
            }
            m.inUse++;
            m.allocs++;
            m.max = Math.max(m.max, m.inUse);
            live.set(obj, { pool, refs: 1, byte: 0 });
            expected.push({ kind: 'alloc', heap: pool.name, size: 12, address: obj, site: o.kind === 'try' ? 'p.c:1' : 'p.c:2' });
          } else if (live.size > 0 && 'pick' in o) {
            const obj = nth(o.pick);
            const l = live.get(obj)!;
            if (o.kind === 'write') {
              objectBytes(obj).fill(o.byte);
              l.byte = o.byte;
            } else if (o.kind === 'addRef') {
              addRef(obj, 'r.c:1');
              l.refs++;
              expected.push({ kind: 'ref', pool: l.pool.name, address: obj, count: l.refs, site: 'r.c:1' });
            } else {
              release(obj, 'r.c:2');
              l.refs--;
              if (l.refs === 0) {
                live.delete(obj);
                model.get(l.pool)!.inUse--;
                expected.push({ kind: 'free', heap: l.pool.name, address: obj, site: 'r.c:2' });
                if ([...objectBytes(obj)].some((b) => b !== 0)) throw new Error('released block not zeroed');
              } else {
                expected.push({ kind: 'ref', pool: l.pool.name, address: obj, count: l.refs, site: 'r.c:2' });
              }
            }
          }
          for (const [pool, m] of model) {
            const s = getStats(pool);
            const want = { numBlocksInUse: m.inUse, maxNumBlocksUsed: m.max, numOverflows: m.overflows, numAllocs: m.allocs, numFree: m.total - m.inUse };
            if (JSON.stringify(s) !== JSON.stringify(want)) throw new Error(`${pool.name}: ${JSON.stringify(s)} != ${JSON.stringify(want)}`);
          }
          for (const [obj, l] of live) {
            if (getRefCount(obj) !== l.refs) throw new Error('reference count differs');
            if (objectBytes(obj).some((b) => b !== l.byte)) throw new Error('contents differ');
          }
        }
        const written = lines
          .map((line) => {
            const r = parseRecord(line.slice(line.indexOf(MARKER) + MARKER.length));
            if (!r.ok) throw new Error(r.message);
            return r.record;
          })
          .filter((r) => r.kind === 'alloc' || r.kind === 'free' || r.kind === 'ref');
        const norm = (rs: MemRecord[]) => JSON.stringify(rs.map((r) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))));
        if (norm(written) !== norm(expected)) throw new Error(`records differ:\n${norm(written)}\n${norm(expected)}`);
      }),
      { numRuns: 200 },
    );
  });
});
