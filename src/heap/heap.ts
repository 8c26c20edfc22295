/**
 * `Heap`: the SDK allocator behind an idiomatic TypeScript class, with access
 * to a block's bytes. Same semantics as the `mem_*` functions it wraps.
 */
import {
  DEFAULT_HEAP_BASE,
  MemCtx,
  type MemInitOptions,
  type MemStat,
  type MemStatEx,
  MIN_HEAP_SIZE,
  MAX_HEAP_SIZE,
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

export interface HeapChunk {
  /** Address of the chunk header. */
  address: number;
  /** Address of the payload (header + 4); meaningful for allocated chunks. */
  payload: number;
  allocated: boolean;
  /** Chunk size, header included. */
  size: number;
}

export class Heap {
  /** The `mem_*` context, for mixing both APIs. */
  readonly ctx: MemCtx;

  /**
   * A heap over `region`, or over a fresh zeroed region of `size` bytes, or
   * around an existing `mem_init` context. Throws a RangeError where
   * `mem_init` would return null.
   */
  constructor(regionOrSize: Uint8Array | number | MemCtx, options: MemInitOptions = {}) {
    if (regionOrSize instanceof MemCtx) {
      this.ctx = regionOrSize;
      return;
    }
    const region = typeof regionOrSize === 'number' ? new Uint8Array(regionOrSize) : regionOrSize;
    const ctx = mem_init(region, options);
    if (ctx === null) {
      throw new RangeError(
        `heap size ${region.byteLength} refused: it must be a multiple of 8 between ${MIN_HEAP_SIZE} and ${MAX_HEAP_SIZE}`,
      );
    }
    this.ctx = ctx;
  }

  get base(): number {
    return this.ctx.base;
  }
  get size(): number {
    return this.ctx.size;
  }
  /** The backing memory (heap header and chunk headers included). */
  get region(): Uint8Array {
    return this.ctx.region;
  }

  alloc(n: number): number | null {
    return mem_alloc(this.ctx, n);
  }
  realloc(ptr: number | null, n: number): number | null {
    return mem_realloc(this.ctx, ptr, n);
  }
  free(ptr: number): void {
    mem_free(this.ctx, ptr);
  }
  stat(): MemStat {
    return mem_stat(this.ctx);
  }
  /** `stat()` plus largest free chunk and fragmentation score. */
  statEx(): MemStatEx {
    return mem_stat_ex(this.ctx);
  }
  /** Throws a HeapCorruptionError if any allocator invariant is broken. */
  check(): void {
    mem_check(this.ctx);
  }

  /** The chunks in address order. */
  chunks(): HeapChunk[] {
    const out: HeapChunk[] = [];
    mem_parse(this.ctx, (address, allocated, size) => {
      out.push({ address, payload: address + 4, allocated, size });
    });
    return out;
  }

  /** Usable bytes of an allocated block (at least what was requested). */
  blockSize(ptr: number): number {
    return mem_block_size(this.ctx, ptr);
  }

  /** A live view of a block's usable bytes: writes go straight to the heap. */
  bytes(ptr: number): Uint8Array {
    const n = mem_block_size(this.ctx, ptr);
    const off = ptr - this.ctx.base;
    return this.ctx.region.subarray(off, off + n);
  }

  /** A copy of `length` bytes of a block from `offset` (default: all usable bytes). */
  read(ptr: number, length?: number, offset = 0): Uint8Array {
    const view = this.bytes(ptr);
    const n = length ?? view.length - offset;
    checkSpan(ptr, view.length, offset, n);
    return view.slice(offset, offset + n);
  }

  /** Copy `data` into a block at `offset`; throws rather than overflow the block. */
  write(ptr: number, data: ArrayLike<number>, offset = 0): void {
    const view = this.bytes(ptr);
    checkSpan(ptr, view.length, offset, data.length);
    view.set(data, offset);
  }

  /** The NUL-terminated UTF-8 string stored in a block. */
  readString(ptr: number): string {
    const view = this.bytes(ptr);
    const nul = view.indexOf(0);
    return new TextDecoder().decode(nul < 0 ? view : view.subarray(0, nul));
  }

  /** Default address of the heap, as in the SDK's logs. */
  static readonly DEFAULT_BASE = DEFAULT_HEAP_BASE;
}

function checkSpan(ptr: number, blockLength: number, offset: number, length: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > blockLength) {
    throw new RangeError(
      `bytes [${offset}, ${offset + length}) are outside block 0x${(ptr >>> 0).toString(16).padStart(8, '0')} of ${blockLength} usable bytes`,
    );
  }
}
