/**
 * Blocks with boundary tags, as pw_allocator's `Block`: the layout shared by
 * the first-fit, best-fit, worst-fit and TLSF strategies. A strategy owns a
 * header at the start of the region (its free-list heads, its bitmaps) and
 * decides which free block serves a request; this module splits, merges,
 * walks and checks the blocks themselves. Everything lives in the region.
 *
 *   0           first                                                  end   capacity
 *   +-----------+---------+--------------+---------+-------------+ ... +-----+
 *   | strategy  | header  | payload      | header  | payload     |     | (unusable
 *   | header    | 8 bytes | (size - 8)   | 8 bytes |             |     |  tail)
 *   +-----------+---------+--------------+---------+-------------+ ... +-----+
 *
 *   block header (little-endian i32 words)      free block: links in the payload
 *   +0  +--------------------------------+       +8   +------------------------+
 *       | prev size (bytes, 0 = first)   |            | next free (offset, 0=end)|
 *   +4  +--------------------------------+       +12  +------------------------+
 *       | size (bytes) | bit 0 = used    |            | prev free (offset, 0)   |
 *   +8  +--------------------------------+  <- payload, aligned to `alignment`
 *
 * Sizes are multiples of the alignment (at least 8) and at least 16 bytes, so
 * a free block always holds its links. Blocks tile [first, end) exactly; no
 * two free blocks are neighbours (a free merges with free neighbours).
 */
import { DEFAULT_HEAP_BASE, HeapCorruptionError } from './allocator.js';
import { noBlock } from './failure.js';
import { type Allocator, type AllocatorStats, type AllocSite, ownsByWalk, reallocateByResizeOrMove, statsOf, type WalkCallback } from './interface.js';

/** Block header size, and the payload's offset from the block. */
export const BLOCK_HEADER = 8;
/** Smallest block: header plus the two free-list links. */
export const MIN_BLOCK = 16;

// Word offsets from a block's first word.
export const W_PREV_SIZE = 0;
export const W_SIZE = 1; // size | USED
export const W_NEXT_FREE = 2;
export const W_PREV_FREE = 3;
export const USED = 1;
export const SIZE_BITS = ~7;

export interface BlockOptions {
  /** Address of the region's first byte. Default 0xda7a0000. */
  base?: number;
  /** Payload alignment, a power of two ≥ 8. Default 8. */
  alignment?: number;
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** The region as i32 words; the checks every strategy makes on its region and options. */
export function regionWords(region: Uint8Array, base: number, alignment: number, what: string): Int32Array {
  if (!(region instanceof Uint8Array)) throw new TypeError(`${what}: region must be a Uint8Array`);
  if (region.byteOffset % 4 !== 0) throw new RangeError(`${what}: region must start at a multiple of 4 bytes in its buffer`);
  if (!(alignment >= 8 && (alignment & (alignment - 1)) === 0)) throw new RangeError(`${what}: alignment ${alignment} must be a power of two ≥ 8`);
  if (!Number.isInteger(base) || base < 0 || base % alignment !== 0 || base + region.byteLength > 2 ** 32) {
    throw new RangeError(`${what}: base ${String(base)} must be ${alignment}-byte aligned and keep the region in the 32-bit address space`);
  }
  return new Int32Array(region.buffer, region.byteOffset, region.byteLength >> 2);
}

/** Out of line: what the hot paths throw. */
export function corruption(a: Allocator, reason: 'invariant' | 'wild-pointer' | 'double-free', offset: number, detail: string): HeapCorruptionError {
  return new HeapCorruptionError(`${a.name}: heap corruption at ${hex(a.base + offset)}: ${detail}`, reason, a.base + offset);
}

/** Throws unless `size` is an integer (a fraction or a non-number is a programming error). */
export function checkInteger(what: string, size: number): void {
  if (typeof size !== 'number' || size % 1 !== 0) throw new TypeError(`${what}: size must be an integer, got ${String(size)}`);
}

/**
 * Offset of the live block whose payload is `address`, `off` being its
 * block offset and `inRange` whether that offset can be a block; throws
 * for anything else (the C code would corrupt the heap).
 */
export function liveOffset(a: Allocator, i32: Int32Array, address: number, off: number, inRange: boolean, what: string): number {
  if (!inRange) throw corruption(a, 'wild-pointer', address - a.base, `${what} of an address outside the heap's blocks`);
  if ((i32[(off >> 2) + W_SIZE] & USED) === 0) throw corruption(a, 'double-free', off, `${what} of a free block`);
  return off;
}

/** Usable bytes of the block at `off` if it is used, else null. */
export function usableAt(i32: Int32Array, off: number): number | null {
  const w1 = i32[(off >> 2) + W_SIZE];
  return (w1 & USED) === 0 ? null : (w1 & SIZE_BITS) - BLOCK_HEADER;
}

/** Walk tagged blocks from offset `from` to `to`, as chunks. */
export function walkBlocks(a: Allocator, i32: Int32Array, from: number, to: number, cb: WalkCallback): void {
  for (let off = from; off < to; ) {
    const w1 = i32[(off >> 2) + W_SIZE];
    const size = w1 & SIZE_BITS;
    if (cb({ address: a.base + off, size, used: (w1 & USED) !== 0 }) === true || size <= 0) return;
    off += size;
  }
}

/**
 * The boundary-tag block layer. Subclasses keep their free blocks in lists
 * of their own (`insertFree`, `removeFree`), pick the block for a request
 * (`findFree`) and check their lists (`checkLists`).
 */
export abstract class BlockAllocator implements Allocator {
  abstract readonly name: string;
  readonly base: number;
  readonly capacity: number;
  readonly region: Uint8Array;
  readonly alignment: number;
  /** @internal */ readonly i32: Int32Array;
  /** Offset of the first block. */
  readonly first: number;
  /** Offset one past the last block. */
  readonly end: number;
  /** Largest request a block can ever serve. */
  readonly maxRequest: number;

  /** `headerBytes`: the strategy's header at offset 0. */
  constructor(region: Uint8Array, options: BlockOptions, headerBytes: number, what: string) {
    this.alignment = options.alignment ?? 8;
    this.base = options.base ?? DEFAULT_HEAP_BASE;
    this.i32 = regionWords(region, this.base, this.alignment, what);
    this.region = region;
    this.capacity = region.byteLength;
    const a = this.alignment;
    // The first payload (first + 8) is aligned; so is every later one, block sizes being multiples of `a`.
    this.first = ((headerBytes + BLOCK_HEADER + a - 1) & ~(a - 1)) - BLOCK_HEADER;
    this.end = this.first + Math.floor((this.capacity - this.first) / a) * a;
    if (this.end - this.first < MIN_BLOCK) throw new RangeError(`${what}: a ${this.capacity}-byte region leaves no room for a block`);
    this.maxRequest = this.end - this.first - BLOCK_HEADER;
  }

  /** Lay out the empty heap: the strategy's header zeroed, one free block. Subclasses call it last. */
  protected format(headerBytes: number): void {
    this.region.fill(0, 0, headerBytes);
    const w = this.first >> 2;
    this.i32[w + W_PREV_SIZE] = 0;
    this.i32[w + W_SIZE] = this.end - this.first;
    this.insertFree(this.first);
  }

  abstract reset(): void;
  /** Put free block `off` (its size set, used bit clear) in the strategy's lists. */
  protected abstract insertFree(off: number): void;
  /** Take free block `off` out of the strategy's lists. */
  protected abstract removeFree(off: number): void;
  /** A free block of at least `need` bytes, or -1. */
  protected abstract findFree(need: number): number;
  /** Check the strategy's lists against the free blocks found by the walk; throws. */
  protected abstract checkLists(freeBlocks: Set<number>): void;

  /** Block size for a request of `n` bytes. */
  protected blockSize(n: number): number {
    const a = this.alignment - 1;
    const s = (n + BLOCK_HEADER + a) & ~a;
    return s < MIN_BLOCK ? MIN_BLOCK : s;
  }

  allocate(size: number, site?: AllocSite): number | null {
    if (!(size >= 1 && size <= this.maxRequest)) return this.failed(size, site);
    if ((size | 0) !== size) checkInteger(`${this.name}.allocate`, size);
    const need = this.blockSize(size);
    const off = this.findFree(need);
    if (off < 0) return this.failed(size, site);
    this.removeFree(off);
    this.take(off, need);
    return this.base + off + BLOCK_HEADER;
  }

  /** Mark free block `off` (already out of the lists) used, splitting off what is beyond `need`. */
  private take(off: number, need: number): void {
    const i32 = this.i32;
    const w = off >> 2;
    const size = i32[w + W_SIZE] & SIZE_BITS;
    // Used first: a strategy placing the tail may look back at this block.
    if (size - need >= MIN_BLOCK) {
      i32[w + W_SIZE] = need | USED;
      this.splitFree(off + need, need, size - need);
    } else {
      i32[w + W_SIZE] = size | USED;
    }
  }

  /** Make a free block of `size` at `at` after a block of `prevSize`, fix its successor's back tag, list it. */
  private splitFree(at: number, prevSize: number, size: number): void {
    const i32 = this.i32;
    const w = at >> 2;
    i32[w + W_PREV_SIZE] = prevSize;
    i32[w + W_SIZE] = size;
    const next = at + size;
    if (next < this.end) i32[(next >> 2) + W_PREV_SIZE] = size;
    this.insertFree(at);
  }

  private failed(size: number, site: AllocSite | undefined): null {
    return noBlock(this, size, site);
  }

  /** Block offset of a live block's payload address; throws for anything else. */
  protected liveBlock(address: number, what: string): number {
    const off = address - this.base - BLOCK_HEADER;
    const inRange = off >= this.first && off < this.end && off % this.alignment === this.first % this.alignment;
    return liveOffset(this, this.i32, address, off, inRange, what);
  }

  free(address: number): void {
    let off = this.liveBlock(address, 'free');
    const i32 = this.i32;
    const end = this.end;
    let size = i32[(off >> 2) + W_SIZE] & SIZE_BITS;
    const next = off + size;
    if (next < end) {
      const nw = i32[(next >> 2) + W_SIZE];
      if ((nw & USED) === 0) {
        this.removeFree(next);
        size += nw;
      }
    }
    const prevSize = i32[(off >> 2) + W_PREV_SIZE];
    if (prevSize !== 0) {
      const prev = off - prevSize;
      if ((i32[(prev >> 2) + W_SIZE] & USED) === 0) {
        this.removeFree(prev);
        off = prev;
        size += prevSize;
      }
    }
    i32[(off >> 2) + W_SIZE] = size;
    if (off + size < end) i32[((off + size) >> 2) + W_PREV_SIZE] = size;
    this.insertFree(off);
  }

  reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    return reallocateByResizeOrMove(this, address, size, site);
  }


  /** In place: shrink (the tail freed and merged onward) or grow into a free successor. */
  resize(address: number, size: number): boolean {
    const off = this.liveBlock(address, 'resize');
    if (!(size >= 1 && size <= this.maxRequest)) return false;
    checkInteger(`${this.name}.resize`, size);
    const i32 = this.i32;
    const w = off >> 2;
    const cur = i32[w + W_SIZE] & SIZE_BITS;
    const need = this.blockSize(size);
    const next = off + cur;
    const nextFree = next < this.end && (i32[(next >> 2) + W_SIZE] & USED) === 0;
    if (need <= cur) {
      // Shrink: the tail, with a free successor, becomes one free block.
      let tail = cur - need;
      if (nextFree) {
        this.removeFree(next);
        tail += i32[(next >> 2) + W_SIZE];
      }
      if (tail >= MIN_BLOCK) {
        i32[w + W_SIZE] = need | USED;
        this.splitFree(off + need, need, tail);
      } else if (nextFree) {
        this.insertFree(next); // nothing to split off after all
      }
      return true;
    }
    if (!nextFree) return false;
    const joined = cur + i32[(next >> 2) + W_SIZE];
    if (joined < need) return false;
    this.removeFree(next);
    i32[w + W_SIZE] = joined; // one free block for a moment, then taken
    if (off + joined < this.end) i32[((off + joined) >> 2) + W_PREV_SIZE] = joined;
    this.take(off, need);
    return true;
  }

  usableSize(address: number): number | null {
    const off = address - this.base - BLOCK_HEADER;
    return off >= this.first && off < this.end && off % this.alignment === this.first % this.alignment ? usableAt(this.i32, off) : null;
  }

  owns(address: number): boolean {
    return this.usableSize(address) !== null && ownsByWalk(this, address, BLOCK_HEADER);
  }

  walk(cb: WalkCallback): void {
    walkBlocks(this, this.i32, this.first, this.end, cb);
  }

  stats(): AllocatorStats {
    return statsOf(this);
  }

  check(): void {
    const i32 = this.i32;
    const free = new Set<number>();
    let prevSize = 0;
    let prevFree = false;
    let off = this.first;
    while (off < this.end) {
      const w = off >> 2;
      const size = i32[w + W_SIZE] & SIZE_BITS;
      if (size < MIN_BLOCK || size % this.alignment !== 0 || off + size > this.end) throw corruption(this, 'invariant', off, `bad block size ${size}`);
      if (i32[w + W_PREV_SIZE] !== prevSize) throw corruption(this, 'invariant', off, `prev size ${i32[w + W_PREV_SIZE]} but the previous block has ${prevSize}`);
      const isFree = (i32[w + W_SIZE] & USED) === 0;
      if (isFree && prevFree) throw corruption(this, 'invariant', off, 'two free blocks side by side (not merged)');
      if (isFree) free.add(off);
      prevFree = isFree;
      prevSize = size;
      off += size;
    }
    if (off !== this.end) throw corruption(this, 'invariant', off, 'blocks do not tile the region');
    this.checkLists(free);
  }

  /**
   * Walk a doubly linked free list from `head`: each entry a listed free block,
   * back links agreeing; calls `visit` on each; throws on a broken list.
   */
  protected checkList(head: number, free: Set<number>, seen: Set<number>, visit: (off: number, size: number) => void): void {
    const i32 = this.i32;
    let back = 0;
    for (let off = head; off !== 0; off = i32[(off >> 2) + W_NEXT_FREE]) {
      if (!free.has(off)) throw corruption(this, 'invariant', off, 'a free list holds a block that is not a free block');
      if (seen.has(off)) throw corruption(this, 'invariant', off, 'a free block is listed twice');
      if (i32[(off >> 2) + W_PREV_FREE] !== back) throw corruption(this, 'invariant', off, 'free-list back link does not name the previous entry');
      seen.add(off);
      visit(off, i32[(off >> 2) + W_SIZE] & SIZE_BITS);
      back = off;
    }
  }

  /** Every free block was listed. */
  protected checkAllListed(free: Set<number>, seen: Set<number>): void {
    for (const off of free) if (!seen.has(off)) throw corruption(this, 'invariant', off, 'free block missing from the free lists');
  }
}
