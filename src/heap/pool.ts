/**
 * Fixed-size memory pools with Legato's `le_mem` semantics (SPEC §6.6;
 * `framework/liblegato/mem.c`): a pool starts empty and grows by whole
 * expansions, each one allocation from an `Allocator` (by default the app
 * heap) kept for ever — logged `persist` when that allocator profiles. Blocks
 * are reference counted: `release` at a count of 1 runs the pool's
 * destructor, zeroes the object and pushes the block on the pool's LIFO free
 * list; releasing a free block is Legato's fatal "Free block released".
 * Sub-pools take blocks from their super-pool (in use there), inherit its
 * destructor, can be deleted once empty, and never have sub-pools.
 *
 * Each block, as Legato lays it out (guard bands always on here):
 *
 *   +0           +4          +8                 +8+G                       full-G      full
 *   +------------+-----------+------------------+--------------------------+-----------+
 *   | ref count  | pool id   | guard words      | object (objectSize bytes | guard     |
 *   | u32        | u32       | 0xDEADBEEF × K   |  and padding)            | words × K |
 *   +------------+-----------+------------------+--------------------------+-----------+
 *
 * full = objectSize (at least 8) + 8 + 2·4K, rounded up to 8: `getObjectFullSize`.
 * With profiling (the `from` allocator, or a sink given), pools write the
 * `pool@`, `alloc@`, `free@`, `ref@`, `overflow@` and `drop@` records of §2.2.
 */
import { checkName, formatRecordLine, type MemRecord } from '../protocol/records.js';
import { HeapCorruptionError } from './allocator.js';
import { mem_utils_heap } from './app-heap.js';
import { callerSite } from './call-site.js';
import { allocationFailed } from './failure.js';
import { type Allocator, type AllocSite, siteText } from './interface.js';
import { type RecordSink, toSink } from './profile.js';

const HEADER = 8;
const H_REFCOUNT = 0;
const H_POOL = 4;
/** Legato's LE_CONFIG_NUM_GUARD_BAND_WORDS default here. */
export const DEFAULT_POOL_GUARD_WORDS = 2;
const GUARD = [0xef, 0xbe, 0xad, 0xde]; // 0xDEADBEEF, little-endian

/** `assertAlloc` on an empty pool (Legato's LE_ASSERT). */
export class PoolExhaustedError extends Error {
  override readonly name = 'PoolExhaustedError';
  constructor(readonly pool: string) {
    super(`memory pool '${pool}' is exhausted`);
  }
}

export interface PoolStats {
  numBlocksInUse: number;
  maxNumBlocksUsed: number;
  numOverflows: number;
  numAllocs: number;
  numFree: number;
}

export interface PoolOptions {
  /** Where expansions are allocated from. Default: the app heap (`mem_utils_init`). */
  from?: Allocator;
  /** Guard words before and after each object. Default 2. */
  guardWords?: number;
  /** Where pool records go. Default: the profiler of `from`, if it profiles; else none. */
  log?: RecordSink;
  /** Text before `==MP ` (with `log`). Default none. */
  prefix?: string;
}

export type Destructor = (object: number) => void;

/** Something that writes records (a ProfilingAllocator in the `from` stack). */
interface Emitter {
  emit(record: MemRecord): void;
}

interface Layer {
  inner?: Allocator;
  emit?(record: MemRecord): void;
}

function emitterOf(from: Allocator, options: PoolOptions): Emitter | null {
  if (options.log !== undefined) {
    const sink = toSink(options.log);
    const prefix = options.prefix ?? '';
    return { emit: (r) => sink(formatRecordLine(r, prefix)) };
  }
  for (let layer: Layer | undefined = from as Layer; layer !== undefined; layer = layer.inner as Layer | undefined) {
    if (typeof layer.emit === 'function') return layer as Emitter;
  }
  return null;
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function where(site: AllocSite | undefined): string {
  return site === undefined ? callerSite() : siteText(site);
}

/** Every pool and sub-pool, in creation order (Legato's PoolList). */
const pools: Pool[] = [];
/** The pool each block belongs to now, by object address. */
const owners = new Map<number, Pool>();

export class Pool {
  readonly name: string;
  readonly objectSize: number;
  /** Bytes per block, header and guard bands included. */
  readonly fullSize: number;
  readonly guardWords: number;
  readonly from: Allocator;
  readonly superPool: Pool | null;
  readonly id: number;
  /** @internal */ totalBlocks = 0;
  /** @internal */ numBlocksInUse = 0;
  /** @internal */ maxNumBlocksUsed = 0;
  /** @internal */ numOverflows = 0;
  /** @internal */ numAllocs = 0;
  /** @internal */ numObjsToForce = 1;
  /** @internal */ destructor: Destructor | null = null;
  /** @internal Free blocks (object addresses), a stack: the last released is taken first. */
  readonly freeList: number[] = [];
  /** @internal */ readonly emitter: Emitter | null;
  private readonly dv: DataView;
  deleted = false;

  /** @internal Use `createPool` / `createSubPool`. */
  constructor(name: string, objectSize: number, from: Allocator, guardWords: number, superPool: Pool | null, emitter: Emitter | null) {
    this.name = name;
    this.objectSize = objectSize;
    this.guardWords = guardWords;
    this.fullSize = (Math.max(objectSize, 8) + HEADER + 8 * guardWords + 7) & ~7;
    this.from = from;
    this.superPool = superPool;
    this.emitter = emitter;
    this.id = pools.length + 1;
    const r = from.region;
    this.dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
  }

  /** @internal Offset in the region of an object's block header. */
  blockAt(object: number): number {
    return object - this.from.base - HEADER - 4 * this.guardWords;
  }

  /** @internal */ refCount(object: number): number {
    return this.dv.getUint32(this.blockAt(object) + H_REFCOUNT, true);
  }
  /** @internal */ setRefCount(object: number, n: number): void {
    this.dv.setUint32(this.blockAt(object) + H_REFCOUNT, n, true);
  }

  /** @internal Lay out a fresh block at region offset `at` (guard bands, zeroed object) and make it ours. */
  initBlock(at: number): number {
    const region = this.from.region;
    region.fill(0, at, at + this.fullSize);
    const object = this.from.base + at + HEADER + 4 * this.guardWords;
    this.adopt(object);
    this.writeGuards(object);
    return object;
  }

  /** @internal The block now belongs to this pool, free. */
  adopt(object: number): void {
    const at = this.blockAt(object);
    this.dv.setUint32(at + H_REFCOUNT, 0, true);
    this.dv.setUint32(at + H_POOL, this.id, true);
    owners.set(object, this);
    this.freeList.push(object);
  }

  private writeGuards(object: number): void {
    const region = this.from.region;
    const g = 4 * this.guardWords;
    const at = this.blockAt(object);
    for (let i = 0; i < g; i++) {
      region[at + HEADER + i] = GUARD[i & 3];
      region[at + this.fullSize - g + i] = GUARD[i & 3];
    }
  }

  /** @internal Legato's CheckGuardBands: throws a HeapCorruptionError (and writes `corrupt` when profiling). */
  checkGuards(object: number, site: AllocSite | undefined): void {
    const region = this.from.region;
    const g = 4 * this.guardWords;
    const at = this.blockAt(object);
    for (let i = 0; i < g; i++) {
      if (region[at + HEADER + i] !== GUARD[i & 3]) this.corrupt('guard-before', object, site);
      if (region[at + this.fullSize - g + i] !== GUARD[i & 3]) this.corrupt('guard-after', object, site);
    }
  }

  private corrupt(reason: 'guard-before' | 'guard-after', object: number, site: AllocSite | undefined): never {
    const e = new HeapCorruptionError(
      `memory corruption detected ${reason === 'guard-before' ? 'before' : 'at end of'} object ${hex(object)} allocated from pool '${this.name}'`,
      reason,
      object,
    );
    if (this.emitter !== null) {
      e.reported = true;
      this.emitter.emit({ kind: 'corrupt', heap: this.name, address: object, what: reason, site: where(site) });
    }
    throw e;
  }

  /** @internal Write a pool record when profiling. */
  record(r: MemRecord): void {
    this.emitter?.emit(r);
  }

  /** @internal Pop a free block, counted in use, reference count 1; null when empty. */
  take(): number | null {
    const object = this.freeList.pop();
    if (object === undefined) return null;
    this.numBlocksInUse++;
    this.numAllocs++;
    if (this.numBlocksInUse > this.maxNumBlocksUsed) this.maxNumBlocksUsed = this.numBlocksInUse;
    this.setRefCount(object, 1);
    this.writeGuards(object);
    return object;
  }

  /** The object's bytes (a live view into the heap's region). */
  bytes(object: number): Uint8Array {
    const at = this.blockAt(object) + HEADER + 4 * this.guardWords;
    return this.from.region.subarray(at, at + this.objectSize);
  }
}

function livePool(pool: Pool): Pool {
  if (pool.deleted) throw new Error(`memory pool '${pool.name}' was deleted`);
  return pool;
}

/** The pool an object (a block's address) belongs to; throws for anything else. */
function poolOf(object: number): Pool {
  const pool = owners.get(object);
  if (pool === undefined) throw new HeapCorruptionError(`${hex(object)} is no pool block`, 'outside', object);
  return pool;
}

// ---------------------------------------------------------------------------
// Legato's le_mem API

/** An empty pool of `objectSize`-byte objects (`le_mem_CreatePool`); grow it with `expandPool`. */
export function createPool(name: string, objectSize: number, options: PoolOptions = {}): Pool {
  checkName(name, 'pool name');
  if (!Number.isInteger(objectSize) || objectSize < 1) throw new RangeError(`createPool: object size must be a positive integer, got ${String(objectSize)}`);
  if (findPool(name) !== null) throw new Error(`createPool: a memory pool named '${name}' exists already`);
  const from = options.from ?? appHeapAllocator();
  const guardWords = options.guardWords ?? DEFAULT_POOL_GUARD_WORDS;
  if (!Number.isInteger(guardWords) || guardWords < 0) throw new RangeError('createPool: guardWords must be a whole number');
  const pool = new Pool(name, objectSize, from, guardWords, null, emitterOf(from, options));
  pools.push(pool);
  pool.record({ kind: 'pool', pool: name, blockSize: objectSize, blocks: 0, parent: null });
  return pool;
}

function appHeapAllocator(): Allocator {
  const heap = mem_utils_heap();
  if (heap === null) throw new Error('createPool: no allocator given and no app heap (call mem_utils_init, or pass { from })');
  return heap.allocator;
}

/**
 * Add `n` blocks (`le_mem_ExpandPool`): one allocation of n blocks from the
 * pool's allocator, kept for ever (`persist`); a sub-pool takes them from its
 * super-pool instead, growing it first if it has too few free.
 */
export function expandPool(pool: Pool, n: number, site?: AllocSite): Pool {
  livePool(pool);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`expandPool: block count must be a whole number, got ${String(n)}`);
  if (n === 0) return pool;
  const sup = pool.superPool;
  if (sup !== null) {
    const missing = n - sup.freeList.length;
    if (missing > 0) {
      expandPool(sup, missing, site);
      sup.numOverflows += missing; // Legato: super-pools are expected to hold their sub-pools
    }
    for (let i = 0; i < n; i++) pool.adopt(sup.freeList.pop()!);
    sup.numBlocksInUse += n;
    if (sup.numBlocksInUse > sup.maxNumBlocksUsed) sup.maxNumBlocksUsed = sup.numBlocksInUse;
  } else {
    const bytes = n * pool.fullSize;
    const chunk = pool.from.allocate(bytes, where(site), true);
    if (chunk === null) throw new PoolExhaustedError(pool.name);
    const at = chunk - pool.from.base;
    // LIFO: the lowest block is taken first.
    for (let i = n - 1; i >= 0; i--) pool.initBlock(at + i * pool.fullSize);
  }
  pool.totalBlocks += n;
  pool.record({ kind: 'pool', pool: pool.name, blockSize: pool.objectSize, blocks: pool.totalBlocks, parent: sup?.name ?? null });
  return pool;
}

function taken(pool: Pool, object: number, site: AllocSite | undefined): number {
  if (pool.emitter !== null) pool.record({ kind: 'alloc', heap: pool.name, size: pool.objectSize, address: object, site: where(site) });
  return object;
}

/** A block, or null when the pool has none free (`le_mem_TryAlloc`); the failure handler hears of it. */
export function tryAlloc(pool: Pool, site?: AllocSite): number | null {
  const object = livePool(pool).take();
  if (object === null) {
    allocationFailed(pool, pool.objectSize, site);
    return null;
  }
  return taken(pool, object, site);
}

/** A block, or a `PoolExhaustedError` naming the pool (`le_mem_AssertAlloc`). */
export function assertAlloc(pool: Pool, site?: AllocSite): number {
  const object = tryAlloc(pool, site);
  if (object === null) throw new PoolExhaustedError(pool.name);
  return object;
}

/** A block, growing the pool by `setNumObjsToForce` blocks when empty: an overflow (`le_mem_ForceAlloc`). */
export function forceAlloc(pool: Pool, site?: AllocSite): number {
  livePool(pool);
  let object: number | null;
  while ((object = pool.take()) === null) {
    expandPool(pool, pool.numObjsToForce, site);
    pool.numOverflows++;
    if (pool.emitter !== null) pool.record({ kind: 'overflow', pool: pool.name, blocks: pool.totalBlocks, site: where(site) });
  }
  return taken(pool, object, site);
}

/** How many blocks `forceAlloc` adds when the pool is empty (at least 1; default 1). */
export function setNumObjsToForce(pool: Pool, n: number): void {
  livePool(pool).numObjsToForce = n >= 1 ? Math.floor(n) : 1;
}

/**
 * Drop a reference (`le_mem_Release`): at the last one, the destructor runs
 * once, the object is zeroed and its block goes back on the free list.
 * Releasing a free block throws (Legato's fatal error), after writing its
 * `free@` record, which the analyzer reads as a double free.
 */
export function release(object: number, site?: AllocSite): void {
  const pool = poolOf(object);
  pool.checkGuards(object, site);
  const count = pool.refCount(object);
  if (count === 1) {
    pool.setRefCount(object, 0);
    pool.destructor?.(object);
    pool.bytes(object).fill(0);
    pool.freeList.push(object);
    pool.numBlocksInUse--;
    if (pool.emitter !== null) pool.record({ kind: 'free', heap: pool.name, address: object, site: where(site) });
    return;
  }
  if (count === 0) {
    if (pool.emitter !== null) pool.record({ kind: 'free', heap: pool.name, address: object, site: where(site) });
    throw new HeapCorruptionError(`free block ${hex(object)} released from pool '${pool.name}'`, 'double-free', object);
  }
  pool.setRefCount(object, count - 1);
  if (pool.emitter !== null) pool.record({ kind: 'ref', pool: pool.name, address: object, count: count - 1, site: where(site) });
}

/** One more reference (`le_mem_AddRef`); a free block throws. */
export function addRef(object: number, site?: AllocSite): void {
  const pool = poolOf(object);
  pool.checkGuards(object, site);
  const count = pool.refCount(object);
  if (count === 0) throw new HeapCorruptionError(`reference added to free block ${hex(object)} of pool '${pool.name}'`, 'double-free', object);
  pool.setRefCount(object, count + 1);
  if (pool.emitter !== null) pool.record({ kind: 'ref', pool: pool.name, address: object, count: count + 1, site: where(site) });
}

/** The object's reference count (0 = free), `le_mem_GetRefCount`. */
export function getRefCount(object: number): number {
  return poolOf(object).refCount(object);
}

/** The function called with an object when its last reference is released. */
export function setDestructor(pool: Pool, destructor: Destructor | null): void {
  livePool(pool).destructor = destructor;
}

/** The object's bytes, a live view (`objectSize` long). */
export function objectBytes(object: number): Uint8Array {
  return poolOf(object).bytes(object);
}

/** A copy of `s` (UTF-8 and a NUL) in a block of `pool` (`le_mem_StrDup`: force-allocated). */
export function strDup(pool: Pool, s: string, site?: AllocSite): number {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length + 1 > pool.objectSize) throw new RangeError(`strDup: ${bytes.length + 1} bytes do not fit pool '${pool.name}' objects of ${pool.objectSize}`);
  const object = forceAlloc(pool, site);
  const view = pool.bytes(object);
  view.set(bytes);
  view[bytes.length] = 0;
  return object;
}

/** Legato's five statistics (`le_mem_GetStats`). */
export function getStats(pool: Pool): PoolStats {
  return {
    numBlocksInUse: pool.numBlocksInUse,
    maxNumBlocksUsed: pool.maxNumBlocksUsed,
    numOverflows: pool.numOverflows,
    numAllocs: pool.numAllocs,
    numFree: pool.totalBlocks - pool.numBlocksInUse,
  };
}

/** Clears `numAllocs` and `numOverflows` only, as Legato does (`le_mem_ResetStats`). */
export function resetStats(pool: Pool): void {
  pool.numAllocs = 0;
  pool.numOverflows = 0;
}

/** The pool (or sub-pool) of that name, or null (`le_mem_FindPool`). */
export function findPool(name: string): Pool | null {
  return pools.find((p) => p.name === name) ?? null;
}

/** Bytes of an object (`le_mem_GetObjectSize`). */
export function getObjectSize(pool: Pool): number {
  return pool.objectSize;
}

/** Bytes of a block, header and guard bands included (`le_mem_GetObjectFullSize`). */
export function getObjectFullSize(pool: Pool): number {
  return pool.fullSize;
}

/** Blocks in the pool, free and in use (`le_mem_GetObjectCount`). */
export function getObjectCount(pool: Pool): number {
  return pool.totalBlocks;
}

/**
 * A pool of `n` blocks taken from `superPool`, in use there (`le_mem_CreateSubPool`);
 * it inherits the super-pool's destructor. Sub-pools of sub-pools are refused.
 */
export function createSubPool(superPool: Pool, name: string, n: number, site?: AllocSite): Pool {
  livePool(superPool);
  if (superPool.superPool !== null) throw new Error(`createSubPool: '${superPool.name}' is a sub-pool; sub-pools of sub-pools are not allowed`);
  checkName(name, 'pool name');
  if (findPool(name) !== null) throw new Error(`createSubPool: a memory pool named '${name}' exists already`);
  const sub = new Pool(name, superPool.objectSize, superPool.from, superPool.guardWords, superPool, superPool.emitter);
  pools.push(sub);
  sub.record({ kind: 'pool', pool: name, blockSize: sub.objectSize, blocks: 0, parent: superPool.name });
  expandPool(sub, n, site);
  sub.destructor = superPool.destructor;
  return sub;
}

/** Give a sub-pool's blocks back to its super-pool; throws while any is in use (`le_mem_DeleteSubPool`). */
export function deleteSubPool(sub: Pool, site?: AllocSite): void {
  livePool(sub);
  const sup = sub.superPool;
  if (sup === null) throw new Error(`deleteSubPool: '${sub.name}' is not a sub-pool`);
  if (sub.numBlocksInUse !== 0) throw new Error(`deleteSubPool: sub-pool '${sub.name}' deleted while ${sub.numBlocksInUse} blocks remain allocated`);
  for (const object of sub.freeList) sup.adopt(object);
  sup.numBlocksInUse -= sub.freeList.length;
  sub.freeList.length = 0;
  sub.deleted = true;
  pools.splice(pools.indexOf(sub), 1);
  if (sub.emitter !== null) sub.record({ kind: 'drop', pool: sub.name, site: where(site) });
}

const COLUMNS = ['TOTAL BLKS', 'USED BLKS', 'MAX USED', 'OVERFLOWS', 'ALLOCS', 'BLK BYTES', 'USED BYTES', 'MEMORY POOL', 'SUB-POOL'] as const;

/**
 * Legato's `inspect pools` table: one row per pool, columns as Legato
 * prints them (numbers right-aligned, the name left-aligned, " | " between).
 */
export function poolStats(): string {
  const rows = pools.map((p) => {
    const s = getStats(p);
    return [p.totalBlocks, s.numBlocksInUse, s.maxNumBlocksUsed, s.numOverflows, s.numAllocs, p.fullSize, p.fullSize * s.numBlocksInUse, p.name, p.superPool === null ? '' : '(Sub-pool)'].map(String);
  });
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 7 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join(' | ')
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)].join('\n') + '\n';
}

/** Forget every pool (their memory stays allocated, as Legato's would): for tests and re-initialised apps. */
export function resetPools(): void {
  pools.length = 0;
  owners.clear();
}

/** Every pool and sub-pool, in creation order. */
export function listPools(): readonly Pool[] {
  return pools;
}
