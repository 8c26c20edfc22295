/**
 * `harden(inner, { level, poisonInterval, guardWords })`: checks around any
 * allocator (SPEC §6.5), in the spirit of pw_allocator's hardening levels,
 * its poisoning and Legato's guard bands.
 *
 * - `basic`: a free or realloc of an address the allocator does not own
 *   throws `HeapCorruptionError` with reason `outside`;
 * - `robust` (default): a free of a block already freed says `double-free`;
 * - `debug`: also the allocator's `check()` after every call.
 *
 * `poisonInterval: N` fills every Nth freed block with 0xDCCEFADE
 * (pw_allocator's pattern, little-endian 32-bit words) and verifies it when
 * memory of that block is handed out again (and on `check()`): a changed
 * word means the program wrote to freed memory (`use-after-free`, written
 * `corrupt;ADDR;poison;SITE` when profiling). The first 16 bytes of a
 * poisoned block are left as they are: the allocator keeps its free-list
 * links there.
 *
 * `guardWords: K` puts K words 0xDEADBEEF before and after each block
 * (Legato's guard bands), checked on free, realloc and `check()`:
 * `guard-before` / `guard-after`.
 */
import { HeapCorruptionError, type HeapCorruptionReason } from './allocator.js';
import { ForwardingAllocator } from './forwarding.js';
import { type Allocator, type AllocSite, reallocateByResizeOrMove, siteText } from './interface.js';

export type HardenLevel = 'basic' | 'robust' | 'debug';

export interface HardenOptions {
  level?: HardenLevel;
  /** Poison every Nth freed block (0 = never). Default 0. */
  poisonInterval?: number;
  /** Guard words before and after each block (0 = none). Default 0. */
  guardWords?: number;
}

/** pw_allocator's poison word and Legato's guard word, as little-endian bytes. */
const POISON = [0xde, 0xfa, 0xce, 0xdc];
const GUARD = [0xef, 0xbe, 0xad, 0xde];
/** Poisoned bytes start this far into a freed block (its free-list links stay the allocator's). */
const POISON_SKIP = 16;
/** Freed addresses remembered to tell a double free from a wild one. */
const MAX_FREED = 4096;

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** A decorator in a stack: anything with an `inner` allocator. */
interface Layer {
  inner?: Allocator;
  reportCorruption?(e: unknown, site: string | undefined): unknown;
}

export class HardenedAllocator extends ForwardingAllocator {
  readonly level: HardenLevel;
  readonly poisonInterval: number;
  readonly guardWords: number;
  private readonly guard: number;
  /** Requested size of each live block (with guards: needed to find the guard after it). */
  private readonly live = new Map<number, number>();
  private readonly freed = new Set<number>();
  /** Poisoned spans of freed blocks, [start, end) region offsets, by the freed block's address. */
  private readonly poisoned = new Map<number, [number, number]>();
  private frees = 0;

  constructor(inner: Allocator, options: HardenOptions = {}) {
    super(inner, 'harden');
    this.level = options.level ?? 'robust';
    if (!['basic', 'robust', 'debug'].includes(this.level)) throw new RangeError(`harden: unknown level ${JSON.stringify(this.level)}`);
    this.poisonInterval = options.poisonInterval ?? 0;
    this.guardWords = options.guardWords ?? 0;
    if (!Number.isInteger(this.poisonInterval) || this.poisonInterval < 0) throw new RangeError('harden: poisonInterval must be a whole number');
    if (!Number.isInteger(this.guardWords) || this.guardWords < 0) throw new RangeError('harden: guardWords must be a whole number');
    this.guard = 4 * this.guardWords;
  }

  override allocate(size: number, site?: AllocSite, persist?: boolean): number | null {
    // Guards never turn a refused size into a served one.
    const q = this.inner.allocate(size >= 1 ? size + 2 * this.guard : size, site, persist);
    if (q === null) return this.after(null);
    this.handedOut(q, site);
    const p = q + this.guard;
    this.live.set(p, size);
    this.freed.delete(p);
    if (this.guard > 0) this.writeGuards(p, size);
    return this.after(p);
  }

  override free(address: number, site?: AllocSite): void {
    this.validate(address, 'free', site);
    this.checkGuards(address, site);
    const q = address - this.guard;
    const poison = this.poisonInterval > 0 && ++this.frees % this.poisonInterval === 0;
    const usable = poison ? (this.inner.usableSize(q) ?? 0) : 0;
    this.inner.free(q, site);
    this.live.delete(address);
    this.remember(address);
    if (poison && usable > POISON_SKIP) this.poison(address, q, usable);
    this.after(null);
  }

  override reallocate(address: number | null, size: number, site?: AllocSite): number | null {
    // In place, else through this decorator's allocate and free: guards written, poison verified.
    return reallocateByResizeOrMove(this, address, size, site);
  }


  override resize(address: number, size: number, site?: AllocSite): boolean {
    this.validate(address, 'resize', site);
    this.checkGuards(address, site);
    if (!(size >= 1)) return false;
    const q = address - this.guard;
    if (!this.inner.resize(q, size + 2 * this.guard, site)) return this.after(false);
    this.handedOut(q, site);
    this.live.set(address, size);
    if (this.guard > 0) this.writeGuards(address, size);
    return this.after(true);
  }

  override usableSize(address: number): number | null {
    if (this.guard === 0) return this.inner.usableSize(address);
    return this.live.get(address) ?? null;
  }

  override owns(address: number): boolean {
    return (this.guard === 0 || this.live.has(address)) && this.inner.owns(address - this.guard);
  }

  /** The allocator's invariants, every guard of every live block, every poisoned span. */
  override check(): void {
    this.inner.check();
    if (this.guard > 0) for (const p of this.live.keys()) this.checkGuards(p, undefined);
    for (const [at, span] of this.poisoned) this.verifyPoison(at, span[0], span[1], undefined);
  }

  override reset(): void {
    super.reset();
    this.live.clear();
    this.freed.clear();
    this.poisoned.clear();
  }

  // --- checks ------------------------------------------------------------------

  private after<T>(result: T): T {
    if (this.level === 'debug') this.check();
    return result;
  }

  /** A free/realloc/resize of an address that is no live block throws (`outside`, or `double-free`). */
  private validate(address: number, what: string, site: AllocSite | undefined): void {
    if (this.owns(address)) return;
    const double = this.level !== 'basic' && this.freed.has(address);
    this.raise(double ? 'double-free' : 'outside', address, `${what} of ${hex(address)}: ${double ? 'already freed' : 'not a live block of this allocator'}`, site);
  }

  private remember(address: number): void {
    if (this.freed.size >= MAX_FREED) this.freed.delete(this.freed.values().next().value as number);
    this.freed.add(address);
  }

  private writeGuards(p: number, size: number): void {
    const region = this.inner.region;
    const at = p - this.inner.base;
    for (let i = 0; i < this.guard; i++) {
      region[at - this.guard + i] = GUARD[i & 3];
      region[at + size + i] = GUARD[i & 3];
    }
  }

  private checkGuards(p: number, site: AllocSite | undefined): void {
    if (this.guard === 0) return;
    const size = this.live.get(p);
    if (size === undefined) return;
    const region = this.inner.region;
    const at = p - this.inner.base;
    for (let i = 0; i < this.guard; i++) {
      if (region[at - this.guard + i] !== GUARD[i & 3]) this.raise('guard-before', p, `guard words before ${hex(p)} overwritten`, site);
    }
    for (let i = 0; i < this.guard; i++) {
      if (region[at + size + i] !== GUARD[i & 3]) this.raise('guard-after', p, `guard words after the ${size} bytes of ${hex(p)} overwritten`, site);
    }
  }

  /** Fill freed block `address`'s span (its payload `q` in the inner allocator) with the poison pattern, word-aligned. */
  private poison(address: number, q: number, usable: number): void {
    const region = this.inner.region;
    // Region offsets (addresses may pass 2^31, where bit operations would wrap); the base is 8-aligned.
    const start = (q - this.inner.base + POISON_SKIP + 3) & ~3;
    const end = (q - this.inner.base + usable) & ~3;
    if (end <= start) return;
    for (let at = start; at < end; at++) region[at] = POISON[at & 3];
    this.poisoned.set(address, [start, end]);
  }

  /**
   * Memory handed out at payload `q`: verify the poisoned bytes it now holds
   * (past its first 8 bytes, where a free block keeps its links), then
   * forget the spans it overlaps — they are the program's again.
   */
  private handedOut(q: number, site: AllocSite | undefined): void {
    if (this.poisoned.size === 0) return;
    const usable = this.inner.usableSize(q) ?? 0;
    const from = q - this.inner.base + 8;
    const to = q - this.inner.base + usable;
    for (const [at, [start, end]] of this.poisoned) {
      if (end + POISON_SKIP <= from || start >= to + POISON_SKIP) continue;
      this.poisoned.delete(at);
      this.verifyPoison(at, Math.max(start, from), Math.min(end, to), site);
    }
  }

  private verifyPoison(at: number, start: number, end: number, site: AllocSite | undefined): void {
    const region = this.inner.region;
    for (let off = start; off < end; off++) {
      if (region[off] !== POISON[off & 3]) {
        this.poisoned.delete(at);
        this.raise('use-after-free', at, `freed block ${hex(at)} was written to at ${hex(this.inner.base + off)} after it was freed`, site);
      }
    }
  }

  /** Throw a corruption error, written as a `corrupt` record by a profiler below, if any. */
  private raise(reason: HeapCorruptionReason, address: number, detail: string, site: AllocSite | undefined): never {
    const e = new HeapCorruptionError(`${this.name}: ${detail}`, reason, address);
    const where = site === undefined ? undefined : siteText(site);
    for (let layer: Layer | undefined = this.inner as Layer; layer !== undefined; layer = layer.inner as Layer | undefined) {
      if (typeof layer.reportCorruption === 'function') {
        layer.reportCorruption(e, where);
        break;
      }
    }
    throw e;
  }
}

/** `harden(inner, options)`: `inner` with input checks, poisoning and guard words. */
export function harden(inner: Allocator, options: HardenOptions = {}): HardenedAllocator {
  return new HardenedAllocator(inner, options);
}
