/**
 * The allocation-failure path (SPEC §6.7): one handler for every NULL from
 * any allocator or pool (Ioto's `rSetMemHandler`). Allocators call
 * `allocationFailed` on their failure path; the reserve the handler may draw
 * on is in reserve.ts.
 */
import { callerSite } from './call-site.js';
import { type AllocSite, siteText } from './interface.js';

/** The reserve as the failure path sees it (reserve.ts). */
export interface ReserveLike {
  allocate(size: number): number | null;
}

/** What the handler is told besides the size and the site. */
export interface AllocFailureContext<R extends ReserveLike = ReserveLike> {
  /** The allocator (or pool) that returned NULL. */
  allocator: unknown;
  /** The reserve set aside with `reserve(bytes)`, or null when none was. */
  reserve: R | null;
}

export type AllocFailureHandler = (size: number, site: string, context: AllocFailureContext) => void;

let handler: AllocFailureHandler | null = null;
let reserved: ReserveLike | null = null;
/** Depth of handler calls under way: the reserve is usable only inside one. */
let inHandler = 0;

/** Install the handler called on every NULL (null removes it). Returns the previous one. */
export function onAllocFailure(h: AllocFailureHandler | null): AllocFailureHandler | null {
  const previous = handler;
  handler = h;
  return previous;
}

/**
 * Tell the handler that `allocator` returned NULL for `size` bytes. Kept out of
 * line: allocators call it on their failure path only.
 */
export function allocationFailed(allocator: unknown, size: number, site: AllocSite | undefined): void {
  if (handler === null) return;
  const h = handler;
  const where = site === undefined ? callerSite() : siteText(site);
  inHandler++;
  try {
    h(size, where, { allocator, reserve: reserved });
  } finally {
    inHandler--;
  }
}

/** @internal The reserve handed to the handler (reserve.ts sets it). */
export function setReserve(r: ReserveLike | null): void {
  reserved = r;
}

/** @internal Whether a failure handler is running (the reserve is usable only then). */
export function insideFailureHandler(): boolean {
  return inHandler > 0;
}

/** An allocator's NULL: the handler is told, then null (one line for every strategy's failure path). */
export function noBlock(allocator: unknown, size: number, site: AllocSite | undefined): null {
  allocationFailed(allocator, size, site);
  return null;
}
