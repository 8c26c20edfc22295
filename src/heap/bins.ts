/**
 * The two-level segregated index of TLSF (Masmano, Ripoll et al.; Conte's
 * tlsf, AssemblyScript's TLSF), shared by the `tlsf`, `best-fit` and
 * `worst-fit` strategies: free blocks sit in bins by size, the first level
 * by floor(log2 size), the second splitting each power of two in 16; a
 * bitmap per level says which bins are non-empty, so the next bin holding a
 * block is found with two bit scans. Sizes below 128 share the first level
 * linearly (16 bins of 8 bytes).
 *
 *   0            4                4 + 4·FL          4 + 4·FL + 64·FL           first
 *   +------------+----------------+-----------------------------+ ... +------------------
 *   | fl bitmap  | sl bitmaps     | bin heads [FL][16]          | pad | blocks (block.ts)
 *   | u32        | u32[FL]        | i32 offsets, 0 = empty bin  |     |
 *   +------------+----------------+-----------------------------+ ... +------------------
 */
import { BlockAllocator, type BlockOptions, corruption, W_NEXT_FREE, W_PREV_FREE, W_SIZE } from './block.js';

export const SL_BITS = 4;
export const SL_COUNT = 1 << SL_BITS;
/** Sizes below this are binned linearly in the first level (8-byte steps). */
const SMALL = 1 << (SL_BITS + 3);
const SMALL_SHIFT = 3;
/** log2(SMALL) - 1: first-level index 1 is [SMALL, 2·SMALL). */
const FL_SHIFT = SL_BITS + 3 - 1;

const W_FL_BITMAP = 0;
const W_SL_BITMAPS = 1;

/** First-level index of a block size. */
export function flOf(size: number): number {
  return size < SMALL ? 0 : 31 - Math.clz32(size) - FL_SHIFT;
}

/** Second-level index of a block size. */
export function slOf(size: number): number {
  return size < SMALL ? size >>> SMALL_SHIFT : (size >>> (31 - Math.clz32(size) - SL_BITS)) ^ SL_COUNT;
}

/** Number of first-level classes a region of `capacity` bytes needs. */
function firstLevels(capacity: number): number {
  return flOf(capacity) + 1;
}

/** Header bytes of the index for a region of `capacity` bytes. */
function headerBytes(capacity: number): number {
  const fl = firstLevels(capacity);
  return 4 + 4 * fl + 4 * fl * SL_COUNT;
}

export abstract class BinnedAllocator extends BlockAllocator {
  /** Number of first-level classes. */
  readonly flCount: number;
  /** Word index of bin heads. */
  protected readonly wHeads: number;

  constructor(region: Uint8Array, options: BlockOptions, what: string) {
    super(region, options, headerBytes(region.byteLength), what);
    this.flCount = firstLevels(region.byteLength);
    this.wHeads = W_SL_BITMAPS + this.flCount;
    this.format(headerBytes(this.capacity));
  }

  reset(): void {
    this.format(headerBytes(this.capacity));
  }

  /** Word index of the head of bin (fl, sl). */
  protected head(fl: number, sl: number): number {
    return this.wHeads + (fl << SL_BITS) + sl;
  }

  protected insertFree(off: number): void {
    const i32 = this.i32;
    const size = i32[(off >> 2) + W_SIZE];
    const fl = flOf(size);
    const sl = slOf(size);
    const h = this.wHeads + (fl << SL_BITS) + sl;
    const first = i32[h];
    const w = off >> 2;
    i32[w + W_NEXT_FREE] = first;
    i32[w + W_PREV_FREE] = 0;
    if (first !== 0) i32[(first >> 2) + W_PREV_FREE] = off;
    i32[h] = off;
    i32[W_FL_BITMAP] |= 1 << fl;
    i32[W_SL_BITMAPS + fl] |= 1 << sl;
  }

  protected removeFree(off: number): void {
    const i32 = this.i32;
    const w = off >> 2;
    const prev = i32[w + W_PREV_FREE];
    const next = i32[w + W_NEXT_FREE];
    if (next !== 0) i32[(next >> 2) + W_PREV_FREE] = prev;
    if (prev !== 0) {
      i32[(prev >> 2) + W_NEXT_FREE] = next;
      return;
    }
    const size = i32[w + W_SIZE];
    const fl = flOf(size);
    const sl = slOf(size);
    i32[this.wHeads + (fl << SL_BITS) + sl] = next;
    if (next === 0) {
      const slMap = (i32[W_SL_BITMAPS + fl] &= ~(1 << sl));
      if (slMap === 0) i32[W_FL_BITMAP] &= ~(1 << fl);
    }
  }

  /** The first non-empty bin at or above (fl, sl), as fl·16 + sl, or -1. */
  protected nextBin(fl: number, sl: number): number {
    const i32 = this.i32;
    if (fl >= this.flCount) return -1;
    let slMap = sl >= SL_COUNT ? 0 : i32[W_SL_BITMAPS + fl] & (~0 << sl);
    if (slMap === 0) {
      const flMap = fl + 1 >= 32 ? 0 : i32[W_FL_BITMAP] & (~0 << (fl + 1));
      if (flMap === 0) return -1;
      fl = 31 - Math.clz32(flMap & -flMap);
      slMap = i32[W_SL_BITMAPS + fl];
    }
    return (fl << SL_BITS) + 31 - Math.clz32(slMap & -slMap);
  }

  /** The highest non-empty bin, as fl·16 + sl, or -1. */
  protected topBin(): number {
    const flMap = this.i32[W_FL_BITMAP];
    if (flMap === 0) return -1;
    const fl = 31 - Math.clz32(flMap);
    return (fl << SL_BITS) + 31 - Math.clz32(this.i32[W_SL_BITMAPS + fl]);
  }

  protected checkLists(free: Set<number>): void {
    const i32 = this.i32;
    const seen = new Set<number>();
    let flExpected = 0;
    for (let fl = 0; fl < this.flCount; fl++) {
      let slExpected = 0;
      for (let sl = 0; sl < SL_COUNT; sl++) {
        const head = i32[this.head(fl, sl)];
        if (head !== 0) slExpected |= 1 << sl;
        this.checkList(head, free, seen, (off, size) => {
          if (flOf(size) !== fl || slOf(size) !== sl) throw corruption(this, 'invariant', off, `block of ${size} bytes in bin ${fl}/${sl}`);
        });
      }
      if (i32[W_SL_BITMAPS + fl] !== slExpected) throw corruption(this, 'invariant', 4 * (W_SL_BITMAPS + fl), `second-level bitmap ${fl} disagrees with its bins`);
      if (slExpected !== 0) flExpected |= 1 << fl;
    }
    if (i32[W_FL_BITMAP] !== flExpected) throw corruption(this, 'invariant', 0, 'first-level bitmap disagrees with the bins');
    this.checkAllListed(free, seen);
  }
}
