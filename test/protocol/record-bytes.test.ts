/**
 * The byte reader (record-bytes.ts) against the string reader, on the same
 * table: whatever it reads, `readRecord` reads the same way; what it
 * declines is left to `readRecord`; and the records the SDK prints are never
 * declined (or the fast path would silently be the slow one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTE_RECORD_KINDS, readRecordBytes } from '../../src/protocol/record-bytes.js';
import {
  GRAMMAR,
  RECORD_KINDS,
  formatRecord,
  newRecordFields,
  readNumberAt,
  readRecord,
  toRecord,
  TOO_LARGE,
  type MemRecord,
} from '../../src/protocol/records.js';

/** Reads `bytes` both ways: null when the byte reader declines, else both records. */
function bothWays(bytes: Buffer): { fromBytes: MemRecord; fromText: MemRecord | string } | null {
  const f = newRecordFields();
  const site = readRecordBytes(bytes, 0, bytes.length, f);
  if (site < 0) return null;
  f.text = bytes.toString('utf8', site, bytes.length); // as the front end interns it
  f.siteStart = 0;
  f.siteEnd = f.text.length;
  const text = bytes.toString('utf8');
  const g = newRecordFields();
  const problem = readRecord(text, 0, text.length, g);
  return { fromBytes: toRecord(f), fromText: problem ?? toRecord(g) };
}

const u32 = fc.nat({ max: 0xffffffff });
const number = fc.oneof(
  fc.nat().map(String),
  u32.map((n) => '0x' + n.toString(16)),
  u32.map((n) => '0X' + n.toString(16).toUpperCase()),
  u32.map((n) => '0x0x' + n.toString(16)),
  fc.constantFrom('', '0x', '0x0x', '0x0x0x1', '-1', ' 1', '1 ', '9007199254740991', '9007199254740992', '0x20000000000000', '1e3', 'ff', '٣'),
);
const site = fc.oneof(
  fc.constantFrom('src/a.c:1', 'x;y.c:4', 'src/ünï/cödé.c:22', 'lib/€uro.c:3', 'a\u0000b.c:1', ''),
  fc.string({ maxLength: 12 }),
);
const head = fc.oneof(fc.constantFrom(...RECORD_KINDS), fc.constantFrom(...RECORD_KINDS).map((k) => `${k}@h1`), fc.constantFrom('alloc ', 'Alloc', 'allocx', 'fre', ''));
/** Record texts of every shape, well formed or not. */
const recordText = fc.tuple(head, fc.array(number, { maxLength: 4 }), fc.option(site, { nil: undefined })).map(([h, nums, s]) =>
  [h, ...nums, ...(s === undefined ? [] : [s])].join(';'),
);

describe('the byte reader', () => {
  it('reads the kinds of the table with numeric fields and a site or nothing after them', () => {
    const expected = RECORD_KINDS.filter((k) => {
      const g = GRAMMAR[k];
      return g.qualifier === 'optional' && g.fields.length > 0 && g.fields.every(([, t]) => t !== 'what') && (g.tail === 'site' || g.tail === 'none');
    });
    expect([...BYTE_RECORD_KINDS].sort()).toEqual([...expected].sort());
    expect(BYTE_RECORD_KINDS).toEqual(expect.arrayContaining(['init', 'alloc', 'free']));
  });

  it('reads whatever it reads as readRecord does, and declines the rest', () => {
    fc.assert(
      fc.property(recordText, (text) => {
        const r = bothWays(Buffer.from(text, 'utf8'));
        if (r !== null) expect(r.fromBytes).toEqual(r.fromText);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads any bytes as readRecord reads their decoding, invalid UTF-8 included', () => {
    const bytes = fc.tuple(head, fc.uint8Array({ maxLength: 24 })).map(([h, b]) => Buffer.concat([Buffer.from(h + ';12;0x10;'), Buffer.from(b)]));
    fc.assert(
      fc.property(bytes, (b) => {
        const r = bothWays(b);
        if (r !== null) expect(r.fromBytes).toEqual(r.fromText);
      }),
      { numRuns: 3000 },
    );
  });

  it('never declines a well-formed record of its kinds on the default heap', () => {
    const addr = fc.oneof(u32, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    const plainSite = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trimEnd() === s && !/[\r\n]/.test(s) && !s.includes('==MP '));
    const record: fc.Arbitrary<MemRecord> = fc.oneof(
      fc.record({ kind: fc.constant('init' as const), address: addr, size: fc.nat() }),
      fc.record({ kind: fc.constantFrom('alloc' as const, 'persist' as const), size: fc.nat(), address: addr, site: plainSite }),
      fc.record({ kind: fc.constant('free' as const), address: addr, site: plainSite }),
      fc.record({ kind: fc.constant('fail' as const), size: fc.nat(), site: plainSite }),
      fc.record({ kind: fc.constant('resize' as const), address: addr, oldSize: fc.nat(), newSize: fc.nat(), site: plainSite }),
    );
    fc.assert(
      fc.property(record, (rec) => {
        const r = bothWays(Buffer.from(formatRecord(rec), 'utf8'));
        expect(r).not.toBeNull();
        expect(r!.fromBytes).toEqual(rec);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a number exactly when readNumberAt does: a size, and an address (0x0x accepted)', () => {
    fc.assert(
      fc.property(number, fc.boolean(), (text, address) => {
        const n = readNumberAt(text, 0, text.length, address);
        const r = bothWays(Buffer.from(address ? `free;${text};a.c:1` : `fail;${text};a.c:1`, 'utf8'));
        if (n === undefined || n === TOO_LARGE) expect(r).toBeNull();
        else expect(r?.fromBytes).toEqual(address ? { kind: 'free', address: n, site: 'a.c:1' } : { kind: 'fail', size: n, site: 'a.c:1' });
      }),
      { numRuns: 3000 },
    );
  });
});
