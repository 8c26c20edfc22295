/**
 * `--baseline PREVIOUS.json [--max-growth PERCENT]`: compares each test's
 * peak bytes with a previous JSON report, by test name. A test whose peak
 * grew by more than the allowance is a regression (it fails the run); tests
 * that appeared or disappeared since are listed, never failed, because
 * adding or removing a test is not a memory problem.
 */
import { loadReportFile } from './report-file.js';
import type { Regression, TestResult } from './types.js';

/** Name under which activity outside any test is compared and listed. */
const OUTSIDE = '(outside any test)';

export interface BaselinePeaks {
  file: string;
  /** Peak bytes per test name; null = activity outside any named test. */
  peaks: Map<string | null, number>;
}

export interface BaselineComparison {
  regressions: Regression[];
  /** For `Report.baselineChanges`. */
  added: string[];
  removed: string[];
}

/** Peak per name; a name seen twice (re-run, merged shards) keeps its highest peak. */
export function peaksByName(tests: ReadonlyArray<Pick<TestResult, 'name' | 'peakBytes'>>): Map<string | null, number> {
  const peaks = new Map<string | null, number>();
  for (const t of tests) peaks.set(t.name, Math.max(peaks.get(t.name) ?? 0, t.peakBytes));
  return peaks;
}

/** Growth of `peak` over `base` in percent; growth from nothing is infinite. */
export function growthPercent(base: number, peak: number): number {
  if (base === 0) return peak === 0 ? 0 : Infinity;
  return ((peak - base) / base) * 100;
}

/**
 * Pure comparison. `maxGrowth` is the allowance in percent (0 = any growth
 * fails). Regressions come in the current report's test order.
 */
export function compareBaseline(
  baseline: ReadonlyMap<string | null, number>,
  tests: ReadonlyArray<Pick<TestResult, 'name' | 'peakBytes'>>,
  maxGrowth: number,
): BaselineComparison {
  const current = peaksByName(tests);
  const regressions: Regression[] = [];
  const added: string[] = [];
  for (const [name, peakBytes] of current) {
    const base = baseline.get(name);
    if (base === undefined) {
      added.push(name ?? OUTSIDE);
      continue;
    }
    const growth = growthPercent(base, peakBytes);
    if (growth > maxGrowth) {
      regressions.push({
        test: name,
        baselinePeakBytes: base,
        peakBytes,
        // Rounded for display; the comparison above used the exact value.
        growthPercent: Number.isFinite(growth) ? Math.round(growth * 100) / 100 : growth,
      });
    }
  }
  const removed: string[] = [];
  for (const name of baseline.keys()) if (!current.has(name)) removed.push(name ?? OUTSIDE);
  return { regressions, added, removed };
}

export async function loadBaseline(file: string): Promise<BaselinePeaks> {
  const loaded = await loadReportFile(file);
  return { file, peaks: peaksByName(loaded.result.tests) };
}

/** Parses `--max-growth`: a finite percentage ≥ 0; undefined when invalid. */
export function parseMaxGrowth(text: string): number | undefined {
  const s = text.trim().replace(/%$/, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}
