/**
 * Run totals, in one place: the analyzer adds its tests up with these, a
 * merge adds reports up, and the report reader checks the same fields. Also
 * the blank test result every test starts from, and leaks grouped by site.
 */
import type { LeakSite, TestResult, Totals } from './types.js';

/** Totals that add up, across tests and across reports (the rest are peaks). */
export const COUNTED_TOTALS = [
  'tests',
  'segments',
  'allocations',
  'totalBytes',
  'leaks',
  'leakedBytes',
  'reclaimed',
  'doubleFrees',
  'invalidFrees',
  'persistent',
  'persistentBytes',
  'failedAllocations',
  'suppressed',
] as const;

export function emptyTotals(): Totals {
  const totals = { peakBytes: 0, peakPercent: null } as Totals;
  for (const k of COUNTED_TOTALS) totals[k] = 0;
  return totals;
}

/**
 * Adds one test's counts to `totals`. Segments and peaks are not per-test
 * sums (tests share segments), so they are left to the caller.
 */
export function addTest(totals: Totals, t: TestResult): void {
  if (t.name !== null) totals.tests++;
  totals.allocations += t.allocations;
  totals.totalBytes += t.totalBytes;
  totals.leaks += t.leaks.length;
  for (const b of t.leaks) totals.leakedBytes += b.size;
  totals.reclaimed += t.reclaimed.length;
  for (const e of t.freeErrors) {
    if (e.kind === 'double-free') totals.doubleFrees++;
    else totals.invalidFrees++;
  }
  totals.persistent += t.persistent.length;
  for (const b of t.persistent) totals.persistentBytes += b.size;
  totals.failedAllocations += t.failedAllocations.length;
  totals.suppressed += t.suppressed.length + t.suppressedFreeErrors.length;
}

/** Adds `more` into `totals`: counts summed, peaks maxed. */
export function addTotals(totals: Totals, more: Totals): void {
  for (const k of COUNTED_TOTALS) totals[k] += more[k];
  totals.peakBytes = Math.max(totals.peakBytes, more.peakBytes);
  if (more.peakPercent !== null && (totals.peakPercent === null || more.peakPercent > totals.peakPercent)) {
    totals.peakPercent = more.peakPercent;
  }
}

/** A test before anything happened in it. */
export function blankTest(name: string | null, index: number, total: number | null, startLine: number): TestResult {
  return {
    name,
    index,
    total,
    outcome: null,
    ok: true,
    heapSize: null,
    segments: 0,
    allocations: 0,
    totalBytes: 0,
    peakBytes: 0,
    peakPercent: null,
    leaks: [],
    reclaimed: [],
    persistent: [],
    freeErrors: [],
    failedAllocations: [],
    suppressed: [],
    suppressedFreeErrors: [],
    startLine,
    timeline: { points: [], heapSize: null },
  };
}

/** Leaks grouped by allocation site across tests, most bytes first. */
export function leakSites(tests: TestResult[]): LeakSite[] {
  const sites = new Map<string, LeakSite>();
  for (const t of tests) {
    for (const b of t.leaks) {
      let s = sites.get(b.site);
      if (!s) {
        s = { site: b.site, count: 0, bytes: 0, tests: [] };
        sites.set(b.site, s);
      }
      s.count++;
      s.bytes += b.size;
      if (!s.tests.includes(t.name)) s.tests.push(t.name);
    }
  }
  return [...sites.values()].sort((a, b) => b.bytes - a.bytes || b.count - a.count || a.site.localeCompare(b.site));
}
