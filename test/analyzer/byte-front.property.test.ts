/**
 * The byte front end and the general string path give the same analysis:
 * on every fixture, and on generated logs cut into random chunks at the
 * framer's boundaries — CRLF split across reads, a record at the very end
 * without newline, lines longer than the read buffer or cut at
 * --max-line-bytes, NUL bytes, invalid and multi-byte UTF-8 in sites, ANSI
 * codes, several records on a line, CTest `N: ` prefixes, logger lines the
 * harness lets the front end skip and those it must read (pytest's glued
 * results, Unity and TAP result lines).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile, analyzeStream, type StreamOptions } from '../../src/analyzer/analyze.js';
import type { AnalysisFacts } from '../../src/analyzer/facts.js';
import { HARNESS_NAMES } from '../../src/harness/index.js';
import { judge } from '../../src/judge/index.js';
import { toJson } from '../../src/report/write.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'valground-byte-front-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function logsUnder(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const p = join(path, name);
    return statSync(p).isDirectory() ? logsUnder(p) : name.endsWith('.log') ? [p] : [];
  });
}

/** The same analysis, as the report says it and as the facts are. */
function expectSame(bytes: AnalysisFacts, general: AnalysisFacts): void {
  expect(toJson(judge(bytes))).toEqual(toJson(judge(general)));
  expect(bytes).toEqual(general);
}

function chunked(data: Buffer, cuts: number[]): Readable {
  const at = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of at) {
    if (c > prev) out.push(data.subarray(prev, c));
    prev = c;
  }
  if (prev < data.length) out.push(data.subarray(prev));
  return Readable.from(out);
}

async function bothPaths(data: Buffer, cuts: number[], options: StreamOptions = {}): Promise<void> {
  const bytes = await analyzeStream(chunked(data, cuts), { ...options, byteFrontEnd: true });
  const general = await analyzeStream(chunked(data, cuts), { ...options, byteFrontEnd: false });
  expectSame(bytes, general);
}

const b = (s: string) => Buffer.from(s, 'utf8');
const P = 'seproxyhal: printf: ==MP ';
const address = fc.integer({ min: 0, max: 12 }).map((i) => `0x${(0xda7a0064 + i * 16).toString(16)}`);
/** Sites as bytes: mostly plain (the byte path's), then multi-byte and invalid UTF-8, NUL, ANSI, markers and white space where they change the reading. */
const site = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('src/a.c:1', 'src/parser/tlv.c:91', 'x;y.c:4', 'src/ünï/cödé.c:22', 'lib/€uro.c:3', 'a\u0000b.c:5').map(b) },
  { weight: 2, arbitrary: fc.constantFrom('src/a.c:1 ', 'src/a.c:1\r', 'src/a.c:1\r ', 'a.c:2\rb', 'a==MP', 'a==MP b', 'a ==MP b').map(b) },
  { weight: 1, arbitrary: fc.constantFrom('src/\x1b[1mbold.c:7\x1b[0m', 'nbsp.c:8\u00a0', 'bom.c:9\ufeff', 'csi\u009b.c:1').map(b) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98])
      .map((bad) => Buffer.concat([b('src/bad'), Buffer.from(bad), b('.c:3')])),
  },
  { weight: 1, arbitrary: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82]).map((bad) => Buffer.concat([b('src/end.c:4'), Buffer.from(bad)])) },
);
const size = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 300 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0x20', '0', '', '-1', '4294967296', '9007199254740993') },
);
const heap = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('@h1') });
const record = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(heap, fc.constantFrom('4096', '64', '0x1000')).map(([h, n]) => b(`init${h};0xda7a0000;${n}`)) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('alloc', 'alloc', 'persist'), heap, size, address, site).map(([k, h, n, a, s]) => Buffer.concat([b(`${k}${h};${n};${a};`), s])) },
  { weight: 3, arbitrary: fc.tuple(heap, address, site).map(([h, a, s]) => Buffer.concat([b(`free${h};${a};`), s])) },
  { weight: 1, arbitrary: fc.tuple(size, site).map(([n, s]) => Buffer.concat([b(`fail;${n};`), s])) },
  { weight: 1, arbitrary: fc.tuple(address, size, site).map(([a, n, s]) => Buffer.concat([b(`resize;${a};8;${n};`), s])) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('corrupt;0xda7a0064;header;a.c:1', 'test;named', 'pool@p;16;4', 'alloc@p;16;0xda7a0100;p.c:1', 'free;0x0x00000064;host.c:1', 'bogus;1;2').map(b),
  },
);
const prefix = fc.oneof(
  { weight: 8, arbitrary: fc.constant(P) },
  { weight: 2, arbitrary: fc.constant('==MP ') },
  { weight: 2, arbitrary: fc.constantFrom('3: ' + P, '12: ==MP ', ' ' + P, 'seproxyhal: printf:  ==MP ', '\x1b[32m' + P) },
);
const recordLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(prefix, record).map(([p, r]) => Buffer.concat([b(p), r])) },
  { weight: 1, arbitrary: fc.tuple(record, record).map(([r1, r2]) => Buffer.concat([b(P), r1, b(' ==MP '), r2])) },
);
/** Output with no record: what the front end may skip (loggers) and what it must not. */
const noise = fc.constantFrom(
  'apdu: => e0010000',
  'apdu: <= 9000',
  'werkzeug: 127.0.0.1 - - [22/Nov/2026 01:02:03] "POST /apdu HTTP/1.1" 200 -',
  'INFO:ragger.backend:Sending APDU e006000000',
  'seproxyhal.packet: received (tag: 0x66, size: 0x20)',
  'seproxyhal: printf: Processing APDU INS=0xf5',
  'speculos: launcher: ok',
  'apdu:',
  'apdu:\t',
  'apdu::x',
  'PASSEDapdu: => e001',
  '.apdu: => e001',
  'sapdu: x',
  'ERROR:root:boom',
  'ok: fine',
  'unity: test/t.c:12:test_a:PASS',
  'log: invalid pointer passed to realloc: 0xda7a0064',
  'log: corrupted prev_chunk',
  'x: invalid size: header->size = 12',
  'name: a\rPASSED',
  'dbg: \x1b[1mbold\x1b[0m',
  '[info] écran «Review» affiché',
);
const structure = fc.constantFrom(
  '============================= test session starts ==============================',
  'collecting ... collected 4 items',
  'tests/t.py::test_a[x] ',
  'tests/t.py::test_b PASSED [ 50%]',
  'PASSED [ 50%]',
  'FAILED',
  'tests/t.py .F',
  '=== 2 passed in 0.1s ===',
  'Test project /build',
  '    Start 3: suite',
  '3: [ RUN      ] A.b',
  '3: [       OK ] A.b (0 ms)',
  '3: apdu: => e0',
  '1/2 Test  #3: suite ...............   Passed    0.01 sec',
  'test/t.c:12:test_a:PASS',
  'test/t.c:20:test_b:FAIL: boom',
  '5 Tests 1 Failures 0 Ignored',
  'ok 1 - alpha',
  'not ok 2 - beta # TODO later',
  '1..2',
  '[ RUN      ] A.c',
  '[  FAILED  ] A.c (1 ms)',
);
const line = fc.oneof(
  { weight: 6, arbitrary: recordLine },
  { weight: 2, arbitrary: noise.map(b) },
  { weight: 2, arbitrary: structure.map(b) },
  { weight: 1, arbitrary: fc.tuple(structure, recordLine).map(([s, r]) => Buffer.concat([b(s + ' '), r])) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a).filter((x) => x !== 0x0a) as Buffer) },
);
const log = fc
  .tuple(fc.array(line, { minLength: 1, maxLength: 50 }), fc.boolean(), fc.boolean())
  .map(([lines, crlf, lastNewline]) => {
    const eol = b(crlf ? '\r\n' : '\n');
    const parts = lines.flatMap((l, i) => (i < lines.length - 1 || lastNewline ? [l, eol] : [l]));
    return Buffer.concat(parts);
  });
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

describe('byte front end and general path', () => {
  it.each(logsUnder(join(ROOT, 'fixtures')).map((p) => [p.slice(ROOT.length), p]))('agree on %s', async (_name, path) => {
    expectSame(await analyzeFile(path, { byteFrontEnd: true }), await analyzeFile(path, { byteFrontEnd: false }));
  });

  it('agree on generated logs, however they are cut into chunks', async () => {
    await fc.assert(fc.asyncProperty(log, cuts, async (data, at) => bothPaths(data, at)), { numRuns: 400 });
  });

  it('agree under every --harness', async () => {
    await fc.assert(
      fc.asyncProperty(log, cuts, fc.constantFrom(...HARNESS_NAMES, 'auto' as const), async (data, at, harness) => bothPaths(data, at, { harness })),
      { numRuns: 200 },
    );
  });

  it('agree when lines are cut at --max-line-bytes', async () => {
    await fc.assert(
      fc.asyncProperty(log, cuts, fc.integer({ min: 8, max: 90 }), async (data, at, maxLineBytes) => bothPaths(data, at, { maxLineBytes })),
      { numRuns: 200 },
    );
  });

  it('agree one byte at a time', async () => {
    await fc.assert(
      fc.asyncProperty(log, async (data) => {
        const cutsEverywhere = Array.from({ length: Math.min(data.length, 400) }, (_, i) => i / data.length);
        await bothPaths(data, cutsEverywhere);
      }),
      { numRuns: 40 },
    );
  });

  it('agree on a file with lines longer than the read buffer', async () => {
    const path = join(dir, 'long.log');
    const long = 'x'.repeat(200_000);
    const text = [
      `${P}init;0xda7a0000;4096`,
      `${P}alloc;8;0xda7a0064;src/a.c:1`,
      `apdu: ${long}`,
      `${P}alloc;9;0xda7a0074;src/${long}.c:2`,
      `${P}free;0xda7a0064;src/a.c:1 ==MP alloc;3;0xda7a0100;b.c:3`,
      `${P}alloc;7;0xda7a0200;end.c:4`,
    ].join('\r\n');
    writeFileSync(path, text);
    for (const maxLineBytes of [undefined, 100_000, 64]) {
      expectSame(await analyzeFile(path, { byteFrontEnd: true, maxLineBytes }), await analyzeFile(path, { byteFrontEnd: false, maxLineBytes }));
    }
  });
});
