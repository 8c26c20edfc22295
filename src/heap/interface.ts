/**
 * The one `Allocator` interface every strategy and every decorator of the
 * toolkit implements (SPEC §6.4), and what they share: chunk walks, the
 * statistics computed from them, and the site argument decorators read.
 *
 * Strategies ignore `site` and `persist`; they are there so that a call
 * passes through a stack of decorators (`profile(harden(tlsf))`) unchanged
 * and the profiler can print the caller's site and the record kind.
 */
import type { MemStat } from './allocator.js';

/** A call site: `"file:line"`, or its parts. */
export type AllocSite = string | { file: string; line: number };

/** One chunk of a walk: its first byte's address, its size (header included), whether it is live. */
export interface Chunk {
  address: number;
  size: number;
  used: boolean;
}

/** Return `true` to stop the walk. */
export type WalkCallback = (chunk: Chunk) => boolean | void;

/** `mem_stat`'s fields plus what pw_allocator reports on demand. */
export interface AllocatorStats extends MemStat {
  /** Size of the largest free chunk (header included), 0 when none. */
  largestFree: number;
  /** Number of free chunks. */
  freeBlocks: number;
  /** 1 − √(Σ free²) / Σ free over free chunk sizes; 0 when nothing is free. */
  fragmentation: number;
}

export interface Allocator {
  /** Strategy name (`sdk`, `tlsf`…) or decorator name over it (`track(tlsf)`). */
  readonly name: string;
  /** Address of the region's first byte. */
  readonly base: number;
  /** The region's size in bytes: `stats().total_size` always equals it. */
  readonly capacity: number;
  /** The memory blocks live in: block `p` starts at `region[p - base]`. */
  readonly region: Uint8Array;
  /** A block of at least `size` bytes, or null. */
  allocate(size: number, site?: AllocSite, persist?: boolean): number | null;
  /** Give a block back. */
  free(address: number, site?: AllocSite): void;
  /** C's realloc: null → allocate; size 0 → free, null; may move; on failure the block is untouched. */
  reallocate(address: number | null, size: number, site?: AllocSite): number | null;
  /** Change a block's size in place only; false (and nothing changed) when it cannot. */
  resize(address: number, size: number, site?: AllocSite): boolean;
  /** Bytes the caller may use in a live block (read from its header: cheap, not proof of ownership). */
  usableSize(address: number): number | null;
  /** Whether `address` is the payload address of a live block (exact: walks the chunks). */
  owns(address: number): boolean;
  /** Chunks in address order. */
  walk(cb: WalkCallback): void;
  stats(): AllocatorStats;
  /** Every invariant the strategy relies on; throws HeapCorruptionError. */
  check(): void;
  /** Forget every block (bump's way to free; a profiler logs it as `init`). */
  reset?(): void;
}

/** Default address of a region, as in the SDK's logs. */
export { DEFAULT_HEAP_BASE } from './allocator.js';

/** Statistics from a walk: what `mem_stat` computes, for any strategy. */
export function statsOf(a: Allocator): AllocatorStats {
  let free = 0;
  let allocated = 0;
  let chunks = 0;
  let used = 0;
  let largest = 0;
  let squares = 0;
  a.walk((c) => {
    chunks++;
    if (c.used) {
      used++;
      allocated += c.size;
    } else {
      free += c.size;
      squares += c.size * c.size;
      if (c.size > largest) largest = c.size;
    }
  });
  return {
    // Bytes outside any chunk (the strategy's header, an unusable tail) count in the total, as the SDK's 96.
    total_size: a.capacity,
    free_size: free,
    allocated_size: allocated,
    nb_chunks: chunks,
    nb_allocated: used,
    largestFree: largest,
    freeBlocks: chunks - used,
    fragmentation: free === 0 ? 0 : 1 - Math.sqrt(squares) / free,
  };
}

/** The text of a site argument. */
export function siteText(site: AllocSite): string {
  return typeof site === 'string' ? site : `${site.file}:${site.line}`;
}

/** Whether `address` is the payload address of a live chunk, by walking (what `owns` means). */
export function ownsByWalk(a: Allocator, address: number, payloadOffset: number): boolean {
  let found = false;
  a.walk((c) => {
    if (c.address + payloadOffset === address) {
      found = c.used;
      return true;
    }
    return c.address + payloadOffset > address;
  });
  return found;
}

/**
 * C's realloc over `resize`: NULL allocates, 0 frees, in place when the
 * block can be resized there, else allocate, copy, free (the old block
 * untouched when the allocation fails). What every strategy but the SDK does.
 */
export function reallocateByResizeOrMove(a: Allocator, address: number | null, size: number, site: AllocSite | undefined): number | null {
  if (address === null || address === 0) return a.allocate(size, site);
  if (size === 0) {
    a.free(address, site);
    return null;
  }
  if (a.resize(address, size, site)) return address; // throws for an address that is no live block
  const old = a.usableSize(address) ?? 0;
  const fresh = a.allocate(size, site);
  if (fresh === null) return null;
  const from = address - a.base;
  a.region.copyWithin(fresh - a.base, from, from + Math.min(old, size));
  a.free(address, site);
  return fresh;
}
