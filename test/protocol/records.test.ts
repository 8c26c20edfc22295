import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORRUPTION_KINDS, formatAddress, formatRecord, parseNumber, parseRecord, sdkErrorRecord, siteFile, siteLine, type MemRecord } from '../../src/protocol/records.js';

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

  it('reads back every record it writes, extensions and qualifiers included', () => {
    const site = fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((s) => s.trimEnd() === s && !/[\r\n]/.test(s) && !s.includes('==MP '));
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    const heap = fc.option(name, { nil: undefined });
    const u32 = fc.nat({ max: 0xffffffff });
    const addr = fc.oneof(u32, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    const withHeap = <T extends object>(r: T, h: string | undefined): T => (h === undefined ? r : { ...r, heap: h });
    const record: fc.Arbitrary<MemRecord> = fc.oneof(
      fc.tuple(fc.record({ kind: fc.constant('init' as const), address: addr, size: fc.nat() }), heap).map(([r, h]) => withHeap(r, h)),
      fc
        .tuple(fc.record({ kind: fc.constantFrom('alloc' as const, 'persist' as const), size: fc.nat(), address: addr, site }), heap)
        .map(([r, h]) => withHeap(r, h)),
      fc.tuple(fc.record({ kind: fc.constant('free' as const), address: addr, site }), heap).map(([r, h]) => withHeap(r, h)),
      fc.tuple(fc.record({ kind: fc.constant('fail' as const), size: fc.nat(), site }), heap).map(([r, h]) => withHeap(r, h)),
      fc
        .tuple(fc.record({ kind: fc.constant('resize' as const), address: addr, oldSize: fc.nat(), newSize: fc.nat(), site }), heap)
        .map(([r, h]) => withHeap(r, h)),
      fc
        .tuple(fc.record({ kind: fc.constant('corrupt' as const), address: addr, what: fc.constantFrom(...CORRUPTION_KINDS), site }), heap)
        .map(([r, h]) => withHeap(r, h)),
      fc.record({ kind: fc.constant('test' as const), name: site }),
      fc.record({ kind: fc.constant('pool' as const), pool: name, blockSize: fc.nat(), blocks: fc.nat(), parent: fc.option(name, { nil: null }) }),
      fc.record({ kind: fc.constant('overflow' as const), pool: name, blocks: fc.nat(), site }),
      fc.record({ kind: fc.constant('drop' as const), pool: name, site }),
      fc.record({ kind: fc.constant('ref' as const), pool: name, address: addr, count: fc.nat(), site }),
    );
    fc.assert(
      fc.property(record, (r) => {
        expect(parseRecord(formatRecord(r))).toEqual({ ok: true, record: r });
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses to write what would read back otherwise (§2.2)', () => {
    expect(() => formatRecord({ kind: 'alloc', size: 40, address: 0x10, site: '' })).toThrow(TypeError);
    expect(() => formatRecord({ kind: 'alloc', size: 40, address: 0x10, site: 'a.c:1\n==MP free;0x10;a.c:2' })).toThrow(TypeError);
    expect(() => formatRecord({ kind: 'free', address: 0x10, site: 'a.c:1\r' })).toThrow(TypeError);
    expect(() => formatRecord({ kind: 'test', name: 'one\ntwo' })).toThrow(TypeError);
    expect(() => formatRecord({ kind: 'alloc', heap: 'bad name', size: 1, address: 1, site: 'a.c:1' })).toThrow(TypeError);
    expect(() => formatRecord({ kind: 'pool', pool: 'p;q', blockSize: 1, blocks: 1, parent: null })).toThrow(TypeError);
    expect(() => formatRecord({ kind: 'alloc', size: -1, address: 1, site: 'a.c:1' })).toThrow(TypeError);
  });

  it('reads host addresses: glibc 0x0x prefixes and 64-bit values (§2.1)', () => {
    expect(parseRecord('alloc;10;0x0x55d3c2a1b040;a.c:1')).toEqual({
      ok: true,
      record: { kind: 'alloc', size: 10, address: 0x55d3c2a1b040, site: 'a.c:1' },
    });
    expect(parseRecord('init;0x0x556938312230;4096')).toMatchObject({ ok: true, record: { address: 0x556938312230 } });
    expect(parseRecord('free;0xffffffffffffffff;a.c:1')).toMatchObject({ ok: false, message: expect.stringMatching(/too large/) });
    expect(formatAddress(0x55d3c2a1b040)).toBe('0x55d3c2a1b040');
  });

  it('reads the SDK allocator\'s own error lines as corruption of the default heap', () => {
    expect(sdkErrorRecord('seproxyhal: printf: invalid size: header->size  = 3!')).toEqual({ kind: 'corrupt', address: null, what: 'header', site: null });
    expect(sdkErrorRecord('corrupted prev_chunk')).toEqual({ kind: 'corrupt', address: null, what: 'header', site: null });
    expect(sdkErrorRecord('invalid pointer passed to realloc: 0xda7a0068!')).toEqual({ kind: 'corrupt', address: 0xda7a0068, what: 'header', site: null });
    expect(sdkErrorRecord('an invalid argument')).toBeNull();
  });
});
