/**
 * Every harness sample (fixtures/harnesses: real output of GoogleTest,
 * cmocka, cmocka's TAP, CTest -V and --output-on-failure, Unity, pytest -v -s
 * and -q) against its `.facts.md`: each cell of the table and each total,
 * through the real Analyzer and judge, with no flag (§3.6) and with
 * `--harness` naming the runner; then the binary's exit status.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { HarnessName } from '../../src/harness/types.js';
import type { TestFacts } from '../../src/analyzer/facts.js';
import { analyzeText, type Analysis } from '../helpers/analysis.js';
import { fixturePath, runCli } from '../helpers/cli.js';
import { readFactsTable, type ExpectedTest, type FactsTable } from '../helpers/facts-table.js';

/** The runner each sample was captured from, for `--harness`. */
const RUNNER: Record<string, HarnessName> = {
  cmocka: 'cmocka',
  'cmocka-tap': 'tap',
  gtest: 'gtest',
  unity: 'unity',
  'ctest-verbose': 'ctest',
  'ctest-output-on-failure': 'ctest',
  'pytest-v-s': 'pytest',
  'pytest-q': 'pytest',
};

const samples = readdirSync(fixturePath('harnesses'))
  .filter((f) => f.endsWith('.log'))
  .map((f) => f.slice(0, -4));

interface Check {
  fact: string;
  actual: unknown;
  expected: unknown;
}

function nameMatches(row: ExpectedTest, name: string | null, table: FactsTable): boolean {
  if (table.byPosition) return name === `#${row.position}`;
  // CTest names inner tests CTESTNAME::INNER, Unity FILE::NAME
  return name === row.printed || (name ?? '').endsWith(`::${row.printed}`);
}

function testChecks(row: ExpectedTest, t: TestFacts | undefined, table: FactsTable): Check[] {
  const at = `#${row.position} ${row.printed}`;
  if (t === undefined) return [{ fact: `${at}: present`, actual: 'missing', expected: 'present' }];
  const checks: Check[] = [
    { fact: `${at}: name`, actual: nameMatches(row, t.name, table) ? row.printed : t.name, expected: row.printed },
    { fact: `${at}: outcome`, actual: t.outcome, expected: row.outcome },
    { fact: `${at}: allocations`, actual: t.allocations, expected: row.allocations },
    {
      fact: `${at}: leaks`,
      actual: t.leaks.map((b, i) => ({ size: b.size, site: b.site, address: row.leaks[i]?.address === null ? null : b.address })),
      expected: row.leaks,
    },
    {
      fact: `${at}: free errors`,
      actual: t.freeErrors.map((e, i) => {
        const want = row.freeErrors[i];
        const got: Record<string, unknown> = { kind: e.kind, site: e.site, address: want?.address === null ? null : e.address };
        if (e.kind === 'double-free') Object.assign(got, { firstFreeSite: e.firstFreeSite, allocSite: e.allocSite });
        return got;
      }),
      expected: row.freeErrors,
    },
    { fact: `${at}: persistent`, actual: t.persistent.length, expected: row.persistent },
    { fact: `${at}: reclaimed`, actual: t.reclaimed.length, expected: row.reclaimed },
  ];
  // `—`: no record at all (then no heap is known), or ambiguous (not a fact to check)
  if (row.heap !== null) checks.push({ fact: `${at}: heap size`, actual: t.heapSize, expected: row.heap });
  else if (row.allocations === 0 && row.peak === null) checks.push({ fact: `${at}: no heap`, actual: t.heapSize, expected: null });
  if (row.peak !== null) checks.push({ fact: `${at}: peak`, actual: t.peakBytes, expected: row.peak });
  return checks;
}

/**
 * Every fact of the table, as checks of the analysis. Tests are found by
 * name (by position when the runner prints none); `ordered`: the table's
 * order is the analysis's too (not with `ctest -j`).
 */
function factChecks(table: FactsTable, r: Analysis, ordered = true): Check[] {
  const named = r.tests.filter((t) => t.name !== null);
  const checks: Check[] = [{ fact: 'named tests', actual: named.length, expected: table.tests.length }];
  table.tests.forEach((row, i) => {
    const t = table.byPosition ? named[i] : named.find((x) => nameMatches(row, x.name, table));
    if (ordered) checks.push({ fact: `#${row.position} ${row.printed}: position`, actual: t === undefined ? -1 : named.indexOf(t), expected: i });
    checks.push(...testChecks(row, t, table));
  });
  const totals = r.totals;
  const e = table.totals;
  checks.push(
    { fact: 'totals.tests', actual: totals.tests, expected: e.tests },
    { fact: 'totals.leaks', actual: totals.leaks, expected: e.leaks },
    { fact: 'totals.leakedBytes', actual: totals.leakedBytes, expected: e.leakedBytes },
    { fact: 'totals.doubleFrees', actual: totals.doubleFrees, expected: e.doubleFrees },
    { fact: 'totals.invalidFrees', actual: totals.invalidFrees, expected: e.invalidFrees },
    { fact: 'totals.persistent', actual: totals.persistent, expected: e.persistent },
    { fact: 'totals.reclaimed', actual: totals.reclaimed, expected: e.reclaimed },
    { fact: 'totals.peakBytes', actual: totals.peakBytes, expected: e.peakBytes },
    { fact: 'exit status', actual: r.report.verdict.exitCode, expected: e.exitCode },
  );
  return checks;
}

/**
 * The `ctest -V` log as `-j2` would print it: both Start lines first, then
 * the two tests' `N: ` lines alternating, each status line after its test's
 * last line.
 */
function interleaved(log: string): string {
  const lines = log.split('\n');
  const own = (n: number) => lines.filter((l) => l.startsWith(`${n}: `) || l === `${n}:`);
  const [one, two] = [own(1), own(2)];
  const status = (n: number) => lines.find((l) => new RegExp(`^\\d+/2 Test #${n}:`).test(l))!;
  const out = ['Test project /home/dev/addressbook/unit-tests/build', '    Start 1: book_cmocka', '    Start 2: book_gtest'];
  for (let i = 0; i < Math.max(one.length, two.length); i++) {
    if (i < one.length) out.push(one[i]);
    if (i === one.length - 1) out.push(status(1));
    if (i < two.length) out.push(two[i]);
    if (i === two.length - 1) out.push(status(2));
  }
  return out.concat(lines.slice(lines.findIndex((l) => l.startsWith('0% tests passed')))).join('\n');
}

function mismatches(checks: Check[]): Check[] {
  return checks.filter((c) => !isDeepStrictEqual(c.actual, c.expected));
}

describe('harness samples: every fact of NAME.facts.md holds', () => {
  it('has every sample, each with its runner', () => {
    expect(samples.sort()).toEqual(Object.keys(RUNNER).sort());
  });

  for (const name of samples) {
    const table = readFactsTable(fixturePath(`harnesses/${name}.facts.md`));
    const log = readFileSync(fixturePath(`harnesses/${name}.log`), 'utf8');

    for (const harness of ['auto', RUNNER[name]] as const) {
      it(`${name}.log, --harness ${harness}`, () => {
        const checks = factChecks(table, analyzeText(log, { harness }));
        expect(mismatches(checks)).toEqual([]);
        // 10 totals and the count of tests, the position and at least 7 cells per row: nothing was skipped silently
        expect(checks.length).toBeGreaterThanOrEqual(10 + 8 * table.tests.length);
      });
    }

    if (name === 'ctest-verbose') {
      it('ctest -V -j: the two tests’ lines interleaved, every fact still holds (each lane its own heaps)', () => {
        const checks = factChecks(table, analyzeText(interleaved(log), { harness: 'auto' }), false);
        expect(mismatches(checks)).toEqual([]);
      });
    }

    it(`${name}.log: the binary exits ${table.totals.exitCode}`, async () => {
      const r = await runCli([fixturePath(`harnesses/${name}.log`)]);
      expect(r.code).toBe(table.totals.exitCode);
    });
  }
});
