import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../src/analyzer/merge.js';
import { parseReportJson, ReportFileError } from '../../src/analyzer/report-file.js';
import { defaultPolicy, judge } from '../../src/analyzer/verdict.js';
import { toJson } from '../../src/reporters/json.js';
import type { Report } from '../../src/analyzer/types.js';
import { block, doubleFree, makeReport, makeTest } from './helpers.js';

/** A shard as merge sees it: rendered by the JSON reporter, read back. */
function shard(report: Report, file: string) {
  return parseReportJson(JSON.stringify(toJson(report)), file);
}

const shardA = () =>
  makeReport([
    makeTest('tests/a.py::test_1', { total: 2, peakBytes: 300, allocations: 4, totalBytes: 400 }),
    makeTest('tests/a.py::test_2', { total: 2, peakBytes: 100, leaks: [block(40, 'src/s.c:9', 12, 0xda7a0010)] }),
  ]);
const shardB = () =>
  makeReport([makeTest('tests/b.py::test_3', { total: 1, peakBytes: 200, heapSize: 4096, freeErrors: [doubleFree('src/n.c:60')] })]);

describe('parseReportJson', () => {
  it('reads back what the JSON reporter writes', () => {
    const r = shardA();
    const loaded = shard(r, 'a.json');
    expect(loaded.result.tests[1].leaks).toEqual([block(40, 'src/s.c:9', 12, 0xda7a0010)]);
    expect(loaded.result.totals).toEqual(r.totals);
    expect(loaded.ok).toBe(false);
    expect(loaded.exitCode).toBe(1);
    expect(loaded.result.recordsSeen).toBe(true);
  });

  it('keeps suppressed leaks and free errors apart', () => {
    const r = makeReport([makeTest('x', { suppressed: [block(8, 'a.c:1')], suppressedFreeErrors: [doubleFree('b.c:2')] })]);
    const t = shard(r, 'x.json').result.tests[0];
    expect(t.suppressed).toHaveLength(1);
    expect(t.suppressedFreeErrors).toEqual([doubleFree('b.c:2')]);
  });

  it('names file and field of a bad report', () => {
    const json = toJson(shardA()) as unknown as { tests: Array<Record<string, unknown>> };
    json.tests[1].leaks = [{ address: 'nowhere', size: 1, site: 'a', line: 1 }];
    expect(() => parseReportJson(JSON.stringify(json), 'a.json')).toThrow(
      new ReportFileError('a.json', 'tests[1].leaks[0].address: expected an address such as "0xda7a0010"'),
    );
  });
});

describe('mergeReports', () => {
  it('concatenates tests, sums totals, maxes peaks; the verdict is recomputed', () => {
    const a = shardA();
    const b = shardB();
    const merged = mergeReports([shard(a, 'a.json'), shard(b, 'b.json')]);
    const r = merged.result;
    expect(r.tests.map((t) => [t.name, t.index, t.total])).toEqual([
      ['tests/a.py::test_1', 1, 3],
      ['tests/a.py::test_2', 2, 3],
      ['tests/b.py::test_3', 3, 3],
    ]);
    expect(r.totals.tests).toBe(3);
    expect(r.totals.allocations).toBe(a.totals.allocations + b.totals.allocations);
    expect(r.totals.leaks).toBe(1);
    expect(r.totals.doubleFrees).toBe(1);
    expect(r.totals.peakBytes).toBe(300);
    expect(r.totals.peakPercent).toBeCloseTo((200 / 4096) * 100);
    expect(r.leakSites).toEqual([{ site: 'src/s.c:9', count: 1, bytes: 40, tests: ['tests/a.py::test_2'] }]);

    const report = judge(r, defaultPolicy(), { regressions: merged.regressions });
    expect(report.verdict.exitCode).toBe(1);
    expect(report.tests.map((t) => t.ok)).toEqual([true, false, false]);
  });

  it('a merge of clean shards passes', () => {
    const clean = (n: string) => makeReport([makeTest(n)]);
    const merged = mergeReports([shard(clean('a::x'), 'a'), shard(clean('b::y'), 'b')]);
    expect(judge(merged.result, defaultPolicy()).verdict.exitCode).toBe(0);
  });

  it('keeps regressions, sums suppression counts, and reconciles baseline changes', () => {
    const a = makeReport([makeTest('a::x', { peakBytes: 20 })], defaultPolicy(), {
      regressions: [{ test: 'a::x', baselinePeakBytes: 10, peakBytes: 20, growthPercent: 100 }],
      baselineChanges: { added: ['a::x'], removed: ['b::y', 'c::gone'] },
      suppressionCounts: [{ pattern: 'lib/*', kind: 'leak', count: 2 }],
    });
    const b = makeReport([makeTest('b::y')], defaultPolicy(), {
      baselineChanges: { added: [], removed: ['a::x', 'c::gone'] },
      suppressionCounts: [{ pattern: 'lib/*', kind: 'leak', count: 3 }],
    });
    const json = (r: Report) => JSON.stringify({ ...toJson(r), baselineChanges: r.baselineChanges, suppressionCounts: r.suppressionCounts });
    const merged = mergeReports([parseReportJson(json(a), 'a'), parseReportJson(json(b), 'b')]);
    expect(merged.regressions).toHaveLength(1);
    expect(merged.suppressionCounts).toEqual([{ pattern: 'lib/*', kind: 'leak', count: 5 }]);
    expect(merged.baselineChanges).toEqual({ added: ['a::x'], removed: ['c::gone'] });
    expect(judge(merged.result, defaultPolicy(), { regressions: merged.regressions }).verdict.exitCode).toBe(1);
  });

  it('diagnostics say which shard they come from', () => {
    const a = makeReport([makeTest('a::x')]);
    a.diagnostics.push({ line: 7, kind: 'bad-record', message: 'unparseable record' });
    const merged = mergeReports([shard(a, 'shard-a.json')]);
    expect(merged.result.diagnostics).toEqual([{ line: 7, kind: 'bad-record', message: 'shard-a.json: unparseable record' }]);
  });
});
