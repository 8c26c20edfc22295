/**
 * `--reporter json`: the machine report of SPEC §5.3 (`valground-report/1`).
 * Numbers stay numbers; addresses become `0x%08x` strings.
 */
import type { Block, FreeError, Report, TestResult } from '../analyzer/types.js';
import { formatAddress } from '../protocol/records.js';
import { registerReporter } from './registry.js';

export const REPORT_SCHEMA = 'valground-report/1';

export interface JsonBlock {
  address: string;
  size: number;
  site: string;
  line: number;
}

function block(b: Block): JsonBlock {
  return { address: formatAddress(b.address), size: b.size, site: b.site, line: b.line };
}

function freeError(e: FreeError) {
  return {
    kind: e.kind,
    address: formatAddress(e.address),
    site: e.site,
    line: e.line,
    ...(e.allocSite !== undefined ? { allocSite: e.allocSite } : {}),
    ...(e.firstFreeSite !== undefined ? { firstFreeSite: e.firstFreeSite } : {}),
  };
}

function test(t: TestResult) {
  return {
    name: t.name,
    index: t.index,
    total: t.total,
    outcome: t.outcome,
    ok: t.ok,
    heapSize: t.heapSize,
    segments: t.segments,
    allocations: t.allocations,
    totalBytes: t.totalBytes,
    peakBytes: t.peakBytes,
    peakPercent: t.peakPercent,
    leaks: t.leaks.map(block),
    reclaimed: t.reclaimed.map(block),
    persistent: t.persistent.map(block),
    freeErrors: t.freeErrors.map(freeError),
    failedAllocations: t.failedAllocations,
    suppressed: t.suppressed.map(block),
    suppressedFreeErrors: t.suppressedFreeErrors.map(freeError),
  };
}

export type JsonReport = ReturnType<typeof toJson>;

/** The §5.3 document for a report. */
export function toJson(report: Report) {
  return {
    schema: REPORT_SCHEMA,
    ok: report.verdict.ok,
    exitCode: report.verdict.exitCode,
    ...(report.complete === false ? { complete: false } : {}),
    totals: report.totals,
    tests: report.tests.map(test),
    diagnostics: report.diagnostics,
    ...(report.regressions !== undefined ? { regressions: report.regressions } : {}),
    ...(report.baselineChanges !== undefined ? { baselineChanges: report.baselineChanges } : {}),
    ...(report.suppressionCounts !== undefined ? { suppressionCounts: report.suppressionCounts } : {}),
  };
}

registerReporter('json', () => ({
  end: (report) => JSON.stringify(toJson(report), null, 2) + '\n',
}));
