/**
 * What the judge decides (SPEC §4 "exit status"): findings with a severity
 * per test, whether each test and the run pass, and the exit code. Built
 * from facts (`src/analyzer/facts.ts`), never changing them.
 */
import type {
  AnalysisFacts,
  Block,
  CarriedBlock,
  Corruption,
  Diagnostic,
  FailedAllocation,
  FreeError,
  TestFacts,
} from '../analyzer/facts.js';

/** What the policy can fail on (`--fail-on KIND`), in the order help lists them. */
export const FAIL_ON_KINDS = ['leak', 'free-error', 'corruption', 'reclaimed', 'persistent', 'carried', 'failed-alloc', 'no-data'] as const;
export type FailOn = (typeof FAIL_ON_KINDS)[number];

export interface Policy {
  failOn: ReadonlySet<FailOn>;
  /** A test whose peak percent reaches this fails (`usage:N`). */
  usageThreshold: number | null;
  /** A test whose headroom at peak falls below this many bytes fails (`headroom:N`). */
  headroomFloor: number | null;
  /** Diagnostics become failures (exit 2). */
  strict: boolean;
}

/**
 * - `error`: fails the test under the policy;
 * - `warning`: worth a look, does not fail;
 * - `info`: by design (persistent blocks) or for information (carried blocks);
 * - `suppressed`: a known problem matched by a suppression rule: kept visible, not failing.
 */
export type Severity = 'error' | 'warning' | 'info' | 'suppressed';

export type FindingKind =
  | 'leak'
  | 'pool-leak'
  | 'double-free'
  | 'invalid-free'
  | 'corruption'
  | 'reclaimed'
  | 'persistent'
  | 'carried'
  | 'failed-alloc'
  | 'pool-overflow'
  | 'usage'
  | 'headroom'
  | 'regression';

/** A test over its baseline allowance. */
export interface Regression {
  test: string | null;
  baselinePeakBytes: number;
  peakBytes: number;
  /** Growth in percent, rounded to 0.01; null when the baseline peak was 0 (growth from nothing). */
  growthPercent: number | null;
}

/** One judged fact. Exactly one of the item fields is set, according to `kind`. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  block?: Block;
  carried?: CarriedBlock;
  freeError?: FreeError;
  failed?: FailedAllocation;
  corruption?: Corruption;
  /** pool-overflow: the pool and how often it overflowed in the test. */
  pool?: { pool: string; overflows: number };
  /** usage / headroom: the figure and the limit it crossed. */
  limit?: { value: number; limit: number };
  regression?: Regression;
  /** The suppression pattern that matched (severity `suppressed`). */
  suppressedBy?: { kind: 'leak' | 'free'; pattern: string };
}

export type TestStatus = 'fail' | 'warn' | 'ok' | 'idle';

export interface JudgedTest {
  facts: TestFacts;
  findings: readonly Finding[];
  /** No `error` finding. */
  ok: boolean;
  /** fail: an error; warn: a warning or a suppressed problem; idle: no heap activity; ok otherwise. */
  status: TestStatus;
}

export interface Verdict {
  ok: boolean;
  exitCode: 0 | 1 | 2;
  /** Why the run fails (empty when ok). */
  reasons: string[];
  /** What the reader must know even when it passes (unread records, an interrupted input). */
  notes: string[];
}

/** Run totals under the policy (suppressed items not counted as problems). */
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
  peakBytes: number;
  peakPercent: number | null;
  suppressed: number;
  carried: number;
  corruption: number;
  poolLeaks: number;
}

/** Leaks sharing one allocation site, across tests. */
export interface LeakSite {
  site: string;
  count: number;
  bytes: number;
  tests: Array<string | null>;
}

export interface SuppressionCount {
  pattern: string;
  kind: 'leak' | 'free';
  count: number;
}

export interface JudgedReport {
  facts: AnalysisFacts;
  tests: readonly JudgedTest[];
  totals: Totals;
  leakSites: LeakSite[];
  verdict: Verdict;
  policy: Policy;
  /**
   * The input's diagnostics, as every reporter lists them: without the
   * no-profiling marker, which `noData` speaks for.
   */
  diagnostics: readonly Diagnostic[];
  /** How the diagnostics count: errors under --strict, else warnings. */
  diagnosticSeverity: 'error' | 'warning';
  /** No profiling record at all: an error under `--fail-on no-data`, else a warning; null when records were read. */
  noData: 'error' | 'warning' | null;
  /** Baseline comparison, when a baseline was given. */
  regressions?: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
  /** How many items each suppression pattern matched, in rule order. */
  suppressionCounts?: SuppressionCount[];
}
