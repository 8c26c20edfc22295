/**
 * Property tests: no line makes an adapter throw, and what it says is well
 * formed — for each adapter alone and for every `--harness` choice through
 * the analyzer. Lines are real ones from every sample, bent (CTest prefixes,
 * indentation, cut short) and mixed with arbitrary text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CtestAdapter } from '../../src/harness/ctest.js';
import { createHarness, HARNESS_NAMES } from '../../src/harness/index.js';
import { PytestAdapter } from '../../src/harness/pytest.js';
import { RecordsAdapter } from '../../src/harness/records-only.js';
import { RunFamilyAdapter } from '../../src/harness/run-family.js';
import { TapAdapter } from '../../src/harness/tap.js';
import { UnityAdapter } from '../../src/harness/unity.js';
import { OUTCOMES, type Adapter, type HarnessEvent } from '../../src/harness/types.js';
import { cleanLine } from '../../src/harness/clean.js';
import { analyzeLines } from '../helpers/analysis.js';
import { fixturePath } from '../helpers/cli.js';

const real = [
  ...readdirSync(fixturePath('harnesses'))
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) => readFileSync(fixturePath(`harnesses/${f}`), 'utf8').split('\n')),
  'TAP version 14',
  '# Subtest: heap',
  '    ok 1 - grows',
  '      ---',
  '      ...',
  'Bail out! gone',
  '    Start 3: t',
  '3/3 Test #3: t ....***Exception: SegFault  0.01 sec',
  '!!!!!!!!!! stopping after 1 failures !!!!!!!!!!',
  'ERROR at teardown of tests/t.py::test_a',
];
const uniqueReal = [...new Set(real)];

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...uniqueReal) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(...uniqueReal)).map(([n, l]) => `${n}: ${l}`) },
  { weight: 1, arbitrary: fc.tuple(fc.nat({ max: 12 }), fc.constantFrom(...uniqueReal)).map(([n, l]) => ' '.repeat(n) + l) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...uniqueReal), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))) },
  { weight: 2, arbitrary: fc.string({ maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
);
/** A line, and whether a record was read from it (the analyzer's activity call). */
const step = fc.tuple(line, fc.boolean());

const adapters: [string, () => Adapter][] = [
  ['pytest', () => new PytestAdapter()],
  ['gtest/cmocka', () => new RunFamilyAdapter()],
  ['ctest', () => new CtestAdapter()],
  ['unity', () => new UnityAdapter()],
  ['tap', () => new TapAdapter()],
  ['records', () => new RecordsAdapter()],
];

function wellFormed(e: HarnessEvent): void {
  if ('lane' in e) expect(typeof e.lane).toBe('string');
  if (e.type === 'outcome' || e.type === 'outcome-of') expect(OUTCOMES).toContain(e.outcome);
  if (e.type === 'test-end' && e.outcome !== null) expect(OUTCOMES).toContain(e.outcome);
  if (e.type === 'plan') expect(Number.isSafeInteger(e.count) && e.count >= 0).toBe(true);
  if (e.type === 'test-start' && e.name !== null) expect(e.name.length).toBeGreaterThan(0);
}

describe('adapters never throw on arbitrary lines', () => {
  for (const [name, make] of adapters) {
    it(`${name}: every line gives well-formed events, its own text among the inputs`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
          const a = make();
          for (const [raw, active] of steps) {
            const text = cleanLine(raw);
            const out: HarnessEvent[] = [];
            a.line(text, 1, out);
            out.forEach(wellFormed);
            // an adapter may strip its own prefix (CTest), never lose the rest of a line
            expect(out.some((e) => e.type === 'input' && text.endsWith(e.text))).toBe(true);
            if (active) {
              const pre: HarnessEvent[] = [];
              a.activity(out.find((e) => e.type === 'input')?.lane ?? '', pre);
              pre.forEach(wellFormed);
            }
          }
          const end: HarnessEvent[] = [];
          a.end(end);
          end.forEach(wellFormed);
          a.seen();
        }),
        { numRuns: 400 },
      );
    });
  }

  it('every --harness choice, through the analyzer: each test handed out once', () => {
    fc.assert(
      fc.property(fc.constantFrom('auto' as const, ...HARNESS_NAMES), fc.array(line, { maxLength: 120 }), (harness, lines) => {
        let handed = 0;
        const r = analyzeLines(lines, { harness, onTest: () => handed++ });
        expect(handed).toBe(r.tests.length);
        expect(r.totals.tests).toBe(r.tests.filter((t) => t.name !== null).length);
        createHarness(harness).seen();
      }),
      { numRuns: 600 },
    );
  });
});
