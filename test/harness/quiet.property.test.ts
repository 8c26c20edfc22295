/**
 * `quietBytes`: a line the harness calls quiet (the analyzer's byte front
 * end then skips it unread) is one that reading would turn into its input
 * alone, changing nothing — so a harness that skips every such line says
 * exactly what one that reads them all says, for every other line and at
 * the end. For every `--harness` choice, on real lines of every runner,
 * logger lines, and lines glued or bent the ways real logs bend them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine, createHarness, HARNESS_NAMES, type HarnessEvent } from '../../src/harness/index.js';
import { LoggerLines } from '../../src/harness/logger-lines.js';
import { fixturePath } from '../helpers/cli.js';

const loggers = [
  'apdu: => e0010000',
  'apdu: <= 9000',
  'apdu:',
  'werkzeug: 127.0.0.1 - - "POST /apdu HTTP/1.1" 200 -',
  'INFO:ragger.backend:Sending APDU e006000000',
  'ERROR:root:boom',
  'seproxyhal.packet: received',
  'seproxyhal: printf: Processing APDU',
  'speculos: launcher: ok',
  'ok: fine',
  'Start: now',
  'TAP: version 14',
  'Test: project',
  'unity: t.c:12:test_a:PASS',
  'unity: t.c:12:test_a:IGNORE',
  'x: y.c:3:test_b:FAIL: no',
  'collected: 3 items',
  'no: tests ran in 0.1s',
  'PASSEDapdu: => e001',
  'sapdu: x',
  'xfail: x',
  'Foo: bar',
];
const real = [
  ...readdirSync(fixturePath('harnesses'))
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) => readFileSync(fixturePath(`harnesses/${f}`), 'utf8').split('\n')),
  ...loggers,
];
const unique = [...new Set(real)];
const glued = fc.tuple(fc.constantFrom('.', 'F', 'E', 's', 'x', 'PASSED', 'FAILED', '3: ', '  '), fc.constantFrom(...loggers)).map(([a, l]) => a + l);
const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...unique) },
  { weight: 4, arbitrary: fc.constantFrom(...loggers) },
  { weight: 2, arbitrary: glued },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...loggers), fc.constantFrom(' ', '\t', '\u00a0', '  x')).map(([l, t]) => l + t) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
/** A line, or (false) a record line read through `recordLine`. */
const step = fc.oneof({ weight: 8, arbitrary: line }, { weight: 1, arbitrary: fc.constant(false as const) });

/** The analyzer asks only about lines with no record, SDK error text, ANSI code or carriage return. */
function mayAsk(text: string): boolean {
  return !/==MP |invalid|corrupted prev_chunk|[\x1b\x9b\r]/.test(text);
}

describe('quiet lines', () => {
  it.each([...HARNESS_NAMES, 'auto' as const])('skipping what --harness %s calls quiet changes nothing it says', (name) => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const reads = createHarness(name);
        const skips = createHarness(name);
        for (const s of steps) {
          const a: HarnessEvent[] = [];
          const b: HarnessEvent[] = [];
          if (s === false) {
            expect(skips.recordLine(b)).toEqual(reads.recordLine(a));
            expect(b).toEqual(a);
            continue;
          }
          const text = cleanLine(s);
          const bytes = Buffer.from(s, 'utf8');
          reads.line(text, 1, a);
          if (mayAsk(s) && text !== '' && skips.quietBytes(bytes, 0, bytes.length)) {
            expect(a).toEqual([{ type: 'input', lane: expect.any(String), text }]);
            continue;
          }
          skips.line(text, 1, b);
          expect(b).toEqual(a);
        }
        const a: HarnessEvent[] = [];
        const b: HarnessEvent[] = [];
        reads.end(a);
        skips.end(b);
        expect(b).toEqual(a);
        expect(skips.seen()).toEqual(reads.seen());
      }),
      { numRuns: 500 },
    );
  });

  it('the front end does skip the usual logger lines once pytest knows them', () => {
    const h = createHarness('auto');
    const quiet = (s: string) => h.quietBytes(Buffer.from(s), 0, Buffer.byteLength(s));
    h.line('============================= test session starts ==============================', 1, []);
    expect(quiet('apdu: => e001')).toBe(false); // pytest learns the logger from it
    h.line('apdu: => e001', 2, []);
    expect(quiet('apdu: <= 9000')).toBe(true);
    expect(quiet('INFO:ragger.backend:Sending')).toBe(true);
    expect(quiet('PASSEDapdu: x')).toBe(false);
    expect(quiet('tests/t.py::test_a')).toBe(false);
  });
});

describe('logger line heads', () => {
  it('reads NAME: and says whether pytest would learn NAME from it', () => {
    const heads = new LoggerLines();
    const read = (s: string) => {
      const l = heads.read(Buffer.from(s), 0, Buffer.byteLength(s));
      return l === null ? null : { name: l.name, logger: l.logger };
    };
    expect(read('apdu: => e0')).toEqual({ name: 'apdu', logger: true });
    expect(read('apdu:')).toEqual({ name: 'apdu', logger: true });
    expect(read('apdu:\t ')).toEqual({ name: 'apdu', logger: true });
    expect(read('INFO:ragger:x')).toEqual({ name: 'INFO', logger: false });
    expect(read('a.b-c_d9: x')).toEqual({ name: 'a.b-c_d9', logger: true });
    expect(read('tests/t.py::test_a')).toBeNull();
    expect(read('apdu::x')).toBeNull();
    expect(read('9: x')).toBeNull();
    expect(read('-x: y')).toBeNull();
    expect(read('no colon')).toBeNull();
  });

  it('keeps a bounded number of names', () => {
    const heads = new LoggerLines();
    for (let i = 0; i < 500; i++) expect(heads.read(Buffer.from(`n${i}: x`), 0, `n${i}: x`.length)?.name).toBe(`n${i}`);
  });
});
