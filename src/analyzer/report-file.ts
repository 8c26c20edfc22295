/**
 * Reading back a JSON report (`"schema": "valground-report/1"`, SPEC §5.3)
 * for `--baseline` and `valground merge`. Every field is checked, so a wrong
 * file fails with a message naming the file and the field rather than with
 * NaN totals further down. Parsing is pure; `loadReportFile` does the I/O.
 */
import { readFile } from 'node:fs/promises';
import { parseNumber } from '../protocol/records.js';
import { REPORT_SCHEMA } from '../reporters/json.js';
import { COUNTED_TOTALS } from './totals.js';
import type {
  AnalysisResult,
  Block,
  Diagnostic,
  DiagnosticKind,
  FailedAllocation,
  FreeError,
  Outcome,
  Regression,
  TestResult,
  Totals,
} from './types.js';


/** An unreadable file or one that is not a valground report: an input error (exit 2). */
export class ReportFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ReportFileError';
  }
}

export interface LoadedReport {
  file: string;
  /** The report as an analysis result (timelines are not in the JSON: empty). */
  result: AnalysisResult;
  ok: boolean;
  exitCode: number;
  regressions: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
  suppressionCounts: Array<{ pattern: string; kind: 'leak' | 'free'; count: number }>;
}

type Json = Record<string, unknown>;

class Reader {
  constructor(readonly file: string) {}

  fail(path: string, expected: string): never {
    throw new ReportFileError(this.file, `${path}: expected ${expected}`);
  }

  object(v: unknown, path: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object');
    return v as Json;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'an array');
    return v;
  }

  number(v: unknown, path: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'a number');
    return v;
  }

  numberOrNull(v: unknown, path: string): number | null {
    return v === null ? null : this.number(v, path);
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, 'a string');
    return v;
  }

  stringOrNull(v: unknown, path: string): string | null {
    return v === null ? null : this.string(v, path);
  }

  boolean(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, 'true or false');
    return v;
  }

  /** Addresses are `"0x%08x"` strings in the report. */
  address(v: unknown, path: string): number {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    const n = typeof v === 'string' ? parseNumber(v) : undefined;
    if (n === undefined) this.fail(path, 'an address such as "0xda7a0010"');
    return n;
  }

  /** Lists added by later issues are optional in older reports. */
  list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] {
    if (v === undefined) return [];
    return this.array(v, path).map((x, i) => item(x, `${path}[${i}]`));
  }

  block = (v: unknown, path: string): Block => {
    const o = this.object(v, path);
    return {
      address: this.address(o.address, `${path}.address`),
      size: this.number(o.size, `${path}.size`),
      site: this.string(o.site, `${path}.site`),
      line: this.number(o.line, `${path}.line`),
    };
  };

  freeError = (v: unknown, path: string): FreeError => {
    const o = this.object(v, path);
    if (o.kind !== 'double-free' && o.kind !== 'invalid-free') this.fail(`${path}.kind`, '"double-free" or "invalid-free"');
    const e: FreeError = {
      kind: o.kind,
      address: this.address(o.address, `${path}.address`),
      site: this.string(o.site, `${path}.site`),
      line: this.number(o.line, `${path}.line`),
    };
    if (o.allocSite !== undefined && o.allocSite !== null) e.allocSite = this.string(o.allocSite, `${path}.allocSite`);
    if (o.firstFreeSite !== undefined && o.firstFreeSite !== null) {
      e.firstFreeSite = this.string(o.firstFreeSite, `${path}.firstFreeSite`);
    }
    return e;
  };

  failedAllocation = (v: unknown, path: string): FailedAllocation => {
    const o = this.object(v, path);
    return {
      size: this.number(o.size, `${path}.size`),
      site: this.string(o.site, `${path}.site`),
      line: this.number(o.line, `${path}.line`),
    };
  };
}

const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['passed', 'failed', 'skipped', 'xfail', 'xpass', 'error']);
const DIAGNOSTIC_KINDS: ReadonlySet<string> = new Set<DiagnosticKind>([
  'bad-record',
  'no-init',
  'live-address',
  'no-profiling',
  'compat',
  'input',
  'long-line',
]);

function readTest(r: Reader, v: unknown, path: string): TestResult {
  const o = r.object(v, path);
  const outcome = r.stringOrNull(o.outcome ?? null, `${path}.outcome`);
  if (outcome !== null && !OUTCOMES.has(outcome)) r.fail(`${path}.outcome`, `one of ${[...OUTCOMES].join(', ')} or null`);
  const heapSize = r.numberOrNull(o.heapSize, `${path}.heapSize`);
  return {
    name: r.stringOrNull(o.name, `${path}.name`),
    index: r.number(o.index, `${path}.index`),
    total: r.numberOrNull(o.total ?? null, `${path}.total`),
    outcome: outcome as Outcome | null,
    ok: r.boolean(o.ok, `${path}.ok`),
    heapSize,
    segments: r.number(o.segments, `${path}.segments`),
    allocations: r.number(o.allocations, `${path}.allocations`),
    totalBytes: r.number(o.totalBytes, `${path}.totalBytes`),
    peakBytes: r.number(o.peakBytes, `${path}.peakBytes`),
    peakPercent: r.numberOrNull(o.peakPercent, `${path}.peakPercent`),
    leaks: r.list(o.leaks, `${path}.leaks`, r.block),
    reclaimed: r.list(o.reclaimed, `${path}.reclaimed`, r.block),
    persistent: r.list(o.persistent, `${path}.persistent`, r.block),
    freeErrors: r.list(o.freeErrors, `${path}.freeErrors`, r.freeError),
    failedAllocations: readFailedAllocations(r, o.failedAllocations, `${path}.failedAllocations`),
    // optional: reports written without suppressions may lack them
    suppressed: o.suppressed === undefined ? [] : r.list(o.suppressed, `${path}.suppressed`, r.block),
    suppressedFreeErrors:
      o.suppressedFreeErrors === undefined ? [] : r.list(o.suppressedFreeErrors, `${path}.suppressedFreeErrors`, r.freeError),
    startLine: o.startLine === undefined ? 0 : r.number(o.startLine, `${path}.startLine`),
    timeline: { points: [], heapSize },
  };
}

function readFailedAllocations(r: Reader, v: unknown, path: string): FailedAllocation[] {
  return r.list(v, path, r.failedAllocation);
}

/** Every numeric total; `suppressed` is optional (reports written before suppressions). */
const TOTAL_FIELDS = [...COUNTED_TOTALS.filter((k) => k !== 'suppressed'), 'peakBytes'] as const;

function readTotals(r: Reader, v: unknown): Totals {
  const o = r.object(v, 'totals');
  const totals = { peakPercent: r.numberOrNull(o.peakPercent, 'totals.peakPercent') } as Totals;
  for (const k of TOTAL_FIELDS) totals[k] = r.number(o[k], `totals.${k}`);
  totals.suppressed = o.suppressed === undefined ? 0 : r.number(o.suppressed, 'totals.suppressed');
  return totals;
}

function readDiagnostic(r: Reader, v: unknown, path: string): Diagnostic {
  const o = r.object(v, path);
  const kind = r.string(o.kind, `${path}.kind`);
  if (!DIAGNOSTIC_KINDS.has(kind)) r.fail(`${path}.kind`, `one of ${[...DIAGNOSTIC_KINDS].join(', ')}`);
  return { line: r.number(o.line, `${path}.line`), kind: kind as DiagnosticKind, message: r.string(o.message, `${path}.message`) };
}

function readRegression(r: Reader, v: unknown, path: string): Regression {
  const o = r.object(v, path);
  return {
    test: r.stringOrNull(o.test, `${path}.test`),
    baselinePeakBytes: r.number(o.baselinePeakBytes, `${path}.baselinePeakBytes`),
    peakBytes: r.number(o.peakBytes, `${path}.peakBytes`),
    // JSON has no Infinity: growth from a zero baseline is written as null.
    growthPercent: o.growthPercent === null ? Infinity : r.number(o.growthPercent, `${path}.growthPercent`),
  };
}

/** Parses and validates a JSON report; `file` names it in errors. */
export function parseReportJson(text: string, file: string): LoadedReport {
  let data: unknown;
  try {
    // Editors on some systems save UTF-8 with a byte order mark; JSON.parse refuses it.
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ReportFileError(file, `not JSON (${(e as Error).message})`);
  }
  const r: Reader = new Reader(file);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ReportFileError(file, `not a valground JSON report (expected an object with "schema": "${REPORT_SCHEMA}")`);
  }
  const o = data as Json;
  if (o.schema !== REPORT_SCHEMA) {
    throw new ReportFileError(
      file,
      `not a valground JSON report (schema ${JSON.stringify(o.schema ?? null)}, expected "${REPORT_SCHEMA}")`,
    );
  }
  const tests = r.array(o.tests, 'tests').map((t, i) => readTest(r, t, `tests[${i}]`));
  const totals = readTotals(r, o.totals);
  const diagnostics = r.list(o.diagnostics, 'diagnostics', (d, p) => readDiagnostic(r, d, p));
  const regressions = r.list(o.regressions, 'regressions', (x, p) => readRegression(r, x, p));
  const result: AnalysisResult = {
    tests,
    totals,
    diagnostics,
    leakSites: [],
    recordsSeen: recordsSeenIn(o, totals, diagnostics),
    linesRead: 0,
  };
  const loaded: LoadedReport = {
    file,
    result,
    ok: r.boolean(o.ok, 'ok'),
    exitCode: r.number(o.exitCode, 'exitCode'),
    regressions,
    suppressionCounts: r.list(o.suppressionCounts, 'suppressionCounts', (x, p) => {
      const c = r.object(x, p);
      const kind = c.kind;
      if (kind !== 'leak' && kind !== 'free') r.fail(`${p}.kind`, '"leak" or "free"');
      return { pattern: r.string(c.pattern, `${p}.pattern`), kind, count: r.number(c.count, `${p}.count`) };
    }),
  };
  if (o.baselineChanges !== undefined) {
    const b = r.object(o.baselineChanges, 'baselineChanges');
    loaded.baselineChanges = {
      added: r.list(b.added, 'baselineChanges.added', (x, p) => r.string(x, p)),
      removed: r.list(b.removed, 'baselineChanges.removed', (x, p) => r.string(x, p)),
    };
  }
  return loaded;
}

/**
 * The JSON has no "records seen" flag: a run without records is the one
 * the analyzer flagged `no-profiling`, or one without any heap activity.
 */
function recordsSeenIn(o: Json, totals: Totals, diagnostics: Diagnostic[]): boolean {
  if (typeof o.recordsSeen === 'boolean') return o.recordsSeen;
  if (diagnostics.some((d) => d.kind === 'no-profiling')) return false;
  return totals.segments > 0 || totals.allocations > 0 || totals.doubleFrees + totals.invalidFrees + totals.failedAllocations > 0;
}

export async function loadReportFile(file: string): Promise<LoadedReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ReportFileError(file, `cannot read (${err.code ?? err.message})`);
  }
  return parseReportJson(text, file);
}
