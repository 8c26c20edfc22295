/**
 * Reading a JSON report back (`--baseline`, `valground merge`): validated
 * by the one schema, then turned back into facts that the judge can weigh
 * again. Every report this project ever wrote reads (older ones lack the
 * later additions, which the schema makes optional). Pure: the CLI reads
 * the files.
 */
import type { AnalysisFacts, Block, Diagnostic, FreeError, PoolUsage, TestFacts } from '../analyzer/facts.js';
import type { Regression, SuppressionCount } from '../judge/types.js';
import { parseAddress } from '../protocol/records.js';
import { REPORT_SCHEMA, ReportSchema, type BlockDoc, type FreeErrorDoc, type ReportDoc, type TestDoc } from './schema.js';

/** A file that is not a valground report: an input error (exit 2). */
export class ReportFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ReportFileError';
  }
}

/** Parses and validates a report's text; `file` names it in errors. A UTF-8 BOM is allowed. */
export function parseReport(text: string, file: string): ReportDoc {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ReportFileError(file, `not JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || (data as { schema?: unknown }).schema !== REPORT_SCHEMA) {
    const schema = typeof data === 'object' && data !== null ? (data as { schema?: unknown }).schema : undefined;
    throw new ReportFileError(
      file,
      `not a valground JSON report (schema ${JSON.stringify(schema ?? null)}, expected "${REPORT_SCHEMA}")`,
    );
  }
  const r = ReportSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ReportFileError(file, `${path || '(top)'}: ${describeIssue(issue)}`);
  }
  return r.data;
}

const ARTICLE: Record<string, string> = { number: 'a number', string: 'a string', boolean: 'true or false', array: 'an array', object: 'an object' };

/** A schema issue in words: `expected a number`. */
function describeIssue(issue: { code: string; message: string; expected?: unknown }): string {
  if (issue.code === 'invalid_type' && typeof issue.expected === 'string') return `expected ${ARTICLE[issue.expected] ?? issue.expected}`;
  return issue.message;
}

/** The schema took only addresses that read back exactly. */
function addressOf(a: string | number): number {
  return typeof a === 'number' ? a : parseAddress(a)!;
}

function blockFacts(b: BlockDoc): Block {
  const out: Block = { address: addressOf(b.address), size: b.size, site: b.site, line: b.line };
  if (b.heap !== undefined) out.heap = b.heap;
  return out;
}

function freeErrorFacts(e: FreeErrorDoc): FreeError {
  const out: FreeError = { kind: e.kind, address: addressOf(e.address), site: e.site, line: e.line };
  if (e.allocSite !== undefined && e.allocSite !== null) out.allocSite = e.allocSite;
  if (e.firstFreeSite !== undefined && e.firstFreeSite !== null) out.firstFreeSite = e.firstFreeSite;
  if (e.heap !== undefined) out.heap = e.heap;
  return out;
}

/** A test as facts: what was suppressed is a fact again (the judge decides anew). */
export function testFacts(d: TestDoc): TestFacts {
  const poolNames = new Set((d.pools ?? []).map((p) => p.pool));
  const suppressedPool = (b: BlockDoc) => b.heap !== undefined && poolNames.has(b.heap);
  const t: TestFacts = {
    name: d.name,
    index: d.index,
    total: d.total,
    outcome: d.outcome,
    heapSize: d.heapSize,
    segments: d.segments,
    allocations: d.allocations,
    totalBytes: d.totalBytes,
    peakBytes: d.peakBytes,
    peakPercent: d.peakPercent,
    leaks: [...d.leaks, ...d.suppressed.filter((b) => !suppressedPool(b))].map(blockFacts),
    reclaimed: d.reclaimed.map(blockFacts),
    persistent: d.persistent.map(blockFacts),
    freeErrors: [...d.freeErrors, ...d.suppressedFreeErrors].map(freeErrorFacts),
    failedAllocations: d.failedAllocations.map((f) => ({ ...f })),
    carried: (d.carried ?? []).map((c) => ({ ...blockFacts(c), freedBy: c.freedBy, freeLine: c.freeLine ?? 0 })),
    corruption: (d.corruption ?? []).map((c) => ({ ...c, address: c.address === null ? null : addressOf(c.address) })),
    startLine: d.startLine ?? 0,
    timeline: { points: [], heapSize: d.heapSize },
  };
  if (d.lane !== undefined) t.lane = d.lane;
  if (d.layout !== undefined) t.layout = d.layout;
  if (d.heaps !== undefined) t.heaps = d.heaps.map((h) => ({ ...h, layout: h.layout ?? null }));
  if (d.pools !== undefined) {
    t.pools = d.pools.map(
      (p): PoolUsage => ({
        ...p,
        leaks: [...p.leaks, ...d.suppressed.filter((b) => b.heap === p.pool)].map(blockFacts),
      }),
    );
  }
  return t;
}

/**
 * The JSON of older versions had no "records seen" flag: a run without
 * records is the one flagged `no-profiling`, or one without any heap activity.
 */
function recordsSeenIn(doc: ReportDoc, diagnostics: Diagnostic[]): boolean {
  if (doc.recordsSeen !== undefined) return doc.recordsSeen;
  if (diagnostics.some((d) => d.kind === 'no-profiling')) return false;
  const t = doc.totals;
  return t.segments > 0 || t.allocations > 0 || t.doubleFrees + t.invalidFrees + t.failedAllocations > 0;
}

/** What a report says, as facts plus the judgments it carries that facts cannot (its rules, its baseline's verdicts). */
export interface ReadReport {
  file: string;
  doc: ReportDoc;
  facts: AnalysisFacts;
  /** Suppression patterns the report was judged with (from its counts). */
  suppressions: SuppressionCount[];
  regressions: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
}

export function readReport(doc: ReportDoc, file: string): ReadReport {
  const diagnostics = doc.diagnostics.map((d) => ({ ...d }) as Diagnostic);
  const facts: AnalysisFacts = {
    tests: doc.tests.map(testFacts),
    diagnostics,
    recordsSeen: recordsSeenIn(doc, diagnostics),
    unreadRecords: doc.unreadRecords ?? 0,
    linesRead: doc.linesRead ?? 0,
    segments: doc.totals.segments,
    peakBytes: doc.totals.peakBytes,
    peakPercent: doc.totals.peakPercent,
    harnesses: (doc.harnesses ?? []) as AnalysisFacts['harnesses'],
    sites: (doc.sites ?? []).map((s) => ({ ...s })),
    pools: (doc.pools ?? []).map((p) => ({ ...p, grew: p.grew ?? 0, parent: p.parent ?? null })),
    complete: doc.complete ?? true,
  };
  const out: ReadReport = {
    file,
    doc,
    facts,
    suppressions: doc.suppressionCounts ?? [],
    regressions: doc.regressions ?? [],
  };
  if (doc.baselineChanges !== undefined) out.baselineChanges = doc.baselineChanges;
  return out;
}
