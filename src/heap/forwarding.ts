/**
 * pw_allocator's forwarding allocator: an `Allocator` that passes every call
 * to the one it wraps. The decorators (track, profile, harden) extend it and
 * override only what they add to, so they stack in any order.
 */
import type { Allocator, AllocatorStats, AllocSite, WalkCallback } from './interface.js';

export abstract class ForwardingAllocator implements Allocator {
  readonly name: string;
  readonly inner: Allocator;

  constructor(inner: Allocator, decorator: string) {
    this.inner = inner;
    this.name = `${decorator}(${inner.name})`;
  }

  get base(): number {
    return this.inner.base;
  }
  get capacity(): number {
    return this.inner.capacity;
  }
  get region(): Uint8Array {
    return this.inner.region;
  }

  allocate(size: number, site?: AllocSite, persist?: boolean): number | null {
    return this.inner.allocate(size, site, persist);
  }
  free(address: number, site?: AllocSite): void {
    this.inner.free(address, site);
  }
  reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    return this.inner.reallocate(address, size, site);
  }
  resize(address: number, size: number, site?: AllocSite): boolean {
    return this.inner.resize(address, size, site);
  }
  usableSize(address: number): number | null {
    return this.inner.usableSize(address);
  }
  owns(address: number): boolean {
    return this.inner.owns(address);
  }
  walk(cb: WalkCallback): void {
    this.inner.walk(cb);
  }
  stats(): AllocatorStats {
    return this.inner.stats();
  }
  check(): void {
    this.inner.check();
  }
  reset(): void {
    if (this.inner.reset === undefined) throw new TypeError(`${this.inner.name} cannot be reset`);
    this.inner.reset();
  }
}
