/**
 * The SDK's allocator (allocator.ts, byte-faithful) behind the `Allocator`
 * interface: the `sdk` strategy, and what the app heap profiles. Each
 * method is a thin call into the `mem_*` functions, so that the interface
 * costs nothing V8 cannot inline.
 */
import {
  MAX_HEAP_SIZE,
  MIN_HEAP_SIZE,
  type MemCtx,
  type MemInitOptions,
  mem_alloc,
  mem_check,
  mem_free,
  mem_init,
  mem_parse,
  mem_realloc,
  mem_stat_ex,
  payloadChunk,
} from './allocator.js';
import { allocationFailed } from './failure.js';
import { type Allocator, type AllocatorStats, type AllocSite, ownsByWalk, type WalkCallback } from './interface.js';

/** Offset of an allocated chunk's payload from its header. */
const PAYLOAD_OFFSET = 4;
const SIZE_MASK = 0x7fff;
const ALLOCATED = 0x8000;

export class SdkAllocator implements Allocator {
  readonly name: string = 'sdk';
  /** The `mem_*` context: the same heap through the C-style API. */
  ctx: MemCtx;
  private readonly options: MemInitOptions;

  /** Over `region` (throws a RangeError where `mem_init` returns null), or around a context. */
  constructor(regionOrCtx: Uint8Array | MemCtx, options: MemInitOptions = {}) {
    this.options = options;
    this.ctx = regionOrCtx instanceof Uint8Array ? init(regionOrCtx, options) : regionOrCtx;
  }

  get base(): number {
    return this.ctx.base;
  }
  get capacity(): number {
    return this.ctx.size;
  }
  get region(): Uint8Array {
    return this.ctx.region;
  }

  allocate(size: number, site?: AllocSite): number | null {
    const p = mem_alloc(this.ctx, size);
    if (p === null) allocationFailed(this, size, site);
    return p;
  }

  free(address: number): void {
    mem_free(this.ctx, address);
  }

  /** The SDK's realloc; a pointer outside the payload area is refused (null) and is no allocation failure. */
  reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    const p = mem_realloc(this.ctx, address, size);
    if (p === null && (address === null || address === 0 || (size !== 0 && payloadChunk(this.ctx, address) >= 0))) allocationFailed(this, size, site);
    return p;
  }

  /** In place when the block's payload already holds `size` (the tail split off as realloc does). */
  resize(address: number, size: number): boolean {
    const usable = this.usableSize(address);
    if (usable === null || !(size >= 1) || size > usable) return false;
    return mem_realloc(this.ctx, address, size) === address;
  }

  usableSize(address: number): number | null {
    const chunk = payloadChunk(this.ctx, address);
    if (chunk < 0) return null;
    const w0 = this.ctx.u16[chunk >> 1];
    const size = w0 & SIZE_MASK;
    if ((w0 & ALLOCATED) === 0 || size < 8 || chunk + size > this.ctx.size) return null;
    return size - PAYLOAD_OFFSET;
  }

  owns(address: number): boolean {
    return this.usableSize(address) !== null && ownsByWalk(this, address, PAYLOAD_OFFSET);
  }

  walk(cb: WalkCallback): void {
    mem_parse(this.ctx, (address, used, size) => cb({ address, size, used }));
  }

  stats(): AllocatorStats {
    const s = mem_stat_ex(this.ctx);
    return {
      total_size: s.total_size,
      free_size: s.free_size,
      allocated_size: s.allocated_size,
      nb_chunks: s.nb_chunks,
      nb_allocated: s.nb_allocated,
      largestFree: s.largest_free,
      freeBlocks: s.nb_free,
      fragmentation: s.fragmentation,
    };
  }

  check(): void {
    mem_check(this.ctx);
  }

  /** `mem_init` again over the same region: every block is gone. */
  reset(): void {
    this.ctx = init(this.ctx.region, { ...this.options, base: this.ctx.base });
  }
}

function init(region: Uint8Array, options: MemInitOptions): MemCtx {
  const ctx = mem_init(region, options);
  if (ctx === null) {
    throw new RangeError(`sdk: heap size ${region.byteLength} refused: it must be a multiple of 8 between ${MIN_HEAP_SIZE} and ${MAX_HEAP_SIZE}`);
  }
  return ctx;
}

