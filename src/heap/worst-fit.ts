/**
 * Worst fit (pw_allocator's `WorstFitAllocator`): the largest free block
 * (the lowest address among equals), so that what is left of it stays
 * large. Free blocks sit in the size bins of bins.ts: the largest is in the
 * highest non-empty bin, found with two bit scans, then searched.
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
import { BinnedAllocator } from './bins.js';
import { type BlockOptions, W_NEXT_FREE, W_SIZE } from './block.js';

export class WorstFitAllocator extends BinnedAllocator {
  readonly name: string = 'worst-fit';

  constructor(region: Uint8Array, options: BlockOptions = {}) {
    super(region, options, 'worst-fit');
  }

  protected findFree(need: number): number {
    const bin = this.topBin();
    if (bin < 0) return -1;
    const i32 = this.i32;
    let best = -1;
    let bestSize = 0;
    for (let off = i32[this.wHeads + bin]; off !== 0; off = i32[(off >> 2) + W_NEXT_FREE]) {
      const size = i32[(off >> 2) + W_SIZE];
      if (size > bestSize || (size === bestSize && off < best)) {
        best = off;
        bestSize = size;
      }
    }
    return bestSize >= need ? best : -1;
  }
}
