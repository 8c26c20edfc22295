/**
 * `--baseline PREVIOUS.json [--max-growth PERCENT]`: each test's peak bytes
 * against a previous report's, by test name. A test whose peak grew by more
 * than the allowance regresses (it fails); tests that appeared or
 * disappeared since are listed, never failed — adding or removing a test is
 * not a memory problem. Pure: reading the file is the CLI's job.
 */
import type { Regression } from './types.js';
import { OUTSIDE_ANY_TEST as OUTSIDE } from './words.js';

export interface Baseline {
  /** Peak bytes per test name; null = activity outside any named test. */
  peaks: ReadonlyMap<string | null, number>;
  /** Allowance in percent (0: any growth fails). */
  maxGrowth: number;
}

/** Peak per name; a name seen twice (re-run, merged shards) keeps its highest peak. */
export function peaksByName(tests: Iterable<{ name: string | null; peakBytes: number }>): Map<string | null, number> {
  const peaks = new Map<string | null, number>();
  for (const t of tests) peaks.set(t.name, Math.max(peaks.get(t.name) ?? 0, t.peakBytes));
  return peaks;
}

/** Growth of `peak` over `base` in percent; null when growing from nothing. */
export function growthPercent(base: number, peak: number): number | null {
  if (base === 0) return peak === 0 ? 0 : null;
  return ((peak - base) / base) * 100;
}

/** The regression of one test against the baseline, or null. */
export function regressionOf(baseline: Baseline, name: string | null, peakBytes: number): Regression | null {
  const base = baseline.peaks.get(name);
  if (base === undefined) return null;
  const growth = growthPercent(base, peakBytes);
  if (growth !== null && growth <= baseline.maxGrowth) return null;
  // Rounded for display; the comparison above used the exact value.
  return { test: name, baselinePeakBytes: base, peakBytes, growthPercent: growth === null ? null : Math.round(growth * 100) / 100 };
}

/** Tests new since the baseline, and tests gone since. */
export function baselineChanges(baseline: Baseline, names: Iterable<string | null>): { added: string[]; removed: string[] } {
  const current = new Set(names);
  const added: string[] = [];
  for (const n of current) if (!baseline.peaks.has(n)) added.push(n ?? OUTSIDE);
  const removed: string[] = [];
  for (const n of baseline.peaks.keys()) if (!current.has(n)) removed.push(n ?? OUTSIDE);
  return { added, removed };
}

/** Parses `--max-growth`: a finite percentage ≥ 0; undefined when invalid. */
export function parseMaxGrowth(text: string): number | undefined {
  const s = text.trim().replace(/%$/, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** The whole comparison at once: regressions (one per name, highest peak), new and gone tests. */
export function compareBaseline(
  baseline: Baseline,
  tests: Iterable<{ name: string | null; peakBytes: number }>,
): { regressions: Regression[]; added: string[]; removed: string[] } {
  const current = peaksByName(tests);
  const regressions: Regression[] = [];
  for (const [name, peak] of current) {
    const r = regressionOf(baseline, name, peak);
    if (r !== null) regressions.push(r);
  }
  return { regressions, ...baselineChanges(baseline, current.keys()) };
}
