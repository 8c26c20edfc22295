/**
 * The SDK's segregated-fit allocator (`lib_alloc/mem_alloc.c`), byte-faithful
 * for a 64-bit host (SPEC §6.1): for any sequence of calls it returns the same
 * offsets, the same NULLs and the same statistics, and detects the same
 * corruptions. All allocator state lives in the caller's region, laid out as
 * the C code lays it out, so a dump of the region reads like the device's RAM.
 *
 * Region layout (offsets from the region start, 64-bit host build):
 *
 *   0        8          16                                            96
 *   +--------+----------+---------------------------------------------+----------- ...
 *   | end    | nb_segs  | free_segments[40]: u16 list heads (idx = off/8) | chunks ...
 *   | u64 LE | u64 LE   | 10 segments x 4 sub-lists, 0 = empty list   |
 *   +--------+----------+---------------------------------------------+----------- ...
 *
 * Chunks tile [96, size) exactly, each at a multiple of 8. Headers are
 * little-endian u16 words:
 *
 *   free chunk                                 allocated chunk
 *   +0  +-----------------------------+        +0  +-----------------------------+
 *       | size (15 bits) | alloc=0    |            | size (15 bits) | alloc=1    |
 *   +2  +-----------------------------+        +2  +-----------------------------+
 *       | phys_prev (offset/8, 0=none)|            | phys_prev (offset/8, 0=none)|
 *   +4  +-----------------------------+        +4  +-----------------------------+ <- payload
 *       | fprev  (free-list prev)     |            | payload: size - 4 bytes     |
 *   +6  +-----------------------------+            | (the returned pointer is    |
 *       | fnext  (free-list next)     |            |  8N + 4)                    |
 *   +8  +-----------------------------+            |                             |
 *       | (unused)                    |            |                             |
 *  size +-----------------------------+       size +-----------------------------+
 *
 * Addresses handed to callers are `base + offset`; `base` plays the role of
 * the heap's address on the device (default 0xda7a0000, as in the SDK logs).
 */
import type { CorruptionKind } from '../protocol/records.js';

/** Size of the heap header (`sizeof(heap_t)` rounded to 8 on a 64-bit host). */
export const HEAP_HEADER_SIZE = 96;
/** Smallest and largest heap sizes `mem_init` accepts. */
export const MIN_HEAP_SIZE = 200;
export const MAX_HEAP_SIZE = 0x7ff8 + HEAP_HEADER_SIZE; // 32856
/** Largest request `mem_alloc` can serve: its chunk must fit in 15 bits. */
export const MAX_ALLOC_SIZE = 32756;
/** Address of the heap when the caller gives none: what the SDK logs show. */
export const DEFAULT_HEAP_BASE = 0xda7a0000;

// Heap header fields (byte offsets).
const HDR_END = 0; // u64: one past the last byte of the heap (an address)
const HDR_NB_SEGS = 8; // u64: number of segments in use
const HDR_FREE_LISTS = 16; // u16[NB_MAX_SEGMENTS * NB_SUB_SEGMENTS]
const W_FREE_LISTS = HDR_FREE_LISTS >> 1; // the same, as a u16 word index

// Chunk header fields, as u16 word indices from the chunk's first word.
const W_SIZE = 0; // size (bits 0-14) | allocated (bit 15)
const W_PHYS_PREV = 1; // physically previous chunk, offset / 8
const W_FPREV = 2; // previous chunk in its free list, offset / 8
const W_FNEXT = 3; // next chunk in its free list, offset / 8

const SIZE_MASK = 0x7fff;
const ALLOCATED = 0x8000;
const ALLOC_CHUNK_HEADER_SIZE = 4;
const FREE_CHUNK_HEADER_SIZE = 8;
const PAYLOAD_ALIGNMENT = 4;

const NB_LINEAR_SEGMENTS = 5;
const NB_MAX_SEGMENTS = 10;
const NB_SUB_SEGMENTS = 4;

export type HeapCorruptionReason =
  | 'invalid-size' //       a chunk's size is not a multiple of 4, below 8 or past the heap end
  | 'corrupted-prev' //     a chunk's physical-previous link does not lead back to it
  | 'corrupted-list' //     a free chunk's list links point outside the heap (C would write there)
  | 'wild-pointer' //       free of an address outside the heap's payload area
  | 'invariant' //          debug-mode consistency check failed
  // Found by the hardening decorator (SPEC §6.5):
  | 'outside' //            free/realloc of an address the allocator does not own
  | 'double-free' //        free of a block already freed
  | 'use-after-free' //     a poisoned free block was written to
  | 'guard-before' //       the guard words before a block were overwritten
  | 'guard-after'; //       the guard words after a block were overwritten

/** The `corrupt` record's WHAT for a reason, or null when it is a free error, not corruption. */
const RECORD_WHAT: Record<HeapCorruptionReason, CorruptionKind | null> = {
  'invalid-size': 'header',
  'corrupted-prev': 'header',
  'corrupted-list': 'header',
  'wild-pointer': null,
  invariant: 'header',
  outside: null,
  'double-free': null,
  'use-after-free': 'poison',
  'guard-before': 'guard-before',
  'guard-after': 'guard-after',
};

/**
 * Thrown where the SDK would `THROW(EXCEPTION_CORRUPT)`, and by the toolkit's
 * hardening. `sdkMessage` is what the SDK PRINTFs just before throwing (a
 * debug build shows it in the log).
 */
export class HeapCorruptionError extends Error {
  readonly code = 'EXCEPTION_CORRUPT' as const;
  override readonly name = 'HeapCorruptionError';
  /**
   * @internal Whether the error is already reported in the log: set once a
   * profiler wrote its `corrupt` record, and from the start for the SDK
   * allocator's own errors (the SDK prints its own line for those, which the
   * analyzer reads; a profiled SDK heap prints exactly what the SDK prints).
   */
  reported = false;
  constructor(
    message: string,
    readonly reason: HeapCorruptionReason,
    /** Address of the offending chunk header (or pointer, for a wild pointer; the block, for hardening). */
    readonly address: number,
    readonly sdkMessage: string | null = null,
  ) {
    super(message);
  }

  /** The reason under its other name: `err.kind === 'double-free'`. */
  get kind(): HeapCorruptionReason {
    return this.reason;
  }

  /** What a `corrupt` record says was found, or null for a free error (outside, double free). */
  get what(): CorruptionKind | null {
    return RECORD_WHAT[this.reason];
  }
}

export interface MemInitOptions {
  /** Address of the region's first byte, as seen by the app. Default 0xda7a0000. */
  base?: number;
  /**
   * Check the whole heap's invariants after every alloc/realloc/free (slow).
   * Also switched on by the environment variable `VALGROUND_HEAP_DEBUG=1`.
   */
  debug?: boolean;
}

/**
 * The allocator context `mem_init` returns: views on the region, created once.
 * Header words go through a Uint16Array (faster than DataView here); it is
 * little-endian on every platform Node ships for but s390x, where the region's
 * bytes would be big-endian (the allocator still works).
 */
export class MemCtx {
  /** @internal */ readonly dv: DataView;
  /** @internal */ readonly u16: Uint16Array;
  /** @internal */ readonly nbLists: number;
  constructor(
    readonly region: Uint8Array,
    readonly base: number,
    /** Heap size in bytes (the region's length). */
    readonly size: number,
    /** @internal */ readonly nbSegs: number,
    readonly debug: boolean,
  ) {
    this.dv = new DataView(region.buffer, region.byteOffset, region.byteLength);
    this.u16 = new Uint16Array(region.buffer, region.byteOffset, region.byteLength >> 1);
    this.nbLists = nbSegs * NB_SUB_SEGMENTS;
  }
}

export interface MemStat {
  /** Heap size, header included (sum of the chunks walked + 96). */
  total_size: number;
  free_size: number;
  /** Sum of allocated chunk sizes (headers included, as the SDK counts). */
  allocated_size: number;
  nb_chunks: number;
  nb_allocated: number;
}

/** `mem_stat` plus what the SDK does not tell. */
export interface MemStatEx extends MemStat {
  nb_free: number;
  /** Size of the largest free chunk (its payload is 4 bytes less). */
  largest_free: number;
  /**
   * pw_allocator's fragmentation score over free chunk sizes:
   * 1 − √(Σ free²) / Σ free. 0 = all free memory in one chunk (or none free).
   */
  fragmentation: number;
}

/** `mem_parse` callback: return `true` to stop the walk. */
export type MemParseCallback = (address: number, allocated: boolean, size: number) => boolean | void;

function envDebug(): boolean {
  const v = typeof process !== 'undefined' ? process.env.VALGROUND_HEAP_DEBUG : undefined;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

// ---------------------------------------------------------------------------
// Size classes

/** Free-list index of a chunk size (`seglist_index`), or -1 past the last segment. */
function seglistIndex(nbSegs: number, size: number): number {
  let seg = 31 - Math.clz32(size);
  if (seg < NB_LINEAR_SEGMENTS) seg = NB_LINEAR_SEGMENTS;
  // The aggregated first segment [0, 64) is cut in quarters; the others in eighths,
  // of which only the upper four quarters-of-a-power occur.
  const sub = seg === NB_LINEAR_SEGMENTS ? (size >> (seg - 1)) & 3 : (size >> (seg - 2)) & 3;
  seg -= NB_LINEAR_SEGMENTS;
  return seg >= nbSegs ? -1 : seg * NB_SUB_SEGMENTS + sub;
}

/** First list whose every chunk is big enough (`seglist_index_up`), or -1. */
function seglistIndexUp(nbSegs: number, size: number): number {
  let seg = 31 - Math.clz32(size);
  if (seg < NB_LINEAR_SEGMENTS) seg = NB_LINEAR_SEGMENTS;
  const width = seg === NB_LINEAR_SEGMENTS ? 1 << (seg - 1) : 1 << (seg - 2);
  return seglistIndex(nbSegs, (size + width - 1) & ~(width - 1));
}

/** Chunk size for a request of n bytes (`align_alloc_size`): always 8k + 8. */
function chunkSizeFor(n: number): number {
  const s = (n + PAYLOAD_ALIGNMENT - 1) & ~(PAYLOAD_ALIGNMENT - 1);
  return s + ((s & PAYLOAD_ALIGNMENT) !== 0 ? ALLOC_CHUNK_HEADER_SIZE : ALLOC_CHUNK_HEADER_SIZE + PAYLOAD_ALIGNMENT);
}

// ---------------------------------------------------------------------------
// Free lists and validation. `chunk` values are byte offsets in the region;
// `u16[chunk >> 1]` is the chunk's first header word. List links and
// phys_prev hold offset / 8 ("idx"), as in the C code: word index = idx << 2.

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

// Kept out of line so the hot paths stay small and throw-free.
function corrupt(ctx: MemCtx, reason: HeapCorruptionReason, chunk: number, detail: string, sdk: string | null): HeapCorruptionError {
  return sdkError(new HeapCorruptionError(`heap corruption at ${hex(ctx.base + chunk)}: ${detail}`, reason, ctx.base + chunk, sdk));
}

function sdkError(e: HeapCorruptionError): HeapCorruptionError {
  e.reported = true;
  return e;
}

/** `ensure_chunk_valid`: throws HeapCorruptionError like the SDK's THROW(EXCEPTION_CORRUPT). */
function ensureChunkValid(ctx: MemCtx, chunk: number): void {
  const u16 = ctx.u16;
  const end = ctx.size;
  const w = chunk >> 1;
  const size = u16[w + W_SIZE] & SIZE_MASK;
  if ((size & (PAYLOAD_ALIGNMENT - 1)) !== 0 || size < FREE_CHUNK_HEADER_SIZE || chunk + size > end) {
    throw corrupt(ctx, 'invalid-size', chunk, `invalid chunk size ${size}`, `invalid size: header->size  = ${size}!`);
  }
  const prevIdx = u16[w + W_PHYS_PREV];
  if (prevIdx !== 0) {
    const prev = prevIdx << 3;
    // prev == end: the C code would read past the heap; the check fails anyway.
    if (prev < HEAP_HEADER_SIZE || prev >= end || prev + (u16[(prev >> 1) + W_SIZE] & SIZE_MASK) !== chunk) {
      throw corrupt(ctx, 'corrupted-prev', chunk, `previous-chunk link ${hex(ctx.base + prev)} does not end here`, 'corrupted prev_chunk');
    }
  }
}

/** `list_remove`: unlink chunk `elem` (offset / 8) from the list whose head word is `head`. */
function listRemove(ctx: MemCtx, head: number, elem: number): void {
  const u16 = ctx.u16;
  const w = elem << 2;
  const fnext = u16[w + W_FNEXT];
  const fprev = u16[w + W_FPREV];
  // Links of a chunk whose header was overwritten may point past the heap: the
  // C code would then write outside it; stop with a corruption error instead.
  // Only the links C follows are checked (a list head's prev is never read),
  // so a heap the SDK carries on with does not throw here.
  const size = ctx.size;
  if (u16[head] === elem) {
    if (linkOutside(fnext, size)) throw listCorruption(ctx, elem, fprev, fnext);
    u16[head] = fnext;
    if (fnext !== 0) u16[(fnext << 2) + W_FPREV] = 0;
    return;
  }
  if (linkOutside(fprev, size) || linkOutside(fnext, size)) throw listCorruption(ctx, elem, fprev, fnext);
  if (fprev !== 0) u16[(fprev << 2) + W_FNEXT] = fnext;
  if (fnext !== 0) u16[(fnext << 2) + W_FPREV] = fprev;
}

/** A free-list link (offset / 8) whose chunk header would lie past the heap end. */
function linkOutside(link: number, size: number): boolean {
  return link !== 0 && (link << 3) + FREE_CHUNK_HEADER_SIZE > size;
}

function listCorruption(ctx: MemCtx, elem: number, fprev: number, fnext: number): HeapCorruptionError {
  return corrupt(ctx, 'corrupted-list', elem << 3, `free-list links ${fprev}/${fnext} point outside the heap`, null);
}

/** `list_push`: mark the chunk free and push it at the head (LIFO) of its list. */
function listPush(ctx: MemCtx, chunk: number): void {
  const u16 = ctx.u16;
  const w = chunk >> 1;
  const w0 = u16[w + W_SIZE];
  const seg = seglistIndex(ctx.nbSegs, w0 & SIZE_MASK);
  if (seg < 0) return;
  const head = W_FREE_LISTS + seg;
  const first = u16[head];
  const idx = chunk >> 3;
  // Already the head: the SDK returns without touching the header.
  if (first === idx) return;
  u16[w + W_FNEXT] = first;
  u16[w + W_FPREV] = 0;
  u16[w + W_SIZE] = w0 & SIZE_MASK;
  if (first !== 0) u16[(first << 2) + W_FPREV] = idx;
  u16[head] = idx;
}

/** Zero a chunk's 8 header bytes (the SDK's memset of an absorbed header). */
function clearHeader(u16: Uint16Array, w: number): void {
  u16[w] = 0;
  u16[w + 1] = 0;
  u16[w + 2] = 0;
  u16[w + 3] = 0;
}

/** `coalesce`: merge `neighbour` into `chunk` (or `chunk` into it) if it is free. */
function coalesce(ctx: MemCtx, chunk: number, neighbour: number): number {
  const u16 = ctx.u16;
  ensureChunkValid(ctx, neighbour);
  const nw = u16[(neighbour >> 1) + W_SIZE];
  if ((nw & ALLOCATED) !== 0) return chunk;
  const nsize = nw & SIZE_MASK;
  const seg = seglistIndex(ctx.nbSegs, nsize);
  if (seg >= 0) listRemove(ctx, W_FREE_LISTS + seg, neighbour >> 3);
  const cw0 = u16[(chunk >> 1) + W_SIZE];
  if (chunk < neighbour) {
    const next = neighbour + nsize;
    if (next < ctx.size) u16[(next >> 1) + W_PHYS_PREV] = chunk >> 3;
    // 15-bit bitfield arithmetic, as `header->size += neighbour->size`.
    u16[(chunk >> 1) + W_SIZE] = (cw0 & ALLOCATED) | ((cw0 + nsize) & SIZE_MASK);
    clearHeader(u16, neighbour >> 1);
    return chunk;
  }
  const next = chunk + (cw0 & SIZE_MASK);
  if (next < ctx.size) u16[(next >> 1) + W_PHYS_PREV] = neighbour >> 3;
  u16[(neighbour >> 1) + W_SIZE] = (nw & ALLOCATED) | ((nw + cw0) & SIZE_MASK);
  clearHeader(u16, chunk >> 1);
  return neighbour;
}

/**
 * Cut a free chunk of `size` bytes at `at`, just after chunk `owner` whose old
 * end was `oldEnd`, and push it (the split done by alloc and in-place realloc).
 */
function splitTail(ctx: MemCtx, owner: number, at: number, size: number, oldEnd: number): void {
  const u16 = ctx.u16;
  const w = at >> 1;
  // A 15-bit bitfield write: the allocated bit keeps whatever was there until list_push.
  u16[w + W_SIZE] = (u16[w + W_SIZE] & ALLOCATED) | (size & SIZE_MASK);
  u16[w + W_PHYS_PREV] = owner >> 3;
  if (oldEnd < ctx.size) u16[(oldEnd >> 1) + W_PHYS_PREV] = at >> 3;
  listPush(ctx, at);
}

/**
 * Payload pointer → chunk offset, or -1 when outside the heap's payload area:
 * before the first payload (base + 100), past the last possible one
 * (end − 4), or odd (a halfword-misaligned header: a fault on a Cortex-M0).
 */
function chunkOf(ctx: MemCtx, ptr: number): number {
  const off = ptr - ctx.base;
  if (!(off >= HEAP_HEADER_SIZE + ALLOC_CHUNK_HEADER_SIZE && off <= ctx.size - ALLOC_CHUNK_HEADER_SIZE) || (off | 0) !== off || (off & 1) !== 0) return -1;
  return off - ALLOC_CHUNK_HEADER_SIZE;
}

/** @internal Chunk offset of a payload pointer, or -1 outside the payload area (what realloc refuses). */
export function payloadChunk(ctx: MemCtx, ptr: number): number {
  return chunkOf(ctx, ptr);
}

function checkRequest(fn: string, n: number): void {
  if (typeof n !== 'number' || n % 1 !== 0) throw new TypeError(`${fn}: size must be an integer, got ${String(n)}`);
}

function wildPointer(fn: string, ptr: number): HeapCorruptionError {
  return sdkError(new HeapCorruptionError(`${fn}: ${hex(ptr)} is outside the heap's payload area`, 'wild-pointer', ptr));
}

// ---------------------------------------------------------------------------
// API (SPEC §6.2)

/**
 * Initialise a heap over `region` (its whole length is the heap size).
 * Returns `null` when the SDK refuses the size: not a multiple of 8, below
 * 200 or above 32856 bytes.
 */
export function mem_init(region: Uint8Array, options: MemInitOptions = {}): MemCtx | null {
  if (!(region instanceof Uint8Array)) throw new TypeError('mem_init: region must be a Uint8Array');
  if (region.byteOffset % 2 !== 0) throw new RangeError('mem_init: region must start at an even byte offset of its buffer');
  const size = region.byteLength;
  const base = options.base ?? DEFAULT_HEAP_BASE;
  if (!Number.isInteger(base) || base < 0 || base % 8 !== 0 || base + size > 2 ** 32) {
    throw new RangeError(`mem_init: base ${String(base)} must be 8-byte aligned and keep the heap in the 32-bit address space`);
  }
  if ((size & (FREE_CHUNK_HEADER_SIZE - 1)) !== 0 || size < MIN_HEAP_SIZE || size > MAX_HEAP_SIZE) return null;
  const nbSegs = 31 - Math.clz32(size - HEAP_HEADER_SIZE) - NB_LINEAR_SEGMENTS + 1;
  if (nbSegs > NB_MAX_SEGMENTS) return null;
  const ctx = new MemCtx(region, base, size, nbSegs, options.debug ?? envDebug());
  const dv = ctx.dv;
  const u16 = ctx.u16;
  // heap_t as the C code leaves it: end pointer, nb_segs, then the list heads in use.
  dv.setBigUint64(HDR_END, BigInt(base + size), true);
  dv.setBigUint64(HDR_NB_SEGS, BigInt(nbSegs), true);
  u16.fill(0, W_FREE_LISTS, W_FREE_LISTS + ctx.nbLists);
  // One free chunk covering everything after the header.
  const w = HEAP_HEADER_SIZE >> 1;
  u16[w + W_SIZE] = (u16[w + W_SIZE] & ALLOCATED) | (size - HEAP_HEADER_SIZE);
  u16[w + W_PHYS_PREV] = 0;
  listPush(ctx, HEAP_HEADER_SIZE);
  if (ctx.debug) mem_check(ctx);
  return ctx;
}

/** Allocate `n` bytes; the address of the payload, or `null` (n = 0, too big, no fit). */
export function mem_alloc(ctx: MemCtx, n: number): number | null {
  if (!(n >= 1 && n <= MAX_ALLOC_SIZE)) return null;
  if ((n | 0) !== n) checkRequest('mem_alloc', n); // a fraction, or not a number at all
  const need = chunkSizeFor(n);
  let seg = seglistIndexUp(ctx.nbSegs, need);
  if (seg < 0) return null;
  const u16 = ctx.u16;
  for (const lists = ctx.nbLists; seg < lists; seg++) {
    const head = W_FREE_LISTS + seg;
    const idx = u16[head];
    if (idx === 0) continue;
    const chunk = idx << 3;
    ensureChunkValid(ctx, chunk);
    const w = idx << 2;
    const size = u16[w + W_SIZE] & SIZE_MASK;
    // Only the head of the first non-empty list is tried: if it is too small, fail.
    if (need > size) return null;
    listRemove(ctx, head, idx);
    let newSize = size;
    if (size >= need + FREE_CHUNK_HEADER_SIZE) {
      splitTail(ctx, chunk, chunk + need, size - need, chunk + size);
      newSize = need;
    }
    u16[w + W_SIZE] = ALLOCATED | newSize;
    u16[w + W_FPREV] = 0;
    u16[w + W_FNEXT] = 0;
    if (ctx.debug) mem_check(ctx);
    return ctx.base + chunk + ALLOC_CHUNK_HEADER_SIZE;
  }
  return null;
}

/**
 * Free a block. Freeing an already free chunk does nothing (the SDK is silent
 * on double frees); an address outside the heap's payload area throws, since
 * the C code would read wild memory.
 */
export function mem_free(ctx: MemCtx, ptr: number): void {
  let chunk = chunkOf(ctx, ptr);
  if (chunk < 0) throw wildPointer('mem_free', ptr);
  const u16 = ctx.u16;
  ensureChunkValid(ctx, chunk);
  const w0 = u16[(chunk >> 1) + W_SIZE];
  if ((w0 & ALLOCATED) === 0) return;
  const next = chunk + (w0 & SIZE_MASK);
  if (next < ctx.size) chunk = coalesce(ctx, chunk, next);
  const prevIdx = u16[(chunk >> 1) + W_PHYS_PREV];
  if (prevIdx !== 0) chunk = coalesce(ctx, chunk, prevIdx << 3);
  listPush(ctx, chunk);
  if (ctx.debug) mem_check(ctx);
}

/**
 * Resize a block. `null` (or 0) → alloc; size 0 → free and `null`; a pointer outside
 * the heap's payload area → `null`. Shrinks (and grows within the current
 * payload) in place, splitting off the tail when at least 8 bytes are left,
 * without merging it with the next chunk. Otherwise allocates, copies the old
 * payload and frees the old block; on failure the old block is untouched.
 */
export function mem_realloc(ctx: MemCtx, ptr: number | null, n: number): number | null {
  if (ptr === null || ptr === 0) return mem_alloc(ctx, n); // 0 is NULL, as in C
  const chunk = chunkOf(ctx, ptr);
  if (chunk < 0) return null;
  if (n === 0) {
    mem_free(ctx, ptr);
    return null;
  }
  if (!(n >= 1)) return null; // negative or NaN: a huge size_t in C, which no heap holds
  if (typeof n !== 'number' || n % 1 !== 0) checkRequest('mem_realloc', n);
  ensureChunkValid(ctx, chunk);
  const u16 = ctx.u16;
  const w0 = u16[(chunk >> 1) + W_SIZE];
  const oldSize = w0 & SIZE_MASK;
  const oldPayload = oldSize - ALLOC_CHUNK_HEADER_SIZE;
  if (oldPayload >= n) {
    const newSize = chunkSizeFor(n);
    const remainder = oldSize - newSize;
    if (remainder >= FREE_CHUNK_HEADER_SIZE) {
      splitTail(ctx, chunk, chunk + newSize, remainder, chunk + oldSize);
      u16[(chunk >> 1) + W_SIZE] = (w0 & ALLOCATED) | newSize;
      if (ctx.debug) mem_check(ctx);
    }
    return ptr;
  }
  const fresh = mem_alloc(ctx, n);
  if (fresh === null) return null;
  const from = chunk + ALLOC_CHUNK_HEADER_SIZE;
  ctx.region.copyWithin(fresh - ctx.base, from, from + oldPayload);
  mem_free(ctx, ptr);
  return fresh;
}

/**
 * Walk the chunks in address order, as `mem_parse` does. `address` is the
 * chunk header's address (the payload of an allocated chunk is at address + 4).
 * The walk stops when the callback returns true, at a zero-sized chunk (where
 * the C loop would spin forever) or when the next header would lie past the heap.
 */
export function mem_parse(ctx: MemCtx, cb: MemParseCallback): void {
  const u16 = ctx.u16;
  const end = ctx.size;
  let chunk = HEAP_HEADER_SIZE;
  for (;;) {
    const w0 = u16[(chunk >> 1) + W_SIZE];
    const size = w0 & SIZE_MASK;
    if (cb(ctx.base + chunk, (w0 & ALLOCATED) !== 0, size) === true) return;
    if (size === 0 || chunk + size + 2 > end) return;
    chunk += size;
  }
}

/** Heap statistics, as the SDK's `mem_stat` computes them (header included in total). */
export function mem_stat(ctx: MemCtx): MemStat {
  const s = statWalk(ctx, false);
  return { total_size: s.total_size, free_size: s.free_size, allocated_size: s.allocated_size, nb_chunks: s.nb_chunks, nb_allocated: s.nb_allocated };
}

/** `mem_stat` plus free-chunk count, largest free chunk and fragmentation score. */
export function mem_stat_ex(ctx: MemCtx): MemStatEx {
  return statWalk(ctx, true);
}

function statWalk(ctx: MemCtx, extended: boolean): MemStatEx {
  const u16 = ctx.u16;
  const end = ctx.size;
  let total = HEAP_HEADER_SIZE;
  let free = 0;
  let allocated = 0;
  let chunks = 0;
  let nbAllocated = 0;
  let largest = 0;
  let squares = 0;
  let chunk = HEAP_HEADER_SIZE;
  for (;;) {
    const w0 = u16[(chunk >> 1) + W_SIZE];
    const size = w0 & SIZE_MASK;
    if (size === 0) break; // the SDK's parse_callback stops here ("error reached")
    chunks++;
    if ((w0 & ALLOCATED) !== 0) {
      nbAllocated++;
      allocated += size;
    } else {
      free += size;
      if (extended) {
        if (size > largest) largest = size;
        squares += size * size;
      }
    }
    total += size;
    if (chunk + size + 2 > end) break;
    chunk += size;
  }
  return {
    total_size: total,
    free_size: free,
    allocated_size: allocated,
    nb_chunks: chunks,
    nb_allocated: nbAllocated,
    nb_free: chunks - nbAllocated,
    largest_free: largest,
    fragmentation: free === 0 ? 0 : 1 - Math.sqrt(squares) / free,
  };
}

/**
 * Usable payload size of an allocated block (chunk size − 4), validating its
 * header like `mem_free` does. Throws for a free chunk or a wild pointer.
 */
export function mem_block_size(ctx: MemCtx, ptr: number): number {
  const chunk = chunkOf(ctx, ptr);
  if (chunk < 0) throw wildPointer('mem_block_size', ptr);
  ensureChunkValid(ctx, chunk);
  const w0 = ctx.u16[(chunk >> 1) + W_SIZE];
  if ((w0 & ALLOCATED) === 0) throw new RangeError(`${hex(ptr)} is not an allocated block`);
  return (w0 & SIZE_MASK) - ALLOC_CHUNK_HEADER_SIZE;
}

/**
 * Full consistency check (what debug mode runs after every call): chunks tile
 * the heap with correct back links, every free chunk sits in the list of its
 * size class and every list holds only free chunks, doubly linked. Throws a
 * HeapCorruptionError with reason 'invariant'.
 */
export function mem_check(ctx: MemCtx): void {
  const u16 = ctx.u16;
  const dv = ctx.dv;
  const end = ctx.size;
  const fail = (chunk: number, detail: string): never => {
    throw corrupt(ctx, 'invariant', chunk, detail, null);
  };
  if (dv.getBigUint64(HDR_END, true) !== BigInt(ctx.base + end)) fail(HDR_END, 'heap header end pointer changed');
  if (dv.getBigUint64(HDR_NB_SEGS, true) !== BigInt(ctx.nbSegs)) fail(HDR_NB_SEGS, 'heap header nb_segs changed');
  let freeChunks = 0;
  let prev = 0;
  let chunk = HEAP_HEADER_SIZE;
  while (chunk < end) {
    const w = chunk >> 1;
    const size = u16[w + W_SIZE] & SIZE_MASK;
    if (size < FREE_CHUNK_HEADER_SIZE || size % 8 !== 0 || chunk + size > end) fail(chunk, `bad chunk size ${size}`);
    if (u16[w + W_PHYS_PREV] !== prev >> 3) fail(chunk, 'phys_prev does not name the previous chunk');
    if ((u16[w + W_SIZE] & ALLOCATED) === 0) {
      freeChunks++;
      // Must be reachable from the head of its size class.
      const seg = seglistIndex(ctx.nbSegs, size);
      if (seg < 0) fail(chunk, 'free chunk has no size class');
      let at = u16[W_FREE_LISTS + seg];
      for (let steps = 0; at !== 0 && at !== chunk >> 3 && steps <= end >> 3; steps++) at = u16[(at << 2) + W_FNEXT];
      if (at !== chunk >> 3) fail(chunk, `free chunk missing from list ${seg}`);
    }
    prev = chunk;
    chunk += size;
  }
  if (chunk !== end) fail(prev, 'chunks overrun the heap');
  let listed = 0;
  // Only the heads of the segments in use: mem_init leaves the others as the
  // region held them (a dirty region keeps its old bytes there), and C never reads them.
  for (let seg = 0; seg < ctx.nbLists; seg++) {
    let idx = u16[W_FREE_LISTS + seg];
    let back = 0;
    while (idx !== 0) {
      const c = idx << 3;
      if (c < HEAP_HEADER_SIZE || c + FREE_CHUNK_HEADER_SIZE > end) fail(c, `list ${seg} links outside the heap`);
      const w0 = u16[(c >> 1) + W_SIZE];
      if ((w0 & ALLOCATED) !== 0) fail(c, `allocated chunk in free list ${seg}`);
      if (seglistIndex(ctx.nbSegs, w0 & SIZE_MASK) !== seg) fail(c, `chunk of size ${w0 & SIZE_MASK} in list ${seg}`);
      if (u16[(c >> 1) + W_FPREV] !== back) fail(c, 'fprev does not name the previous list entry');
      if (++listed > freeChunks) fail(c, 'free lists hold more entries than there are free chunks');
      back = idx;
      idx = u16[(c >> 1) + W_FNEXT];
    }
  }
  if (listed !== freeChunks) fail(HDR_FREE_LISTS, `${freeChunks} free chunks but ${listed} listed`);
}
