/**
 * Wording shared by the CI reporters (junit, github): how a test is named,
 * why it fails under the policy, and one line per memory problem. Kept in one
 * place so a JUnit failure and a GitHub annotation say the same thing.
 */
import type { Block, FailedAllocation, FreeError, Policy, Regression, Report, TestResult } from '../analyzer/types.js';
import { plural, testProblems } from '../analyzer/verdict.js';
import { formatAddress } from '../protocol/records.js';

/** Display name of activity outside any named test. */
export const OUTSIDE_ANY_TEST = '(outside any test)';

export function testLabel(name: string | null): string {
  return name ?? OUTSIDE_ANY_TEST;
}

/**
 * JUnit-style split of a test name: a pytest node id `PATH::REST` gives
 * (PATH, REST); a plain-mode `PATH #k` gives (PATH, `#k`); anything else
 * (a `test;NAME` record, activity outside tests) belongs to `fallback`.
 */
export function splitTestName(name: string | null, fallback: string): { classname: string; name: string } {
  if (name === null) return { classname: fallback, name: OUTSIDE_ANY_TEST };
  const sep = name.indexOf('::');
  if (sep > 0 && sep + 2 < name.length) return { classname: name.slice(0, sep), name: name.slice(sep + 2) };
  const plain = /^(.+) (#\d+)$/.exec(name);
  if (plain) return { classname: plain[1], name: plain[2] };
  return { classname: fallback, name };
}

function bytes(n: number): string {
  return plural(n, 'byte');
}

export function formatPercent(p: number): string {
  return `${(Math.round(p * 100) / 100).toFixed(2)}%`;
}

/** The baseline regression of a test, if any (names are the comparison key). */
export function regressionOf(report: Report, test: TestResult): Regression | undefined {
  return report.regressions?.find((r) => r.test === test.name);
}

export function usageExceeded(test: TestResult, policy: Policy): boolean {
  return policy.usageThreshold !== null && test.peakPercent !== null && test.peakPercent >= policy.usageThreshold;
}

export function describeRegression(r: Regression): string {
  const growth = Number.isFinite(r.growthPercent) ? formatPercent(r.growthPercent) : 'from nothing';
  return `peak grew ${growth} over the baseline (${r.baselinePeakBytes} → ${r.peakBytes} bytes)`;
}

/**
 * Short phrases naming what makes a test fail, e.g. `["2 leaks (81 bytes)",
 * "1 double free"]`: the policy's own wording plus a baseline regression.
 */
export function failureReasons(test: TestResult, report: Report): string[] {
  const reasons = testProblems(test, report.policy);
  const regression = regressionOf(report, test);
  if (regression) reasons.push(describeRegression(regression));
  return reasons;
}

export function describeBlock(b: Block): string {
  return `${bytes(b.size)} at ${formatAddress(b.address)} allocated at ${b.site} (log line ${b.line})`;
}

export function describeFreeError(e: FreeError): string {
  const what = e.kind === 'double-free' ? 'double free' : 'invalid free (never allocated)';
  const known: string[] = [];
  if (e.allocSite !== undefined) known.push(`allocated at ${e.allocSite}`);
  if (e.firstFreeSite !== undefined) known.push(`first freed at ${e.firstFreeSite}`);
  const extra = known.length > 0 ? `; ${known.join(', ')}` : '';
  return `${what} of ${formatAddress(e.address)} at ${e.site} (log line ${e.line}${extra})`;
}

export function describeFailedAllocation(f: FailedAllocation): string {
  return `allocation of ${bytes(f.size)} failed at ${f.site} (log line ${f.line})`;
}

/** Every memory item of a test, one line each, grouped under headings. */
export function detailLines(test: TestResult, report: Report): string[] {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    out.push(`${title}:`);
    for (const l of lines) out.push(`  - ${l}`);
  };
  section('Leaks', test.leaks.map(describeBlock));
  section('Free errors', test.freeErrors.map(describeFreeError));
  section('Reclaimed by a heap reset', test.reclaimed.map(describeBlock));
  section('Failed allocations', test.failedAllocations.map(describeFailedAllocation));
  // Persistent blocks are by design; only list them when the policy cares.
  if (report.policy.failOn.has('persistent')) section('Persistent', test.persistent.map(describeBlock));
  section('Suppressed leaks', test.suppressed.map(describeBlock));
  section('Suppressed free errors', test.suppressedFreeErrors.map(describeFreeError));
  const usage = test.heapSize === null
    ? `Peak: ${bytes(test.peakBytes)} (heap size unknown)`
    : `Peak: ${test.peakBytes} / ${bytes(test.heapSize)} (${formatPercent(test.peakPercent ?? 0)})`;
  out.push(usage);
  const regression = regressionOf(report, test);
  if (regression) out.push(`Baseline: ${describeRegression(regression)}`);
  return out;
}
