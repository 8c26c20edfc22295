/**
 * Headroom for `valground replay`: the largest request an allocator would
 * still serve in its present state, from its statistics (one walk) and the
 * few numbers each strategy publishes — never by trying an allocation,
 * which would change the heap being replayed. Each rule is exact for its
 * strategy's search, as the comments say.
 */
import { BLOCK_HEADER, BlockAllocator } from '../heap/block.js';
import { BumpAllocator } from '../heap/bump.js';
import { BuddyAllocator } from '../heap/buddy.js';
import { flOf, slOf, SL_BITS } from '../heap/bins.js';
import type { Allocator, AllocatorStats } from '../heap/interface.js';
import type { StrategyName } from '../heap/create.js';
import { TlsfAllocator, tlsfSearchSize } from '../heap/tlsf.js';
import { sdkHeadroom } from './layout.js';

export type HeadroomRule = (a: Allocator, stats: AllocatorStats) => number;

/**
 * SDK (§4.5): a request fits when its chunk, rounded up to its sub-list,
 * indexes a list no higher than the largest free chunk's; list indexes
 * grow with size, so the largest free chunk decides alone.
 */
const sdk: HeadroomRule = (a, s) => sdkHeadroom(a.capacity, s.largestFree > 0 ? [s.largestFree] : []);

/**
 * first-fit, best-fit, worst-fit: each finds a fitting free block whenever
 * one exists, and a request of n bytes needs a block of n + 8 rounded to 8
 * (free blocks are multiples of 8): the largest free block less its header.
 */
const largestBlock: HeadroomRule = (a, s) => {
  const max = a instanceof BlockAllocator ? a.maxRequest : Infinity;
  return s.largestFree >= 2 * BLOCK_HEADER ? Math.min(s.largestFree - BLOCK_HEADER, max) : 0;
};

/**
 * TLSF rounds the request up to the next bin and takes any block from
 * there up ("good fit"), so a request fits when that bin is no higher than
 * the largest free block's: a search over n, each step O(1).
 */
const tlsf: HeadroomRule = (a, s) => {
  if (!(a instanceof TlsfAllocator) || s.largestFree < 2 * BLOCK_HEADER) return 0;
  const top = (flOf(s.largestFree) << SL_BITS) + slOf(s.largestFree);
  const fits = (n: number) => {
    const size = tlsfSearchSize(blockSizeFor(n));
    return flOf(size) < a.flCount && (flOf(size) << SL_BITS) + slOf(size) <= top;
  };
  let lo = 0;
  let hi = a.maxRequest;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1; // upper middle: lo always moves
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** A block strategy's block for n bytes at the default 8-byte alignment (block.ts). */
function blockSizeFor(n: number): number {
  const s = (n + BLOCK_HEADER + 7) & ~7;
  return s < 2 * BLOCK_HEADER ? 2 * BLOCK_HEADER : s;
}

/** Bump: only the untouched tail serves (freed blocks count as free but never come back). */
const bump: HeadroomRule = (a) => {
  if (!(a instanceof BumpAllocator)) return 0;
  const tail = a.end - a.top;
  return tail >= 2 * BLOCK_HEADER ? tail - BLOCK_HEADER : 0;
};

/** Buddy: a request of n bytes takes the smallest power of two holding n + 8; any free block that large serves. */
const buddy: HeadroomRule = (a, s) => {
  const max = a instanceof BuddyAllocator ? a.maxBlock - BLOCK_HEADER : Infinity;
  return s.largestFree >= 2 * BLOCK_HEADER ? Math.min(s.largestFree - BLOCK_HEADER, max) : 0;
};

export const HEADROOM: Record<StrategyName, HeadroomRule> = {
  sdk,
  'first-fit': largestBlock,
  'best-fit': largestBlock,
  'worst-fit': largestBlock,
  tlsf,
  bump,
  buddy,
};
