/**
 * The analysis result model. Field names follow the JSON report of SPEC §5.3;
 * addresses stay numbers here and are formatted `0x%08x` by reporters.
 */

export type Outcome = 'passed' | 'failed' | 'skipped' | 'xfail' | 'xpass' | 'error';

/** A heap block: where it lives, how big, who allocated it, on which log line. */
export interface Block {
  address: number;
  size: number;
  site: string;
  /** Log line of the alloc/persist record. */
  line: number;
}

export type FreeErrorKind = 'double-free' | 'invalid-free';

export interface FreeError {
  kind: FreeErrorKind;
  address: number;
  /** Site of the offending free. */
  site: string;
  /** Log line of the offending free. */
  line: number;
  /** Site that allocated the block (double free only, when known). */
  allocSite?: string;
  /** Site of the first free (double free only). */
  firstFreeSite?: string;
}

export interface FailedAllocation {
  size: number;
  site: string;
  line: number;
}

/** One point of a test's heap-usage timeline: the log line and live bytes after it. */
export interface TimelinePoint {
  line: number;
  live: number;
}

export interface Timeline {
  /** Downsampled (live bytes) history of the test, bounded in length. */
  points: TimelinePoint[];
  /** Heap size ceiling at the time, or null when unknown. */
  heapSize: number | null;
}

export interface TestResult {
  /** pytest node id (or `PATH #k`, or a `test;NAME` record), null outside any test. */
  name: string | null;
  /** 1-based position among the tests seen. */
  index: number;
  /** Number of tests pytest announced (`collected N items`), null if unknown. */
  total: number | null;
  outcome: Outcome | null;
  /** Whether this test passes the active policy (suppressions applied). */
  ok: boolean;
  /** Heap size of the test's (last) segment; null when unknown. */
  heapSize: number | null;
  /** Segments (heap initialisations) this test ran in. */
  segments: number;
  allocations: number;
  totalBytes: number;
  peakBytes: number;
  peakPercent: number | null;
  leaks: Block[];
  reclaimed: Block[];
  persistent: Block[];
  freeErrors: FreeError[];
  failedAllocations: FailedAllocation[];
  /** Items matched by a suppression rule: not failures, still shown. */
  suppressed: Block[];
  suppressedFreeErrors: FreeError[];
  /** Log line where the test started (0 for activity outside any test). */
  startLine: number;
  timeline: Timeline;
}

export type DiagnosticKind =
  | 'bad-record'
  | 'no-init'
  | 'live-address'
  | 'no-profiling'
  | 'compat'
  | 'input'
  /** A line longer than --max-line-bytes, cut there. */
  | 'long-line';

export interface Diagnostic {
  line: number;
  kind: DiagnosticKind;
  message: string;
}

export interface Totals {
  tests: number;
  segments: number;
  allocations: number;
  totalBytes: number;
  leaks: number;
  leakedBytes: number;
  reclaimed: number;
  doubleFrees: number;
  invalidFrees: number;
  persistent: number;
  persistentBytes: number;
  failedAllocations: number;
  /** Highest segment peak (the reference's "Higher Max overtime"). */
  peakBytes: number;
  peakPercent: number | null;
  suppressed: number;
}

/** Leaks sharing one allocation site, across tests. */
export interface LeakSite {
  site: string;
  count: number;
  bytes: number;
  tests: Array<string | null>;
}

export interface AnalysisResult {
  tests: TestResult[];
  totals: Totals;
  diagnostics: Diagnostic[];
  leakSites: LeakSite[];
  /** Whether any profiling record was seen at all. */
  recordsSeen: boolean;
  linesRead: number;
}

/** Something the policy fails on, with where it comes from. */
export type FailOn =
  | 'leak'
  | 'free-error'
  | 'reclaimed'
  | 'persistent'
  | 'failed-alloc'
  | 'no-data';

export interface Policy {
  failOn: ReadonlySet<FailOn>;
  /** A test whose peak percent reaches this fails (`usage:N`). */
  usageThreshold: number | null;
  /** Diagnostics become failures (exit 2). */
  strict: boolean;
}

export interface Verdict {
  ok: boolean;
  exitCode: 0 | 1 | 2;
  /** Human-readable reasons the run fails (empty when ok). */
  reasons: string[];
}

/** What reporters receive: the analysis plus the verdict under the policy. */
export interface Report extends AnalysisResult {
  /** False when the input ended early (an interrupted run): what was read is reported. */
  complete?: boolean;
  verdict: Verdict;
  policy: Policy;
  /** Baseline comparison, when `--baseline` was given. */
  regressions?: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
  /** How many items each suppression pattern matched, in file order. */
  suppressionCounts?: Array<{ pattern: string; kind: 'leak' | 'free'; count: number }>;
}

export interface Regression {
  test: string | null;
  baselinePeakBytes: number;
  peakBytes: number;
  growthPercent: number;
}
