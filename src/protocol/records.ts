/**
 * The allocation-record grammar (SPEC §2), written once.
 *
 * The heap's profiling writer formats records with `formatRecord`, the
 * analyzer's line parser reads them with `parseRecord`; a round-trip test
 * keeps both sides in step.
 *
 *   init;ADDR;SIZE            heap (re)initialised
 *   alloc;SIZE;ADDR;SITE      successful allocation
 *   persist;SIZE;ADDR;SITE    allocation kept on purpose
 *   free;ADDR;SITE            free of a non-NULL pointer
 *   fail;SIZE;SITE            allocation returned NULL   (valground extension)
 *   test;NAME                 explicit test boundary     (valground extension)
 */

/** Marker that precedes every record, followed by exactly one space. */
export const MARKER = '==MP ';

/** Prefix the device emulator (speculos) puts before the app's printf output. */
export const EMULATOR_PREFIX = 'seproxyhal: printf: ';

export type RecordKind = 'init' | 'alloc' | 'persist' | 'free' | 'fail' | 'test';

export interface InitRecord {
  kind: 'init';
  address: number;
  size: number;
}
export interface AllocRecord {
  kind: 'alloc' | 'persist';
  size: number;
  address: number;
  site: string;
}
export interface FreeRecord {
  kind: 'free';
  address: number;
  site: string;
}
export interface FailRecord {
  kind: 'fail';
  size: number;
  site: string;
}
export interface TestRecord {
  kind: 'test';
  name: string;
}
export type MemRecord = InitRecord | AllocRecord | FreeRecord | FailRecord | TestRecord;

/** `0x%08x`, as the SDK prints addresses. */
export function formatAddress(address: number): string {
  const hex = (address >>> 0 === address ? address : Math.trunc(address)).toString(16);
  return '0x' + (hex.length >= 8 ? hex : '00000000'.slice(hex.length) + hex);
}

/** The record text, without the marker and without a newline. */
export function formatRecord(r: MemRecord): string {
  switch (r.kind) {
    case 'init':
      return `init;${formatAddress(r.address)};${r.size}`;
    case 'alloc':
    case 'persist':
      return `${r.kind};${r.size};${formatAddress(r.address)};${r.site}`;
    case 'free':
      return `free;${formatAddress(r.address)};${r.site}`;
    case 'fail':
      return `fail;${r.size};${r.site}`;
    case 'test':
      return `test;${r.name}`;
  }
}

/** A whole log line for a record, as the SDK prints it after `prefix`. */
export function formatRecordLine(r: MemRecord, prefix = ''): string {
  return prefix + MARKER + formatRecord(r);
}

const DECIMAL = /^[0-9]+$/;

/** Value of each ASCII hex digit, 16 for any other character. */
const HEX_DIGIT = new Uint8Array(128).fill(16);
for (let i = 0; i < 10; i++) HEX_DIGIT[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_DIGIT[0x41 + i] = HEX_DIGIT[0x61 + i] = 10 + i;

/**
 * A decimal or `0x` hexadecimal unsigned number in `text[start, end)`;
 * `undefined` if it is neither, or too large to hold exactly. Reads char codes in place: this runs twice
 * per record, and slicing would allocate.
 */
export function parseNumberAt(text: string, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  let n = 0;
  if (end - start > 2 && text.charCodeAt(start) === 0x30 && (text.charCodeAt(start + 1) | 0x20) === 0x78) {
    for (let i = start + 2; i < end; i++) {
      const c = text.charCodeAt(i);
      const d = c < 0x80 ? HEX_DIGIT[c] : 16;
      if (d > 15) return undefined;
      n = n * 16 + d;
    }
    return n <= Number.MAX_SAFE_INTEGER ? n : undefined; // beyond, digits would be lost
  }
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : undefined;
}

/** A decimal or `0x` hexadecimal unsigned number; `undefined` if it is neither. */
export function parseNumber(text: string): number | undefined {
  return parseNumberAt(text, 0, text.length);
}

/** The line number of a `file:line` site: digits after the last `:`, or null. */
export function siteLine(site: string): number | null {
  const colon = site.lastIndexOf(':');
  if (colon < 0) return null;
  const digits = site.slice(colon + 1);
  return DECIMAL.test(digits) ? Number(digits) : null;
}

/** The file part of a `file:line` site (the whole site when it has no line). */
export function siteFile(site: string): string {
  return siteLine(site) === null ? site : site.slice(0, site.lastIndexOf(':'));
}

export type ParsedRecord = { ok: true; record: MemRecord } | { ok: false; message: string };

function field(text: string, start: number, end: number): string {
  return JSON.stringify(text.slice(start, end));
}

/** Whether `text[at, at + word.length)` is `word` (char codes: no slicing, no builtin call). */
function hasAt(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * A record's fields, filled in place by `readRecord`: the analyzer reads a
 * million records with one of these, allocating nothing per record. The
 * site is not cut out of the line (most are never needed): it is
 * `text[siteStart, siteEnd)`, see `recordSite`. Fields a kind does not have
 * keep stale values.
 */
export interface RecordFields {
  kind: RecordKind;
  size: number;
  address: number;
  /** The text the record was read from. */
  text: string;
  siteStart: number;
  siteEnd: number;
  name: string;
}

export function newRecordFields(): RecordFields {
  return { kind: 'init', size: 0, address: 0, text: '', siteStart: 0, siteEnd: 0, name: '' };
}

/** The call site of an alloc, persist, free or fail record. */
export function recordSite(f: RecordFields): string {
  return f.text.slice(f.siteStart, f.siteEnd);
}

/**
 * Reads the record in `text[start, end)` (what follows the marker, trailing
 * white space excluded) into `out`. Returns null, or a message saying what
 * is wrong: never throws. The call site is everything after the fixed
 * fields, `;` included. This is the analyzer's hot path: it reads in place.
 */
export function readRecord(text: string, start: number, end: number, out: RecordFields): string | null {
  let first = text.indexOf(';', start);
  if (first >= end) first = -1;
  const kindEnd = first < 0 ? end : first;
  const a = first + 1; // start of the first field
  let b = first < 0 ? -1 : text.indexOf(';', a); // end of the first field
  if (b >= end) b = -1;
  let c = b < 0 ? -1 : text.indexOf(';', b + 1); // end of the second field
  if (c >= end) c = -1;
  const kindLen = kindEnd - start;
  if ((kindLen === 5 && hasAt(text, start, 'alloc')) || (kindLen === 7 && hasAt(text, start, 'persist'))) {
    const kind = kindLen === 5 ? 'alloc' : 'persist';
    if (c < 0) return `${kind} record needs SIZE;ADDR;FILE:LINE`;
    const size = parseNumberAt(text, a, b);
    const address = parseNumberAt(text, b + 1, c);
    if (size === undefined) return `bad size ${field(text, a, b)}`;
    if (address === undefined) return `bad address ${field(text, b + 1, c)}`;
    if (c + 1 >= end) return `${kind} record has an empty call site`;
    out.kind = kind;
    out.size = size;
    out.address = address;
    out.text = text;
    out.siteStart = c + 1;
    out.siteEnd = end;
    return null;
  }
  if (kindLen === 4 && hasAt(text, start, 'free')) {
    if (b < 0) return 'free record needs ADDR;FILE:LINE';
    const address = parseNumberAt(text, a, b);
    if (address === undefined) return `bad address ${field(text, a, b)}`;
    if (b + 1 >= end) return 'free record has an empty call site';
    out.kind = 'free';
    out.address = address;
    out.text = text;
    out.siteStart = b + 1;
    out.siteEnd = end;
    return null;
  }
  if (kindLen === 4 && hasAt(text, start, 'init')) {
    if (b < 0) return 'init record needs ADDR;SIZE';
    if (c >= 0) return 'init record has extra fields';
    const address = parseNumberAt(text, a, b);
    const size = parseNumberAt(text, b + 1, end);
    if (address === undefined) return `bad heap address ${field(text, a, b)}`;
    if (size === undefined) return `bad heap size ${field(text, b + 1, end)}`;
    out.kind = 'init';
    out.address = address;
    out.size = size;
    return null;
  }
  if (kindLen === 4 && hasAt(text, start, 'fail')) {
    if (b < 0) return 'fail record needs SIZE;FILE:LINE';
    const size = parseNumberAt(text, a, b);
    if (size === undefined) return `bad size ${field(text, a, b)}`;
    out.kind = 'fail';
    out.size = size;
    out.text = text;
    out.siteStart = b + 1;
    out.siteEnd = end;
    return null;
  }
  if (kindLen === 4 && hasAt(text, start, 'test')) {
    if (first < 0 || a >= end) return 'test record needs a NAME';
    out.kind = 'test';
    out.name = text.slice(a, end);
    return null;
  }
  return `unknown record kind ${field(text, start, Math.min(kindEnd, start + 40))}`;
}

/** The record a set of fields describes. */
export function toRecord(f: RecordFields): MemRecord {
  switch (f.kind) {
    case 'init':
      return { kind: 'init', address: f.address, size: f.size };
    case 'alloc':
    case 'persist':
      return { kind: f.kind, size: f.size, address: f.address, site: recordSite(f) };
    case 'free':
      return { kind: 'free', address: f.address, site: recordSite(f) };
    case 'fail':
      return { kind: 'fail', size: f.size, site: recordSite(f) };
    case 'test':
      return { kind: 'test', name: f.name };
  }
}

/** Parses the record in `text[start, end)`: the record, or what is wrong with it. */
export function parseRecordAt(text: string, start: number, end: number): MemRecord | string {
  const f = newRecordFields();
  const problem = readRecord(text, start, end, f);
  return problem === null ? toRecord(f) : problem;
}

/** Parses record text (what follows the marker). Never throws. */
export function parseRecord(text: string): ParsedRecord {
  const r = parseRecordAt(text, 0, text.length);
  return typeof r === 'string' ? { ok: false, message: r } : { ok: true, record: r };
}
