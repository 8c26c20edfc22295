import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareBaseline, growthPercent, parseMaxGrowth, peaksByName } from '../../src/judge/baseline.js';
import { loadBaseline } from '../../src/cli/report-load.js';
import { ReportFileError } from '../../src/report/read.js';
import { defaultPolicy } from '../../src/judge/policy.js';
import { toJson } from '../../src/report/write.js';
import { makeReport, makeTest } from '../helpers/facts.js';

const base = new Map<string | null, number>([
  ['t.py::test_a', 1000],
  ['t.py::test_b', 1000],
  ['t.py::test_gone', 500],
  [null, 10],
]);

function current(peaks: Record<string, number>) {
  return Object.entries(peaks).map(([name, peakBytes]) => ({ name: name === 'null' ? null : name, peakBytes }));
}

describe('compareBaseline', () => {
  it('fails growth over the allowance, not at or under it', () => {
    const c = compareBaseline({ peaks: base, maxGrowth: 10 }, current({ 't.py::test_a': 1100, 't.py::test_b': 1101, null: 10, 't.py::test_gone': 1 }));
    expect(c.regressions).toEqual([{ test: 't.py::test_b', baselinePeakBytes: 1000, peakBytes: 1101, growthPercent: 10.1 }]);
  });

  it('with the default allowance of 0, any growth fails and shrinking never does', () => {
    const c = compareBaseline({ peaks: base, maxGrowth: 0 }, current({ 't.py::test_a': 1001, 't.py::test_b': 900, null: 10, 't.py::test_gone': 500 }));
    expect(c.regressions.map((r) => r.test)).toEqual(['t.py::test_a']);
    expect(c.regressions[0].growthPercent).toBe(0.1);
  });

  it('lists new and gone tests without failing them', () => {
    const c = compareBaseline({ peaks: base, maxGrowth: 0 }, current({ 't.py::test_a': 1000, 't.py::test_b': 1000, 't.py::test_new': 99999 }));
    expect(c.regressions).toEqual([]);
    expect(c.added).toEqual(['t.py::test_new']);
    expect(c.removed).toEqual(['t.py::test_gone', '(outside any test)']);
  });

  it('compares activity outside tests too', () => {
    const c = compareBaseline({ peaks: base, maxGrowth: 50 }, current({ null: 20 }));
    expect(c.regressions).toEqual([{ test: null, baselinePeakBytes: 10, peakBytes: 20, growthPercent: 100 }]);
  });

  it('growth from a zero baseline has no percent (null: from nothing) and fails any allowance', () => {
    expect(growthPercent(0, 0)).toBe(0);
    expect(growthPercent(0, 8)).toBeNull();
    const c = compareBaseline({ peaks: new Map([['x', 0]]), maxGrowth: 1000 }, [{ name: 'x', peakBytes: 8 }]);
    expect(c.regressions[0].growthPercent).toBeNull();
  });

  it('keeps the highest peak of a name seen twice', () => {
    expect(peaksByName([{ name: 'x', peakBytes: 5 }, { name: 'x', peakBytes: 9 }, { name: 'x', peakBytes: 7 }])).toEqual(
      new Map([['x', 9]]),
    );
  });
});

describe('parseMaxGrowth', () => {
  it.each([
    ['0', 0],
    ['10', 10],
    ['2.5', 2.5],
    ['15%', 15],
    ['-1', undefined],
    ['abc', undefined],
    ['', undefined],
    ['1e3', undefined],
  ])('%j → %j', (text, expected) => {
    expect(parseMaxGrowth(text)).toBe(expected);
  });
});

describe('loadBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'valground-baseline-'));

  it('reads peaks from a JSON report', async () => {
    const report = makeReport([makeTest('t.py::a', { peakBytes: 123 }), makeTest(null, { peakBytes: 7 })]);
    const file = join(dir, 'main.json');
    writeFileSync(file, JSON.stringify(toJson(report)));
    const b = await loadBaseline(file);
    expect(b.peaks).toEqual(new Map<string | null, number>([['t.py::a', 123], [null, 7]]));
  });

  it.each([
    ['missing.json', null, /missing\.json: cannot read \(ENOENT\)/],
    ['bad.json', '{ not json', /bad\.json: not JSON/],
    ['other.json', '{"schema":"something/2","tests":[]}', /other\.json: not a valground JSON report \(schema "something\/2"/],
    ['array.json', '[1,2]', /array\.json: not a valground JSON report/],
    [
      'field.json',
      (() => {
        const json = toJson(makeReport([makeTest('x')]));
        return JSON.stringify({ ...json, tests: [{ ...json.tests[0], peakBytes: 'big' }] });
      })(),
      /field\.json: tests\[0\]\.peakBytes: expected a number/,
    ],
  ])('rejects %s clearly', async (name, content, message) => {
    const file = join(dir, name);
    if (content !== null) writeFileSync(file, content);
    const error = await loadBaseline(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportFileError);
    expect((error as Error).message).toMatch(message);
  });

  it('a report with regressions still loads (growth from zero is written as null)', async () => {
    const report = makeReport([makeTest('x', { peakBytes: 8 })], defaultPolicy(), {
      regressions: [{ test: 'x', baselinePeakBytes: 0, peakBytes: 8, growthPercent: null }],
    });
    const file = join(dir, 'reg.json');
    writeFileSync(file, JSON.stringify(toJson(report)));
    expect((await loadBaseline(file)).peaks.get('x')).toBe(8);
  });
});
