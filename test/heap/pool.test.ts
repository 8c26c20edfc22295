/**
 * Legato's le_mem behaviour, scripted: an empty pool until expanded (one
 * `persist` allocation per expansion), try/assert/force allocation,
 * reference counts and destructors, statistics and their reset, sizes,
 * sub-pools, guard bands, strDup, the `inspect pools` table and the records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  addRef,
  assertAlloc,
  createAllocator,
  createPool,
  createSubPool,
  deleteSubPool,
  expandPool,
  findPool,
  forceAlloc,
  getObjectCount,
  getObjectFullSize,
  getObjectSize,
  getRefCount,
  getStats,
  HeapCorruptionError,
  mem_utils_init,
  objectBytes,
  PoolExhaustedError,
  poolStats,
  profile,
  release,
  resetPools,
  resetStats,
  setDestructor,
  setNumObjsToForce,
  strDup,
  tryAlloc,
} from '../../src/heap/index.js';

afterEach(() => resetPools());

function profiledHeap(): { lines: string[]; from: ReturnType<typeof profile> } {
  const lines: string[] = [];
  const from = profile(createAllocator('tlsf', 8192), { sink: (l) => lines.push(l), sites: 'heap.c:1', init: false });
  return { lines, from };
}

describe('pools', () => {
  it('start empty, grow by expandPool (one persist allocation), and hand out LIFO', () => {
    const { lines, from } = profiledHeap();
    const pool = createPool('app.tx', 20, { from });
    expect(tryAlloc(pool, 'tx.c:1')).toBeNull();
    expect(() => assertAlloc(pool, 'tx.c:2')).toThrow(PoolExhaustedError);
    expect(() => assertAlloc(pool)).toThrow(/'app.tx'/);
    expandPool(pool, 3, 'tx.c:3');
    expect(getObjectCount(pool)).toBe(3);
    expect(getObjectSize(pool)).toBe(20);
    expect(getObjectFullSize(pool)).toBe(48); // 20 + 8 header + 2·8 guards = 44, rounded to 8
    const a = assertAlloc(pool, 'tx.c:4');
    const b = tryAlloc(pool, 'tx.c:5')!;
    expect(b - a).toBe(48);
    release(b, 'tx.c:6');
    expect(tryAlloc(pool, 'tx.c:7')).toBe(b); // the last released is taken first
    const persist = lines.find((l) => l.includes('persist'))!;
    expect(persist).toMatch(/^==MP persist;144;0x[0-9a-f]{8};tx\.c:3$/);
    expect(lines.filter((l) => !l.includes('persist'))).toEqual([
      '==MP pool@app.tx;20;0',
      '==MP pool@app.tx;20;3',
      `==MP alloc@app.tx;20;0x${a.toString(16)};tx.c:4`,
      `==MP alloc@app.tx;20;0x${b.toString(16)};tx.c:5`,
      `==MP free@app.tx;0x${b.toString(16)};tx.c:6`,
      `==MP alloc@app.tx;20;0x${b.toString(16)};tx.c:7`,
    ]);
  });

  it('forceAlloc grows by setNumObjsToForce and counts overflows', () => {
    const { lines, from } = profiledHeap();
    const pool = createPool('app.items', 8, { from });
    forceAlloc(pool, 'i.c:1');
    setNumObjsToForce(pool, 4);
    forceAlloc(pool, 'i.c:2');
    forceAlloc(pool, 'i.c:3');
    expect(getObjectCount(pool)).toBe(5);
    expect(getStats(pool)).toEqual({ numBlocksInUse: 3, maxNumBlocksUsed: 3, numOverflows: 2, numAllocs: 3, numFree: 2 });
    expect(lines.filter((l) => l.includes('overflow'))).toEqual(['==MP overflow@app.items;1;i.c:1', '==MP overflow@app.items;5;i.c:2']);
    setNumObjsToForce(pool, 0);
    expect(pool.numObjsToForce).toBe(1);
  });

  it('reference counts: the destructor runs once at the last release, the block is zeroed; releasing a free block throws', () => {
    const { lines, from } = profiledHeap();
    const pool = createPool('app.display', 16, { from });
    expandPool(pool, 2);
    const destroyed: number[] = [];
    setDestructor(pool, (obj) => destroyed.push(objectBytes(obj)[0]));
    const o = assertAlloc(pool, 'd.c:1');
    objectBytes(o).fill(7);
    addRef(o, 'd.c:2');
    expect(getRefCount(o)).toBe(2);
    release(o, 'd.c:3');
    expect(destroyed).toEqual([]);
    release(o, 'd.c:4');
    expect(destroyed).toEqual([7]);
    expect(getRefCount(o)).toBe(0);
    expect([...objectBytes(o)]).toEqual(Array(16).fill(0));
    expect(() => release(o, 'd.c:5')).toThrow(HeapCorruptionError);
    expect(() => addRef(o, 'd.c:6')).toThrow(HeapCorruptionError);
    expect(destroyed).toEqual([7]);
    expect(lines.slice(-4)).toEqual([
      `==MP ref@app.display;0x${o.toString(16)};2;d.c:2`,
      `==MP ref@app.display;0x${o.toString(16)};1;d.c:3`,
      `==MP free@app.display;0x${o.toString(16)};d.c:4`,
      `==MP free@app.display;0x${o.toString(16)};d.c:5`,
    ]);
  });

  it('resetStats clears numAllocs and numOverflows only', () => {
    const pool = createPool('app.stats', 8, { from: createAllocator('sdk', 4096) });
    const x = forceAlloc(pool);
    forceAlloc(pool);
    release(x);
    resetStats(pool);
    expect(getStats(pool)).toEqual({ numBlocksInUse: 1, maxNumBlocksUsed: 2, numOverflows: 0, numAllocs: 0, numFree: 1 });
  });

  it('findPool, duplicate names, the app heap as the default allocator', () => {
    const lines: string[] = [];
    mem_utils_init(4096, { log: (l) => lines.push(l), prefix: '' });
    const pool = createPool('app.default', 8);
    expandPool(pool, 2, 'x.c:1');
    expect(findPool('app.default')).toBe(pool);
    expect(findPool('nope')).toBeNull();
    expect(() => createPool('app.default', 8)).toThrow(/exists/);
    expect(lines[2]).toBe('==MP persist;64;0xda7a0064;x.c:1');
  });

  it('guard bands are checked on release and addRef', () => {
    const { lines, from } = profiledHeap();
    const pool = createPool('app.guarded', 12, { from });
    expandPool(pool, 2);
    const o = assertAlloc(pool);
    objectBytes(o); // 12 bytes; the guard after starts at the block end − 8
    from.region[o - from.base + getObjectFullSize(pool) - 24] = 0; // first byte of the guard after (block = object − 16)
    expect(() => release(o, 'g.c:1')).toThrow(expect.objectContaining({ kind: 'guard-after' }));
    expect(lines.at(-1)).toBe(`==MP corrupt@app.guarded;0x${o.toString(16)};guard-after;g.c:1`);
    const p = assertAlloc(pool);
    from.region[p - from.base - 1] = 0;
    expect(() => addRef(p, 'g.c:2')).toThrow(expect.objectContaining({ kind: 'guard-before' }));
  });

  it('strDup copies a string with its NUL into a block', () => {
    const pool = createPool('app.str', 16, { from: createAllocator('first-fit', 2048) });
    const s = strDup(pool, 'héllo');
    expect([...objectBytes(s).subarray(0, 7)]).toEqual([...new TextEncoder().encode('héllo'), 0]);
    expect(() => strDup(pool, 'x'.repeat(16))).toThrow(RangeError);
  });
});

describe('sub-pools', () => {
  it('take blocks from the super-pool (in use there), inherit its destructor, and are deleted only when empty', () => {
    const { lines, from } = profiledHeap();
    const sup = createPool('app.msgs', 32, { from });
    expandPool(sup, 4);
    const destroyed: number[] = [];
    setDestructor(sup, (o) => destroyed.push(o));
    const sub = createSubPool(sup, 'app.msgs.urgent', 3, 's.c:1');
    expect(getStats(sup)).toMatchObject({ numBlocksInUse: 3, numFree: 1, maxNumBlocksUsed: 3 });
    expect(getObjectCount(sub)).toBe(3);
    expect(() => createSubPool(sub, 'app.msgs.nested', 1)).toThrow(/sub-pools of sub-pools/);
    const m = assertAlloc(sub, 's.c:2');
    expect(() => deleteSubPool(sub)).toThrow(/remain allocated/);
    release(m, 's.c:3');
    expect(destroyed).toEqual([m]);
    // A sub-pool larger than what the super-pool has free grows the super-pool (an overflow there).
    const big = createSubPool(sup, 'app.msgs.bulk', 3);
    expect(getStats(sup)).toMatchObject({ numBlocksInUse: 6, numOverflows: 2 });
    deleteSubPool(sub, 's.c:4');
    expect(getStats(sup)).toMatchObject({ numBlocksInUse: 3, numFree: 3 });
    expect(findPool('app.msgs.urgent')).toBeNull();
    expect(lines).toContain('==MP pool@app.msgs.urgent;32;3;app.msgs');
    expect(lines).toContain('==MP drop@app.msgs.urgent;s.c:4');
    void big;
  });
});

describe('poolStats()', () => {
  it("prints Legato's inspect pools table", () => {
    const sup = createPool('app.rows', 20, { from: createAllocator('sdk', 8192) });
    expandPool(sup, 10);
    for (let i = 0; i < 4; i++) assertAlloc(sup);
    createSubPool(sup, 'app.rows.sub', 2);
    expect(poolStats()).toBe(
      [
        'TOTAL BLKS | USED BLKS | MAX USED | OVERFLOWS | ALLOCS | BLK BYTES | USED BYTES | MEMORY POOL  |   SUB-POOL',
        '        10 |         6 |        6 |         0 |      4 |        48 |        288 | app.rows     |',
        '         2 |         0 |        0 |         0 |      0 |        48 |          0 | app.rows.sub | (Sub-pool)',
        '',
      ].join('\n'),
    );
  });
});
