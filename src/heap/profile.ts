/**
 * `profile(inner, options)`: the memory-profiling decorator (SPEC §6.5). Every
 * call on any `Allocator` prints the record a `HAVE_MEMORY_PROFILING` build
 * prints (§2), through the grammar module the analyzer reads, with `@HEAP`
 * when the heap is named: `alloc`/`persist` for a block handed out, `free`
 * before the block is given back (as the SDK does, so the record is in the
 * log when the free throws), a moved realloc as `free` + `alloc`, and — when
 * asked — `fail` for a NULL and `resize` for a block resized in place. It
 * logs only what the allocator did: a realloc of an address it does not own
 * logs no free. Corruption that passes through it is written as `corrupt`.
 */
import { checkName, checkSite, formatRecordLine, type MemRecord } from '../protocol/records.js';
import { HeapCorruptionError } from './allocator.js';
import { callerSite } from './call-site.js';
import { ForwardingAllocator } from './forwarding.js';
import { type Allocator, type AllocSite, siteText } from './interface.js';

/** Where records go: a function receiving each line (no newline), or a writable stream. */
export type RecordSink = ((line: string) => void) | { write(chunk: string): unknown };

/** Where call sites come from when a call gives none: the stack, a function, or one fixed site. */
export type SiteSource = 'stack' | (() => string) | string;

export interface ProfileOptions {
  /** Record sink. Default `process.stdout`. */
  sink?: RecordSink;
  /** Heap name: records become `KIND@HEAP` (`[A-Za-z0-9_.-]+`). Default: the default heap. */
  heap?: string;
  /** Call sites of calls that give none. Default `'stack'` (the caller's `file:line`). */
  sites?: SiteSource;
  /** Also write `fail;SIZE;SITE` for every NULL. Default false (the reference does not read it). */
  failRecords?: boolean;
  /** Also write `resize;ADDR;OLD;NEW;SITE` for blocks resized in place. Default false. */
  resizeRecords?: boolean;
  /** Text before `==MP ` on each line. Default none. */
  prefix?: string;
  /** Write `init;BASE;CAPACITY` now. Default true. */
  init?: boolean;
}

/** A sink as a function of one line. */
export function toSink(log: RecordSink | undefined): (line: string) => void {
  if (typeof log === 'function') return log;
  const stream = log ?? process.stdout;
  if (stream === null || typeof stream.write !== 'function') throw new TypeError('log must be a function or a writable stream');
  return (line) => {
    stream.write(line + '\n');
  };
}

/** Sites already checked against the grammar: most programs use a few, over and over. */
const MAX_CHECKED_SITES = 4096;

export class ProfilingAllocator extends ForwardingAllocator {
  private readonly sink: (line: string) => void;
  private readonly prefix: string;
  private readonly heap: string | undefined;
  private readonly sites: SiteSource;
  private readonly failRecords: boolean;
  /** Requested size per block (index (address − base) / 4), kept only for resize records. */
  private readonly requested: Float64Array | null;
  private readonly checked = new Set<string>();

  constructor(inner: Allocator, options: ProfileOptions = {}) {
    super(inner, 'profile');
    this.sink = toSink(options.sink);
    this.prefix = options.prefix ?? '';
    this.heap = options.heap === undefined ? undefined : checkName(options.heap);
    this.sites = options.sites ?? 'stack';
    this.failRecords = options.failRecords ?? false;
    this.requested = options.resizeRecords ? new Float64Array((inner.capacity >> 2) + 1) : null;
    if (options.init ?? true) this.emitInit();
  }

  /** The site of this call, checked against the grammar before anything is done (a TypeError). */
  private site(site: AllocSite | undefined): string {
    const where = site === undefined ? this.defaultSite() : typeof site === 'string' ? site : siteText(site);
    if (!this.checked.has(where)) this.checkSite(where);
    return where;
  }

  private checkSite(where: string): void {
    checkSite(where);
    if (this.checked.size >= MAX_CHECKED_SITES) this.checked.clear();
    this.checked.add(where);
  }

  private defaultSite(): string {
    const s = this.sites;
    return s === 'stack' ? callerSite() : typeof s === 'function' ? s() : s;
  }

  override allocate(size: number, site?: AllocSite, persist?: boolean): number | null {
    const where = this.site(site);
    let p: number | null;
    try {
      p = this.inner.allocate(size, where, persist);
    } catch (e) {
      throw this.corrupted(e, where);
    }
    if (p !== null) {
      this.emit({ kind: persist === true ? 'persist' : 'alloc', heap: this.heap, size, address: p, site: where });
      if (this.requested !== null) this.requested[(p - this.inner.base) >>> 2] = size;
    } else if (this.failRecords) {
      this.emit({ kind: 'fail', heap: this.heap, size, site: where });
    }
    return p;
  }

  override free(address: number, site?: AllocSite): void {
    const where = this.site(site);
    this.emit({ kind: 'free', heap: this.heap, address, site: where });
    try {
      this.inner.free(address, where);
    } catch (e) {
      throw this.corrupted(e, where);
    }
  }

  override reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    if (address === 0) address = null;
    if (address === null) return this.allocate(size, site);
    const where = this.site(site);
    const inner = this.inner;
    const owned = inner.owns(address);
    let p: number | null;
    try {
      p = inner.reallocate(address, size, where);
    } catch (e) {
      throw this.corrupted(e, where);
    }
    if (p === null) {
      if (owned && size === 0) this.emit({ kind: 'free', heap: this.heap, address, site: where });
      else if (owned && this.failRecords) this.emit({ kind: 'fail', heap: this.heap, size, site: where });
    } else if (p === address) {
      if (owned) this.resized(address, size, where);
    } else {
      if (owned) this.emit({ kind: 'free', heap: this.heap, address, site: where });
      this.emit({ kind: 'alloc', heap: this.heap, size, address: p, site: where });
      if (this.requested !== null) this.requested[(p - inner.base) >>> 2] = size;
    }
    return p;
  }

  override resize(address: number, size: number, site?: AllocSite): boolean {
    const where = this.site(site);
    let ok: boolean;
    try {
      ok = this.inner.resize(address, size, where);
    } catch (e) {
      throw this.corrupted(e, where);
    }
    if (ok) this.resized(address, size, where);
    return ok;
  }

  private resized(address: number, size: number, where: string): void {
    const requested = this.requested;
    if (requested === null) return;
    const at = (address - this.inner.base) >>> 2;
    this.emit({ kind: 'resize', heap: this.heap, address, oldSize: requested[at], newSize: size, site: where });
    requested[at] = size;
  }

  override check(): void {
    try {
      this.inner.check();
    } catch (e) {
      throw this.corrupted(e, undefined);
    }
  }

  /** Every block is gone: logged as `init`, which is what the analyzer reads that as. */
  override reset(): void {
    super.reset();
    this.emitInit();
  }

  /** Write `init;BASE;CAPACITY` (the heap was (re)initialised). */
  emitInit(): void {
    this.emit({ kind: 'init', heap: this.heap, address: this.inner.base, size: this.inner.capacity });
  }

  /**
   * Write the `corrupt` record of a corruption error once (whichever
   * decorator sees it first); returns the error to rethrow.
   */
  reportCorruption(e: unknown, site: string | undefined): unknown {
    return this.corrupted(e, site);
  }

  private corrupted(e: unknown, site: string | undefined): unknown {
    if (e instanceof HeapCorruptionError && !e.reported && e.what !== null) {
      e.reported = true;
      this.emit({ kind: 'corrupt', heap: this.heap, address: e.address, what: e.what, site: site ?? callerSite() });
    }
    return e;
  }

  /** Write a record of this heap. */
  emit(record: MemRecord): void {
    this.sink(formatRecordLine(record, this.prefix));
  }
}

/** `profile(inner, options)`: `inner` printing its records. */
export function profile(inner: Allocator, options: ProfileOptions = {}): ProfilingAllocator {
  return new ProfilingAllocator(inner, options);
}
