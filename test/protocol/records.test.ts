import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress, formatRecord, parseNumber, parseRecord, siteFile, siteLine, type MemRecord } from '../../src/protocol/records.js';

/** The grammar's number rule, said plainly. */
function reference(text: string): number | undefined {
  let n: number | undefined;
  if (/^[0-9]+$/.test(text)) n = Number(text);
  else if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

describe('record grammar', () => {
  it('reads decimal and 0x hexadecimal numbers, and nothing else', () => {
    const numberish = fc.stringMatching(/^(0[xX])?[0-9a-fA-FxX_+\- .ég]{0,12}$/);
    fc.assert(
      fc.property(fc.oneof(numberish, fc.string({ maxLength: 12 }), fc.nat().map(String), fc.nat().map((n) => '0x' + n.toString(16))), (text) => {
        expect(parseNumber(text)).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses numbers too large to hold exactly', () => {
    expect(parseNumber('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseNumber('18446744073709551617')).toBeUndefined();
    expect(parseNumber('0x1fffffffffffff')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseNumber('0x20000000000000')).toBeUndefined();
  });

  it('formats addresses as 0x%08x', () => {
    expect(formatAddress(0xda7a0064)).toBe('0xda7a0064');
    expect(formatAddress(0x64)).toBe('0x00000064');
    expect(formatAddress(0)).toBe('0x00000000');
  });

  it('splits a site into file and line at the last colon', () => {
    expect([siteFile('src/a.c:12'), siteLine('src/a.c:12')]).toEqual(['src/a.c', 12]);
    expect([siteFile('C:/x/y.c:7'), siteLine('C:/x/y.c:7')]).toEqual(['C:/x/y.c', 7]);
    expect([siteFile('nowhere'), siteLine('nowhere')]).toEqual(['nowhere', null]);
  });

  it('reads back every record it writes', () => {
    const site = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trimEnd() === s && !s.includes('\n'));
    const u32 = fc.nat({ max: 0xffffffff });
    const record: fc.Arbitrary<MemRecord> = fc.oneof(
      fc.record({ kind: fc.constant('init' as const), address: u32, size: fc.nat() }),
      fc.record({ kind: fc.constantFrom('alloc' as const, 'persist' as const), size: fc.nat(), address: u32, site }),
      fc.record({ kind: fc.constant('free' as const), address: u32, site }),
      fc.record({ kind: fc.constant('fail' as const), size: fc.nat(), site }),
      fc.record({ kind: fc.constant('test' as const), name: site }),
    );
    fc.assert(
      fc.property(record, (r) => {
        expect(parseRecord(formatRecord(r))).toEqual({ ok: true, record: r });
      }),
      { numRuns: 3000 },
    );
  });
});
