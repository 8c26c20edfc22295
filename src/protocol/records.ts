/**
 * The allocation-record grammar (SPEC §2, §2.1, §2.2), written once.
 *
 * The toolkit's profiling writer formats records with `formatRecord`, the
 * analyzer reads them with `readRecord` / `parseRecord`; a round-trip
 * property test keeps both sides in step. Every kind is one row of
 * `GRAMMAR`: its fixed fields in order, whether a free-text call site (or
 * name) follows, and whether it takes a `@HEAP` / `@POOL` qualifier.
 *
 *   init[@H];ADDR;SIZE                heap (re)initialised
 *   alloc[@H];SIZE;ADDR;SITE          successful allocation (or a pool block taken)
 *   persist[@H];SIZE;ADDR;SITE        allocation kept on purpose
 *   free[@H];ADDR;SITE                free of a non-NULL pointer (or a pool block returned)
 *   fail[@H];SIZE;SITE                allocation returned NULL           (extension)
 *   resize[@H];ADDR;OLD;NEW;SITE      block resized in place              (extension)
 *   corrupt[@H];ADDR;WHAT;SITE        the allocator found corruption      (extension)
 *   test;NAME                         explicit test boundary              (extension)
 *   pool@P;BLOCK_SIZE;BLOCKS[;PARENT] pool created or grown                (extension)
 *   overflow@P;BLOCKS;SITE            forced allocation grew the pool      (extension)
 *   drop@P;SITE                       sub-pool deleted                     (extension)
 *   ref@P;ADDR;COUNT;SITE             pool block reference count changed   (extension)
 *
 * `alloc@NAME` and `free@NAME` have the same shape for a heap and a pool:
 * whether NAME is a pool is known from its `pool@NAME` record, so that is
 * the analyzer's business, not the grammar's.
 */

/** Marker that precedes every record, followed by exactly one space. */
export const MARKER = '==MP ';

/** Prefix the device emulator (speculos) puts before the app's printf output. */
export const EMULATOR_PREFIX = 'seproxyhal: printf: ';

/** How the usual record line starts: the emulator's prefix, then the marker. */
export const RECORD_LINE_PREFIX = EMULATOR_PREFIX + MARKER;

/** Heap and pool names (`KIND@NAME`). */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** What a `corrupt` record can say was found. */
export const CORRUPTION_KINDS = ['header', 'guard-before', 'guard-after', 'poison', 'refcount'] as const;
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number];

export type RecordKind =
  | 'init'
  | 'alloc'
  | 'persist'
  | 'free'
  | 'fail'
  | 'resize'
  | 'corrupt'
  | 'test'
  | 'pool'
  | 'overflow'
  | 'drop'
  | 'ref';

/** `heap`: the `@NAME` qualifier; absent for the default heap. */
export interface InitRecord {
  kind: 'init';
  heap?: string;
  address: number;
  size: number;
}
export interface AllocRecord {
  kind: 'alloc' | 'persist';
  heap?: string;
  size: number;
  address: number;
  site: string;
}
export interface FreeRecord {
  kind: 'free';
  heap?: string;
  address: number;
  site: string;
}
export interface FailRecord {
  kind: 'fail';
  heap?: string;
  size: number;
  site: string;
}
export interface ResizeRecord {
  kind: 'resize';
  heap?: string;
  address: number;
  oldSize: number;
  newSize: number;
  site: string;
}
export interface CorruptRecord {
  kind: 'corrupt';
  heap?: string;
  /** null when the allocator's message names no address (SDK error lines). */
  address: number | null;
  what: CorruptionKind;
  /** null when unknown (SDK error lines). */
  site: string | null;
}
export interface TestRecord {
  kind: 'test';
  name: string;
}
export interface PoolRecord {
  kind: 'pool';
  pool: string;
  blockSize: number;
  blocks: number;
  parent: string | null;
}
export interface OverflowRecord {
  kind: 'overflow';
  pool: string;
  blocks: number;
  site: string;
}
export interface DropRecord {
  kind: 'drop';
  pool: string;
  site: string;
}
export interface RefRecord {
  kind: 'ref';
  pool: string;
  address: number;
  count: number;
  site: string;
}
export type MemRecord =
  | InitRecord
  | AllocRecord
  | FreeRecord
  | FailRecord
  | ResizeRecord
  | CorruptRecord
  | TestRecord
  | PoolRecord
  | OverflowRecord
  | DropRecord
  | RefRecord;

export type FieldType = 'number' | 'address' | 'what';
export interface KindGrammar {
  /** `@NAME`: 'none' (test), 'optional' (heap records), 'required' (pool records). */
  qualifier: 'none' | 'optional' | 'required';
  /** Fixed fields, in order, named as in the record objects. */
  fields: ReadonlyArray<readonly [string, FieldType]>;
  /** What follows the fixed fields: a call site, a name, an optional parent pool, or nothing. */
  tail: 'site' | 'name' | 'parent' | 'none';
}

/** The table of kinds: the writer and the reader are both driven by it. */
export const GRAMMAR: Readonly<Record<RecordKind, KindGrammar>> = {
  init: { qualifier: 'optional', fields: [['address', 'address'], ['size', 'number']], tail: 'none' },
  alloc: { qualifier: 'optional', fields: [['size', 'number'], ['address', 'address']], tail: 'site' },
  persist: { qualifier: 'optional', fields: [['size', 'number'], ['address', 'address']], tail: 'site' },
  free: { qualifier: 'optional', fields: [['address', 'address']], tail: 'site' },
  fail: { qualifier: 'optional', fields: [['size', 'number']], tail: 'site' },
  resize: {
    qualifier: 'optional',
    fields: [['address', 'address'], ['oldSize', 'number'], ['newSize', 'number']],
    tail: 'site',
  },
  corrupt: { qualifier: 'optional', fields: [['address', 'address'], ['what', 'what']], tail: 'site' },
  test: { qualifier: 'none', fields: [], tail: 'name' },
  pool: { qualifier: 'required', fields: [['blockSize', 'number'], ['blocks', 'number']], tail: 'parent' },
  overflow: { qualifier: 'required', fields: [['blocks', 'number']], tail: 'site' },
  drop: { qualifier: 'required', fields: [], tail: 'site' },
  ref: { qualifier: 'required', fields: [['address', 'address'], ['count', 'number']], tail: 'site' },
};

const KINDS = Object.keys(GRAMMAR) as RecordKind[];

/** `0x%08x`, as the SDK prints addresses: at least 8 hex digits, wider ones in full. */
export function formatAddress(address: number): string {
  const hex = (address >>> 0 === address ? address : Math.trunc(address)).toString(16);
  return '0x' + (hex.length >= 8 ? hex : '00000000'.slice(hex.length) + hex);
}

// ── writing ─────────────────────────────────────────────────────────────

/** Why a free-text field would not read back as written, or null when it would. */
function textProblem(text: unknown, what: string): string | null {
  if (typeof text !== 'string') return `${what} must be a string`;
  if (text === '') return `${what} is empty`;
  if (/[\r\n]/.test(text)) return `${what} holds a line break`;
  if (text.trimEnd() !== text) return `${what} ends with white space (it would be trimmed)`;
  if (text.includes(MARKER)) return `${what} holds the record marker "${MARKER}"`;
  return null;
}

/**
 * A call site the writer accepts: no line break, not empty, no trailing
 * white space and no record marker — anything else would be read back as
 * something else (a lost record, or a forged one). Throws a TypeError.
 */
export function checkSite(site: unknown, what = 'call site'): string {
  // A profiled heap writes the same few sites millions of times: each distinct one is checked once.
  if (typeof site === 'string' && CHECKED_SITES.has(site)) return site;
  const problem = textProblem(site, what);
  if (problem !== null) throw new TypeError(`valground: ${problem}: ${JSON.stringify(site)}`);
  if (CHECKED_SITES.size >= MAX_CHECKED_SITES) CHECKED_SITES.clear();
  CHECKED_SITES.add(site as string);
  return site as string;
}

/** Sites that passed `checkSite` (bounded: cleared when full). */
const CHECKED_SITES = new Set<string>();
const MAX_CHECKED_SITES = 4096;

/** A heap or pool name the writer accepts (`[A-Za-z0-9_.-]+`). Throws a TypeError. */
export function checkName(name: unknown, what = 'heap name'): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new TypeError(`valground: ${what} must match ${NAME_PATTERN.source}: ${JSON.stringify(name)}`);
  }
  return name;
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function checkNumber(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`valground: ${what} must be a non-negative integer: ${String(n)}`);
  }
  return n;
}

/**
 * The record text, without the marker and without a newline. Refuses (a
 * TypeError) anything the parser would read differently (§2.2).
 */
export function formatRecord(r: MemRecord): string {
  // The records a profiled heap writes for nearly every call, straight-line:
  // the table-driven writer below costs a third of profile(sdk)'s time
  // (bench: 2.7 → 3.2 M ops/s). Same text, same refusals.
  if ((r.kind === 'alloc' || r.kind === 'persist') && r.heap === undefined && isCount(r.size) && isCount(r.address)) {
    return `${r.kind};${r.size};${formatAddress(r.address)};${checkSite(r.site)}`;
  }
  if (r.kind === 'free' && r.heap === undefined && isCount(r.address)) return `free;${formatAddress(r.address)};${checkSite(r.site)}`;
  const g = GRAMMAR[r.kind];
  if (g === undefined) throw new TypeError(`valground: unknown record kind ${JSON.stringify((r as { kind: unknown }).kind)}`);
  const o = r as unknown as Record<string, unknown>;
  let head: string = r.kind;
  if (g.qualifier === 'optional' && o.heap !== null && o.heap !== undefined) head += '@' + checkName(o.heap);
  if (g.qualifier === 'required') head += '@' + checkName(o.pool, 'pool name');
  let text = head;
  for (const [name, type] of g.fields) {
    const v = o[name];
    if (type === 'what') {
      if (!(CORRUPTION_KINDS as readonly unknown[]).includes(v)) {
        throw new TypeError(`valground: corruption kind must be one of ${CORRUPTION_KINDS.join(', ')}: ${String(v)}`);
      }
      text += ';' + (v as string);
    } else {
      const n = checkNumber(v, name);
      text += ';' + (type === 'address' ? formatAddress(n) : String(n));
    }
  }
  if (g.tail === 'site') text += ';' + checkSite(o.site);
  else if (g.tail === 'name') text += ';' + checkSite(o.name, 'test name');
  else if (g.tail === 'parent' && o.parent !== null && o.parent !== undefined) text += ';' + checkName(o.parent, 'parent pool name');
  return text;
}

/** A whole log line for a record, as the SDK prints it after `prefix`. */
export function formatRecordLine(r: MemRecord, prefix = ''): string {
  return prefix + MARKER + formatRecord(r);
}

// ── reading ─────────────────────────────────────────────────────────────

const DECIMAL = /^[0-9]+$/;

/** Value of each ASCII hex digit, 16 for any other character (the byte reader uses it too). */
export const HEX_DIGIT = new Uint8Array(128).fill(16);
for (let i = 0; i < 10; i++) HEX_DIGIT[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_DIGIT[0x41 + i] = HEX_DIGIT[0x61 + i] = 10 + i;

/** Whether `text[at, at + 2)` is `0x` or `0X`. */
function hexPrefixAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === 0x30 && (text.charCodeAt(at + 1) | 0x20) === 0x78;
}

/** Result of a number too large to hold exactly (distinct from "not a number"). */
export const TOO_LARGE = -1;

/**
 * A decimal or `0x` hexadecimal unsigned number in `text[start, end)`:
 * the number, `undefined` if it is neither, or TOO_LARGE when it is one but
 * beyond 2^53 − 1. `hostPrefix` accepts glibc's `0x0x…` (`0x%p`, §2.1).
 * Reads char codes in place: this runs twice per record.
 */
export function readNumberAt(text: string, start: number, end: number, hostPrefix: boolean): number | undefined {
  if (end <= start) return undefined;
  let n = 0;
  if (end - start > 2 && hexPrefixAt(text, start)) {
    let i = start + 2;
    if (hostPrefix && end - i > 2 && hexPrefixAt(text, i)) i += 2;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      const d = c < 0x80 ? HEX_DIGIT[c] : 16;
      if (d > 15) return undefined;
      n = n * 16 + d;
    }
    return n <= Number.MAX_SAFE_INTEGER ? n : TOO_LARGE;
  }
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : TOO_LARGE;
}

/** A decimal or `0x` hexadecimal number in `text[start, end)`; undefined if it is neither or too large. */
export function parseNumberAt(text: string, start: number, end: number): number | undefined {
  const n = readNumberAt(text, start, end, false);
  return n === TOO_LARGE ? undefined : n;
}

/** A decimal or `0x` hexadecimal unsigned number; `undefined` if it is neither (or too large). */
export function parseNumber(text: string): number | undefined {
  return parseNumberAt(text, 0, text.length);
}

/** An address as printed by the device (`0x%08x`) or a host build (`0x0x%p`); undefined if neither. */
export function parseAddress(text: string): number | undefined {
  const n = readNumberAt(text, 0, text.length, true);
  return n === TOO_LARGE ? undefined : n;
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

function quoted(text: string, start: number, end: number): string {
  return JSON.stringify(text.slice(start, Math.min(end, start + 40)));
}

/** Whether `text[at, at + word.length)` is `word` (char codes: no slicing, no builtin call). */
function hasAt(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * A record's fields, filled in place by `readRecord`: the analyzer reads
 * millions of records with one of these, allocating nothing per record of
 * the common kinds. The site is not cut out of the line (most are never
 * needed): it is `text[siteStart, siteEnd)`, see `recordSite`. Fields a
 * kind does not have keep stale values.
 */
export interface RecordFields {
  kind: RecordKind;
  /** `@NAME`, or null (the default heap). */
  heap: string | null;
  size: number;
  address: number;
  /** resize: OLD; ref: COUNT; overflow/pool: BLOCKS. */
  n2: number;
  /** resize: NEW. */
  n3: number;
  what: CorruptionKind;
  /** The text the record was read from. */
  text: string;
  siteStart: number;
  siteEnd: number;
  /** test: NAME; pool: PARENT (or ''). */
  name: string;
  /** corrupt from an SDK error line: no address / no site known. */
  noAddress: boolean;
  noSite: boolean;
}

export function newRecordFields(): RecordFields {
  return {
    kind: 'init',
    heap: null,
    size: 0,
    address: 0,
    n2: 0,
    n3: 0,
    what: 'header',
    text: '',
    siteStart: 0,
    siteEnd: 0,
    name: '',
    noAddress: false,
    noSite: false,
  };
}

/** The call site of a record that has one. */
export function recordSite(f: RecordFields): string {
  return f.text.slice(f.siteStart, f.siteEnd);
}

/** Where each `;` of the record is, up to 6 fields (scratch, reused). */
const SEMIS = new Int32Array(8);

/** Fills SEMIS with the positions of up to `max` semicolons in `text[start, end)`; returns how many. */
function findSemis(text: string, start: number, end: number, max: number): number {
  let count = 0;
  let at = start;
  while (count < max) {
    const s = text.indexOf(';', at);
    if (s < 0 || s >= end) break;
    SEMIS[count++] = s;
    at = s + 1;
  }
  return count;
}

function kindAt(text: string, start: number, len: number): RecordKind | null {
  // The four the SDK prints first: this runs for every record.
  switch (len) {
    case 5:
      if (hasAt(text, start, 'alloc')) return 'alloc';
      break;
    case 4:
      if (hasAt(text, start, 'free')) return 'free';
      if (hasAt(text, start, 'init')) return 'init';
      if (hasAt(text, start, 'fail')) return 'fail';
      if (hasAt(text, start, 'test')) return 'test';
      if (hasAt(text, start, 'pool')) return 'pool';
      if (hasAt(text, start, 'drop')) return 'drop';
      break;
    case 7:
      if (hasAt(text, start, 'persist')) return 'persist';
      if (hasAt(text, start, 'corrupt')) return 'corrupt';
      break;
    case 6:
      if (hasAt(text, start, 'resize')) return 'resize';
      break;
    case 8:
      if (hasAt(text, start, 'overflow')) return 'overflow';
      break;
    case 3:
      if (hasAt(text, start, 'ref')) return 'ref';
      break;
  }
  return null;
}

const FIELD_LABEL: Record<string, string> = {
  size: 'SIZE',
  address: 'ADDR',
  blockSize: 'BLOCK_SIZE',
  blocks: 'BLOCKS',
  oldSize: 'OLD',
  newSize: 'NEW',
  count: 'COUNT',
  what: 'WHAT',
};

/** `SIZE;ADDR;FILE:LINE`: the fields a kind needs, for messages. */
function describeFields(kind: RecordKind): string {
  const g = GRAMMAR[kind];
  const names = g.fields.map(([n]) => FIELD_LABEL[n]);
  if (g.tail === 'site') names.push('FILE:LINE');
  if (g.tail === 'name') names.push('NAME');
  if (g.tail === 'parent') names.push('[PARENT]');
  return names.join(';');
}

/** How a field is named in a message: `bad heap size "-5"`. */
function fieldWords(kind: RecordKind, name: string): string {
  const words = name.replace(/[A-Z]/g, (c) => ' ' + c.toLowerCase());
  return kind === 'init' ? `heap ${words}` : words;
}

/** Where `RecordFields` keeps each numeric field of the table (both readers store by it). */
export type NumberSlot = 'size' | 'address' | 'n2' | 'n3';
export const FIELD_SLOTS: Readonly<Record<string, NumberSlot>> = {
  size: 'size',
  blockSize: 'size',
  address: 'address',
  oldSize: 'n2',
  count: 'n2',
  blocks: 'n2',
  newSize: 'n3',
};

/** Stores a numeric field of the table, by its name, where `RecordFields` keeps it. */
export function setNumberField(out: RecordFields, name: string, n: number): void {
  out[FIELD_SLOTS[name]] = n;
}

/**
 * Reads the record in `text[start, end)` (what follows the marker, trailing
 * white space excluded) into `out`. Returns null, or a message saying what
 * is wrong: never throws. The call site is everything after the fixed
 * fields, `;` included. This is the analyzer's hot path: it reads in place.
 */
export function readRecord(text: string, start: number, end: number, out: RecordFields): string | null {
  if (readCommon(text, start, end, out)) return null;
  let kindEnd = text.indexOf(';', start);
  if (kindEnd < 0 || kindEnd > end) kindEnd = end;
  // `KIND@NAME`
  let at = text.indexOf('@', start);
  if (at < 0 || at > kindEnd) at = -1;
  const kind = kindAt(text, start, (at < 0 ? kindEnd : at) - start);
  if (kind === null) return `unknown record kind ${quoted(text, start, kindEnd)}`;
  const g = GRAMMAR[kind];
  let heap: string | null = null;
  if (at >= 0) {
    if (g.qualifier === 'none') return `${kind} record takes no @NAME`;
    heap = text.slice(at + 1, kindEnd);
    if (!NAME_PATTERN.test(heap)) return `bad heap or pool name ${JSON.stringify(heap)}`;
  } else if (g.qualifier === 'required') {
    return `${kind} record needs a pool name: ${kind}@POOL;${describeFields(kind)}`;
  }
  const nFields = g.fields.length;
  const hasTail = g.tail === 'site' || g.tail === 'name';
  // Semicolons needed: one before each field, one before the tail.
  const needed = nFields + (hasTail ? 1 : 0);
  const found = kindEnd === end ? 0 : findSemis(text, kindEnd, end, needed + 1);
  if (found < needed) return `${kind} record needs ${describeFields(kind)}`;
  out.kind = kind;
  out.heap = heap;
  out.noAddress = false;
  out.noSite = false;
  for (let i = 0; i < nFields; i++) {
    const from = SEMIS[i] + 1;
    const to = i + 1 < found ? SEMIS[i + 1] : end;
    const [name, type] = g.fields[i];
    if (type === 'what') {
      const w = text.slice(from, to);
      if (!(CORRUPTION_KINDS as readonly string[]).includes(w)) return `bad corruption kind ${JSON.stringify(w)}`;
      out.what = w as CorruptionKind;
      continue;
    }
    const n = readNumberAt(text, from, to, type === 'address');
    if (n === undefined) return `bad ${fieldWords(kind, name)} ${quoted(text, from, to)}`;
    if (n === TOO_LARGE) return `${fieldWords(kind, name)} ${quoted(text, from, to)} is too large to hold exactly (above 2^53 − 1)`;
    setNumberField(out, name, n);
  }
  if (g.tail === 'none') {
    if (found > nFields) return `${kind} record has extra fields`;
    return null;
  }
  if (g.tail === 'parent') {
    if (found > nFields + 1) return `${kind} record has extra fields`;
    out.name = found > nFields ? text.slice(SEMIS[nFields] + 1, end) : '';
    if (out.name !== '' && !NAME_PATTERN.test(out.name)) return `bad parent pool name ${JSON.stringify(out.name)}`;
    return null;
  }
  const tailStart = SEMIS[nFields] + 1;
  if (tailStart >= end) return `${kind} record has an empty ${g.tail === 'name' ? 'name' : 'call site'}`;
  if (g.tail === 'name') {
    out.name = text.slice(tailStart, end);
  } else {
    out.text = text;
    out.siteStart = tailStart;
    out.siteEnd = end;
  }
  return null;
}

/**
 * The three records that make nearly all of a log — `alloc;SIZE;ADDR;SITE`,
 * `free;ADDR;SITE`, `init;ADDR;SIZE`, unqualified and well formed — read by
 * straight-line code: the general table-driven reader costs twice as much
 * per record on the analyzer's hot path (measured on the bench log). Returns
 * false, having changed nothing that matters, for anything else: the
 * general reader then decides (and words any error).
 */
function readCommon(text: string, start: number, end: number, out: RecordFields): boolean {
  const c0 = text.charCodeAt(start);
  if (c0 === 0x61 /* a */) {
    if (text.charCodeAt(start + 5) !== 0x3b || !hasAt(text, start, 'alloc')) return false;
    const a = start + 6;
    const b = text.indexOf(';', a);
    if (b < 0 || b >= end) return false;
    const c = text.indexOf(';', b + 1);
    if (c < 0 || c + 1 >= end) return false;
    const size = readNumberAt(text, a, b, false);
    const address = readNumberAt(text, b + 1, c, true);
    if (size === undefined || size === TOO_LARGE || address === undefined || address === TOO_LARGE) return false;
    out.kind = 'alloc';
    out.heap = null;
    out.size = size;
    out.address = address;
    out.text = text;
    out.siteStart = c + 1;
    out.siteEnd = end;
    return true;
  }
  if (c0 === 0x66 /* f */) {
    if (text.charCodeAt(start + 4) !== 0x3b || !hasAt(text, start, 'free')) return false;
    const a = start + 5;
    const b = text.indexOf(';', a);
    if (b < 0 || b + 1 >= end) return false;
    const address = readNumberAt(text, a, b, true);
    if (address === undefined || address === TOO_LARGE) return false;
    out.kind = 'free';
    out.heap = null;
    out.address = address;
    out.text = text;
    out.siteStart = b + 1;
    out.siteEnd = end;
    return true;
  }
  if (c0 === 0x69 /* i */) {
    if (text.charCodeAt(start + 4) !== 0x3b || !hasAt(text, start, 'init')) return false;
    const a = start + 5;
    const b = text.indexOf(';', a);
    if (b < 0 || b >= end || text.indexOf(';', b + 1) >= 0 && text.indexOf(';', b + 1) < end) return false;
    const address = readNumberAt(text, a, b, true);
    const size = readNumberAt(text, b + 1, end, false);
    if (address === undefined || address === TOO_LARGE || size === undefined || size === TOO_LARGE) return false;
    out.kind = 'init';
    out.heap = null;
    out.address = address;
    out.size = size;
    return true;
  }
  return false;
}

/** The record a set of fields describes. */
export function toRecord(f: RecordFields): MemRecord {
  const r = recordOf(f);
  if (f.heap !== null && GRAMMAR[f.kind].qualifier === 'optional') r.heap = f.heap;
  return r;
}

function recordOf(f: RecordFields): MemRecord & { heap?: string } {
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
    case 'resize':
      return { kind: 'resize', address: f.address, oldSize: f.n2, newSize: f.n3, site: recordSite(f) };
    case 'corrupt':
      return { kind: 'corrupt', address: f.noAddress ? null : f.address, what: f.what, site: f.noSite ? null : recordSite(f) };
    case 'test':
      return { kind: 'test', name: f.name };
    case 'pool':
      return { kind: 'pool', pool: f.heap!, blockSize: f.size, blocks: f.n2, parent: f.name === '' ? null : f.name };
    case 'overflow':
      return { kind: 'overflow', pool: f.heap!, blocks: f.n2, site: recordSite(f) };
    case 'drop':
      return { kind: 'drop', pool: f.heap!, site: recordSite(f) };
    case 'ref':
      return { kind: 'ref', pool: f.heap!, address: f.address, count: f.n2, site: recordSite(f) };
  }
}

/** Copies a record into fields (the inverse of `toRecord`). */
export function toFields(r: MemRecord, out: RecordFields = newRecordFields()): RecordFields {
  const o = r as unknown as Record<string, unknown>;
  out.kind = r.kind;
  out.heap = (o.heap as string | null | undefined) ?? (o.pool as string | undefined) ?? null;
  out.noAddress = false;
  out.noSite = false;
  if (typeof o.size === 'number') out.size = o.size;
  if (typeof o.blockSize === 'number') out.size = o.blockSize;
  if (typeof o.address === 'number') out.address = o.address;
  if (r.kind === 'corrupt') {
    out.what = r.what;
    out.noAddress = r.address === null;
  }
  if (r.kind === 'resize') {
    out.n2 = r.oldSize;
    out.n3 = r.newSize;
  }
  if (r.kind === 'ref') out.n2 = r.count;
  if (r.kind === 'overflow' || r.kind === 'pool') out.n2 = r.blocks;
  if (r.kind === 'test') out.name = r.name;
  if (r.kind === 'pool') out.name = r.parent ?? '';
  const site = o.site;
  if (typeof site === 'string') {
    out.text = site;
    out.siteStart = 0;
    out.siteEnd = site.length;
  } else if (r.kind === 'corrupt') {
    out.noSite = true;
    out.text = '';
    out.siteStart = out.siteEnd = 0;
  }
  return out;
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

// ── the SDK allocator's own error lines (§2.2) ──────────────────────────

const SDK_ERROR = /(?:^|\s)(invalid size: header->size\s*=\s*-?\d+!?|corrupted prev_chunk|invalid pointer passed to realloc: (0x[0-9a-fA-F]+(?:0x)?[0-9a-fA-F]*)!?)\s*$/;

/**
 * The SDK allocator's error line in `text` (alone or after the emulator
 * prefix), read as a `corrupt` record of the default heap (WHAT = header,
 * site unknown); null when the line is no such message.
 */
export function sdkErrorRecord(text: string): CorruptRecord | null {
  if (!text.includes('invalid') && !text.includes('corrupted prev_chunk')) return null;
  const m = SDK_ERROR.exec(text);
  if (!m) return null;
  const address = m[2] === undefined ? null : (parseAddress(m[2]) ?? null);
  return { kind: 'corrupt', address, what: 'header', site: null };
}

export { KINDS as RECORD_KINDS };

// ── records in a line of output ─────────────────────────────────────────

export type LineRecord = { ok: true; record: MemRecord } | { ok: false; message: string; text: string };

/** Where a line's content ends once trailing white space is dropped. */
/** Where `text[0, end)` ends once trailing white space (and `\r`) is dropped. */
export function contentEnd(text: string, end = text.length): number {
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) end--;
    else if (c > 0x7f && /\s/.test(text[end - 1])) end--;
    else break;
  }
  return end;
}

/**
 * Every record in a line of output (§2): the text after each `==MP ` marker
 * up to the next marker or the end of the line, trailing white space
 * removed; several can share a line (printf without a newline). Without a
 * marker, an SDK allocator error line is read as a `corrupt` record. Pure,
 * never throws.
 */
export function recordsIn(text: string): LineRecord[] {
  const out: LineRecord[] = [];
  let at = text.indexOf(MARKER);
  if (at < 0) {
    const c = sdkErrorRecord(text);
    if (c !== null) out.push({ ok: true, record: c });
    return out;
  }
  while (at >= 0) {
    const next = text.indexOf(MARKER, at + MARKER.length);
    const start = at + MARKER.length;
    const end = contentEnd(text, next < 0 ? text.length : next);
    const r = parseRecordAt(text, start, Math.max(start, end));
    out.push(typeof r === 'string' ? { ok: false, message: r, text: text.slice(start, Math.min(Math.max(start, end), start + 200)) } : { ok: true, record: r });
    at = next;
  }
  return out;
}
