/**
 * The judged report as the HTML view model. The only module of the HTML
 * reporter that knows the judge's and the analyzer's types. Status,
 * severities and reasons are the judge's, worded by the shared presentation
 * module, so the page says what every other reporter says.
 */
import type { Block, HeapMap as FactsHeapMap } from '../../analyzer/facts.js';
import type { Finding, JudgedReport, JudgedTest } from '../../judge/types.js';
import { FINDING_LABEL, poolSizingLine, problemPhrases, regressionGrowth } from '../present.js';
import type { HeapMap, HtmlModel, HtmlTest, Item, ItemKind } from './model.js';

/** What the HTML reporter is given. */
export type HtmlSource = JudgedReport;

function blockItem(kind: ItemKind, f: Finding, b: Block, text: string): Item {
  const item: Item = { kind, severity: f.severity, text, address: b.address, size: b.size, site: b.site, line: b.line };
  if (b.heap !== undefined) item.heap = b.heap;
  return item;
}

/** A finding as a row of the test's details; null for those the page shows elsewhere (limits, regressions, overflows). */
function item(f: Finding): Item | null {
  switch (f.kind) {
    case 'leak':
    case 'reclaimed':
    case 'persistent':
      return blockItem(f.kind, f, f.block!, FINDING_LABEL[f.kind].word);
    case 'pool-leak':
      return blockItem('leak', f, f.block!, 'pool leak');
    case 'carried': {
      const c = f.carried!;
      return { ...blockItem('carried', f, c, 'carried'), freedBy: c.freedBy };
    }
    case 'double-free':
    case 'invalid-free': {
      const e = f.freeError!;
      const it: Item = { kind: f.kind, severity: f.severity, text: FINDING_LABEL[f.kind].word, address: e.address, size: null, site: e.site, line: e.line };
      if (e.allocSite !== undefined) it.allocSite = e.allocSite;
      if (e.firstFreeSite !== undefined) it.firstFreeSite = e.firstFreeSite;
      if (e.heap !== undefined) it.heap = e.heap;
      return it;
    }
    case 'failed-alloc': {
      const x = f.failed!;
      return { kind: 'failed-allocation', severity: f.severity, text: 'failed allocation', address: null, size: x.size, site: x.site, line: x.line };
    }
    case 'corruption': {
      const c = f.corruption!;
      const it: Item = { kind: 'corruption', severity: f.severity, text: c.what, address: c.address, size: null, site: c.site ?? '(unknown site)', line: c.line };
      if (c.heap !== null) it.heap = c.heap;
      return it;
    }
    default:
      return null;
  }
}

function heapMap(m: FactsHeapMap): HeapMap {
  return { heap: m.heap, base: m.base, heapSize: m.heapSize, chunks: m.chunks };
}

function test(j: JudgedTest): HtmlTest {
  const t = j.facts;
  const items: Item[] = [];
  for (const f of j.findings) {
    const it = item(f);
    if (it !== null) items.push(it);
  }
  const out: HtmlTest = {
    name: t.name,
    index: t.index,
    total: t.total,
    outcome: t.outcome,
    ok: j.ok,
    status: j.status,
    reasons: j.ok ? [] : problemPhrases(j),
    heapSize: t.heapSize,
    peakBytes: t.peakBytes,
    peakPercent: t.peakPercent,
    segments: t.segments,
    allocations: t.allocations,
    totalBytes: t.totalBytes,
    startLine: t.startLine,
    items,
    timeline: { heapSize: t.timeline.heapSize, points: t.timeline.points },
  };
  if (t.layout) out.layout = t.layout;
  if (t.heapMap) out.heapMap = heapMap(t.heapMap);
  if (t.heaps) out.heaps = t.heaps.map((h) => ({ ...h, layout: h.layout ?? undefined }));
  if (t.pools) out.pools = t.pools.map((p) => ({ pool: p.pool, blockSize: p.blockSize, blocks: p.blocks, maxInUse: p.maxInUse, overflows: p.overflows }));
  return out;
}

export function fromReport(report: JudgedReport): HtmlModel {
  const f = report.facts;
  const model: HtmlModel = {
    verdict: { ok: report.verdict.ok, exitCode: report.verdict.exitCode, reasons: [...report.verdict.reasons, ...report.verdict.notes] },
    complete: f.complete,
    recordsSeen: f.recordsSeen,
    linesRead: f.linesRead,
    totals: { ...report.totals },
    tests: report.tests.map(test),
    leakSites: report.leakSites,
    diagnostics: [...report.diagnostics],
    regressions: (report.regressions ?? []).map((r) => ({ ...r, growth: regressionGrowth(r) })),
    baselineChanges: report.baselineChanges ?? null,
    suppressions: report.suppressionCounts ?? [],
  };
  if (f.sites.length > 0) model.sites = f.sites;
  if (f.pools.length > 0) model.pools = f.pools.map((p) => ({ ...p, sizing: poolSizingLine(p) }));
  return model;
}
