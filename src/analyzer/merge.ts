/**
 * Combining JSON reports from sharded CI jobs (`valground merge`): tests
 * concatenated and renumbered, totals summed, peaks maxed. The verdict is
 * not merged: the caller re-judges the combined result under its policy,
 * so a shard cannot hide a failure behind its own exit code.
 */
import type { LoadedReport } from './report-file.js';
import { addTotals, emptyTotals, leakSites } from './totals.js';
import type { AnalysisResult, Regression, TestResult } from './types.js';

export interface MergedReports {
  result: AnalysisResult;
  regressions: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
  suppressionCounts: Array<{ pattern: string; kind: 'leak' | 'free'; count: number }>;
}


export function mergeReports(shards: readonly LoadedReport[]): MergedReports {
  const totals = emptyTotals();
  for (const s of shards) addTotals(totals, s.result.totals);

  // `[k/N]` numbering continues across shards; N is known only if every shard announced its count.
  // Activity outside any test keeps index 0 and is not a test.
  // A shard without named tests adds none; one that did not announce its count makes N unknown.
  const announced = shards.map((s) => {
    const first = s.result.tests.find((t) => t.name !== null);
    return first === undefined ? 0 : first.total;
  });
  const total = announced.every((n) => n !== null) ? announced.reduce<number>((a, n) => a + (n ?? 0), 0) : null;
  const tests: TestResult[] = [];
  let named = 0;
  for (const s of shards) {
    for (const t of s.result.tests) tests.push(t.name === null ? { ...t } : { ...t, index: ++named, total });
  }
  totals.tests = named;

  // Diagnostics' line numbers refer to each shard's own log: say which.
  const diagnostics = shards.flatMap((s) =>
    s.result.diagnostics.map((d) => ({ ...d, message: `${s.file}: ${d.message}` })),
  );

  const counts = new Map<string, { pattern: string; kind: 'leak' | 'free'; count: number }>();
  for (const s of shards) {
    for (const c of s.suppressionCounts) {
      const key = `${c.kind}:${c.pattern}`;
      const seen = counts.get(key);
      if (seen) seen.count += c.count;
      else counts.set(key, { ...c });
    }
  }

  const merged: MergedReports = {
    result: {
      tests,
      totals,
      diagnostics,
      leakSites: leakSites(tests),
      recordsSeen: shards.some((s) => s.result.recordsSeen),
      linesRead: shards.reduce((a, s) => a + s.result.linesRead, 0),
    },
    regressions: shards.flatMap((s) => s.regressions),
    suppressionCounts: [...counts.values()],
  };
  // Shards compared against the whole baseline each see the other shards'
  // tests as "removed": only what no shard ran is really gone.
  const changes = shards.map((s) => s.baselineChanges).filter((c) => c !== undefined);
  if (changes.length > 0) {
    const ran = new Set(tests.map((t) => t.name ?? '(outside any test)'));
    merged.baselineChanges = {
      added: [...new Set(changes.flatMap((c) => c.added))],
      removed: [...new Set(changes.flatMap((c) => c.removed))].filter((n) => !ran.has(n)),
    };
  }
  return merged;
}
