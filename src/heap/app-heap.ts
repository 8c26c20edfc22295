/**
 * The SDK's app-level heap (`lib_alloc/app_mem_utils.c`) with memory
 * profiling (SPEC §6.3): `APP_MEM_*` over the byte-faithful allocator, each
 * call printing its `==MP` record exactly as a `HAVE_MEMORY_PROFILING` build
 * does, with the caller's `file:line`.
 *
 * Profiling is a decorator (`profile(sdk)`, profile.ts): the allocator knows
 * nothing of it, and records go to an injected sink (a function taking one line, or a writable stream),
 * never to the console directly. By default lines carry the emulator's
 * `seproxyhal: printf: ` prefix, so a program driving this heap prints a log
 * that the Python reference, and `valground --compat`, read like a real
 * device's; pass `prefix: ''` for bare `==MP …` lines.
 */
import { checkSite, EMULATOR_PREFIX, formatRecordLine, type MemRecord } from '../protocol/records.js';
import {
  DEFAULT_HEAP_BASE,
  HeapCorruptionError,
  type MemCtx,
  type MemStat,
  type MemStatEx,
  mem_init,
  mem_stat,
  mem_stat_ex,
  payloadChunk,
} from './allocator.js';
import { callerSite } from './call-site.js';
import { Heap } from './heap.js';
import { type Allocator, type AllocSite, siteText } from './interface.js';
import { ProfilingAllocator, type RecordSink, toSink } from './profile.js';
import { SdkAllocator } from './sdk.js';

export type { AllocSite } from './interface.js';
export type { RecordSink } from './profile.js';

/** `{ ptr }` stands in for the C `void **` of CALLOC, PERMANENT and FREE_AND_NULL. */
export interface PtrRef {
  ptr: number | null;
}

export interface AppHeapOptions {
  /** Address of the heap's first byte. Default 0xda7a0000. */
  base?: number;
  /** Print `==MP` records (a `HAVE_MEMORY_PROFILING` build). Default true. */
  profiling?: boolean;
  /** Record sink. Default `process.stdout` (one line per record). */
  log?: RecordSink;
  /**
   * Text before `==MP ` on each line. Default `'seproxyhal: printf: '`, what
   * the device emulator prints before the app's output, so the default log is
   * readable by the Python reference (which only reads lines starting so).
   */
  prefix?: string;
  /** Also print `fail;SIZE;SITE` when an allocation returns NULL (valground extension). Default false. */
  failRecords?: boolean;
  /** Let `test(name)` print `test;NAME` boundaries (valground extension). Default false. */
  testRecords?: boolean;
  /**
   * Also print, through the sink, the SDK's own PRINTF diagnostics of a debug
   * build (`invalid size: header->size  = 0!`, `Requested buffer size is
   * zero`…). Default false: the sink then receives records only.
   */
  sdkPrintf?: boolean;
  /**
   * Called on every allocation that returns NULL, a request of 0 bytes
   * included (in the spirit of Ioto's rSetMemHandler); not for a realloc to
   * 0, which frees.
   */
  onAllocFailure?: (size: number, site: string) => void;
  /** Allocator invariant checks after every call (slow). See `MemInitOptions.debug`. */
  debug?: boolean;
  /**
   * Also print `resize;ADDR;OLD;NEW;SITE` for a realloc done in place
   * (valground extension; the SDK prints nothing then). Default false.
   */
  resizeRecords?: boolean;
}

// ---------------------------------------------------------------------------

const textEncoder = new TextEncoder();

/** An app heap with profiling; the `APP_MEM_*` root functions drive the last one initialised. */
export class AppHeap {
  readonly base: number;
  readonly size: number;
  readonly region: Uint8Array;
  readonly profiling: boolean;
  private ctxOrNull: MemCtx | null;
  private heapView: Heap | null;
  /** `profile(sdk)` when profiling, the SDK allocator alone otherwise; null when init failed. */
  private backend: Allocator | null;
  private readonly resizeRecords: boolean;
  private readonly sink: (line: string) => void;
  private readonly prefix: string;
  private readonly failRecords: boolean;
  private readonly testRecords: boolean;
  private readonly sdkPrintf: boolean;
  private readonly onAllocFailure: ((size: number, site: string) => void) | undefined;
  private readonly debug: boolean | undefined;

  constructor(sizeOrRegion: number | Uint8Array, options: AppHeapOptions = {}) {
    this.region = typeof sizeOrRegion === 'number' ? new Uint8Array(sizeOrRegion) : sizeOrRegion;
    this.base = options.base ?? DEFAULT_HEAP_BASE;
    this.size = this.region.byteLength;
    this.profiling = options.profiling ?? true;
    this.sink = this.profiling || options.sdkPrintf ? toSink(options.log) : () => {};
    this.prefix = options.prefix ?? EMULATOR_PREFIX;
    this.failRecords = options.failRecords ?? false;
    this.testRecords = options.testRecords ?? false;
    this.sdkPrintf = options.sdkPrintf ?? false;
    this.onAllocFailure = options.onAllocFailure;
    this.debug = options.debug;
    this.resizeRecords = options.resizeRecords ?? false;
    this.ctxOrNull = null;
    this.heapView = null;
    this.backend = null;
    this.init();
  }

  /** False when the allocator refused the size (the `init` record is printed anyway). */
  get ok(): boolean {
    return this.ctxOrNull !== null;
  }

  /**
   * Re-initialise the heap in place, as an app calling `mem_utils_init` again
   * on its buffer: every live block is gone. Logs `init`.
   */
  reset(): boolean {
    return this.init();
  }

  private init(): boolean {
    this.ctxOrNull = mem_init(this.region, { base: this.base, debug: this.debug });
    const ctx = this.ctxOrNull;
    this.heapView = ctx === null ? null : new Heap(ctx);
    const sdk = ctx === null ? null : new SdkAllocator(ctx);
    this.backend =
      sdk === null || !this.profiling
        ? sdk
        : new ProfilingAllocator(sdk, { sink: this.sink, prefix: this.prefix, failRecords: this.failRecords, resizeRecords: this.resizeRecords, init: false });
    // Printed even when init failed, as the SDK does.
    if (this.profiling) this.emit({ kind: 'init', address: this.base, size: this.size });
    return this.ok;
  }

  /** The allocator context (throws if init failed: the C code would dereference NULL). */
  get ctx(): MemCtx {
    if (this.ctxOrNull === null) throw notInitialised(this.size);
    return this.ctxOrNull;
  }

  /** The heap as an `Allocator`: `profile(sdk)` when profiling (throws if init failed). */
  get allocator(): Allocator {
    if (this.backend === null) throw notInitialised(this.size);
    return this.backend;
  }

  /** The underlying heap, to read and write blocks' bytes. */
  get heap(): Heap {
    if (this.heapView === null) return new Heap(this.ctx); // throws: not initialised
    return this.heapView;
  }

  // --- the SDK's wrappers --------------------------------------------------

  /** `APP_MEM_ALLOC`: `size` bytes, uninitialised; the address or null. */
  APP_MEM_ALLOC(size: number, site?: AllocSite): number | null {
    return this.allocate(size, false, site);
  }

  /**
   * `APP_MEM_REALLOC`: logged as free + alloc only when the block moved (a
   * `resize` record in place, when asked); a pointer the allocator does not
   * own is refused and logs nothing.
   */
  APP_MEM_REALLOC(ptr: number | null, size: number, site?: AllocSite): number | null {
    const alloc = this.allocator;
    if (ptr === 0) ptr = null; // NULL, as in C
    const where = this.profiling ? this.explicitSite(site) : site;
    const moved = this.sdkPrintf ? this.guard(() => alloc.reallocate(ptr, size, where)) : alloc.reallocate(ptr, size, where);
    // NULL is a failure unless realloc(ptr, 0) freed or refused a pointer outside the heap; realloc(NULL, 0) is alloc(0)
    if (moved === null && (ptr === null || (size !== 0 && payloadChunk(this.ctx, ptr) >= 0))) this.failed(size, site);
    return moved;
  }

  /** `APP_MEM_FREE`: NULL is ignored; the record is printed before freeing, as the SDK does. */
  APP_MEM_FREE(ptr: number | null, site?: AllocSite): void {
    if (ptr === null || ptr === 0) return; // 0 is NULL, as in C
    const alloc = this.allocator;
    const where = this.profiling ? this.explicitSite(site) : site;
    if (this.sdkPrintf) this.guard(() => alloc.free(ptr, where));
    else alloc.free(ptr, where);
  }

  /** `APP_MEM_FREE_AND_NULL`: free `ref.ptr` if set, then clear it. */
  APP_MEM_FREE_AND_NULL(ref: PtrRef, site?: AllocSite): void {
    if (ref.ptr === null || ref.ptr === 0) return;
    this.APP_MEM_FREE(ref.ptr, site);
    ref.ptr = null;
  }

  /**
   * `APP_MEM_CALLOC`: `size` zeroed bytes into `ref.ptr`; true on success.
   * Size 0 allocates nothing and returns true. The SDK takes a `uint16_t`.
   */
  APP_MEM_CALLOC(ref: PtrRef, size: number, site?: AllocSite): boolean {
    return this.zeroed(ref, size, false, site);
  }

  /** `APP_MEM_PERMANENT`: like CALLOC, logged as `persist` (kept on purpose, never a leak). */
  APP_MEM_PERMANENT(ref: PtrRef, size: number, site?: AllocSite): boolean {
    return this.zeroed(ref, size, true, site);
  }

  /**
   * `APP_MEM_STRDUP`: the string's UTF-8 bytes and a NUL; the address or null.
   * Like `strlen`, the copy stops at the first U+0000.
   */
  APP_MEM_STRDUP(str: string, site?: AllocSite): number | null {
    const nul = str.indexOf('\0');
    const text = nul < 0 ? str : str.slice(0, nul);
    const length = Buffer.byteLength(text, 'utf8') + 1;
    const ptr = this.allocate(length, false, site);
    if (ptr !== null) {
      const off = ptr - this.base;
      textEncoder.encodeInto(text, this.region.subarray(off, off + length - 1));
      this.region[off + length - 1] = 0;
    }
    return ptr;
  }

  // Idiomatic aliases.
  alloc(size: number, site?: AllocSite): number | null {
    return this.allocate(size, false, site);
  }
  realloc(ptr: number | null, size: number, site?: AllocSite): number | null {
    return this.APP_MEM_REALLOC(ptr, size, site);
  }
  free(ptr: number | null, site?: AllocSite): void {
    this.APP_MEM_FREE(ptr, site);
  }
  freeAndNull(ref: PtrRef, site?: AllocSite): void {
    this.APP_MEM_FREE_AND_NULL(ref, site);
  }
  calloc(ref: PtrRef, size: number, site?: AllocSite): boolean {
    return this.zeroed(ref, size, false, site);
  }
  permanent(ref: PtrRef, size: number, site?: AllocSite): boolean {
    return this.zeroed(ref, size, true, site);
  }
  strdup(str: string, site?: AllocSite): number | null {
    return this.APP_MEM_STRDUP(str, site);
  }

  // --- beyond the SDK -------------------------------------------------------

  /** Print a `test;NAME` boundary (only with `testRecords: true`, so default logs stay reference-readable). */
  test(name: string): void {
    checkSite(name, 'test name');
    if (this.profiling && this.testRecords) this.emit({ kind: 'test', name });
  }

  stat(): MemStat {
    return mem_stat(this.ctx);
  }
  statEx(): MemStatEx {
    return mem_stat_ex(this.ctx);
  }
  bytes(ptr: number): Uint8Array {
    return this.heap.bytes(ptr);
  }
  read(ptr: number, length?: number, offset = 0): Uint8Array {
    return this.heap.read(ptr, length, offset);
  }
  write(ptr: number, data: ArrayLike<number>, offset = 0): void {
    this.heap.write(ptr, data, offset);
  }
  readString(ptr: number): string {
    return this.heap.readString(ptr);
  }

  // --- internals -------------------------------------------------------------

  // mem_utils_calloc: CALLOC and PERMANENT.
  private zeroed(ref: PtrRef, size: number, permanent: boolean, site: AllocSite | undefined): boolean {
    if (!Number.isInteger(size) || size < 0 || size > 0xffff) {
      throw new RangeError(`APP_MEM_CALLOC: size ${size} does not fit the SDK's uint16_t`);
    }
    if (size === 0) {
      this.printf('Requested buffer size is zero');
      return true;
    }
    const ptr = this.allocate(size, permanent, site);
    ref.ptr = ptr;
    if (ptr === null) {
      this.printf(`Memory allocation failed for buffer of size ${size}`);
      return false;
    }
    const off = ptr - this.base;
    this.region.fill(0, off, off + size);
    return true;
  }

  private allocate(size: number, permanent: boolean, site: AllocSite | undefined): number | null {
    const alloc = this.allocator;
    const where = this.profiling ? this.explicitSite(site) : site;
    const ptr = this.sdkPrintf ? this.guard(() => alloc.allocate(size, where, permanent)) : alloc.allocate(size, where, permanent);
    if (ptr === null) this.failed(size, site);
    return ptr;
  }

  /** The app's own failure hook (the global one, `onAllocFailure`, is called by the allocator). */
  private failed(size: number, site: AllocSite | undefined): void {
    if (this.onAllocFailure === undefined) return;
    this.onAllocFailure(size, site === undefined ? callerSite() : siteText(site));
  }

  /**
   * The site as the profiler will print it, taken from the stack here when
   * the caller gives none (a short walk up to the app's frame).
   */
  private explicitSite(site: AllocSite | undefined): string {
    return site === undefined ? callerSite() : typeof site === 'string' ? site : siteText(site);
  }

  private emit(record: MemRecord): void {
    this.sink(formatRecordLine(record, this.prefix));
  }

  private printf(text: string): void {
    if (this.sdkPrintf) this.sink(this.prefix + text);
  }

  // Prints what the SDK PRINTFs before THROW(EXCEPTION_CORRUPT), then rethrows.
  private guard<T>(call: () => T): T {
    try {
      return call();
    } catch (e) {
      if (e instanceof HeapCorruptionError && e.sdkMessage !== null) this.printf(e.sdkMessage);
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------
// Root functions bound to the heap of the last mem_utils_init, like the C globals.

let current: AppHeap | null = null;

/**
 * `mem_utils_init`: a heap of `size` bytes (or over `region`) for the
 * `APP_MEM_*` functions. Prints `init` even when the size is refused, as the
 * SDK does. Returns true on success, like the C function; the heap object is
 * `mem_utils_heap()`.
 */
export function mem_utils_init(sizeOrRegion: number | Uint8Array, options: AppHeapOptions = {}): boolean {
  current = new AppHeap(sizeOrRegion, options);
  return current.ok;
}

/** The heap the `APP_MEM_*` functions use, or null before `mem_utils_init`. */
export function mem_utils_heap(): AppHeap | null {
  return current;
}

function notInitialised(size: number): Error {
  return new Error(`app heap not initialised: mem_utils_init refused a ${size}-byte heap`);
}

function app(): AppHeap {
  if (current === null) throw new Error('APP_MEM_*: call mem_utils_init first');
  return current;
}

export function APP_MEM_ALLOC(size: number, site?: AllocSite): number | null {
  return app().APP_MEM_ALLOC(size, site);
}
export function APP_MEM_REALLOC(ptr: number | null, size: number, site?: AllocSite): number | null {
  return app().APP_MEM_REALLOC(ptr, size, site);
}
export function APP_MEM_FREE(ptr: number | null, site?: AllocSite): void {
  app().APP_MEM_FREE(ptr, site);
}
export function APP_MEM_FREE_AND_NULL(ref: PtrRef, site?: AllocSite): void {
  app().APP_MEM_FREE_AND_NULL(ref, site);
}
export function APP_MEM_CALLOC(ref: PtrRef, size: number, site?: AllocSite): boolean {
  return app().APP_MEM_CALLOC(ref, size, site);
}
export function APP_MEM_PERMANENT(ref: PtrRef, size: number, site?: AllocSite): boolean {
  return app().APP_MEM_PERMANENT(ref, size, site);
}
export function APP_MEM_STRDUP(str: string, site?: AllocSite): number | null {
  return app().APP_MEM_STRDUP(str, site);
}
