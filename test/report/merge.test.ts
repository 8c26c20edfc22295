import { describe, expect, it } from 'vitest';
import { judgeContext, judgeRun } from '../../src/judge/judge.js';
import { defaultPolicy } from '../../src/judge/policy.js';
import { parseSuppressions } from '../../src/judge/suppressions.js';
import type { JudgedReport } from '../../src/judge/types.js';
import { mergeReports } from '../../src/report/merge.js';
import { parseReport, readReport, ReportFileError } from '../../src/report/read.js';
import { toJson } from '../../src/report/write.js';
import { block, doubleFree, makeReport, makeTest } from '../helpers/facts.js';

/** A shard as merge sees it: written by the JSON reporter, read back. */
function shard(report: JudgedReport, file: string, extra: object = {}) {
  return readReport(parseReport(JSON.stringify({ ...toJson(report), ...extra }), file), file);
}

/** The merged facts judged as `valground merge` judges them. */
function judgeMerged(merged: ReturnType<typeof mergeReports>) {
  const rules = merged.suppressions.map((s) => ({ kind: s.kind, pattern: s.pattern, origin: 'merged' }));
  return judgeRun(merged.facts, judgeContext(defaultPolicy(), rules, null, merged.regressions));
}

const shardA = () =>
  makeReport([
    makeTest('tests/a.py::test_1', { total: 2, peakBytes: 300, allocations: 4, totalBytes: 400 }),
    makeTest('tests/a.py::test_2', { total: 2, peakBytes: 100, leaks: [block(40, 'src/s.c:9', 12, 0xda7a0010)] }),
  ]);
const shardB = () =>
  makeReport([makeTest('tests/b.py::test_3', { total: 1, peakBytes: 200, heapSize: 4096, freeErrors: [doubleFree('src/n.c:60')] })]);

describe('reading a report back', () => {
  it('reads back what the JSON reporter writes', () => {
    const r = shardA();
    const loaded = shard(r, 'a.json');
    expect(loaded.facts.tests[1].leaks).toEqual([block(40, 'src/s.c:9', 12, 0xda7a0010)]);
    expect(loaded.doc.totals).toEqual(r.totals);
    expect(loaded.doc.ok).toBe(false);
    expect(loaded.doc.exitCode).toBe(1);
    expect(loaded.facts.recordsSeen).toBe(true);
  });

  it('keeps suppressed leaks and free errors apart, and judges them the same again', () => {
    const rules = parseSuppressions('leak:a.c:*\nfree:b.c:*', 's');
    const r = makeReport([makeTest('x', { leaks: [block(8, 'a.c:1')], freeErrors: [doubleFree('b.c:2')] })], defaultPolicy(), { suppressions: rules });
    const doc = toJson(r);
    expect(doc.tests[0].suppressed).toHaveLength(1);
    expect(doc.tests[0].suppressedFreeErrors).toEqual([{ ...doubleFree('b.c:2'), address: '0xda7a0064' }]);
    const loaded = shard(r, 'x.json');
    expect(loaded.facts.tests[0].leaks).toEqual([block(8, 'a.c:1')]);
    expect(loaded.facts.tests[0].freeErrors).toEqual([doubleFree('b.c:2')]);
    const again = judgeMerged(mergeReports([loaded]));
    expect(toJson(again).tests[0]).toEqual(doc.tests[0]);
    expect(again.verdict.exitCode).toBe(0);
  });

  it('names file and field of a bad report', () => {
    const json = toJson(shardA()) as unknown as { tests: Array<Record<string, unknown>> };
    json.tests[1].leaks = [{ address: 'nowhere', size: 1, site: 'a', line: 1 }];
    expect(() => parseReport(JSON.stringify(json), 'a.json')).toThrow(
      new ReportFileError('a.json', 'tests[1].leaks[0].address: expected an address such as "0xda7a0010"'),
    );
  });

  it('refuses an address past 2^53 rather than read it back as another', () => {
    const json = toJson(shardA()) as unknown as { tests: Array<Record<string, unknown>> };
    json.tests[1].leaks = [{ address: '0x123456789abcdef0123', size: 1, site: 'a', line: 1 }];
    expect(() => parseReport(JSON.stringify(json), 'a.json')).toThrow(
      new ReportFileError('a.json', 'tests[1].leaks[0].address: expected an address such as "0xda7a0010"'),
    );
  });
});

describe('mergeReports', () => {
  it('concatenates tests, sums totals, maxes peaks; the verdict is recomputed', () => {
    const a = shardA();
    const b = shardB();
    const merged = mergeReports([shard(a, 'a.json'), shard(b, 'b.json')]);
    const report = judgeMerged(merged);
    expect(merged.facts.tests.map((t) => [t.name, t.index, t.total])).toEqual([
      ['tests/a.py::test_1', 1, 3],
      ['tests/a.py::test_2', 2, 3],
      ['tests/b.py::test_3', 3, 3],
    ]);
    expect(report.totals.tests).toBe(3);
    expect(report.totals.allocations).toBe(a.totals.allocations + b.totals.allocations);
    expect(report.totals.leaks).toBe(1);
    expect(report.totals.doubleFrees).toBe(1);
    expect(report.totals.peakBytes).toBe(300);
    expect(report.totals.peakPercent).toBeCloseTo((200 / 4096) * 100);
    expect(report.leakSites).toEqual([{ site: 'src/s.c:9', count: 1, bytes: 40, tests: ['tests/a.py::test_2'] }]);
    expect(report.verdict.exitCode).toBe(1);
    expect(report.tests.map((t) => t.ok)).toEqual([true, false, false]);
  });

  it('merges the census by site, in one order whatever order the shards come in', () => {
    const row = (site: string, allocations = 2) => ({ site, allocations, bytes: 20, minSize: 10, maxSize: 10, maxLive: 1, temporary: 0, leaks: 0 });
    const withSites = (sites: ReturnType<typeof row>[], name: string) => {
      const r = makeReport([makeTest(name)]);
      return shard({ ...r, facts: { ...r.facts, sites } }, `${name}.json`);
    };
    const a = withSites([row('src/b.c:1'), row('src/a.c:1', 1)], 'a');
    const b = withSites([row('src/a.c:1', 1), row('src/c.c:1')], 'b');
    for (const shards of [[a, b], [b, a]]) {
      expect(mergeReports(shards).facts.sites.map((s) => [s.site, s.allocations])).toEqual([
        ['src/a.c:1', 2],
        ['src/b.c:1', 2],
        ['src/c.c:1', 2],
      ]);
    }
  });

  it('a merge of clean shards passes', () => {
    const clean = (n: string) => makeReport([makeTest(n)]);
    const merged = mergeReports([shard(clean('a::x'), 'a'), shard(clean('b::y'), 'b')]);
    expect(judgeMerged(merged).verdict.exitCode).toBe(0);
  });

  it('keeps regressions, sums suppression counts, and reconciles baseline changes', () => {
    const rules = parseSuppressions('leak:lib/*', 's');
    const libLeaks = (n: number) => Array.from({ length: n }, (_, i) => block(8, `lib/x.c:${i + 1}`));
    const a = makeReport([makeTest('a::x', { peakBytes: 20, leaks: libLeaks(2) })], defaultPolicy(), {
      suppressions: rules,
      regressions: [{ test: 'a::x', baselinePeakBytes: 10, peakBytes: 20, growthPercent: 100 }],
    });
    const b = makeReport([makeTest('b::y', { leaks: libLeaks(3) })], defaultPolicy(), { suppressions: rules });
    expect(a.suppressionCounts).toEqual([{ pattern: 'lib/*', kind: 'leak', count: 2 }]);
    const merged = mergeReports([
      shard(a, 'a', { baselineChanges: { added: ['a::x'], removed: ['b::y', 'c::gone'] } }),
      shard(b, 'b', { baselineChanges: { added: [], removed: ['a::x', 'c::gone'] } }),
    ]);
    expect(merged.regressions).toHaveLength(1);
    const report = judgeMerged(merged);
    expect(report.suppressionCounts).toEqual([{ pattern: 'lib/*', kind: 'leak', count: 5 }]);
    expect(merged.baselineChanges).toEqual({ added: ['a::x'], removed: ['c::gone'] });
    expect(report.verdict.exitCode).toBe(1);
    expect(report.regressions).toHaveLength(1);
  });

  it('diagnostics say which shard they come from', () => {
    const a = makeReport([makeTest('a::x')]);
    a.facts.diagnostics.push({ line: 7, kind: 'bad-record', message: 'unparseable record' });
    const merged = mergeReports([shard(a, 'shard-a.json')]);
    expect(merged.facts.diagnostics).toEqual([{ line: 7, kind: 'bad-record', message: 'shard-a.json: unparseable record' }]);
  });
});
