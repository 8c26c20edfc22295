import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer, utf8Boundary } from '../../src/analyzer/frame.js';

interface Framed {
  lines: Array<[string, number]>;
  cuts: Array<[number, number]>;
}

function frame(chunks: Uint8Array[], maxLineBytes?: number): Framed {
  const out: Framed = { lines: [], cuts: [] };
  const framer = new LineFramer({
    maxLineBytes,
    onLine: (text, n) => out.lines.push([text, n]),
    onCut: (n, dropped) => out.cuts.push([n, dropped]),
  });
  for (const c of chunks) framer.push(c);
  framer.end();
  return out;
}

const decoder = new TextDecoder('utf-8');

/** The reference: split the whole input at \n, decode each line, cut long ones by the documented rule. */
function reference(bytes: Uint8Array, max = Infinity): Framed {
  const out: Framed = { lines: [], cuts: [] };
  let start = 0;
  const take = (end: number) => {
    const n = out.lines.length + 1;
    const length = end - start;
    if (length <= max) {
      out.lines.push([decoder.decode(bytes.subarray(start, end)), n]);
    } else {
      const kept = utf8Boundary(bytes, start, max, bytes[start + max]);
      out.lines.push([decoder.decode(bytes.subarray(start, start + kept)), n]);
      out.cuts.push([n, length - kept]);
    }
  };
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      take(i);
      start = i + 1;
    }
  }
  if (start < bytes.length) take(bytes.length);
  return out;
}

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p)); // empty chunks included: they must change nothing
    prev = p;
  }
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);

/** Pieces of test output: records, CRLF, NUL, multi-byte characters, stray and invalid bytes. */
const piece = fc.oneof(
  fc.constantFrom(
    '\n',
    '\r\n',
    '\r',
    '\0',
    'é',
    '€',
    '😀',
    'seproxyhal: printf: ==MP alloc;40;0xda7a0064;src/a.c:1',
    '==MP free;0xda7a0064;src/a.c:2',
  ).map(enc),
  fc.string({ maxLength: 12 }).map(enc),
  fc.uint8Array({ maxLength: 8 }), // anything, invalid UTF-8 included
  fc.constantFrom([0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xff], [0xed, 0xa0, 0x80]).map((b) => Uint8Array.from(b)),
);
const input = fc.array(piece, { maxLength: 40 }).map((ps) => Uint8Array.from(ps.flatMap((p) => [...p])));
const cutPoints = fc.array(fc.nat(), { maxLength: 12 });

describe('LineFramer', () => {
  it('any chunking gives the lines of a plain split (CRLF, NUL, invalid and split UTF-8, no final newline)', () => {
    fc.assert(
      fc.property(input, cutPoints, (bytes, cuts) => {
        expect(frame(chunked(bytes, cuts))).toEqual(reference(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('a line past the cap is cut there, on a character boundary, and the rest reported — however it is chunked', () => {
    fc.assert(
      fc.property(input, cutPoints, fc.integer({ min: 4, max: 40 }), (bytes, cuts, max) => {
        expect(frame(chunked(bytes, cuts), max)).toEqual(reference(bytes, max));
      }),
      { numRuns: 2000 },
    );
  });

  it('the cut keeps a prefix of the text, never half a character, at most 3 bytes short of the cap', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.integer({ min: 4, max: 50 }), (text, max) => {
        const bytes = enc(text);
        fc.pre(bytes.length > max && !text.includes('\uFFFD')); // a U+FFFD of the text's own is no half character
        const { lines, cuts } = frame([bytes], max);
        const kept = lines[0][0];
        expect(text.startsWith(kept)).toBe(true);
        expect(kept).not.toContain('\uFFFD');
        const keptBytes = enc(kept).length;
        expect(keptBytes).toBeGreaterThan(max - 4);
        expect(keptBytes).toBeLessThanOrEqual(max);
        expect(cuts).toEqual([[1, bytes.length - keptBytes]]);
      }),
    );
  });

  it('a CRLF split across reads keeps its \\r in the line', () => {
    expect(frame([enc('a\r'), enc('\nb')]).lines).toEqual([
      ['a\r', 1],
      ['b', 2],
    ]);
  });

  it('a record at the very end without newline is delivered at end()', () => {
    const lines: string[] = [];
    const framer = new LineFramer({ onLine: (t) => lines.push(t) });
    framer.push(enc('x\n==MP free;0xda7a0064;a.c:2'));
    expect(lines).toEqual(['x']);
    framer.end();
    expect(lines).toEqual(['x', '==MP free;0xda7a0064;a.c:2']);
  });

  it('a line longer than the read buffer and chunks, then the cap: lines after it still come, numbered', () => {
    const chunk = new Uint8Array(65536).fill(0x78);
    const lines: Array<[number, number]> = [];
    const cuts: Array<[number, number]> = [];
    const framer = new LineFramer({ maxLineBytes: 1 << 20, onLine: (t, n) => lines.push([t.length, n]), onCut: (n, d) => cuts.push([n, d]) });
    framer.push(enc('head\n==MP alloc;8;0x1;a.c:1 '));
    for (let i = 0; i < 1000; i++) framer.push(chunk); // 64 MB, never held
    framer.push(enc('\nnext\n'));
    framer.end();
    const first = '==MP alloc;8;0x1;a.c:1 '.length;
    expect(lines).toEqual([
      [4, 1],
      [1 << 20, 2],
      [4, 3],
    ]);
    expect(cuts).toEqual([[2, first + 1000 * 65536 - (1 << 20)]]);
  });

  it('a cut line without newline at the end of input is still reported', () => {
    expect(frame([enc('abcdefghij')], 4)).toEqual({ lines: [['abcd', 1]], cuts: [[1, 6]] });
  });

  it('onBytes sees the bytes first and may consume the line', () => {
    const seen: string[] = [];
    const lines: string[] = [];
    const framer = new LineFramer({
      onLine: (t) => lines.push(t),
      onBytes: (buf, start, end, n) => {
        seen.push(`${n}:${Buffer.from(buf.subarray(start, end)).toString('latin1')}`);
        return buf[start] === 0x3d; // consumes lines starting with '='
      },
    });
    framer.push(enc('==MP x\nplain\n=y'));
    framer.end();
    expect(seen).toEqual(['1:==MP x', '2:plain', '3:=y']);
    expect(lines).toEqual(['plain']);
  });

  it('refuses a cap too small to hold a character', () => {
    expect(() => new LineFramer({ maxLineBytes: 3, onLine: () => undefined })).toThrow(RangeError);
  });
});
