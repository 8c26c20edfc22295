/**
 * The blocks of a heap's open segment, live or freed — a freed one stays
 * until its address is taken again, to name a double free's sites — kept in
 * typed columns, one slot per distinct address, found through an
 * open-addressing index on the address; sites and tests are there by
 * number (`Site.id`, `TestState.id`). No object per block: an alloc record
 * allocates nothing, and the garbage collector has no block to visit. A Map
 * of block objects made an object and a share of the Map's regrowth per
 * record (the young generation grew to 48 MB and the bench log's RSS past
 * 80 MB) and cost 104 bytes per live block; these columns cost 28, plus 8
 * to 16 of index (SPEC §7: at most 200).
 *
 * Slots keep the order in which their addresses first came, as a Map's
 * keys do: the facts list leaks in that order.
 */

const EMPTY = -1;
/** In the size and line columns: the value is in `wide` (sizes and lines are never negative). */
const WIDE = -1;
const MIN_CAPACITY = 64;
/** A table grown past this many slots is given back at the reset (the next segment regrows one if it needs it). */
const SHRINK_ABOVE = 1 << 14;

/** `test` of a persistent block (no test waits for it); `freeSite` of a live one. */
export const NONE = -1;

export class BlockTable {
  /** Slot of each address, by hash; EMPTY where none. Twice the slots' capacity at least. */
  private index = new Int32Array(2 * MIN_CAPACITY).fill(EMPTY);
  private mask = 2 * MIN_CAPACITY - 1;
  /** Set by a `find` that failed: where its address goes (see `insert`). */
  private probe = 0;

  /** Per slot: the block's address. */
  address = new Float64Array(MIN_CAPACITY);
  /**
   * Per slot: its size and the log line of its alloc, as 32-bit integers (a
   * double read back is a heap number at every use: a 16-byte allocation per
   * free on the bench log); a larger one, up to 2^53, is kept aside (WIDE).
   */
  private sizes = new Int32Array(MIN_CAPACITY);
  private lines = new Int32Array(MIN_CAPACITY);
  private readonly wide = [new Map<number, number>(), new Map<number, number>()];
  /** Per slot, by number: its call site; the test waiting for it (NONE: persistent); its free's site (NONE: live). */
  site = new Int32Array(MIN_CAPACITY);
  test = new Int32Array(MIN_CAPACITY);
  freeSite = new Int32Array(MIN_CAPACITY);
  /** Slots in use, in the order their addresses first came. */
  count = 0;
  /** How many of them hold a live block. */
  live = 0;

  /**
   * The slot of the record's `address`, or -1 (then `insert` may follow,
   * before any other call). Given the record, not the number: an address
   * above 2^31 passed as an argument is boxed on each call (16 bytes per
   * record on the bench log).
   */
  find(r: { readonly address: number }): number {
    const address = r.address;
    const index = this.index;
    const mask = this.mask;
    const addresses = this.address;
    // hash(), written out: a double passed to a call that is not inlined is boxed
    const lo = address >>> 0;
    const h = Math.imul(lo ^ Math.imul((address / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1);
    let i = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const s = index[i];
      if (s === EMPTY) {
        this.probe = i;
        return -1;
      }
      if (addresses[s] === address) return s;
      i = (i + 1) & mask;
    }
  }

  /** A new slot for the record's address, which the last `find` did not find; its columns are the caller's to fill. */
  insert(r: { readonly address: number }): number {
    const s = this.count;
    if (s === this.address.length) this.grow();
    if (2 * (s + 1) > this.mask + 1) {
      this.rehash(2 * (this.mask + 1));
      this.find(r);
    }
    this.index[this.probe] = s;
    this.address[s] = r.address;
    this.count = s + 1;
    return s;
  }

  size(s: number): number {
    const v = this.sizes[s];
    return v !== WIDE ? v : this.wide[0].get(s)!;
  }

  line(s: number): number {
    const v = this.lines[s];
    return v !== WIDE ? v : this.wide[1].get(s)!;
  }

  setSize(s: number, size: number): void {
    if (this.sizes[s] === WIDE) this.wide[0].delete(s);
    if (size <= 0x7fffffff) this.sizes[s] = size;
    else this.setWide(this.sizes, 0, s, size);
  }

  setLine(s: number, line: number): void {
    if (this.lines[s] === WIDE) this.wide[1].delete(s);
    if (line <= 0x7fffffff) this.lines[s] = line;
    else this.setWide(this.lines, 1, s, line);
  }

  private setWide(column: Int32Array, which: number, s: number, value: number): void {
    column[s] = WIDE;
    this.wide[which].set(s, value);
  }

  /** Empties the table for the next segment, in time linear in what it held; a large one is given back. */
  reset(): void {
    const n = this.count;
    this.count = 0;
    this.live = 0;
    for (const w of this.wide) if (w.size > 0) w.clear();
    if (this.address.length > SHRINK_ABOVE) {
      this.address = new Float64Array(MIN_CAPACITY);
      this.sizes = new Int32Array(MIN_CAPACITY);
      this.lines = new Int32Array(MIN_CAPACITY);
      this.site = new Int32Array(MIN_CAPACITY);
      this.test = new Int32Array(MIN_CAPACITY);
      this.freeSite = new Int32Array(MIN_CAPACITY);
      this.index = new Int32Array(2 * MIN_CAPACITY).fill(EMPTY);
      this.mask = 2 * MIN_CAPACITY - 1;
      return;
    }
    // Each slot's entry is cleared where its probe sequence put it (skipping entries already cleared).
    const index = this.index;
    const mask = this.mask;
    for (let s = 0; s < n; s++) {
      let i = hash(this.address[s]) & mask;
      while (index[i] !== s) i = (i + 1) & mask;
      index[i] = EMPTY;
    }
  }

  private grow(): void {
    const capacity = 2 * this.address.length;
    this.address = grown(new Float64Array(capacity), this.address);
    this.sizes = grown(new Int32Array(capacity), this.sizes);
    this.lines = grown(new Int32Array(capacity), this.lines);
    this.site = grown(new Int32Array(capacity), this.site);
    this.test = grown(new Int32Array(capacity), this.test);
    this.freeSite = grown(new Int32Array(capacity), this.freeSite);
  }

  private rehash(size: number): void {
    const index = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let s = 0; s < this.count; s++) {
      let i = hash(this.address[s]) & mask;
      while (index[i] !== EMPTY) i = (i + 1) & mask;
      index[i] = s;
    }
    this.index = index;
    this.mask = mask;
  }
}

/**
 * A number read from a Float64Array column, as a small integer when it is
 * one: stored in an object as it comes, a double is a 16-byte heap number
 * of its own (a leaked block's facts took 104 bytes instead of 72).
 */
export function small(n: number): number {
  return n <= 0x7fffffff && n >= 0 ? n | 0 : n;
}

function grown<A extends Float64Array | Int32Array>(into: A, from: A): A {
  into.set(from);
  return into;
}

/** Spreads an address over the index: its low and high 32 bits, mixed (SDK addresses differ in few low bits). */
function hash(address: number): number {
  const lo = address >>> 0;
  const hi = (address / 4294967296) | 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}
