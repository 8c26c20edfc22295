/**
 * `track(inner, { parent })`: pw_allocator's `TrackingAllocator` (SPEC §6.5).
 * Counts what passes through, with pw_allocator's metrics camel-cased:
 * requested bytes (what callers asked for) and allocated bytes (what the
 * allocator gave: usable sizes), each current, peak and cumulative; the
 * numbers of allocations, deallocations, resizes, reallocations and
 * failures, and the bytes of failed requests. The free-block figures are
 * computed on demand, from the allocator's walk. Trackers nest: one per
 * routine, each also counting into a shared parent that sees them all.
 *
 * As in pw_allocator, the current and cumulative figures only grow on the
 * net increase of a call (a shrinking resize adds nothing cumulative), and
 * a moved reallocation counts as an allocation of the new block followed by
 * the release of the old one.
 */
import { ForwardingAllocator } from './forwarding.js';
import type { Allocator, AllocSite } from './interface.js';

export interface TrackingMetrics {
  requestedBytes: number;
  peakRequestedBytes: number;
  cumulativeRequestedBytes: number;
  allocatedBytes: number;
  peakAllocatedBytes: number;
  cumulativeAllocatedBytes: number;
  numAllocations: number;
  numDeallocations: number;
  numResizes: number;
  numReallocations: number;
  numFailures: number;
  unfulfilledBytes: number;
  /** On demand (from the allocator's walk): free blocks, the smallest and the largest. */
  numFreeBlocks: number;
  smallestFreeBlockSize: number;
  largestFreeBlockSize: number;
}

export interface TrackOptions {
  /** A tracker that also counts everything this one counts (a combined view of several routines). */
  parent?: TrackingAllocator;
}

/** The counters, one object per tracker, updated by it and by its children. */
class Counters {
  requestedBytes = 0;
  peakRequestedBytes = 0;
  cumulativeRequestedBytes = 0;
  allocatedBytes = 0;
  peakAllocatedBytes = 0;
  cumulativeAllocatedBytes = 0;
  numAllocations = 0;
  numDeallocations = 0;
  numResizes = 0;
  numReallocations = 0;
  numFailures = 0;
  unfulfilledBytes = 0;

  /** pw's ModifyRequested: net change, peak, cumulative net increase. */
  requested(increase: number, decrease: number): void {
    const now = this.requestedBytes + increase - decrease;
    this.requestedBytes = now;
    if (now > this.peakRequestedBytes) this.peakRequestedBytes = now;
    if (increase > decrease) this.cumulativeRequestedBytes += increase - decrease;
  }

  /** pw's ModifyAllocated. */
  allocated(increase: number, decrease: number): void {
    const now = this.allocatedBytes + increase - decrease;
    this.allocatedBytes = now;
    if (now > this.peakAllocatedBytes) this.peakAllocatedBytes = now;
    if (increase > decrease) this.cumulativeAllocatedBytes += increase - decrease;
  }

  failure(size: number): void {
    this.numFailures++;
    this.unfulfilledBytes += size;
  }

  /** An allocation of `size` requested bytes served with `usable` (the hot path: written out). */
  allocation(size: number, usable: number): void {
    this.numAllocations++;
    const requested = (this.requestedBytes += size);
    if (requested > this.peakRequestedBytes) this.peakRequestedBytes = requested;
    this.cumulativeRequestedBytes += size;
    const allocated = (this.allocatedBytes += usable);
    if (allocated > this.peakAllocatedBytes) this.peakAllocatedBytes = allocated;
    this.cumulativeAllocatedBytes += usable;
  }

  /** A block of `size` requested and `usable` bytes given back. */
  deallocation(size: number, usable: number): void {
    this.numDeallocations++;
    this.requestedBytes -= size;
    this.allocatedBytes -= usable;
  }
}

export class TrackingAllocator extends ForwardingAllocator {
  readonly parent: TrackingAllocator | null;
  private readonly counters = new Counters();
  /** This tracker's counters and its ancestors'. */
  private readonly chain: Counters[];
  /** Requested and usable size of each live block, by (address − base) / 4: freeing passes no size. */
  private readonly sizes: Float64Array;
  private readonly usable: Float64Array;
  /** The inner allocator's base (it never changes): one load on the hot path instead of a getter chain. */
  private readonly origin: number;

  constructor(inner: Allocator, options: TrackOptions = {}) {
    super(inner, 'track');
    this.parent = options.parent ?? null;
    this.chain = this.parent === null ? [this.counters] : [this.counters, ...this.parent.chain];
    this.sizes = new Float64Array((inner.capacity >> 2) + 1);
    this.usable = new Float64Array((inner.capacity >> 2) + 1);
    this.origin = inner.base;
  }

  override allocate(size: number, site?: AllocSite, persist?: boolean): number | null {
    const inner = this.inner;
    const p = inner.allocate(size, site, persist);
    if (p === null) {
      this.failed(size);
      return null;
    }
    const usable = inner.usableSize(p) ?? size;
    const at = (p - this.origin) >>> 2;
    this.sizes[at] = size;
    this.usable[at] = usable;
    this.counters.allocation(size, usable);
    for (let t = this.parent; t !== null; t = t.parent) t.counters.allocation(size, usable);
    return p;
  }

  override free(address: number, site?: AllocSite): void {
    this.inner.free(address, site);
    const at = (address - this.origin) >>> 2;
    const requested = this.sizes[at];
    const usable = this.usable[at];
    this.counters.deallocation(requested, usable);
    for (let t = this.parent; t !== null; t = t.parent) t.counters.deallocation(requested, usable);
  }

  override reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    if (address === null || address === 0) return this.allocate(size, site);
    if (size === 0) {
      this.free(address, site);
      return null;
    }
    const inner = this.inner;
    const oldUsable = inner.usableSize(address) ?? 0;
    const p = inner.reallocate(address, size, site);
    if (p === null) {
      this.failed(size);
      return null;
    }
    const at = (address - this.origin) >>> 2;
    const oldRequested = this.sizes[at];
    const newUsable = inner.usableSize(p) ?? size;
    this.sizes[at] = 0;
    this.usable[at] = 0;
    this.sizes[(p - this.origin) >>> 2] = size;
    this.usable[(p - this.origin) >>> 2] = newUsable;
    for (const c of this.chain) {
      c.numReallocations++;
      c.requested(size, oldRequested);
      if (p !== address) {
        c.allocated(newUsable, 0); // allocated first, then the old block released
        c.allocated(0, oldUsable);
      } else {
        c.allocated(newUsable, oldUsable);
      }
    }
    return p;
  }

  override resize(address: number, size: number, site?: AllocSite): boolean {
    const inner = this.inner;
    const oldUsable = inner.usableSize(address) ?? 0;
    if (!inner.resize(address, size, site)) {
      this.failed(size);
      return false;
    }
    const at = (address - this.origin) >>> 2;
    const oldRequested = this.sizes[at];
    const newUsable = inner.usableSize(address) ?? size;
    this.sizes[at] = size;
    this.usable[at] = newUsable;
    for (const c of this.chain) {
      c.numResizes++;
      c.requested(size, oldRequested);
      c.allocated(newUsable, oldUsable);
    }
    return true;
  }

  private failed(size: number): void {
    for (const c of this.chain) c.failure(size);
  }

  override reset(): void {
    super.reset();
    this.sizes.fill(0);
    this.usable.fill(0);
    // Every block is gone: nothing is requested or allocated any more (peaks and counts stay).
    const requested = this.counters.requestedBytes;
    const allocated = this.counters.allocatedBytes;
    for (const c of this.chain) {
      c.requested(0, requested);
      c.allocated(0, allocated);
    }
  }

  /** The metrics as a plain object, the free-block ones computed now. */
  metrics(): TrackingMetrics {
    let numFreeBlocks = 0;
    let smallest = 0;
    let largest = 0;
    this.inner.walk((c) => {
      if (c.used) return;
      numFreeBlocks++;
      if (smallest === 0 || c.size < smallest) smallest = c.size;
      if (c.size > largest) largest = c.size;
    });
    const c = this.counters;
    return {
      requestedBytes: c.requestedBytes,
      peakRequestedBytes: c.peakRequestedBytes,
      cumulativeRequestedBytes: c.cumulativeRequestedBytes,
      allocatedBytes: c.allocatedBytes,
      peakAllocatedBytes: c.peakAllocatedBytes,
      cumulativeAllocatedBytes: c.cumulativeAllocatedBytes,
      numAllocations: c.numAllocations,
      numDeallocations: c.numDeallocations,
      numResizes: c.numResizes,
      numReallocations: c.numReallocations,
      numFailures: c.numFailures,
      unfulfilledBytes: c.unfulfilledBytes,
      numFreeBlocks,
      smallestFreeBlockSize: smallest,
      largestFreeBlockSize: largest,
    };
  }
}

/** `track(inner, { parent })`: `inner` with pw_allocator's metrics. */
export function track(inner: Allocator, options: TrackOptions = {}): TrackingAllocator {
  return new TrackingAllocator(inner, options);
}
