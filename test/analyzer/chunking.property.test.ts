/**
 * The findings do not depend on how the input arrives: cut into any chunks
 * (inside a CRLF, a multi-byte UTF-8 character or an ANSI sequence), and
 * with any number of unrelated output lines between the records.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeStream, analyzeText } from '../../src/analyzer/analyze.js';
import { judge } from '../../src/judge/index.js';
import { toJson } from '../../src/report/write.js';

const P = 'seproxyhal: printf: ==MP ';
const address = fc.integer({ min: 0, max: 12 }).map((i) => `0x${(0xda7a0064 + i * 16).toString(16)}`);
const site = fc.constantFrom('src/a.c:1', 'src/ünï/cödé.c:22', 'lib/€uro.c:3', 'x;y.c:4');
const ansi = (s: string) => `\x1b[1;32m${s}\x1b[0m`;
const record = fc.oneof(
  fc.constant(`${P}init;0xda7a0000;4096`),
  fc.tuple(fc.integer({ min: 1, max: 300 }), address, site).map(([n, a, s]) => `${P}alloc;${n};${a};${s}`),
  fc.tuple(address, site).map(([a, s]) => `${P}free;${a};${s}`),
  fc.tuple(fc.integer({ min: 1, max: 300 }), address, site).map(([n, a, s]) => ansi(`${P}persist;${n};${a};${s}`)),
);
const structure = fc.oneof(
  fc.constantFrom('collected 4 items', 'PASSED', 'FAILED [ 50%]', '=== 4 passed in 0.1s ==='),
  fc.tuple(fc.constantFrom('tests/t.py::test_a[x]', 'tests/t.py::test_b', 'tests/u.py::T::test_c[p q]'), record).map(([id, r]) => `${id} ${r}`),
);
const logLines = fc.array(fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: structure }), { minLength: 1, maxLength: 60 });
/** Output that is neither a record nor a runner's structure. */
const noise = fc.constantFrom('apdu: => e0010000', 'werkzeug: 127.0.0.1 - - "POST /apdu" 200', '[info] écran «Review» affiché', 'speculos: launcher: ok');

/** Everything the judge says, without line numbers (inserted lines shift them). */
function findings(text: string | ReturnType<typeof analyzeText>) {
  const facts = typeof text === 'string' ? analyzeText(text) : text;
  const doc = { ...toJson(judge(facts)), diagnostics: facts.diagnostics.map((d) => d.kind) }; // messages quote line numbers
  return JSON.parse(JSON.stringify(doc, (k, v) => (k === 'line' || k === 'startLine' || k === 'freeLine' || k === 'linesRead' ? undefined : v)));
}

/** The bytes of `text` cut at the given fractions. */
function chunks(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of at) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  out.push(bytes.subarray(prev));
  return out.filter((b) => b.length > 0);
}

describe('chunking and noise', () => {
  it('gives the same report however the bytes are cut (CRLF, UTF-8 and ANSI split)', async () => {
    await fc.assert(
      fc.asyncProperty(logLines, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), fc.boolean(), async (lines, cuts, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
        const bytes = Buffer.from(text, 'utf8');
        const whole = toJson(judge(analyzeText(text)));
        const streamed = toJson(judge(await analyzeStream(Readable.from(chunks(bytes, cuts)))));
        expect(streamed).toEqual(whole);
        // one byte at a time, the worst case for every boundary
        if (bytes.length < 400) expect(toJson(judge(await analyzeStream(Readable.from([...bytes].map((b) => Buffer.from([b]))))))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same findings however many unrelated lines are inserted between records', () => {
    fc.assert(
      fc.property(logLines, fc.array(fc.tuple(fc.nat(), noise), { maxLength: 40 }), (lines, inserts) => {
        const noisy = [...lines];
        for (const [at, line] of inserts) noisy.splice(at % (noisy.length + 1), 0, line);
        expect(findings(noisy.join('\n'))).toEqual(findings(lines.join('\n')));
      }),
      { numRuns: 300 },
    );
  });
});
