/**
 * The one report schema: whatever the writer writes reads back equal, every
 * report an earlier version wrote still reads, and what is not a report is
 * refused with the file and the field named.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestFacts } from '../../src/analyzer/facts.js';
import { judgeContext, judgeRun } from '../../src/judge/judge.js';
import { FAIL_ON_KINDS, policyFrom } from '../../src/judge/policy.js';
import { parseSuppressions } from '../../src/judge/suppressions.js';
import { mergeReports } from '../../src/report/merge.js';
import { parseReport, readReport } from '../../src/report/read.js';
import { ReportSchema } from '../../src/report/schema.js';
import { toJson } from '../../src/report/write.js';
import { analyzeText } from '../../src/analyzer/analyze.js';
import { makeResult, makeTest } from '../helpers/facts.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

const site = fc.constantFrom('src/a.c:1', 'lib/b;c.c:2', 'C:\\x\\y.c:3', 'odd site', '/abs/path.c:9');
const address = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
const blockArb = fc.record({ address, size: fc.nat({ max: 1 << 20 }), site, line: fc.nat({ max: 1e6 }) });
const freeArb = fc.oneof(
  fc.record({ kind: fc.constant('invalid-free' as const), address, site, line: fc.nat() }),
  fc.record({ kind: fc.constant('double-free' as const), address, site, line: fc.nat(), allocSite: site, firstFreeSite: site }),
);
const testArb: fc.Arbitrary<TestFacts> = fc
  .record({
    name: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null }),
    outcome: fc.constantFrom(null, 'passed', 'failed', 'skipped', 'xfail', 'xpass', 'error' as const),
    heapSize: fc.option(fc.integer({ min: 200, max: 32856 }), { nil: null }),
    peakBytes: fc.nat({ max: 32856 }),
    leaks: fc.array(blockArb, { maxLength: 3 }),
    reclaimed: fc.array(blockArb, { maxLength: 2 }),
    persistent: fc.array(blockArb, { maxLength: 2 }),
    freeErrors: fc.array(freeArb, { maxLength: 3 }),
    carried: fc.array(blockArb.map((b) => ({ ...b, freedBy: 'next', freeLine: 3 })), { maxLength: 2 }),
    layout: fc.option(
      fc.record({
        allocatedBytes: fc.nat(),
        overheadBytes: fc.integer({ min: -10, max: 1000 }),
        freeBytes: fc.nat(),
        freeBlocks: fc.nat(),
        largestFree: fc.nat(),
        fragmentation: fc.double({ min: 0, max: 1, noNaN: true }),
        headroom: fc.nat(),
      }),
      { nil: undefined },
    ),
  })
  .map(({ name, heapSize, peakBytes, layout, ...rest }) => {
    const t = makeTest(name, { heapSize, peakBytes, ...rest });
    if (layout !== undefined) t.layout = layout;
    return t;
  });

describe('the report schema', () => {
  it('reads back equal whatever the writer writes (any facts, policy and suppressions)', () => {
    fc.assert(
      fc.property(
        fc.array(testArb, { maxLength: 6 }),
        fc.subarray([...FAIL_ON_KINDS]),
        fc.constantFrom('', 'leak:src/*', 'free:lib/*\nleak:*'),
        (tests, kinds, rules) => {
          const report = judgeRun(makeResult(tests), judgeContext(policyFrom([kinds.join(',')], false), parseSuppressions(rules, 's')));
          const doc = toJson(report);
          const back = parseReport(JSON.stringify(doc), 'r.json');
          expect(back).toEqual(doc);
          // and the facts read back judge to the same document
          const again = judgeRun(mergeReports([readReport(back, 'r.json')]).facts, judgeContext(policyFrom([kinds.join(',')], false), parseSuppressions(rules, 's')));
          expect(toJson(again).tests.map((t) => [t.ok, t.leaks.length, t.suppressed.length])).toEqual(doc.tests.map((t) => [t.ok, t.leaks.length, t.suppressed.length]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a real run written today, with every addition', () => {
    const report = judgeRun(analyzeText(fixture('generated/mixed.log')), judgeContext());
    const doc = toJson(report);
    expect(ReportSchema.parse(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
    expect(doc.sites?.length).toBeGreaterThan(0);
    expect(doc.tests.some((t) => t.layout !== undefined && t.layout !== null)).toBe(true);
  });

  it.each(['v0.1.0-mixed.json', 'v0.1.0-verbose-suppressed.json', 'v0.1.0-mixed-baseline.json'])('reads %s, written by valground 0.1.0', (name) => {
    const doc = parseReport(fixture(`reports/${name}`), name);
    const read = readReport(doc, name);
    expect(read.facts.tests.length).toBe(doc.tests.length);
    expect(read.facts.recordsSeen).toBe(true);
    for (const t of read.facts.tests) expect(t.carried).toEqual([]);
  });

  it('keeps what 0.1.0 judged: its suppressions and regressions come back', () => {
    const read = readReport(parseReport(fixture('reports/v0.1.0-verbose-suppressed.json'), 's.json'), 's.json');
    expect(read.suppressions.map((s) => `${s.kind}:${s.pattern}`)).toEqual(['leak:src/settings.c:*', 'free:src/nav.c:60']);
    const merged = mergeReports([read]);
    const rules = merged.suppressions.map((s) => ({ kind: s.kind, pattern: s.pattern, origin: 'x' }));
    const again = judgeRun(merged.facts, judgeContext(policyFrom(['usage:50'], false), rules));
    expect(again.totals).toMatchObject({ leaks: 0, invalidFrees: 0, suppressed: 2 });
    const withBaseline = readReport(parseReport(fixture('reports/v0.1.0-mixed-baseline.json'), 'b.json'), 'b.json');
    expect(withBaseline.regressions.length).toBeGreaterThan(0);
  });

  it('starts with a UTF-8 BOM and still reads', () => {
    const text = '\ufeff' + JSON.stringify(toJson(judgeRun(makeResult([makeTest('a')]), judgeContext())));
    expect(parseReport(text, 'bom.json').tests[0].name).toBe('a');
  });
});
