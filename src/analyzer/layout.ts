/**
 * The layout of a heap's live blocks (SPEC §4.5), kept per open segment in
 * address order and read at the moment a test reaches its peak: how many
 * bytes the allocator really spends, the free chunks between live ones, the
 * fragmentation score and the headroom — the largest request that would
 * still succeed, which the percent does not tell.
 *
 * Two models:
 * - `sdk`: the SDK's segregated fit (§6.1): a 96-byte control header, each
 *   live block in a chunk of `chunkSize(n)` bytes starting 4 bytes before
 *   its payload, free chunks = the gaps between them; headroom per the
 *   segregated-fit rule (a request whose rounded size class lies above the
 *   highest class among the free chunks fails, whatever the percent).
 * - `plain`: blocks are their requested bytes; headroom = the largest gap.
 *
 * `auto` starts with `sdk` and falls back to `plain` for the segment as soon
 * as a block sits where the SDK never puts one (payload offset ≠ 8k + 4).
 * The layout is read lazily: a peak only marks the moment, and the layout
 * is computed from the (unchanged) state just before the heap next changes,
 * or when the test ends — so a test climbing to its peak one allocation at
 * a time computes it once, not at every step, and no snapshot is copied.
 * Updates are O(log n) searches plus an array insert; beyond MAX_TRACKED
 * live blocks the segment's layout is given up (null), keeping memory and
 * time bounded.
 */
import type { HeapMap, HeapUsage, Layout, MapChunk, TestFacts } from './facts.js';
import { small, type BlockTable } from './block-table.js';
import type { SiteTable } from './sites.js';

export type LayoutChoice = 'auto' | 'sdk' | 'plain' | 'none';

const SDK_HEADER = 96;
const SDK_MAX_REQUEST = 32756;
const MAX_TRACKED = 1 << 16;

/** §6.1: chunk size for a request of n bytes (round to 4, then + 4 or + 8: always 8k + 8). */
export function sdkChunkSize(n: number): number {
  const s = (n + 3) & ~3;
  return s + ((s & 4) !== 0 ? 4 : 8);
}

/** §6.1: free-list index of a chunk size, or -1 past the heap's segments. */
export function sdkListIndex(nbSegs: number, size: number): number {
  let b = 31 - Math.clz32(size);
  if (b < 5) b = 5;
  const sub = b === 5 ? (size >> (b - 1)) & 3 : (size >> (b - 2)) & 3;
  const seg = b - 5;
  return seg >= nbSegs ? -1 : seg * 4 + sub;
}

/** The size rounded up to its sub-list boundary, then its index (`seglist_index_up`). */
export function sdkListIndexUp(nbSegs: number, size: number): number {
  let b = 31 - Math.clz32(size);
  if (b < 5) b = 5;
  const width = b === 5 ? 1 << (b - 1) : 1 << (b - 2);
  return sdkListIndex(nbSegs, (size + width - 1) & ~(width - 1));
}

/** Number of segments of an SDK heap of `heapSize` bytes. */
export function sdkSegments(heapSize: number): number {
  return Math.max(0, 31 - Math.clz32(Math.max(1, heapSize - SDK_HEADER)) - 4);
}

/**
 * SDK headroom: the largest n ≤ 32756 whose rounded chunk's list index is
 * at most the highest index among the free chunks (0 when nothing is free).
 */
export function sdkHeadroom(heapSize: number, freeChunkSizes: Iterable<number>): number {
  const nbSegs = sdkSegments(heapSize);
  let highest = -1;
  for (const s of freeChunkSizes) {
    if (s < 8) continue;
    const idx = sdkListIndex(nbSegs, s);
    // a chunk past the last segment sits in no list the allocator searches
    if (idx > highest) highest = idx;
  }
  return sdkHeadroomForIndex(highest, nbSegs);
}

/** Headroom from the highest list index among the free chunks (-1: nothing free). */
export function sdkHeadroomForIndex(highest: number, nbSegs: number): number {
  if (highest < 0) return 0;
  // the index grows with n: binary search the last n that still fits
  let lo = 0;
  let hi = SDK_MAX_REQUEST;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const idx = sdkListIndexUp(nbSegs, sdkChunkSize(mid));
    if (idx >= 0 && idx <= highest) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Fragmentation score over free chunk sizes: 1 − √(Σ s²) / Σ s (0 when nothing is free). */
export function fragmentation(sizes: Iterable<number>): number {
  let sum = 0;
  let squares = 0;
  for (const s of sizes) {
    sum += s;
    squares += s * s;
  }
  return sum === 0 ? 0 : 1 - Math.sqrt(squares) / sum;
}

export class LayoutModel {
  /** Slots of the live blocks, in address order. */
  private readonly blocks: number[] = [];
  private sdk: boolean;
  private gaveUp = false;
  /** The usage (and test) whose peak is the current state, not computed yet. */
  private pending: HeapUsage | null = null;
  private pendingTest: TestFacts | null = null;
  private pendingMap = false;

  private constructor(
    private readonly choice: LayoutChoice,
    private readonly base: number,
    private readonly heapSize: number,
    private readonly table: BlockTable,
    private readonly sites: SiteTable,
  ) {
    this.sdk = choice !== 'plain';
  }

  /** A model for a segment (`table`: its blocks), or null when there is none to keep (size unknown, or `none`). */
  static create(choice: LayoutChoice, base: number, heapSize: number | null, table: BlockTable, sites: SiteTable): LayoutModel | null {
    if (choice === 'none' || heapSize === null || heapSize <= 0) return null;
    return new LayoutModel(choice, base, heapSize, table, sites);
  }

  get model(): 'sdk' | 'plain' {
    return this.sdk ? 'sdk' : 'plain';
  }

  /** Where slot `block`'s address falls among the live blocks (by slot: an address passed on would be boxed at each call). */
  private find(block: number): number {
    const a = this.blocks;
    const addresses = this.table.address;
    const address = addresses[block];
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (addresses[a[mid]] < address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The state now is `usage`'s peak (`map`: keep the test's heap map too). */
  markPeak(usage: HeapUsage, test: TestFacts, map: boolean): void {
    if (this.pending !== null && this.pending !== usage) this.settle();
    this.pending = usage;
    this.pendingTest = test;
    this.pendingMap = map;
  }

  /** Computes a pending peak's layout from the state as it still is. */
  settle(): void {
    const u = this.pending;
    if (u === null) return;
    this.pending = null;
    u.layout = this.layout(u.layout);
    if (this.pendingMap) this.pendingTest!.heapMap = this.map();
    this.pendingTest = null;
  }

  /** `usage` is the allocating test's: its pending peak is superseded by the higher one coming. */
  alloc(block: number, usage: HeapUsage): void {
    if (this.pending !== null && this.pending !== usage) this.settle();
    if (this.gaveUp) return;
    if (this.blocks.length >= MAX_TRACKED) {
      this.gaveUp = true;
      this.blocks.length = 0;
      return;
    }
    if (this.sdk && this.choice === 'auto' && (this.table.address[block] - this.base) % 8 !== 4) this.sdk = false;
    const a = this.blocks;
    const at = this.find(block);
    // Appending is the common case (allocators fill upward). Shifted by a
    // loop: splice makes an array of what it removed each time, and
    // copyWithin is a slow generic builtin (layout updates took 4× longer).
    a.push(block);
    let i = a.length - 1;
    for (; i > at; i--) a[i] = a[i - 1];
    a[i] = block;
  }

  free(block: number): void {
    this.settle();
    if (this.gaveUp) return;
    const a = this.blocks;
    const at = this.find(block);
    const n = a.length;
    if (at < n && a[at] === block) {
      for (let i = at + 1; i < n; i++) a[i - 1] = a[i];
      a.pop();
    }
  }

  /** Before a block's size changes in place (it keeps its place; sizes are read when computing). */
  resize(): void {
    this.settle();
  }

  /** Chunks in address order, tiling [0, heapSize) (overlaps from an approximate log are clipped). */
  private chunks(): MapChunk[] {
    const out: MapChunk[] = [];
    const size = this.heapSize;
    let at = 0;
    if (this.sdk) {
      const h = Math.min(SDK_HEADER, size);
      out.push({ offset: 0, size: h, kind: 'header' });
      at = h;
    }
    const { address, site } = this.table;
    for (const b of this.blocks) {
      const requested = this.table.size(b);
      let start = address[b] - this.base - (this.sdk ? 4 : 0);
      let len = this.sdk ? sdkChunkSize(requested) : requested;
      if (start < at) {
        len -= at - start;
        start = at;
      }
      if (start + len > size) len = size - start;
      if (len <= 0) continue;
      if (start > at) out.push({ offset: at, size: start - at, kind: 'free' });
      const c: MapChunk = { offset: start, size: len, kind: 'used', requested };
      c.site = this.sites.byId(site[b]).text;
      out.push(c);
      at = start + len;
    }
    if (at < size) out.push({ offset: at, size: size - at, kind: 'free' });
    return out;
  }

  /**
   * The layout now (null when given up). The same walk as `chunks`, without
   * building them: this runs once per peak, on the analyzer's hot path.
   * `into`: the layout of an earlier peak of the same usage, not handed out
   * yet, filled again rather than made anew (94,000 peaks on the bench log).
   */
  layout(into: Layout | null = null): Layout | null {
    if (this.gaveUp) return null;
    const size = this.heapSize;
    const sdk = this.sdk;
    let at = sdk ? Math.min(SDK_HEADER, size) : 0;
    let allocated = at;
    let requested = 0;
    let freeBytes = 0;
    let freeBlocks = 0;
    let largest = 0;
    let squares = 0;
    let highestIndex = -1;
    const nbSegs = sdk ? sdkSegments(size) : 0;
    const table = this.table;
    const address = table.address;
    const blocks = this.blocks;
    // one more turn past the last block: the free tail of the heap
    for (let i = 0; i <= blocks.length; i++) {
      let start = size;
      let len = 0;
      let asked = 0;
      if (i < blocks.length) {
        asked = table.size(blocks[i]);
        start = address[blocks[i]] - this.base - (sdk ? 4 : 0);
        len = sdk ? sdkChunkSize(asked) : asked;
        if (start < at) {
          len -= at - start;
          start = at;
        }
        if (start + len > size) len = size - start;
        if (len <= 0) continue;
      }
      if (start > at) {
        const gap = start - at;
        freeBytes += gap;
        freeBlocks++;
        squares += gap * gap;
        if (gap > largest) largest = gap;
        if (sdk && gap >= 8) {
          const idx = sdkListIndex(nbSegs, gap);
          if (idx > highestIndex) highestIndex = idx;
        }
      }
      if (i === blocks.length) break;
      allocated += len;
      requested += asked;
      at = start + len;
    }
    // (addresses are doubles: the byte counts made of them become small integers again)
    const l = into ?? { allocatedBytes: 0, overheadBytes: 0, freeBytes: 0, freeBlocks: 0, largestFree: 0, fragmentation: 0, headroom: 0 };
    l.allocatedBytes = small(allocated);
    l.overheadBytes = small(allocated - requested);
    l.freeBytes = small(freeBytes);
    l.freeBlocks = freeBlocks;
    l.largestFree = small(largest);
    l.fragmentation = freeBytes === 0 ? 0 : 1 - Math.sqrt(squares) / freeBytes;
    l.headroom = sdk ? sdkHeadroomForIndex(highestIndex, nbSegs) : small(largest);
    return l;
  }

  /** The heap map now, for the HTML report (null when given up). */
  map(): HeapMap | null {
    if (this.gaveUp) return null;
    return { heap: null, base: this.base, heapSize: this.heapSize, model: this.model, chunks: this.chunks() };
  }
}
