/**
 * The instrumented heap: the SDK's allocator (`mem_*`, byte-faithful), an
 * idiomatic `Heap` class, and the app-level `APP_MEM_*` wrappers that print
 * memory-profiling records (SPEC §6).
 */
export {
  DEFAULT_HEAP_BASE,
  HEAP_HEADER_SIZE,
  MAX_ALLOC_SIZE,
  MAX_HEAP_SIZE,
  MIN_HEAP_SIZE,
  HeapCorruptionError,
  MemCtx,
  mem_alloc,
  mem_block_size,
  mem_check,
  mem_free,
  mem_init,
  mem_parse,
  mem_realloc,
  mem_stat,
  mem_stat_ex,
} from './allocator.js';
export type { HeapCorruptionReason, MemInitOptions, MemParseCallback, MemStat, MemStatEx } from './allocator.js';
export { Heap } from './heap.js';
export type { HeapChunk } from './heap.js';
export {
  APP_MEM_ALLOC,
  APP_MEM_CALLOC,
  APP_MEM_FREE,
  APP_MEM_FREE_AND_NULL,
  APP_MEM_PERMANENT,
  APP_MEM_REALLOC,
  APP_MEM_STRDUP,
  AppHeap,
  mem_utils_heap,
  mem_utils_init,
} from './app-heap.js';
export type { AppHeapOptions, PtrRef } from './app-heap.js';
export { callerSite } from './call-site.js';

// The toolkit (SPEC §6.4–§6.7): one Allocator interface, strategies, decorators, pools, the failure path.
export type { Allocator, AllocatorStats, AllocSite, Chunk, WalkCallback } from './interface.js';
export { statsOf } from './interface.js';
export { createAllocator, STRATEGIES } from './create.js';
export type { CreateAllocatorOptions, StrategyName } from './create.js';
export { SdkAllocator } from './sdk.js';
export { BlockAllocator, BLOCK_HEADER, MIN_BLOCK } from './block.js';
export type { BlockOptions } from './block.js';
export { BinnedAllocator } from './bins.js';
export { FirstFitAllocator } from './first-fit.js';
export { BestFitAllocator } from './best-fit.js';
export { WorstFitAllocator } from './worst-fit.js';
export { TlsfAllocator } from './tlsf.js';
export { BumpAllocator } from './bump.js';
export { BuddyAllocator, MIN_BUDDY } from './buddy.js';
export { profile, ProfilingAllocator, toSink } from './profile.js';
export type { ProfileOptions, RecordSink, SiteSource } from './profile.js';
export { track, TrackingAllocator } from './track.js';
export type { TrackingMetrics, TrackOptions } from './track.js';
export { harden, HardenedAllocator } from './harden.js';
export type { HardenLevel, HardenOptions } from './harden.js';
export { onAllocFailure } from './failure.js';
export type { AllocFailureContext, AllocFailureHandler } from './failure.js';
export { currentReserve, releaseReserve, Reserve, reserve } from './reserve.js';
export {
  addRef,
  assertAlloc,
  createPool,
  createSubPool,
  deleteSubPool,
  DEFAULT_POOL_GUARD_WORDS,
  expandPool,
  findPool,
  forceAlloc,
  getObjectCount,
  getObjectFullSize,
  getObjectSize,
  getRefCount,
  getStats,
  listPools,
  objectBytes,
  Pool,
  PoolExhaustedError,
  poolStats,
  release,
  resetPools,
  resetStats,
  setDestructor,
  setNumObjsToForce,
  strDup,
  tryAlloc,
} from './pool.js';
export type { Destructor, PoolOptions, PoolStats } from './pool.js';
