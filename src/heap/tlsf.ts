/**
 * TLSF, two-level segregated fit (Masmano et al.; as Conte's tlsf and
 * AssemblyScript's runtime do it): O(1) allocate and free. The request is
 * rounded up to the next second-level boundary, so that every block of the
 * first non-empty bin found from there (two bit scans, see bins.ts) fits:
 * the head of that bin is taken, never searched ("good fit"). A block in
 * the request's own bin that would fit is not looked at — TLSF trades that
 * for bounded time.
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
import type { BlockOptions } from './block.js';

/** Sizes from which the search rounds up to the next bin (below, bins hold one size each). */
const ROUND_FROM = 1 << (SL_BITS + 3);

/** The size whose bin the search starts from for a block of `need` bytes: every block from that bin up fits. */
export function tlsfSearchSize(need: number): number {
  return need < ROUND_FROM ? need : need + (1 << (31 - Math.clz32(need) - SL_BITS)) - 1;
}

export class TlsfAllocator extends BinnedAllocator {
  readonly name: string = 'tlsf';

  constructor(region: Uint8Array, options: BlockOptions = {}) {
    super(region, options, 'tlsf');
  }

  protected findFree(need: number): number {
    const size = tlsfSearchSize(need);
    const bin = this.nextBin(flOf(size), slOf(size));
    return bin < 0 ? -1 : this.i32[this.wHeads + bin];
  }
}
