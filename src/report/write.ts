/**
 * The judged report → the JSON document of SPEC §5.3, shaped by the one
 * schema (`schema.ts`). Problems matched by a suppression rule are listed
 * apart (`suppressed`, `suppressedFreeErrors`), as they do not fail.
 */
import type { Block, FreeError, PoolUsage } from '../analyzer/facts.js';
import type { JudgedReport, JudgedTest } from '../judge/types.js';
import { formatAddress } from '../protocol/records.js';
import { REPORT_SCHEMA } from './names.js';
import type { BlockDoc, FreeErrorDoc, ReportDoc, TestDoc } from './schema.js';

function block(b: Block): BlockDoc {
  const d: BlockDoc = { address: formatAddress(b.address), size: b.size, site: b.site, line: b.line };
  if (b.heap !== undefined) d.heap = b.heap;
  return d;
}

function freeError(e: FreeError): FreeErrorDoc {
  const d: FreeErrorDoc = { kind: e.kind, address: formatAddress(e.address), site: e.site, line: e.line };
  if (e.allocSite !== undefined) d.allocSite = e.allocSite;
  if (e.firstFreeSite !== undefined) d.firstFreeSite = e.firstFreeSite;
  if (e.heap !== undefined) d.heap = e.heap;
  return d;
}

function test(j: JudgedTest): TestDoc {
  const t = j.facts;
  const leaks: BlockDoc[] = [];
  const suppressed: BlockDoc[] = [];
  const freeErrors: FreeErrorDoc[] = [];
  const suppressedFreeErrors: FreeErrorDoc[] = [];
  const poolLeaks = new Map<string, BlockDoc[]>();
  for (const f of j.findings) {
    const hidden = f.severity === 'suppressed';
    if (f.kind === 'leak') (hidden ? suppressed : leaks).push(block(f.block!));
    else if (f.kind === 'pool-leak') {
      if (hidden) suppressed.push(block(f.block!));
      else {
        const pool = f.block!.heap ?? '';
        poolLeaks.set(pool, [...(poolLeaks.get(pool) ?? []), block(f.block!)]);
      }
    } else if (f.kind === 'double-free' || f.kind === 'invalid-free') (hidden ? suppressedFreeErrors : freeErrors).push(freeError(f.freeError!));
  }
  const d: TestDoc = {
    name: t.name,
    index: t.index,
    total: t.total,
    outcome: t.outcome,
    ok: j.ok,
    heapSize: t.heapSize,
    segments: t.segments,
    allocations: t.allocations,
    totalBytes: t.totalBytes,
    peakBytes: t.peakBytes,
    peakPercent: t.peakPercent,
    leaks,
    reclaimed: t.reclaimed.map(block),
    persistent: t.persistent.map(block),
    freeErrors,
    failedAllocations: t.failedAllocations.map((f) => ({ ...f })),
    suppressed,
    suppressedFreeErrors,
    startLine: t.startLine,
    carried: t.carried.map((c) => ({ ...block(c), freedBy: c.freedBy, freeLine: c.freeLine })),
    corruption: t.corruption.map((c) => ({ ...c, address: c.address === null ? null : formatAddress(c.address) })),
  };
  if (t.lane !== undefined) d.lane = t.lane;
  if (t.layout !== undefined) d.layout = t.layout;
  if (t.heaps !== undefined) d.heaps = t.heaps.map((h) => ({ ...h }));
  if (t.pools !== undefined) d.pools = t.pools.map((p: PoolUsage) => ({ ...p, leaks: poolLeaks.get(p.pool) ?? [] }));
  return d;
}

/** The §5.3 document for a judged report. */
export function toJson(report: JudgedReport): ReportDoc {
  const f = report.facts;
  const doc: ReportDoc = {
    schema: REPORT_SCHEMA,
    ok: report.verdict.ok,
    exitCode: report.verdict.exitCode,
    totals: { ...report.totals },
    tests: report.tests.map(test),
    diagnostics: f.diagnostics.map((d) => ({ ...d })),
    // additions (§5.3)
    complete: f.complete,
    reasons: report.verdict.reasons,
    notes: report.verdict.notes,
    recordsSeen: f.recordsSeen,
    unreadRecords: f.unreadRecords,
    linesRead: f.linesRead,
    harnesses: f.harnesses,
    sites: f.sites.map((s) => ({ ...s })),
    pools: f.pools.map((p) => ({ ...p })),
  };
  if (report.regressions !== undefined) doc.regressions = report.regressions.map((r) => ({ ...r }));
  if (report.baselineChanges !== undefined) doc.baselineChanges = report.baselineChanges;
  if (report.suppressionCounts !== undefined) doc.suppressionCounts = report.suppressionCounts.map((c) => ({ ...c }));
  return doc;
}

/** The document as text: what `--reporter json` writes. */
export function renderJson(report: JudgedReport): string {
  return JSON.stringify(toJson(report), null, 2) + '\n';
}
