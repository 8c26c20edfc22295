/**
 * Lines a logger printed — `apdu: => e001…`, `werkzeug: 127.0.0.1 …`,
 * `INFO:ragger.backend:…` — read from bytes: a name of `[A-Za-z_][\w.-]*`
 * and a colon (not `::`). No runner prints its structure in that shape
 * (node ids have `::` and a path, results and tallies start otherwise), so
 * the adapters can say from the name alone, and their state, that such a
 * line would be plain output (`Adapter.quiet`): the analyzer's byte front
 * end then skips it without making a string of it. 13 % of a real log's
 * lines are of this kind.
 */

/** A logger line's head, read in place (valid until the next line is read). */
export interface LoggerLine {
  /** The name before the colon (`apdu`, `INFO`). */
  name: string;
  /**
   * The colon is followed by a space or the end of the line: the shape
   * pytest learns logger names from (`NAME: `). True as well when that
   * cannot be told from bytes alone (white space only the decoder knows).
   */
  logger: boolean;
  buf: Uint8Array;
  start: number;
  end: number;
}

const COLON = 0x3a;
/** 1: may start a name, 2: may follow in one. */
const NAME_BYTE = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) NAME_BYTE[c] = 1;
  else if (/[0-9.-]/.test(ch)) NAME_BYTE[c] = 2;
}
/** Names kept as strings (a bound: the input chooses them); past it a name is made each time. */
const MAX_NAMES = 64;

/** Whether `buf[at, end)` holds the ASCII `word`. */
export function holdsAscii(buf: Uint8Array, at: number, end: number, word: string): boolean {
  const first = word.charCodeAt(0);
  const last = end - word.length;
  for (let i = at; i <= last; i++) {
    if (buf[i] !== first) continue;
    let j = 1;
    while (j < word.length && buf[i + j] === word.charCodeAt(j)) j++;
    if (j === word.length) return true;
  }
  return false;
}

/** Reads logger lines' heads; each name becomes a string once. */
export class LoggerLines {
  private readonly names: string[] = [];
  private readonly nameBytes: Uint8Array[] = [];
  private readonly line: LoggerLine = { name: '', logger: false, buf: new Uint8Array(0), start: 0, end: 0 };

  /** The head of `buf[start, end)`, or null when the line is not a logger's (or holds NUL-like oddities). */
  read(buf: Uint8Array, start: number, end: number): LoggerLine | null {
    if (start >= end || NAME_BYTE[buf[start]] !== 1) return null;
    let i = start + 1;
    while (i < end && NAME_BYTE[buf[i]] !== 0) i++;
    if (i >= end || buf[i] !== COLON) return null;
    const next = i + 1 < end ? buf[i + 1] : -1;
    if (next === COLON) return null;
    const l = this.line;
    l.name = this.name(buf, start, i);
    l.logger = next === -1 || next === 0x20 || blankTail(buf, i + 1, end);
    l.buf = buf;
    l.start = start;
    l.end = end;
    return l;
  }

  private name(buf: Uint8Array, start: number, end: number): string {
    const len = end - start;
    const known = this.nameBytes;
    for (let k = 0; k < known.length; k++) {
      const b = known[k];
      if (b.length !== len) continue;
      let j = 0;
      while (j < len && b[j] === buf[start + j]) j++;
      if (j === len) return this.names[k];
    }
    const name = String.fromCharCode(...buf.subarray(start, end));
    if (known.length < MAX_NAMES) {
      known.push(new Uint8Array(buf.subarray(start, end)));
      this.names.push(name);
    }
    return name;
  }
}

/** Whether the rest may be white space the line's cleaning removes (ASCII blanks, or bytes only the decoder can tell). */
function blankTail(buf: Uint8Array, at: number, end: number): boolean {
  for (let i = at; i < end; i++) {
    const b = buf[i];
    if (b !== 0x20 && (b < 0x09 || b > 0x0d) && b < 0x80) return false;
  }
  return true;
}
