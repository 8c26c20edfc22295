/**
 * Best fit (pw_allocator's `BestFitAllocator`): the smallest free block that
 * holds the request (the lowest address among equals). Free blocks sit in
 * the size bins of bins.ts: the best block is in the request's own bin or,
 * when none there fits, anywhere in the next non-empty bin (all of which
 * fit), so only those one or two bins are searched.
 *
 * Region layout (the index of bins.ts, then the blocks of block.ts):
 *
 *   0         4             4+4·FL          first
 *   +---------+-------------+---------------+--------+---------+--------+----
 *   | fl map  | sl maps     | bin heads     | header | payload | header | ...
 *   | u32     | u32[FL]     | i32[FL][16]   | 8 B    |         |        |
 *   +---------+-------------+---------------+--------+---------+--------+----
 *   header: +0 prev size | +4 size, bit 0 = used; a free block links its bin
 *   neighbours at +8 (next) and +12 (prev), offsets from the region start.
 */
import { BinnedAllocator, flOf, SL_BITS, slOf } from './bins.js';
import { type BlockOptions, W_NEXT_FREE, W_SIZE } from './block.js';

export class BestFitAllocator extends BinnedAllocator {
  readonly name: string = 'best-fit';

  constructor(region: Uint8Array, options: BlockOptions = {}) {
    super(region, options, 'best-fit');
  }

  protected findFree(need: number): number {
    const fl = flOf(need);
    const sl = slOf(need);
    let bin = this.nextBin(fl, sl);
    if (bin < 0) return -1;
    let found = this.smallestFitting(this.i32[this.wHeads + bin], need);
    if (found < 0 && bin === (fl << SL_BITS) + sl) {
      bin = this.nextBin(fl, sl + 1);
      if (bin >= 0) found = this.smallestFitting(this.i32[this.wHeads + bin], need);
    }
    return found;
  }

  /** The smallest block of at least `need` bytes on the list from `off` (lowest address on ties), or -1. */
  private smallestFitting(off: number, need: number): number {
    const i32 = this.i32;
    let best = -1;
    let bestSize = 0;
    for (; off !== 0; off = i32[(off >> 2) + W_NEXT_FREE]) {
      const size = i32[(off >> 2) + W_SIZE];
      if (size >= need && (best < 0 || size < bestSize || (size === bestSize && off < best))) {
        best = off;
        bestSize = size;
      }
    }
    return best;
  }
}
