/**
 * The analyzer's `Report` as the HTML view model. The only module of the HTML
 * reporter that knows the analyzer's types: when the analysis core changes
 * shape, this converter is all that changes. Status, severities and reasons
 * are decided here from the report and its policy, so the page never
 * re-derives policy.
 */
import type { Block, FailedAllocation, FailOn, FreeError, Report, TestResult } from '../../analyzer/types.js';
import { testProblems } from '../../analyzer/verdict.js';
import type { HtmlModel, HtmlTest, Item, ItemKind, Severity, TestStatus } from './model.js';

/** What the HTML reporter is given. */
export type HtmlSource = Report;

function blockItem(kind: ItemKind, severity: Severity, text: string, b: Block): Item {
  return { kind, severity, text, address: b.address, size: b.size, site: b.site, line: b.line };
}

function freeItem(severity: Severity, f: FreeError): Item {
  const item: Item = {
    kind: f.kind,
    severity,
    text: f.kind === 'double-free' ? 'double free' : 'invalid free',
    address: f.address,
    size: null,
    site: f.site,
    line: f.line,
  };
  if (f.allocSite !== undefined) item.allocSite = f.allocSite;
  if (f.firstFreeSite !== undefined) item.firstFreeSite = f.firstFreeSite;
  return item;
}

function failedItem(severity: Severity, f: FailedAllocation): Item {
  return { kind: 'failed-allocation', severity, text: 'failed allocation', address: null, size: f.size, site: f.site, line: f.line };
}

function items(t: TestResult, failOn: ReadonlySet<FailOn>): Item[] {
  // What the policy fails on is an error; the rest keeps its natural weight.
  const sev = (kind: FailOn, otherwise: Severity): Severity => (failOn.has(kind) ? 'error' : otherwise);
  return [
    ...t.leaks.map((b) => blockItem('leak', sev('leak', 'warning'), 'leak', b)),
    ...t.freeErrors.map((f) => freeItem(sev('free-error', 'warning'), f)),
    ...t.failedAllocations.map((f) => failedItem(sev('failed-alloc', 'warning'), f)),
    ...t.reclaimed.map((b) => blockItem('reclaimed', sev('reclaimed', 'warning'), 'reclaimed', b)),
    ...t.persistent.map((b) => blockItem('persistent', sev('persistent', 'info'), 'persistent', b)),
    ...t.suppressed.map((b) => blockItem('leak', 'suppressed', 'leak', b)),
    ...t.suppressedFreeErrors.map((f) => freeItem('suppressed', f)),
  ];
}

function status(t: TestResult, list: readonly Item[]): TestStatus {
  if (!t.ok) return 'fail';
  if (list.some((i) => i.severity === 'warning')) return 'warn';
  return t.allocations === 0 && list.length === 0 ? 'idle' : 'ok';
}

export function fromReport(report: Report): HtmlModel {
  const regressions = new Map((report.regressions ?? []).map((r) => [r.test, r]));
  const tests = report.tests.map((t): HtmlTest => {
    const list = items(t, report.policy.failOn);
    const reasons = t.ok ? [] : testProblems(t, report.policy);
    const r = regressions.get(t.name);
    if (!t.ok && r) reasons.push(`peak grew ${r.growthPercent.toFixed(1)}% over the baseline (${r.baselinePeakBytes} → ${r.peakBytes} bytes)`);
    return {
      name: t.name,
      index: t.index,
      total: t.total,
      outcome: t.outcome,
      ok: t.ok,
      status: status(t, list),
      reasons,
      heapSize: t.heapSize,
      peakBytes: t.peakBytes,
      peakPercent: t.peakPercent,
      segments: t.segments,
      allocations: t.allocations,
      totalBytes: t.totalBytes,
      startLine: t.startLine,
      items: list,
      timeline: { heapSize: t.timeline.heapSize, points: t.timeline.points },
    };
  });
  return {
    verdict: { ok: report.verdict.ok, exitCode: report.verdict.exitCode, reasons: report.verdict.reasons },
    complete: true,
    recordsSeen: report.recordsSeen,
    linesRead: report.linesRead,
    totals: { ...report.totals },
    tests,
    leakSites: report.leakSites,
    diagnostics: report.diagnostics,
    regressions: report.regressions ?? [],
    baselineChanges: report.baselineChanges ?? null,
    suppressions: report.suppressionCounts ?? [],
  };
}
