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
const HEX = /^0[xX][0-9a-fA-F]+$/;

/** A decimal or `0x` hexadecimal unsigned number; `undefined` if it is neither. */
export function parseNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  if (HEX.test(text)) return parseInt(text.slice(2), 16);
  return undefined;
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

function bad(message: string): ParsedRecord {
  return { ok: false, message };
}

/**
 * Parses record text (what follows the marker, trailing white space already
 * removed). Never throws: a malformed record comes back as a message.
 * The call site is everything after the fixed fields, `;` included.
 */
export function parseRecord(text: string): ParsedRecord {
  const first = text.indexOf(';');
  const kind = first < 0 ? text : text.slice(0, first);
  const rest = first < 0 ? '' : text.slice(first + 1);
  switch (kind) {
    case 'init': {
      const [a, s, extra] = rest.split(';', 3);
      if (first < 0 || s === undefined) return bad('init record needs ADDR;SIZE');
      if (extra !== undefined) return bad('init record has extra fields');
      const address = parseNumber(a);
      const size = parseNumber(s);
      if (address === undefined) return bad(`bad heap address "${a}"`);
      if (size === undefined) return bad(`bad heap size "${s}"`);
      return { ok: true, record: { kind, address, size } };
    }
    case 'alloc':
    case 'persist': {
      const i = rest.indexOf(';');
      const j = i < 0 ? -1 : rest.indexOf(';', i + 1);
      if (first < 0 || j < 0) return bad(`${kind} record needs SIZE;ADDR;FILE:LINE`);
      const s = rest.slice(0, i);
      const a = rest.slice(i + 1, j);
      const site = rest.slice(j + 1);
      const size = parseNumber(s);
      const address = parseNumber(a);
      if (size === undefined) return bad(`bad size "${s}"`);
      if (address === undefined) return bad(`bad address "${a}"`);
      if (site === '') return bad(`${kind} record has an empty call site`);
      return { ok: true, record: { kind, size, address, site } };
    }
    case 'free': {
      const i = rest.indexOf(';');
      if (first < 0 || i < 0) return bad('free record needs ADDR;FILE:LINE');
      const a = rest.slice(0, i);
      const site = rest.slice(i + 1);
      const address = parseNumber(a);
      if (address === undefined) return bad(`bad address "${a}"`);
      if (site === '') return bad('free record has an empty call site');
      return { ok: true, record: { kind, address, site } };
    }
    case 'fail': {
      const i = rest.indexOf(';');
      if (first < 0 || i < 0) return bad('fail record needs SIZE;FILE:LINE');
      const s = rest.slice(0, i);
      const site = rest.slice(i + 1);
      const size = parseNumber(s);
      if (size === undefined) return bad(`bad size "${s}"`);
      return { ok: true, record: { kind, size, site } };
    }
    case 'test': {
      if (first < 0 || rest === '') return bad('test record needs a NAME');
      return { ok: true, record: { kind, name: rest } };
    }
    default:
      return bad(`unknown record kind "${kind.length > 40 ? kind.slice(0, 40) + '…' : kind}"`);
  }
}
