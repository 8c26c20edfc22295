import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText, analyzeLines } from '../helpers/analysis.js';
import { judge, defaultPolicy } from '../../src/judge/index.js';
import type { TestFacts as TestResult } from '../../src/analyzer/facts.js';

const P = 'seproxyhal: printf: ==MP ';
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');

function byName(tests: TestResult[], name: string | null): TestResult {
  const t = tests.find((x) => x.name === name);
  if (!t) throw new Error(`no test ${name}: ${tests.map((x) => x.name).join(', ')}`);
  return t;
}

describe('analysis semantics (SPEC §4)', () => {
  it('reports a block still live at the end of input as a leak of the test that allocated it', () => {
    const r = analyzeLines([
      'collected 2 items',
      `tests/t.py::test_a[x] ${P}init;0xda7a0000;4096`,
      `${P}alloc;40;0xda7a0064;src/a.c:8`,
      'PASSED',
      'tests/t.py::test_b[x] ',
      `${P}alloc;10;0xda7a0094;src/b.c:1`,
      `${P}free;0xda7a0094;src/b.c:2`,
      'PASSED',
    ]);
    const a = byName(r.tests, 'tests/t.py::test_a[x]');
    expect(a.leaks).toEqual([{ address: 0xda7a0064, size: 40, site: 'src/a.c:8', line: 3 }]);
    expect(byName(r.tests, 'tests/t.py::test_b[x]').leaks).toEqual([]);
    expect(r.totals).toMatchObject({ tests: 2, leaks: 1, leakedBytes: 40, allocations: 2, totalBytes: 50 });
  });

  it('tells a heap reset within a test (reclaimed) from a new test (leak)', () => {
    const r = analyzeLines([
      `tests/t.py::test_a[x] ${P}init;0xda7a0000;4096`,
      `${P}alloc;48;0xda7a0064;src/ui/review.c:88`,
      `${P}init;0xda7a0000;4096`, // same test: reclaimed
      `${P}alloc;16;0xda7a0064;src/x.c:1`,
      `tests/t.py::test_b[x] ${P}init;0xda7a0000;4096`, // another test: leak of test_a
    ]);
    const a = byName(r.tests, 'tests/t.py::test_a[x]');
    expect(a.reclaimed.map((b) => b.site)).toEqual(['src/ui/review.c:88']);
    expect(a.leaks.map((b) => b.site)).toEqual(['src/x.c:1']);
    expect(a.segments).toBe(2);
    expect(judge(r, defaultPolicy()).verdict.exitCode).toBe(1);
  });

  it('names a double free with the alloc, first free and second free sites', () => {
    const r = analyzeLines([
      `${P}init;0xda7a0000;4096`,
      `${P}alloc;8;0xda7a0064;src/a.c:1`,
      `${P}free;0xda7a0064;src/a.c:2`,
      `${P}free;0xda7a0064;src/a.c:3`,
      `${P}free;0xda7a0200;src/a.c:4`,
    ]);
    const t = byName(r.tests, null);
    expect(t.freeErrors).toEqual([
      { kind: 'double-free', address: 0xda7a0064, site: 'src/a.c:3', line: 4, allocSite: 'src/a.c:1', firstFreeSite: 'src/a.c:2' },
      { kind: 'invalid-free', address: 0xda7a0200, site: 'src/a.c:4', line: 5 },
    ]);
    expect(r.totals).toMatchObject({ doubleFrees: 1, invalidFrees: 1 });
  });

  it('forgets the free history at a new segment, and when the address is reallocated', () => {
    const r = analyzeLines([
      `${P}init;0xda7a0000;4096`,
      `${P}alloc;8;0xda7a0064;src/a.c:1`,
      `${P}free;0xda7a0064;src/a.c:2`,
      `${P}alloc;8;0xda7a0064;src/a.c:5`,
      `${P}free;0xda7a0064;src/a.c:6`,
      `${P}init;0xda7a0000;4096`,
      `${P}free;0xda7a0064;src/a.c:9`,
    ]);
    expect(r.tests[0].freeErrors).toEqual([{ kind: 'invalid-free', address: 0xda7a0064, site: 'src/a.c:9', line: 7 }]);
  });

  it('reports persistent blocks, never as leaks, and lets them be freed', () => {
    const r = analyzeLines([
      `${P}init;0xda7a0000;8192`,
      `${P}persist;64;0xda7a011c;src/handler/sign_tx.c:683`,
      `${P}persist;32;0xda7a0200;src/k.c:1`,
      `${P}free;0xda7a0200;src/k.c:2`,
    ]);
    const t = r.tests[0];
    expect(t.leaks).toEqual([]);
    expect(t.freeErrors).toEqual([]);
    expect(t.persistent.map((b) => b.size)).toEqual([64, 32]);
    expect(r.totals).toMatchObject({ persistent: 2, persistentBytes: 96 });
  });

  it('measures peak, total and allocations per test while it runs, and percent of the heap', () => {
    const r = analyzeLines([
      `tests/t.py::test_a[x] ${P}init;0xda7a0000;8192`,
      `${P}alloc;200;0xda7a0064;a.c:1`,
      `${P}alloc;56;0xda7a0134;a.c:2`,
      `${P}free;0xda7a0064;a.c:3`,
      `${P}free;0xda7a0134;a.c:4`,
    ]);
    const t = r.tests[0];
    expect(t).toMatchObject({ allocations: 2, totalBytes: 256, peakBytes: 256, heapSize: 8192, segments: 1 });
    expect(t.peakPercent).toBeCloseTo(3.125, 10);
    expect(r.totals.peakBytes).toBe(256);
  });

  it('tracks activity before the first init in a segment of unknown size, with a diagnostic', () => {
    const r = analyzeLines([`${P}alloc;8;0xda7a0064;a.c:1`, `${P}free;0xda7a0064;a.c:2`]);
    expect(r.tests[0].peakPercent).toBeNull();
    expect(r.tests[0].heapSize).toBeNull();
    expect(r.diagnostics).toEqual([expect.objectContaining({ kind: 'no-init', line: 1 })]);
  });

  it('ignores allocations logged at address 0', () => {
    const r = analyzeLines([`${P}init;0xda7a0000;4096`, `${P}alloc;8;0x0;a.c:1`]);
    expect(r.totals.allocations).toBe(0);
    expect(r.totals.leaks).toBe(0);
  });

  it('counts failed allocations and honours explicit test records', () => {
    const r = analyzeLines([`==MP test;first`, `${P}init;0xda7a0000;512`, `${P}fail;600;big.c:3`, `==MP test;second`]);
    expect(byName(r.tests, 'first').failedAllocations).toEqual([{ size: 600, site: 'big.c:3', line: 3 }]);
    expect(r.totals.failedAllocations).toBe(1);
    expect(r.tests.map((t) => t.name)).toEqual(['first', 'second']);
  });

  it('collects unparseable records as diagnostics with line numbers and keeps going', () => {
    const r = analyzeLines([`${P}init;0xda7a0000;4096`, `${P}alloc;x;0x1;a.c:1`, `${P}hello;1;2`, `${P}alloc;8;0xda7a0064;a.c:1`]);
    expect(r.diagnostics.map((d) => [d.line, d.kind])).toEqual([
      [2, 'bad-record'],
      [3, 'bad-record'],
    ]);
    expect(r.totals.allocations).toBe(1);
    expect(judge(r, { ...defaultPolicy(), strict: true }).verdict.exitCode).toBe(2);
  });

  it('says when no record was found, and fails only with --fail-on no-data', () => {
    const r = analyzeText('collected 3 items\ntests/t.py::test_a PASSED\n');
    expect(r.recordsSeen).toBe(false);
    expect(r.diagnostics.at(-1)?.kind).toBe('no-profiling');
    expect(judge(r, defaultPolicy()).verdict.exitCode).toBe(0);
    expect(judge(r, { ...defaultPolicy(), failOn: new Set(['no-data']) }).verdict.exitCode).toBe(1);
  });

  it('hands tests out in order, each once, as soon as they are final', () => {
    const seen: string[] = [];
    const lines = [
      `tests/t.py::test_a[x] ${P}init;0xda7a0000;4096`,
      `${P}alloc;8;0xda7a0064;a.c:1`,
      'tests/t.py::test_b[x] ', // a's block is still live: a is not final yet
      `${P}free;0xda7a0064;a.c:2`, // now it is
      'tests/t.py::test_c[x] ',
    ];
    const r = analyzeLines(lines, { onTest: (t) => seen.push(t.name ?? '') });
    expect(seen).toEqual(['tests/t.py::test_a[x]', 'tests/t.py::test_b[x]', 'tests/t.py::test_c[x]']);
    expect(r.tests.every((t) => t.leaks.length === 0)).toBe(true);
  });

  it('keeps timelines bounded and the peak in them', () => {
    const lines = [`tests/t.py::test_a[x] ${P}init;0xda7a0000;32768`];
    for (let i = 0; i < 5000; i++) {
      lines.push(`${P}alloc;${i === 2500 ? 9000 : 8};0xda7a0064;a.c:1`, `${P}free;0xda7a0064;a.c:2`);
    }
    const r = analyzeLines(lines, { timelinePoints: 50 });
    const points = r.tests[0].timeline.points;
    expect(points.length).toBeLessThanOrEqual(4 * 50 + 3);
    expect(Math.max(...points.map((p) => p.live))).toBe(9000);
    expect(r.tests[0].timeline.heapSize).toBe(32768);
  });

  it('keeps the dips too, and ends the timeline where the test ended', () => {
    const lines = [`tests/t.py::test_a[x] ${P}init;0xda7a0000;32768`];
    for (let i = 0; i < 1000; i++) lines.push(`${P}alloc;500;0xda7a0064;a.c:1`, `${P}free;0xda7a0064;a.c:2`);
    const points = analyzeLines(lines, { timelinePoints: 8 }).tests[0].timeline.points;
    expect(points.length).toBeLessThanOrEqual(4 * 8 + 3);
    expect(points.filter((p) => p.live === 0).length).toBeGreaterThan(5);
    expect(points.filter((p) => p.live === 500).length).toBeGreaterThan(5);
    expect(points.at(-1)).toEqual({ line: lines.length, live: 0 });
    expect(points.map((p) => p.line)).toEqual([...points.map((p) => p.line)].sort((a, b) => a - b));
  });
});

describe('real pytest output', () => {
  it('reads pytest -v -s: six tests, outcomes, the leak and the invalid free', () => {
    const r = analyzeText(fixture('real-pytest/pytest-verbose.log'));
    expect(r.tests.map((t) => t.name)).toEqual([
      'tests/test_wallet.py::test_app_name[nanox]',
      'tests/test_wallet.py::test_app_name[flex]',
      'tests/test_wallet.py::test_sign_message[nanox]',
      'tests/test_wallet.py::test_sign_message[flex]',
      'tests/test_wallet.py::test_settings_leak',
      'tests/test_wallet.py::test_invalid_free[nanox]',
    ]);
    expect(r.tests.every((t) => t.outcome === 'passed' && t.total === 6)).toBe(true);
    const leak = byName(r.tests, 'tests/test_wallet.py::test_settings_leak');
    expect(leak.leaks).toEqual([{ address: 0xda7a0094, size: 40, site: 'src/settings.c:9', line: 35 }]);
    const bad = byName(r.tests, 'tests/test_wallet.py::test_invalid_free[nanox]');
    expect(bad.freeErrors).toEqual([{ kind: 'invalid-free', address: 0xda7a0200, site: 'src/nav.c:60', line: 40 }]);
    expect(r.tests.map((t) => t.peakPercent?.toFixed(2))).toEqual(['0.17', '0.17', '12.50', '12.50', '1.95', '0.39']);
    expect(r.tests.map((t) => t.heapSize)).toEqual([4096, 4096, 8192, 8192, 4096, 4096]);
    expect(judge(r, defaultPolicy()).verdict.exitCode).toBe(1);
  });

  it('reads pytest -s (no -v): result characters keep tests apart', () => {
    const r = analyzeText(fixture('real-pytest/pytest-plain.log'));
    expect(r.tests.map((t) => t.name)).toEqual([1, 2, 3, 4, 5, 6].map((k) => `tests/test_wallet.py #${k}`));
    expect(r.tests.every((t) => t.outcome === 'passed')).toBe(true);
    expect(r.tests[4].leaks.map((b) => b.site)).toEqual(['src/settings.c:9']);
    expect(r.tests[5].freeErrors.map((e) => e.site)).toEqual(['src/nav.c:60']);
    expect(r.totals).toMatchObject({ leaks: 1, invalidFrees: 1, reclaimed: 0, segments: 6 });
  });

  it('counts the selected tests, not the collected ones', () => {
    const r = analyzeText(
      ['collected 8 items / 5 deselected / 3 selected', `tests/t.py::test_a ${P}init;0xda7a0000;4096`, 'PASSED'].join('\n'),
    );
    expect(r.tests[0]).toMatchObject({ index: 1, total: 3 });
  });

  it('numbers plain-mode tests per module and drops the phantom after the last result', () => {
    const r = analyzeText(
      [
        '============================= test session starts ==============================',
        'collected 4 items',
        '',
        'tests/test_a.py ..',
        `tests/test_b.py ${P}init;0xda7a0000;4096`,
        `${P}alloc;8;0xda7a0064;b.c:1`,
        `F${P}init;0xda7a0000;4096`,
        's',
        '',
        '=================================== FAILURES ===================================',
        'E       assert 0',
      ].join('\n'),
    );
    expect(r.tests.map((t) => [t.name, t.outcome])).toEqual([
      ['tests/test_a.py #1', 'passed'],
      ['tests/test_a.py #2', 'passed'],
      ['tests/test_b.py #1', 'failed'],
      ['tests/test_b.py #2', 'skipped'],
    ]);
    expect(r.tests[2].leaks.map((b) => b.site)).toEqual(['b.c:1']);
  });

  it('takes a later FAILED summary line as the outcome of a test without one', () => {
    const r = analyzeText(
      [`tests/t.py::test_a ${P}init;0xda7a0000;4096`, 'tests/t.py::test_b ', '=== short test summary info ===', 'FAILED tests/t.py::test_b - boom'].join('\n'),
    );
    expect(r.tests.map((t) => t.outcome)).toEqual([null, 'failed']);
  });
});

describe('the hot path agrees with parseLine', () => {
  it('gives the same analysis for record lines whatever path they take', () => {
    const lines = [
      `${P}init;0xda7a0000;4096`,
      `${P}alloc;8;0xda7a0064;a.c:1 ==MP alloc;16;0xda7a0074;a.c:2`, // two records: general path
      `${P}alloc;4;0xda7a0090;\x1b[1mb.c:3\x1b[0m`, // ANSI: general path
      `${P}free;0xda7a0064;a.c:4`,
    ];
    const r = analyzeLines(lines);
    expect(r.tests[0].leaks.map((b) => [b.size, b.site])).toEqual([
      [16, 'a.c:2'],
      [4, 'b.c:3'],
    ]);
    expect(r.tests[0].allocations).toBe(3);
  });
});

describe('real pytest output, the harder shapes', () => {
  const verboseSample = () => fixture('real-pytest/pytest-verbose.log');

  it('calls a block alive at an init outside any test a leak, not reclaimed', () => {
    const r = analyzeLines([`${P}init;0xda7a0000;4096`, `${P}alloc;40;0xda7a0094;src/settings.c:9`, `${P}init;0xda7a0000;4096`]);
    expect(r.totals).toMatchObject({ leaks: 1, reclaimed: 0 });
  });

  it('reads pytest -q -s: result characters without a module line are boundaries too', () => {
    const plain = fixture('real-pytest/pytest-plain.log').replace('tests/test_wallet.py ', '');
    const r = analyzeText(plain);
    expect(r.tests.map((t) => t.name)).toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);
    expect(r.tests[4].leaks.map((b) => b.site)).toEqual(['src/settings.c:9']);
    expect(r.totals).toMatchObject({ tests: 6, leaks: 1, reclaimed: 0, invalidFrees: 1 });
  });

  it('does not take node ids of the warnings summary for new tests', () => {
    const text = `${verboseSample()}\n=============================== warnings summary ===============================\ntests/test_wallet.py::test_settings_leak\n  /x/backend.py:12: DeprecationWarning: old\n`;
    expect(analyzeText(text).totals.tests).toBe(6);
  });

  it('keeps one test when pytest -v reports its teardown error on a second line', () => {
    const r = analyzeText(
      [
        'collected 2 items',
        `tests/t.py::test_one ${P}init;0xda7a0000;4096`,
        'PASSED',
        'tests/t.py::test_one ERROR',
        'tests/t.py::test_two PASSED',
        '=== short test summary info ===',
        'ERROR tests/t.py::test_two - teardown failed',
      ].join('\n'),
    );
    expect(r.tests.map((t) => [t.name, t.index, t.outcome])).toEqual([
      ['tests/t.py::test_one', 1, 'error'],
      ['tests/t.py::test_two', 2, 'error'],
    ]);
  });

  it('reads outcomes glued to the next output, after an inherited test, and not from live-log lines', () => {
    const r = analyzeText(
      [
        `tests/t.py::test_a ${P}init;0xda7a0000;4096`,
        `PASSED${P}alloc;8;0xda7a0064;teardown.c:1`,
        'tests/t.py::TestX::test_b <- tests/base.py PASSED [ 50%]',
        'tests/t.py::test_c ',
        'ERROR    ragger.backend:speculos.py:120 connection reset',
        'PASSED [100%]',
      ].join('\n'),
    );
    expect(r.tests.map((t) => t.outcome)).toEqual(['passed', 'passed', 'passed']);
    expect(r.tests[0].leaks.map((b) => b.site)).toEqual(['teardown.c:1']);
  });

  it('gives a test with several heap segments the bytes, size and percent of one segment', () => {
    const r = analyzeLines([
      `tests/t.py::test_a ${P}init;0xda7a0000;8192`,
      `${P}alloc;1024;0xda7a0064;a.c:1`,
      `${P}free;0xda7a0064;a.c:2`,
      `${P}init;0xda7a0000;4096`,
      `${P}alloc;10;0xda7a0064;a.c:3`,
      `${P}free;0xda7a0064;a.c:4`,
    ]);
    expect(r.tests[0]).toMatchObject({ peakBytes: 1024, heapSize: 8192, peakPercent: 12.5, segments: 2 });
  });

  it('keeps teardown output after the last result character in the last test', () => {
    const r = analyzeText(
      [
        'collected 2 items',
        `tests/t.py ${P}init;0xda7a0000;4096`,
        `${P}alloc;8;0xda7a0064;a.c:1`,
        `.${P}init;0xda7a0000;4096`,
        `${P}alloc;8;0xda7a0064;a.c:1`,
        `.${P}free;0xda7a0064;a.c:9`,
        '',
        '=== 2 passed in 0.1s ===',
      ].join('\n'),
    );
    expect(r.tests.map((t) => t.name)).toEqual(['tests/t.py #1', 'tests/t.py #2']);
    expect(r.tests[1].leaks).toEqual([]);
    expect(r.tests[0].leaks.map((b) => b.site)).toEqual(['a.c:1']);
  });

  it('numbers each session from 1', () => {
    const r = analyzeText(`${verboseSample()}\n${verboseSample()}`);
    expect(r.tests.map((t) => `${t.index}/${t.total}`)).toEqual([...Array(2)].flatMap(() => ['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']));
  });

  it('reads a line a terminal rewrote with carriage returns', () => {
    const r = analyzeText(`collecting 0 items\rcollecting ... collected 2 items\ntests/t.py::test_a ${P}init;0xda7a0000;4096\n`);
    expect(r.tests[0].total).toBe(2);
  });

  it('says when an allocation lands on a live block (a lost free record)', () => {
    const r = analyzeLines([`${P}init;0xda7a0000;4096`, `${P}alloc;8;0xda7a0064;a.c:1`, `${P}alloc;16;0xda7a0064;a.c:2`]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 3, kind: 'live-address' })]);
    expect(r.tests[0].leaks.map((b) => b.size)).toEqual([16]);
  });
});

describe('facts are final once handed out', () => {
  const deepFreeze = <T>(o: T): T => {
    if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const v of Object.values(o as object)) deepFreeze(v);
    }
    return o;
  };

  it('never changes a test after onTest, even when a later summary line gives its outcome', () => {
    const handed: TestResult[] = [];
    const r = analyzeLines(
      [
        `tests/t.py::test_a ${P}init;0xda7a0000;4096`,
        `${P}alloc;8;0xda7a0064;a.c:1`,
        `${P}free;0xda7a0064;a.c:2`,
        'tests/t.py::test_b ',
        '=== short test summary info ===',
        'FAILED tests/t.py::test_a - boom',
      ],
      { onTest: (t) => handed.push(deepFreeze(t)) }, // a write to a handed-out test would throw
    );
    expect(handed.map((t) => [t.name, t.outcome])).toEqual([
      ['tests/t.py::test_a', null],
      ['tests/t.py::test_b', null],
    ]);
    expect(r.tests.map((t) => t.outcome)).toEqual(['failed', null]); // the final facts carry it, in a new object
  });

  it('refuses a second finish() instead of doubling the leaks', async () => {
    const { Analyzer } = await import('../../src/analyzer/pipeline.js');
    const a = new Analyzer();
    a.line(`${P}init;0xda7a0000;4096`, 1);
    a.line(`${P}alloc;8;0xda7a0064;a.c:1`, 2);
    expect(a.finish().tests[0].leaks).toHaveLength(1);
    expect(() => a.finish()).toThrow(/already/);
  });
});
