/** Property tests: no input crashes the parser, the analyzer or the CLI core. */
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../helpers/analysis.js';
import { parseLine } from '../helpers/line-events.js';
import { judge, defaultPolicy } from '../../src/judge/index.js';
import { main } from '../../src/cli/main.js';
import { CompatEngine } from '../../src/reporters/compat.js';

const P = 'seproxyhal: printf: ==MP ';
const address = fc.integer({ min: 0, max: 15 }).map((i) => `0x${(0xda7a0064 + i * 8).toString(16)}`);
const site = fc.constantFrom('a.c:1', 'src/b.c:22', 'x;y.c:3', 'odd site:', '');
const recordLine = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 40000 })).map(([s]) => `${P}init;0xda7a0000;${s}`),
  fc.tuple(fc.integer({ min: 0, max: 300 }), address, site).map(([n, a, s]) => `${P}alloc;${n};${a};${s}`),
  fc.tuple(fc.integer({ min: 0, max: 300 }), address, site).map(([n, a, s]) => `${P}persist;${n};${a};${s}`),
  fc.tuple(address, site).map(([a, s]) => `${P}free;${a};${s}`),
  fc.tuple(fc.integer({ min: 0, max: 300 }), site).map(([n, s]) => `==MP fail;${n};${s}`),
  fc.string().map((s) => `==MP test;${s}`),
);
const structureLine = fc.oneof(
  fc.constantFrom(
    'collected 3 items',
    'collecting ... collected 2 items / 1 deselected / 1 selected',
    'PASSED [ 50%]',
    'FAILED',
    '.',
    'F.s',
    'tests/test_a.py ',
    '============================= test session starts ==============================',
    '=== 1 passed in 0.1s ===',
    'FAILED tests/t.py::test_a[x] - boom',
  ),
  fc.tuple(fc.constantFrom('tests/t.py::test_a', 'tests/t.py::T::test_b[p q]', 'tests/u.py::test_c[x]'), recordLine).map(
    ([id, rec]) => `${id} ${rec}`,
  ),
  fc.tuple(fc.constantFrom('.', 'F', 's', 'x'), recordLine).map(([c, rec]) => c + rec),
);
const anyLine = fc.oneof(recordLine, structureLine, fc.string(), fc.string({ unit: 'binary' }));

describe('properties', () => {
  it('parseLine never throws on arbitrary text, and events carry the line number', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), (line, n) => {
        for (const e of parseLine(line, n)) expect(e.line).toBe(n);
      }),
      { numRuns: 3000 },
    );
  });

  it('the analyzer never throws on arbitrary record sequences and keeps its books straight', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 120 }), (lines) => {
        const seen: number[] = [];
        const r = analyzeLines(lines, { onTest: (t) => seen.push(t.index) });
        // every test handed out exactly once
        expect(seen.length).toBe(r.tests.length);
        const t = r.totals;
        expect(t.leaks).toBe(r.tests.reduce((s, x) => s + x.leaks.length, 0));
        expect(t.doubleFrees + t.invalidFrees).toBe(r.tests.reduce((s, x) => s + x.freeErrors.length, 0));
        for (const test of r.tests) {
          expect(test.peakBytes).toBeGreaterThanOrEqual(0);
          if (test.peakPercent !== null) expect(test.heapSize).not.toBeNull();
        }
        const code = judge(r, defaultPolicy()).verdict.exitCode;
        expect([0, 1, 2]).toContain(code);
      }),
      { numRuns: 1500 },
    );
  });

  it('every allocation ends freed, leaked, reclaimed or persistent', () => {
    // unique addresses, no frees: each alloc must be accounted for exactly once
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('init'), fc.constant('alloc'), fc.constant('test')), { maxLength: 60 }), (ops) => {
        let next = 0;
        let t = 0;
        const lines = ops.map((op) =>
          op === 'init' ? `${P}init;0xda7a0000;4096` : op === 'test' ? `tests/t.py::test_${++t}[x] ` : `${P}alloc;8;0x${(0x1000 + 8 * next++).toString(16)};a.c:1`,
        );
        const r = analyzeLines(lines);
        const accounted = r.tests.reduce((s, x) => s + x.leaks.length + x.reclaimed.length, 0);
        expect(accounted).toBe(next);
      }),
      { numRuns: 1000 },
    );
  });

  it('the compat engine never throws and exits 0 or 1', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 80 }), fc.boolean(), (lines, quiet) => {
        const e = new CompatEngine({ quiet, colors: false });
        lines.forEach((l, i) => e.line(l, i + 1));
        expect(typeof e.finish()).toBe('string');
        expect([0, 1]).toContain(e.exitCode);
      }),
      { numRuns: 1500 },
    );
  });

  it('the CLI returns 0, 1 or 2 for arbitrary bytes, in every mode', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(anyLine.map((l) => Buffer.from(l + '\n')), fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a))), { maxLength: 40 }),
        fc.constantFrom([], ['--compat'], ['-q', '--strict'], ['--reporter', 'json']),
        async (chunks, args) => {
          const stdin = new PassThrough();
          stdin.end(Buffer.concat(chunks));
          const sink = () => new Writable({ write: (_c, _e, done) => done() });
          const code = await main(['-', ...args], { stdin, stdout: sink(), stderr: sink(), env: {} });
          expect([0, 1, 2]).toContain(code);
        },
      ),
      { numRuns: 300 },
    );
  });
});
