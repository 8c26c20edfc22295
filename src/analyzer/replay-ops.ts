/**
 * One heap's operations for `valground replay` (SPEC §6.8), read once from
 * the log and kept compactly: one typed array per field, an operation per
 * index, so that replaying a million records through an allocator touches
 * no object and no string. Sites are ids in the log's site table; blocks
 * are ids too (a block keeps its id through reallocs, so a free names the
 * block it frees without an address lookup at replay time).
 */

/** A `alloc` / `persist`: `size` bytes for block `block`, logged at `address`. */
export const OP_ALLOC = 0;
/** A `free` of block `block`. */
export const OP_FREE = 1;
/** A realloc (moved: `free` + `alloc` from one site; in place: `resize`) to `size` bytes, no smaller than before. */
export const OP_GROW = 2;
/** The same, to fewer bytes than before (the heap's bytes may go down: a peak before it is settled first). */
export const OP_SHRINK = 3;
/** An `init` of `size` bytes at `address`; `block` is the first block id of the new segment. */
export const OP_INIT = 4;
/** A logged `fail` of `size` bytes: would this allocator have served it? (Nothing is allocated.) */
export const OP_PROBE = 5;

const INITIAL = 1024;

export class OpList {
  length = 0;
  kind = new Uint8Array(INITIAL);
  size = new Uint32Array(INITIAL);
  block = new Int32Array(INITIAL);
  site = new Uint32Array(INITIAL);
  test = new Uint32Array(INITIAL);
  line = new Uint32Array(INITIAL);
  /** The logged address (a payload, or the heap start of an `init`); 2^53 fits. */
  address = new Float64Array(INITIAL);

  /** Appends one operation; returns its index. */
  push(kind: number, size: number, block: number, site: number, test: number, line: number, address: number): number {
    const i = this.length;
    if (i === this.kind.length) this.grow();
    this.kind[i] = kind;
    // A size past 32 bits is no request any heap here can serve: saturate, it still fails.
    this.size[i] = size > 0xffffffff ? 0xffffffff : size;
    this.block[i] = block;
    this.site[i] = site;
    this.test[i] = test;
    this.line[i] = line;
    this.address[i] = address;
    this.length = i + 1;
    return i;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    this.kind = copyInto(new Uint8Array(n), this.kind);
    this.size = copyInto(new Uint32Array(n), this.size);
    this.block = copyInto(new Int32Array(n), this.block);
    this.site = copyInto(new Uint32Array(n), this.site);
    this.test = copyInto(new Uint32Array(n), this.test);
    this.line = copyInto(new Uint32Array(n), this.line);
    this.address = copyInto(new Float64Array(n), this.address);
  }
}

function copyInto<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(to: T, from: T): T {
  to.set(from as never);
  return to;
}
