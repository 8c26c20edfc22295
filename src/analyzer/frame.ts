/**
 * Line framing for test output: bytes in, numbered lines out, in time
 * linear in the input whatever the line lengths, in memory bounded by
 * `maxLineBytes` plus one chunk.
 *
 * - `\n` ends a line; a `\r` before it stays in the text (readers trim it).
 * - A last line without newline is delivered by `end()`.
 * - Lines are decoded as UTF-8 whole, so a character split across chunks
 *   decodes as if it had not been; invalid bytes become U+FFFD. Lines are
 *   strings sliced from one decoded block of up to 64 KiB: a consumer that
 *   keeps part of a line for long copies it (see intern.ts).
 * - A line longer than `maxLineBytes` is cut there (on a character
 *   boundary): its first bytes are delivered as a line, so the records they
 *   hold are read; the rest, up to the next newline, is skipped without
 *   being held, and `onCut` reports how much was dropped once the line ends.
 * - `onBytes`, when given, sees each line's bytes before they become a
 *   string and may consume the line (a byte-level fast path); the bytes are
 *   valid only during the call.
 *
 * This module does no I/O; see read-lines.ts for files and streams.
 */

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** The longest string V8 makes (2^29 − 24 characters): a longer cap could not decode its lines. */
export const MAX_LINE_BYTES_LIMIT = 2 ** 29 - 24;

export interface LineFramerOptions {
  /** Longest line delivered whole, in bytes (default 16 MiB). */
  maxLineBytes?: number;
  onLine(text: string, lineNo: number): void;
  /** A line was longer than maxLineBytes: `droppedBytes` past the cut were skipped. */
  onCut?(lineNo: number, droppedBytes: number): void;
  /** Returns true when it consumed the line (then `onLine` is not called). */
  onBytes?(buf: Buffer, start: number, end: number, lineNo: number): boolean;
}

/** The `long-line` diagnostic's text. */
export function longLineMessage(maxLineBytes: number, droppedBytes: number): string {
  return `line longer than ${maxLineBytes} bytes (--max-line-bytes): cut there, ${droppedBytes} more bytes skipped`;
}

const NEWLINE = 0x0a;
/**
 * Whole lines are decoded this many bytes at a time: one decoder call per
 * block rather than per line, and a block's string stays small enough for
 * the young generation (larger strings go to the large-object space, which
 * only full collections clear).
 */
const BLOCK_BYTES = 64 * 1024;
/** First size of the buffer that holds a line spanning chunks; it doubles as needed, up to the cap. */
const INITIAL_CARRY = 64 * 1024;

export class LineFramer {
  private readonly max: number;
  private readonly onLine: LineFramerOptions['onLine'];
  private readonly onCut: LineFramerOptions['onCut'];
  private readonly onBytes: LineFramerOptions['onBytes'];
  /** The start of a line that began in an earlier chunk: `carry[0, carryLength)`. */
  private carry: Buffer = Buffer.alloc(0);
  private carryLength = 0;
  /** Past a cut: bytes skipped so far on the current line, or -1 when not skipping. */
  private skipped = -1;
  private lineNo = 0;

  constructor(options: LineFramerOptions) {
    const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(max) || max < 4 || max > MAX_LINE_BYTES_LIMIT) {
      throw new RangeError(`maxLineBytes must be an integer from 4 to ${MAX_LINE_BYTES_LIMIT}, got ${max}`);
    }
    this.max = max;
    this.onLine = options.onLine;
    this.onCut = options.onCut;
    this.onBytes = options.onBytes;
  }

  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = buf.length;
    let pos = 0;
    if (this.skipped >= 0) {
      const nl = buf.indexOf(NEWLINE);
      if (nl < 0) {
        this.skipped += n;
        return;
      }
      this.endCut(nl);
      pos = nl + 1;
    }
    if (this.carryLength > 0) {
      const nl = buf.indexOf(NEWLINE, pos);
      const end = nl < 0 ? n : nl;
      if (!this.append(buf, pos, end)) {
        if (nl < 0) return;
        this.endCut(0);
      } else {
        if (nl < 0) return;
        this.deliver(this.carry, 0, this.carryLength);
        this.carryLength = 0;
      }
      pos = nl + 1;
    }
    // A window never holds a line longer than the cap
    const window = Math.min(BLOCK_BYTES, this.max + 1);
    while (pos < n) {
      if (this.onBytes === undefined) {
        const last = buf.lastIndexOf(NEWLINE, Math.min(n, pos + window) - 1);
        if (last >= pos) {
          this.deliverBlock(buf.toString('utf8', pos, last));
          pos = last + 1;
          continue;
        }
      }
      const nl = buf.indexOf(NEWLINE, pos);
      if (nl < 0) break;
      if (nl - pos <= this.max) {
        this.deliver(buf, pos, nl);
      } else {
        this.cut(buf, pos, nl);
        this.endCut(0);
      }
      pos = nl + 1;
    }
    if (pos < n) this.append(buf, pos, n);
  }

  /** Ends the input: delivers a last line without newline. */
  end(): void {
    if (this.skipped >= 0) {
      this.endCut(0);
    } else if (this.carryLength > 0) {
      this.deliver(this.carry, 0, this.carryLength);
    }
    this.carryLength = 0;
    this.carry = Buffer.alloc(0); // the framer may outlive its input
  }

  /**
   * Adds `buf[start, end)` to the line being carried; past the cap, cuts the
   * line there. Returns false when it cut (the rest of the line is skipped).
   */
  private append(buf: Buffer, start: number, end: number): boolean {
    const length = end - start;
    const total = this.carryLength + length;
    if (total > this.max) {
      this.reserve(this.max);
      const room = this.max - this.carryLength;
      buf.copy(this.carry, this.carryLength, start, start + room);
      this.carryLength = 0;
      this.cut(this.carry, 0, this.max, buf[start + room]);
      this.skipped += length - room; // the rest of this piece
      return false;
    }
    this.reserve(total);
    buf.copy(this.carry, this.carryLength, start, end);
    this.carryLength = total;
    return true;
  }

  /** Grows the carry buffer to hold `size` bytes, doubling (amortized linear), never past the cap. */
  private reserve(size: number): void {
    if (size <= this.carry.length) return;
    let capacity = Math.max(INITIAL_CARRY, this.carry.length);
    while (capacity < size) capacity *= 2;
    const grown = Buffer.allocUnsafe(Math.min(capacity, this.max));
    this.carry.copy(grown, 0, 0, this.carryLength);
    this.carry = grown;
  }

  /**
   * Delivers the first `max` bytes of the over-long line `buf[start, end)`,
   * moved back to a character boundary, and starts skipping the rest.
   * `next` is the byte after those `max` when it lies outside `buf`.
   */
  private cut(buf: Buffer, start: number, end: number, next = buf[start + this.max]): void {
    const kept = utf8Boundary(buf, start, this.max, next);
    this.deliver(buf, start, start + kept);
    this.skipped = end - start - kept;
  }

  /** The cut line ends after `more` further skipped bytes: report what was dropped. */
  private endCut(more: number): void {
    const dropped = this.skipped + more;
    this.skipped = -1;
    this.onCut?.(this.lineNo, dropped);
  }

  /**
   * Delivers the lines of `text`, whole lines decoded at once: one decoder
   * call per chunk rather than per line (a newline byte never belongs to a
   * UTF-8 sequence, so this decodes exactly as line by line would).
   */
  private deliverBlock(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.onLine(text.slice(start, nl), ++this.lineNo);
      start = nl + 1;
    }
    this.onLine(start === 0 ? text : text.slice(start), ++this.lineNo);
  }

  private deliver(buf: Buffer, start: number, end: number): void {
    const lineNo = ++this.lineNo;
    if (this.onBytes !== undefined && this.onBytes(buf, start, end, lineNo)) return;
    this.onLine(buf.toString('utf8', start, end), lineNo);
  }
}

/**
 * How many of the `length` bytes at `buf[start]` to keep so that a UTF-8
 * sequence crossing the end is not split; `next` is the byte just past the
 * end. Only a well-formed lead byte whose sequence crosses the end moves the
 * cut back; invalid bytes stay as they are (they decode to U+FFFD either way).
 */
export function utf8Boundary(buf: Uint8Array, start: number, length: number, next: number | undefined): number {
  if (next === undefined || (next & 0xc0) !== 0x80) return length; // the next byte starts a character
  for (let back = 1; back <= 3 && back <= length; back++) {
    const b = buf[start + length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf5 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    return need > back ? length - back : length;
  }
  return length;
}
