/**
 * The record grammar read from bytes (SPEC §7 "How"): the analyzer's byte
 * front end reads the usual records straight from the read buffer, making
 * no string. It reads the kinds of the default heap whose fixed fields are
 * all numbers — init, alloc, persist, free, fail, resize: what the SDK
 * prints — and declines everything else, which the string reader
 * (`readRecord`) then reads and words. Driven by the same table, `GRAMMAR`:
 * the kinds, their fields in order and their tails come from it, and a
 * property test holds this reader to `readRecord` on every kind.
 */
import { FIELD_SLOTS, GRAMMAR, HEX_DIGIT, RECORD_KINDS, type NumberSlot, type RecordFields, type RecordKind } from './records.js';

/** One kind as the byte reader walks it. */
interface ByteKind {
  kind: RecordKind;
  /** The kind's name, as bytes. */
  word: Uint8Array;
  /** Per fixed field, in order: whether it is an address (`0x0x%p` accepted), and where it is kept. */
  addresses: readonly boolean[];
  slots: readonly number[];
  /** A call site follows the fixed fields (else the record ends with them). */
  site: boolean;
}

const SEMI = 0x3b;
/** `RecordFields` slots as small numbers (a store by number beats one by name on the hot path). */
const SLOT_ORDER: readonly NumberSlot[] = ['size', 'address', 'n2', 'n3'];

/** The kinds this reader reads: unqualified-capable, numeric fields, a site or nothing after them. */
const BYTE_KINDS: ByteKind[] = RECORD_KINDS.filter((k) => {
  const g = GRAMMAR[k];
  return g.qualifier === 'optional' && g.fields.length > 0 && g.fields.every(([, t]) => t !== 'what') && (g.tail === 'site' || g.tail === 'none');
}).map((k) => {
  const g = GRAMMAR[k];
  return {
    kind: k,
    word: Uint8Array.from(k, (c) => c.charCodeAt(0)),
    addresses: g.fields.map(([, t]) => t === 'address'),
    slots: g.fields.map(([n]) => SLOT_ORDER.indexOf(FIELD_SLOTS[n])),
    site: g.tail === 'site',
  };
});

/** The kinds by their first letter. */
const BY_FIRST: Array<ByteKind[] | undefined> = new Array<ByteKind[] | undefined>(128);
for (const k of BYTE_KINDS) (BY_FIRST[k.word[0]] ??= []).push(k);

/** The kinds `readRecordBytes` reads (the others it always declines). */
export const BYTE_RECORD_KINDS: readonly RecordKind[] = BYTE_KINDS.map((k) => k.kind);

/**
 * `readNumberAt` over bytes, the field's end found on the way: reads a
 * decimal or `0x` hexadecimal number from `buf[at]` up to the next `;` or
 * `end` (`0x0x…` too when `hostPrefix`) into `out`'s `slot`; returns where
 * it stopped (that `;`, or `end`), or -1 when the field is no number or
 * beyond 2^53 − 1 (the string reader then says which). One pass over the
 * bytes: finding the `;` first and then reading the number cost a fifth
 * more per record on the bench log; and the number goes straight into its
 * field (returned, an address above 2^31 would be a heap number each time).
 */
function readField(buf: Uint8Array, at: number, end: number, hostPrefix: boolean, out: RecordFields, slot: number): number {
  let i = at;
  let n = 0;
  if (buf[i] === 0x30 && (buf[i + 1] | 0x20) === 0x78 && i + 2 < end) {
    i += 2;
    // `0x0x` then a digit at least, as readNumberAt (a field of just `0x0x` is read as hex and refused)
    if (hostPrefix && buf[i] === 0x30 && (buf[i + 1] | 0x20) === 0x78 && i + 2 < end && buf[i + 2] !== SEMI) i += 2;
    const digits = i;
    for (; i < end; i++) {
      const c = buf[i];
      if (c === SEMI) break;
      const d = c < 0x80 ? HEX_DIGIT[c] : 16;
      if (d > 15) return -1;
      n = n * 16 + d;
    }
    if (i === digits) return -1;
  } else {
    for (; i < end; i++) {
      const c = buf[i];
      if (c === SEMI) break;
      const d = c - 0x30;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    if (i === at) return -1;
  }
  if (n > Number.MAX_SAFE_INTEGER) return -1;
  // a small integer as one (the digits were summed as doubles): a double field is a heap number on every use
  if (n <= 0x7fffffff) n |= 0;
  if (slot === 0) out.size = n;
  else if (slot === 1) out.address = n;
  else if (slot === 2) out.n2 = n;
  else out.n3 = n;
  return i;
}

/**
 * Reads the record in `buf[start, end)` (what follows the marker, trailing
 * white space excluded) into `out`, as `readRecord` would. Returns where
 * its call site starts (the site is `buf[returned, end)`; `end` for a kind
 * without one), or -1 when it declines: another kind, a `@HEAP` qualifier,
 * or anything `readRecord` would refuse. Fields may be changed on a
 * decline; the string reader then sets all it needs.
 */
export function readRecordBytes(buf: Uint8Array, start: number, end: number, out: RecordFields): number {
  const c0 = buf[start];
  const kinds = c0 < 0x80 ? BY_FIRST[c0] : undefined;
  if (kinds === undefined) return -1;
  for (let k = 0; k < kinds.length; k++) {
    const g = kinds[k];
    const word = g.word;
    const len = word.length;
    if (start + len >= end || buf[start + len] !== SEMI) continue;
    let i = 1;
    while (i < len && buf[start + i] === word[i]) i++;
    if (i < len) continue;
    let at = start + len + 1;
    const slots = g.slots;
    const last = slots.length - 1;
    for (let f = 0; f <= last; f++) {
      const to = readField(buf, at, end, g.addresses[f], out, slots[f]);
      if (to < 0) return -1;
      // every field but a site-less kind's last ends at a `;`; that one ends the record
      if (to === end ? g.site || f < last : !g.site && f === last) return -1;
      at = to + 1;
    }
    out.kind = g.kind;
    out.heap = null;
    out.noAddress = false;
    out.noSite = false;
    if (!g.site) return end;
    return at < end ? at : -1; // an empty site is the string reader's error
  }
  return -1;
}
