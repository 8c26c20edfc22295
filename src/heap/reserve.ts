/**
 * A reserve that cannot fail when it matters (SPEC §6.7, IoTivity's emergency
 * buffer): `reserve(bytes)` at init sets bytes aside, in a region of their
 * own, that only the allocation-failure handler may allocate from — so that
 * reporting a failure never allocates from the exhausted heap.
 */
import { insideFailureHandler, setReserve } from './failure.js';
import { FirstFitAllocator } from './first-fit.js';
import type { Allocator } from './interface.js';

/** A buffer set aside for the failure path: `allocate` works only inside the failure handler. */
export class Reserve {
  /** The allocator over the reserved bytes (first-fit). */
  readonly allocator: Allocator;
  constructor(bytes: number, base: number) {
    this.allocator = new FirstFitAllocator(new Uint8Array(bytes), { base });
  }
  get capacity(): number {
    return this.allocator.capacity;
  }
  /** Bytes of the reserve; only inside the failure handler (elsewhere it throws). */
  allocate(size: number): number | null {
    if (!insideFailureHandler()) throw new Error('valground: the reserve is for the allocation-failure handler only');
    return this.allocator.allocate(size);
  }
  free(address: number): void {
    this.allocator.free(address);
  }
  /** The reserve's bytes of a block it handed out. */
  bytes(address: number, length: number): Uint8Array {
    const off = address - this.allocator.base;
    return this.allocator.region.subarray(off, off + length);
  }
}

let current: Reserve | null = null;

/** Default address of the reserve: apart from the default heap's. */
export const DEFAULT_RESERVE_BASE = 0x5e5e0000;

/** Set aside `bytes` for the failure handler (replacing any reserve set before). */
export function reserve(bytes: number, options: { base?: number } = {}): Reserve {
  current = new Reserve(bytes, options.base ?? DEFAULT_RESERVE_BASE);
  setReserve(current);
  return current;
}

/** The reserve set aside, or null. */
export function currentReserve(): Reserve | null {
  return current;
}

/** Forget the reserve (tests, or an app re-initialising). */
export function releaseReserve(): void {
  current = null;
  setReserve(null);
}
