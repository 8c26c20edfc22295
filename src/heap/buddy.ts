/**
 * Buddy allocation (pw_allocator's `BuddyAllocator`, Knowlton's scheme):
 * blocks are powers of two from 16 bytes, each aligned to its size within
 * the arena. A request takes the smallest free block of its order, splitting
 * a larger one in halves as needed; a freed block merges with its buddy
 * (the other half of the block they were split from: offset XOR size) for
 * as long as that buddy is free and whole. One LIFO list per order, and a
 * bitmap of the orders that have free blocks.
 *
 *   0            4                  4 + 4·ORDERS    arena                          arena + L
 *   +------------+------------------+-------- ... --+------+------+----------+---- ... --+
 *   | order      | list heads       | pad to 16     | 16·2^k blocks, each aligned to its |
 *   | bitmap u32 | i32[ORDERS]      |               | size; the arena's length L, taken  |
 *   |            | (0 = empty)      |               | as tiles of decreasing powers of 2 |
 *   +------------+------------------+-------- ... --+------+------+----------+---- ... --+
 *
 *   block header: +0 i32 order | +4 i32 size | bit 0 = used; free blocks: +8 next, +12 prev
 *
 * Two blocks are buddies only if the block they would form lies inside the
 * arena: with tiles of decreasing aligned powers of two that is exactly
 * "ends by L", so the last tiles (smaller than the first) never merge across.
 */
import { DEFAULT_HEAP_BASE } from './allocator.js';
import { BLOCK_HEADER, type BlockOptions, checkInteger, corruption, liveOffset, regionWords, SIZE_BITS, usableAt, USED, walkBlocks, W_NEXT_FREE, W_PREV_FREE, W_SIZE } from './block.js';
import { noBlock } from './failure.js';
import { type Allocator, type AllocatorStats, type AllocSite, ownsByWalk, reallocateByResizeOrMove, statsOf, type WalkCallback } from './interface.js';

/** Smallest block: header and free-list links. */
export const MIN_BUDDY = 16;
const MIN_SHIFT = 4;
const W_BITMAP = 0;
const W_HEADS = 1;
const W_ORDER = 0;

/** Order of the smallest block holding `bytes` (header included). */
function orderFor(bytes: number): number {
  return bytes <= MIN_BUDDY ? 0 : 32 - Math.clz32(bytes - 1) - MIN_SHIFT;
}

export class BuddyAllocator implements Allocator {
  readonly name: string = 'buddy';
  readonly base: number;
  readonly capacity: number;
  readonly region: Uint8Array;
  private readonly i32: Int32Array;
  /** Number of orders: blocks of 16 << k for k < orders. */
  readonly orders: number;
  /** Offset of the arena, and its length (a multiple of 16). */
  readonly arena: number;
  readonly length: number;

  constructor(region: Uint8Array, options: BlockOptions = {}) {
    if ((options.alignment ?? 8) !== 8) throw new RangeError('buddy: payloads are 8-byte aligned; other alignments are not supported');
    this.base = options.base ?? DEFAULT_HEAP_BASE;
    this.i32 = regionWords(region, this.base, 8, 'buddy');
    this.region = region;
    this.capacity = region.byteLength;
    const maxOrders = Math.max(1, orderFor(this.capacity) + 1);
    this.arena = (4 + 4 * maxOrders + MIN_BUDDY - 1) & ~(MIN_BUDDY - 1);
    this.length = Math.max(0, (this.capacity - this.arena) & ~(MIN_BUDDY - 1));
    if (this.length < MIN_BUDDY) throw new RangeError(`buddy: a ${this.capacity}-byte region leaves no room for a block`);
    this.orders = 31 - Math.clz32(this.length) - MIN_SHIFT + 1;
    this.reset();
  }

  /** Largest block size. */
  get maxBlock(): number {
    return MIN_BUDDY << (this.orders - 1);
  }

  /** The empty heap: the arena as free tiles of decreasing powers of two. */
  reset(): void {
    this.region.fill(0, 0, this.arena);
    let at = 0;
    for (let k = this.orders - 1; k >= 0; k--) {
      const size = MIN_BUDDY << k;
      if ((this.length & size) !== 0) {
        this.push(this.arena + at, k);
        at += size;
      }
    }
  }

  private push(off: number, order: number): void {
    const i32 = this.i32;
    const w = off >> 2;
    const head = i32[W_HEADS + order];
    i32[w + W_ORDER] = order;
    i32[w + W_SIZE] = MIN_BUDDY << order;
    i32[w + W_NEXT_FREE] = head;
    i32[w + W_PREV_FREE] = 0;
    if (head !== 0) i32[(head >> 2) + W_PREV_FREE] = off;
    i32[W_HEADS + order] = off;
    i32[W_BITMAP] |= 1 << order;
  }

  private unlink(off: number, order: number): void {
    const i32 = this.i32;
    const w = off >> 2;
    const prev = i32[w + W_PREV_FREE];
    const next = i32[w + W_NEXT_FREE];
    if (next !== 0) i32[(next >> 2) + W_PREV_FREE] = prev;
    if (prev !== 0) i32[(prev >> 2) + W_NEXT_FREE] = next;
    else if ((i32[W_HEADS + order] = next) === 0) i32[W_BITMAP] &= ~(1 << order);
  }

  allocate(size: number, site?: AllocSite): number | null {
    if (!(size >= 1 && size <= this.maxBlock - BLOCK_HEADER)) return this.failed(size, site);
    if ((size | 0) !== size) checkInteger('buddy.allocate', size);
    const want = orderFor(size + BLOCK_HEADER);
    const i32 = this.i32;
    const avail = i32[W_BITMAP] & (~0 << want);
    if (avail === 0) return this.failed(size, site);
    let order = 31 - Math.clz32(avail & -avail);
    const off = i32[W_HEADS + order];
    this.unlink(off, order);
    // Split down to the wanted order: the upper halves become free.
    while (order > want) {
      order--;
      this.push(off + (MIN_BUDDY << order), order);
    }
    const w = off >> 2;
    i32[w + W_ORDER] = order;
    i32[w + W_SIZE] = (MIN_BUDDY << order) | USED;
    return this.base + off + BLOCK_HEADER;
  }

  private failed(size: number, site: AllocSite | undefined): null {
    return noBlock(this, size, site);
  }

  private liveBlock(address: number, what: string): number {
    const off = address - this.base - BLOCK_HEADER;
    return liveOffset(this, this.i32, address, off, off >= this.arena && off < this.arena + this.length && (off & (MIN_BUDDY - 1)) === 0, what);
  }

  free(address: number): void {
    let off = this.liveBlock(address, 'free');
    const i32 = this.i32;
    let order = i32[(off >> 2) + W_ORDER];
    while (order < this.orders - 1) {
      const size = MIN_BUDDY << order;
      const rel = off - this.arena;
      const merged = rel & ~size;
      if (merged + 2 * size > this.length) break;
      const buddy = this.arena + (rel ^ size);
      const bw = buddy >> 2;
      if ((i32[bw + W_SIZE] & USED) !== 0 || i32[bw + W_ORDER] !== order) break;
      this.unlink(buddy, order);
      // The upper half's header is inside the merged block now: make it say nothing.
      const absorbed = (Math.max(off, buddy) >> 2);
      i32[absorbed + W_ORDER] = 0;
      i32[absorbed + W_SIZE] = 0;
      off = this.arena + merged;
      order++;
    }
    this.push(off, order);
  }

  reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    return reallocateByResizeOrMove(this, address, size, site);
  }


  /** In place only while the block's power of two still holds the size. */
  resize(address: number, size: number): boolean {
    const off = this.liveBlock(address, 'resize');
    if (!(size >= 1)) return false;
    checkInteger('buddy.resize', size);
    return size + BLOCK_HEADER <= (this.i32[(off >> 2) + W_SIZE] & SIZE_BITS);
  }

  usableSize(address: number): number | null {
    const off = address - this.base - BLOCK_HEADER;
    return off >= this.arena && off < this.arena + this.length && (off & (MIN_BUDDY - 1)) === 0 ? usableAt(this.i32, off) : null;
  }

  owns(address: number): boolean {
    return this.usableSize(address) !== null && ownsByWalk(this, address, BLOCK_HEADER);
  }

  walk(cb: WalkCallback): void {
    walkBlocks(this, this.i32, this.arena, this.arena + this.length, cb);
  }

  stats(): AllocatorStats {
    return statsOf(this);
  }

  check(): void {
    const i32 = this.i32;
    const end = this.arena + this.length;
    const free = new Map<number, number>();
    let off = this.arena;
    while (off < end) {
      const w = off >> 2;
      const size = i32[w + W_SIZE] & SIZE_BITS;
      const order = i32[w + W_ORDER];
      if (!(order >= 0 && order < this.orders) || size !== MIN_BUDDY << order) throw corruption(this, 'invariant', off, `block size ${size} is not 16 << order ${order}`);
      if ((off - this.arena) % size !== 0 || off + size > end) throw corruption(this, 'invariant', off, `block of ${size} bytes not aligned to its size in the arena`);
      if ((i32[w + W_SIZE] & USED) === 0) free.set(off, order);
      off += size;
    }
    if (off !== end) throw corruption(this, 'invariant', off, 'blocks do not tile the arena');
    for (const [at, order] of free) {
      const size = MIN_BUDDY << order;
      const rel = at - this.arena;
      if ((rel & ~size) + 2 * size <= this.length && order < this.orders - 1 && free.get(this.arena + (rel ^ size)) === order) {
        throw corruption(this, 'invariant', at, 'a free block and its free buddy are not merged');
      }
    }
    let listed = 0;
    let bitmap = 0;
    for (let order = 0; order < this.orders; order++) {
      let back = 0;
      for (let at = i32[W_HEADS + order]; at !== 0; at = i32[(at >> 2) + W_NEXT_FREE]) {
        if (free.get(at) !== order) throw corruption(this, 'invariant', at, `list ${order} holds a block that is not a free block of that order`);
        if (i32[(at >> 2) + W_PREV_FREE] !== back) throw corruption(this, 'invariant', at, 'free-list back link does not name the previous entry');
        if (++listed > free.size) throw corruption(this, 'invariant', at, 'free lists hold more entries than there are free blocks');
        bitmap |= 1 << order;
        back = at;
      }
    }
    if (listed !== free.size) throw corruption(this, 'invariant', 0, `${free.size} free blocks but ${listed} listed`);
    if (i32[W_BITMAP] !== bitmap) throw corruption(this, 'invariant', 0, 'order bitmap disagrees with the lists');
  }
}
