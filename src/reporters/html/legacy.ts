/**
 * The judged report in the shape the HTML page is built from: each test's
 * facts with the judge's verdict on it (`ok`, `why`) and its problems split
 * as the page lists them. Only this file knows the judge's types; the page
 * never re-derives policy.
 */
import type { Block, Diagnostic, FailedAllocation, FreeError, TestFacts } from '../../analyzer/facts.js';
import type { JudgedReport, LeakSite, Regression, SuppressionCount, Totals, Verdict } from '../../judge/types.js';
import { problemPhrases } from '../present.js';

export interface HtmlTest extends TestFacts {
  ok: boolean;
  /** Why it fails (phrases), empty when it passes. */
  why: string[];
  /** Leaks not suppressed (heap and pool). */
  leaks: Block[];
  freeErrors: FreeError[];
  suppressed: Block[];
  suppressedFreeErrors: FreeError[];
  failedAllocations: FailedAllocation[];
}

export interface HtmlReport {
  tests: HtmlTest[];
  totals: Totals;
  diagnostics: Diagnostic[];
  leakSites: LeakSite[];
  linesRead: number;
  recordsSeen: boolean;
  verdict: Verdict;
  regressions?: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
  suppressionCounts?: SuppressionCount[];
}

export function toHtmlReport(report: JudgedReport): HtmlReport {
  const tests = report.tests.map((j): HtmlTest => {
    const leaks: Block[] = [];
    const suppressed: Block[] = [];
    const freeErrors: FreeError[] = [];
    const suppressedFreeErrors: FreeError[] = [];
    for (const f of j.findings) {
      const hidden = f.severity === 'suppressed';
      if (f.kind === 'leak' || f.kind === 'pool-leak') (hidden ? suppressed : leaks).push(f.block!);
      if (f.kind === 'double-free' || f.kind === 'invalid-free') (hidden ? suppressedFreeErrors : freeErrors).push(f.freeError!);
    }
    return { ...j.facts, ok: j.ok, why: j.ok ? [] : problemPhrases(j), leaks, freeErrors, suppressed, suppressedFreeErrors };
  });
  return {
    tests,
    totals: report.totals,
    diagnostics: report.facts.diagnostics,
    leakSites: report.leakSites,
    linesRead: report.facts.linesRead,
    recordsSeen: report.facts.recordsSeen,
    verdict: report.verdict,
    regressions: report.regressions,
    baselineChanges: report.baselineChanges,
    suppressionCounts: report.suppressionCounts,
  };
}
