/**
 * Combining the reports of sharded CI jobs (`valground merge`): tests
 * concatenated and renumbered, run facts added up (peaks maxed, censuses
 * and pools combined by name). No verdict is merged: the caller judges the
 * combined facts under its policy, so a shard cannot hide a failure behind
 * its own exit code. The shards' suppression patterns and baseline
 * regressions come along, for the judge to weigh again.
 */
import { mergeCensus, type AnalysisFacts, type PoolSummary, type TestFacts } from '../analyzer/facts.js';
import type { Regression, SuppressionCount } from '../judge/types.js';
import { OUTSIDE_ANY_TEST } from '../judge/words.js';
import type { ReadReport } from './read.js';

export interface MergedReports {
  facts: AnalysisFacts;
  suppressions: SuppressionCount[];
  regressions: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
}

function mergePools(lists: PoolSummary[][]): PoolSummary[] {
  const by = new Map<string, PoolSummary>();
  for (const list of lists) {
    for (const p of list) {
      const m = by.get(p.pool);
      if (m === undefined) by.set(p.pool, { ...p });
      else {
        if (p.maxInUse > m.maxInUse) {
          m.maxInUse = p.maxInUse;
          m.maxInUseTest = p.maxInUseTest;
        }
        m.blocks = Math.max(m.blocks, p.blocks);
        m.overflows += p.overflows;
        m.grew += p.grew;
      }
    }
  }
  return [...by.values()];
}

export function mergeReports(shards: readonly ReadReport[]): MergedReports {
  // `[k/N]` numbering continues across shards; N is known only if every shard announced its count.
  const announced = shards.map((s) => {
    const first = s.facts.tests.find((t) => t.name !== null);
    return first === undefined ? 0 : first.total;
  });
  const total = announced.every((n) => n !== null) ? announced.reduce<number>((a, n) => a + (n ?? 0), 0) : null;
  const tests: TestFacts[] = [];
  let named = 0;
  for (const s of shards) {
    for (const t of s.facts.tests) tests.push(t.name === null ? { ...t } : { ...t, index: ++named, total });
  }
  let peakPercent: number | null = null;
  for (const s of shards) {
    const p = s.facts.peakPercent;
    if (p !== null && (peakPercent === null || p > peakPercent)) peakPercent = p;
  }
  const facts: AnalysisFacts = {
    tests,
    // Diagnostics' line numbers refer to each shard's own log: say which.
    diagnostics: shards.flatMap((s) => s.facts.diagnostics.map((d) => ({ ...d, message: `${s.file}: ${d.message}` }))),
    recordsSeen: shards.some((s) => s.facts.recordsSeen),
    unreadRecords: shards.reduce((a, s) => a + s.facts.unreadRecords, 0),
    linesRead: shards.reduce((a, s) => a + s.facts.linesRead, 0),
    segments: shards.reduce((a, s) => a + s.facts.segments, 0),
    peakBytes: Math.max(0, ...shards.map((s) => s.facts.peakBytes)),
    peakPercent,
    harnesses: [...new Set(shards.flatMap((s) => s.facts.harnesses))],
    sites: mergeCensus(shards.flatMap((s) => s.facts.sites)),
    pools: mergePools(shards.map((s) => s.facts.pools)),
    complete: shards.every((s) => s.facts.complete),
  };
  const suppressions: SuppressionCount[] = [];
  for (const s of shards) {
    for (const c of s.suppressions) {
      if (!suppressions.some((p) => p.kind === c.kind && p.pattern === c.pattern)) suppressions.push({ ...c, count: 0 });
    }
  }
  const merged: MergedReports = { facts, suppressions, regressions: shards.flatMap((s) => s.regressions) };
  // Shards compared against the whole baseline each see the other shards'
  // tests as "removed": only what no shard ran is really gone.
  const changes = shards.map((s) => s.baselineChanges).filter((c) => c !== undefined);
  if (changes.length > 0) {
    const ran = new Set(tests.map((t) => t.name ?? OUTSIDE_ANY_TEST));
    merged.baselineChanges = {
      added: [...new Set(changes.flatMap((c) => c.added))],
      removed: [...new Set(changes.flatMap((c) => c.removed))].filter((n) => !ran.has(n)),
    };
  }
  return merged;
}
