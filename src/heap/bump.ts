/**
 * Bump allocation (pw_allocator's `BumpAllocator`): blocks are carved one
 * after the other from a moving top; `free` marks a block freed but gives
 * nothing back — memory returns only with `reset()`, all at once (an arena
 * per request, per frame, per test). The last block can grow or shrink in
 * place, since nothing follows it.
 *
 *   0        4        8            first                            top            end
 *   +--------+--------+---- ... ---+--------+---------+--------+----+--------------+
 *   | top    | (0)    | pad        | header | payload | header | .. | never used   |
 *   | i32    |        |            | 8 B    |         |        |    | (free chunk) |
 *   +--------+--------+---- ... ---+--------+---------+--------+----+--------------+
 *
 *   block header: +0 i32 requested size (informative) | +4 i32 size | bit 0 = live
 *
 * A freed block stays in the walk as a chunk that is not used: it is lost
 * until `reset()`, and counts as free space that no request can have.
 */
import { DEFAULT_HEAP_BASE } from './allocator.js';
import { BLOCK_HEADER, type BlockOptions, checkInteger, corruption, liveOffset, MIN_BLOCK, regionWords, SIZE_BITS, usableAt, USED, walkBlocks, W_SIZE } from './block.js';
import { noBlock } from './failure.js';
import { type Allocator, type AllocatorStats, type AllocSite, ownsByWalk, reallocateByResizeOrMove, statsOf, type WalkCallback } from './interface.js';

const W_TOP = 0; // word: offset of the next block
const HEADER_BYTES = 8;
const W_REQUESTED = 0;

export class BumpAllocator implements Allocator {
  readonly name: string = 'bump';
  readonly base: number;
  readonly capacity: number;
  readonly region: Uint8Array;
  readonly alignment: number;
  private readonly i32: Int32Array;
  readonly first: number;
  readonly end: number;

  constructor(region: Uint8Array, options: BlockOptions = {}) {
    this.alignment = options.alignment ?? 8;
    this.base = options.base ?? DEFAULT_HEAP_BASE;
    this.i32 = regionWords(region, this.base, this.alignment, 'bump');
    this.region = region;
    this.capacity = region.byteLength;
    const a = this.alignment;
    this.first = ((HEADER_BYTES + BLOCK_HEADER + a - 1) & ~(a - 1)) - BLOCK_HEADER;
    this.end = this.first + Math.floor((this.capacity - this.first) / a) * a;
    if (this.end - this.first < MIN_BLOCK) throw new RangeError(`bump: a ${this.capacity}-byte region leaves no room for a block`);
    this.reset();
  }

  /** Every block is gone: the top goes back to the start. */
  reset(): void {
    this.region.fill(0, 0, HEADER_BYTES);
    this.i32[W_TOP] = this.first;
  }

  /** Offset of the next block. */
  get top(): number {
    return this.i32[W_TOP];
  }

  private blockSize(n: number): number {
    const a = this.alignment - 1;
    const s = (n + BLOCK_HEADER + a) & ~a;
    return s < MIN_BLOCK ? MIN_BLOCK : s;
  }

  allocate(size: number, site?: AllocSite): number | null {
    const i32 = this.i32;
    const top = i32[W_TOP];
    if (!(size >= 1 && size <= this.end - top - BLOCK_HEADER)) return this.failed(size, site);
    if ((size | 0) !== size) checkInteger('bump.allocate', size);
    const need = this.blockSize(size);
    if (top + need > this.end) return this.failed(size, site);
    const w = top >> 2;
    i32[w + W_REQUESTED] = size;
    i32[w + W_SIZE] = need | USED;
    i32[W_TOP] = top + need;
    return this.base + top + BLOCK_HEADER;
  }

  private failed(size: number, site: AllocSite | undefined): null {
    return noBlock(this, size, site);
  }

  private liveBlock(address: number, what: string): number {
    const off = address - this.base - BLOCK_HEADER;
    return liveOffset(this, this.i32, address, off, off >= this.first && off < this.i32[W_TOP] && off % this.alignment === this.first % this.alignment, what);
  }

  free(address: number): void {
    const off = this.liveBlock(address, 'free');
    this.i32[(off >> 2) + W_SIZE] &= ~USED;
  }

  reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    return reallocateByResizeOrMove(this, address, size, site);
  }


  /** Any block keeps a smaller size in place; the last one also grows or gives back its tail. */
  resize(address: number, size: number): boolean {
    const off = this.liveBlock(address, 'resize');
    if (!(size >= 1)) return false;
    checkInteger('bump.resize', size);
    const i32 = this.i32;
    const w = off >> 2;
    const cur = i32[w + W_SIZE] & SIZE_BITS;
    const need = this.blockSize(size);
    if (off + cur === i32[W_TOP]) {
      if (off + need > this.end) return false;
      i32[w + W_SIZE] = need | USED;
      i32[W_TOP] = off + need;
    } else if (need > cur) {
      return false;
    }
    i32[w + W_REQUESTED] = size;
    return true;
  }

  usableSize(address: number): number | null {
    const off = address - this.base - BLOCK_HEADER;
    return off >= this.first && off < this.i32[W_TOP] && off % this.alignment === this.first % this.alignment ? usableAt(this.i32, off) : null;
  }

  owns(address: number): boolean {
    return this.usableSize(address) !== null && ownsByWalk(this, address, BLOCK_HEADER);
  }

  walk(cb: WalkCallback): void {
    const top = this.i32[W_TOP];
    let stopped = false;
    walkBlocks(this, this.i32, this.first, top, (c) => (stopped = cb(c) === true));
    if (!stopped && top < this.end) cb({ address: this.base + top, size: this.end - top, used: false });
  }

  stats(): AllocatorStats {
    return statsOf(this);
  }

  check(): void {
    const i32 = this.i32;
    const top = i32[W_TOP];
    if (!(top >= this.first && top <= this.end) || (top - this.first) % this.alignment !== 0) {
      throw corruption(this, 'invariant', 0, `top ${top} outside [${this.first}, ${this.end}] or misaligned`);
    }
    let off = this.first;
    while (off < top) {
      const size = i32[(off >> 2) + W_SIZE] & SIZE_BITS;
      if (size < MIN_BLOCK || size % this.alignment !== 0 || off + size > top) throw corruption(this, 'invariant', off, `bad block size ${size}`);
      off += size;
    }
    if (off !== top) throw corruption(this, 'invariant', off, 'blocks do not end at the top');
  }
}
