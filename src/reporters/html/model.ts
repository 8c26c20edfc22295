/**
 * The view model of the HTML report: the plain data the page is built from.
 *
 * Everything the page shows is decided here, upstream of the page: a test's
 * status, each item's severity and the reasons a test fails come from the
 * judge, never re-derived in the browser. Only from-report.ts maps the
 * analyzer's types (the layout figures it shares as they are); the page
 * builder, the packer and the client read this.
 */

import type { Layout, SiteCensus, Timeline, TimelinePoint } from '../../analyzer/facts.js';

/** How an item counts under the policy: fails the run, warns, informs, or matched a suppression rule. */
export type Severity = 'error' | 'warning' | 'info' | 'suppressed';

/** A test's row colour and label. */
export type TestStatus = 'fail' | 'warn' | 'ok' | 'idle';

export type ItemKind =
  | 'leak'
  | 'double-free'
  | 'invalid-free'
  | 'reclaimed'
  | 'persistent'
  | 'failed-allocation'
  | 'carried'
  | 'corruption';

/** One finding or kept block of a test. */
export interface Item {
  kind: ItemKind;
  severity: Severity;
  /** Display text of the kind column: "leak", "double free", or what a corruption check found. */
  text: string;
  /** Block address; null when there is none (a refused request). */
  address: number | null;
  /** Block size or refused request, in bytes; null when unknown. */
  size: number | null;
  /** Where it happened: the allocation of a block, the bad free, the refused request, the check. */
  site: string;
  /** Log line of that record. */
  line: number;
  /** Double free: the site that allocated the block. */
  allocSite?: string;
  /** Double free: the site of the first free. */
  firstFreeSite?: string;
  /** Pool block leaked with references: the site of its last `ref@`. */
  lastRefSite?: string;
  /** Carried block: the test that freed it (null: outside any test). */
  freedBy?: string | null;
  /** Heap or pool, when not the default heap. */
  heap?: string;
}

/** A test's live bytes over time, and the layout at its peak (SPEC §4.5): the analyzer's own facts, shown as they are. */
export type { Layout, Timeline, TimelinePoint };

export type ChunkKind = 'header' | 'used' | 'free';

export interface HeapChunk {
  /** From the heap start, in bytes. */
  offset: number;
  size: number;
  kind: ChunkKind;
  /** Used chunk: the bytes asked for (the rest is header and rounding). */
  requested?: number;
  /** Used chunk: its allocation site. */
  site?: string;
}

/** The heap at the test's peak; chunks tile [0, heapSize) in offset order. */
export interface HeapMap {
  heap: string | null;
  /** Address of offset 0. */
  base: number;
  heapSize: number;
  chunks: HeapChunk[];
}

/** A test's usage of one heap, when it used several. */
export interface HeapUsage {
  heap: string | null;
  heapSize: number | null;
  segments: number;
  allocations: number;
  totalBytes: number;
  peakBytes: number;
  peakPercent: number | null;
  layout?: Layout;
}

/** A test's use of one fixed-size pool; its leaked blocks are items with `heap` set to the pool. */
export interface TestPool {
  pool: string;
  blockSize: number;
  blocks: number;
  maxInUse: number;
  overflows: number;
}

export interface HtmlTest {
  name: string | null;
  /** 1-based position among the tests seen. */
  index: number;
  total: number | null;
  outcome: string | null;
  ok: boolean;
  status: TestStatus;
  /** Why the test fails, in the policy's words (empty when it passes). */
  reasons: string[];
  heapSize: number | null;
  peakBytes: number;
  peakPercent: number | null;
  segments: number;
  allocations: number;
  totalBytes: number;
  /** Log line where the test started (0 outside any test). */
  startLine: number;
  /** Leaks, bad frees, kept, carried and corrupted blocks, in log order per kind. */
  items: Item[];
  timeline: Timeline | null;
  heaps?: HeapUsage[];
  pools?: TestPool[];
  layout?: Layout;
  heapMap?: HeapMap;
}

export interface HtmlTotals {
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
  suppressed: number;
  carried?: number;
  corruption?: number;
  /** Highest segment peak. */
  peakBytes: number;
  peakPercent: number | null;
}

/** Leaks sharing one allocation site, across tests. */
export interface LeakSite {
  site: string;
  count: number;
  bytes: number;
  tests: Array<string | null>;
}

/** The allocation census of one call site over the run (SPEC §4.4), as the analyzer counts it. */
export type CensusSite = SiteCensus;

/** A fixed-size pool over the run (SPEC §4.1). */
export interface RunPool {
  pool: string;
  blockSize: number;
  blocks: number;
  maxInUse: number;
  maxInUseTest: string | null;
  overflows: number;
  /** The sizing line, e.g. "pool `app.tx`: 12 blocks, at most 9 in use (…); 3 spare". */
  sizing: string;
}

export interface Diagnostic {
  line: number;
  kind: string;
  message: string;
}

export interface Regression {
  test: string | null;
  baselinePeakBytes: number;
  peakBytes: number;
  /** null: growth from a zero baseline. */
  growthPercent: number | null;
  /** How every reporter words it: `+12.5%`, `from 0`. */
  growth: string;
}

export interface SuppressionCount {
  pattern: string;
  kind: string;
  count: number;
}

export interface HtmlModel {
  verdict: { ok: boolean; exitCode: number; reasons: string[] };
  /** False when the input ended early (an interrupted run). */
  complete: boolean;
  /** Whether any profiling record was seen at all. */
  recordsSeen: boolean;
  linesRead: number;
  totals: HtmlTotals;
  tests: HtmlTest[];
  leakSites: LeakSite[];
  /** The census, most allocations first. */
  sites?: CensusSite[];
  pools?: RunPool[];
  diagnostics: Diagnostic[];
  regressions: Regression[];
  baselineChanges: { added: string[]; removed: string[] } | null;
  suppressions: SuppressionCount[];
}
