/**
 * The byte front end (SPEC §7 "How"): the framer shows each line's bytes
 * here before they become a string, and the usual lines never become one.
 *
 * - A record line — `seproxyhal: printf: ==MP ` or `==MP `, then one
 *   record of the default heap with numeric fields (init, alloc, persist,
 *   free, fail, resize) and a plain call site — is read in place: its
 *   numbers from the bytes (protocol/record-bytes.ts), its site interned
 *   from them (a string is made once per distinct site, decoded as the
 *   framer decodes lines).
 * - A line with no record marker, no SDK error text, no ANSI code and no
 *   carriage return inside is one the harness may skip (`quietBytes`).
 * - Anything else goes to the general string path, unchanged: the same
 *   analysis either way, which a property test checks.
 *
 * Whole process on the bench log (94.7 MB, 1.48 M lines), side by side:
 * 0.87 s when every line was a string, 0.45 s now — this front end and the
 * block table (block-table.ts) together; see docs/performance.md.
 */
import { readRecordBytes } from '../protocol/record-bytes.js';
import { MARKER, newRecordFields, RECORD_LINE_PREFIX, type RecordFields } from '../protocol/records.js';
import type { Site, SiteTable } from './sites.js';
import { copyView, sameBytes, viewOf } from './byte-view.js';

/** What `read` found in a line. */
export const OTHER = 0;
/** A record, read into `fields` (and `site`). */
export const RECORD = 1;
/** No record and nothing the string path would clean: the harness may skip it. */
export const NO_RECORD = 2;

const RECORD_LINE = Buffer.from(RECORD_LINE_PREFIX, 'latin1');
const RECORD_LINE_VIEW = copyView(RECORD_LINE);
const BARE_RECORD = Buffer.from(MARKER, 'latin1');
const BARE_RECORD_VIEW = copyView(BARE_RECORD);
const ESC = 0x1b;
const CSI = 0x9b;
const CR = 0x0d;

/** Whether `buf[at, end)` starts with `word`. */
function startsWith(buf: Uint8Array, at: number, end: number, word: Uint8Array): boolean {
  const n = word.length;
  if (end - at < n) return false;
  for (let i = 0; i < n; i++) if (buf[at + i] !== word[i]) return false;
  return true;
}

function blank(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** Whether the marker `==MP ` starts at `at` (bounded by `end`). */
function markerAt(buf: Uint8Array, at: number, end: number): boolean {
  return at + 5 <= end && buf[at + 1] === 0x3d && buf[at + 2] === 0x4d && buf[at + 3] === 0x50 && buf[at + 4] === 0x20;
}

/**
 * A call site the string hot path would take as it is: no ANSI code (ESC,
 * or the byte of U+009B), no carriage return, no marker in it.
 */
function plainSite(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b === ESC || b === CSI || b === CR) return false;
    if (b === 0x3d && markerAt(buf, i, end)) return false;
  }
  return true;
}

/** Bytes that may start what the general path must see: a marker, SDK error text, an ANSI code, a carriage return. */
const WATCH = new Uint8Array(256);
for (const c of [ESC, CSI, CR, 0x3d /* = */, 0x69 /* i */, 0x63 /* c */]) WATCH[c] = 1;
const INVALID = Buffer.from('invalid', 'latin1');
const CORRUPTED = Buffer.from('corrupted prev_chunk', 'latin1');

/** A line with no record in it for the string path to find, and nothing its cleaning would change but trailing blanks. */
function noRecord(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (WATCH[b] === 0) continue;
    switch (b) {
      case 0x3d:
        if (markerAt(buf, i, end)) return false;
        break;
      case 0x69:
        if (startsWith(buf, i, end, INVALID)) return false;
        break;
      case 0x63:
        if (startsWith(buf, i, end, CORRUPTED)) return false;
        break;
      case CR:
        // a carriage return inside splits the line in parts; trailing ones are cleaned off
        for (let j = i + 1; j < end; j++) if (!blank(buf[j])) return false;
        return true;
      default:
        return false;
    }
  }
  return true;
}

export class ByteFront {
  /** The record read by the last `read` that returned RECORD (reused). */
  readonly fields: RecordFields = newRecordFields();
  /** Its call site, interned; null for a kind without one. */
  site: Site | null = null;

  constructor(private readonly sites: SiteTable) {}

  /** Reads the line `buf[start, end)` (no newline): OTHER, RECORD or NO_RECORD. */
  read(buf: Buffer, start: number, end: number): number {
    const v = viewOf(buf);
    const c0 = buf[start];
    let at = -1;
    if (c0 === 0x73 /* s */ && end - start >= RECORD_LINE.length && sameBytes(v, start, RECORD_LINE_VIEW, RECORD_LINE.length)) at = start + RECORD_LINE.length;
    else if (c0 === 0x3d /* = */ && end - start >= BARE_RECORD.length && sameBytes(v, start, BARE_RECORD_VIEW, BARE_RECORD.length)) at = start + BARE_RECORD.length;
    if (at < 0) return noRecord(buf, start, end) ? NO_RECORD : OTHER;
    // Trailing blanks off, as contentEnd does; a last byte above ASCII may be
    // white space only the decoder can tell (U+00A0…): the string path decides.
    let e = end;
    while (e > at && blank(buf[e - 1])) e--;
    if (e === at || buf[e - 1] >= 0x80) return OTHER;
    // A carriage return before the line's last byte makes parts (NOT_PLAIN in pipeline.ts).
    for (let i = e; i < end - 1; i++) if (buf[i] === CR) return OTHER;
    const f = this.fields;
    const siteStart = readRecordBytes(buf, at, e, f);
    if (siteStart < 0) return OTHER;
    if (siteStart === e) {
      this.site = null;
      return RECORD;
    }
    // `…==MP` then a trailing blank is a marker to the string path
    if (e < end && e - siteStart >= 4 && buf[e - 1] === 0x50 && buf[e - 2] === 0x4d && buf[e - 3] === 0x3d && buf[e - 4] === 0x3d) return OTHER;
    let site = this.sites.cachedBytes(v, siteStart, e);
    if (site === null) {
      if (!plainSite(buf, siteStart, e)) return OTHER;
      site = this.sites.addBytes(buf, v, siteStart, e);
    }
    this.site = site;
    f.text = site.raw;
    f.siteStart = 0;
    f.siteEnd = site.raw.length;
    return RECORD;
  }
}
