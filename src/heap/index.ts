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
