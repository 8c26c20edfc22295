/**
 * The facts of an analysis (SPEC §4): what happened, per test and over the
 * run — never whether it fails (that is the judge's, `src/judge`). Field
 * names follow the JSON report of §5.3; addresses stay numbers here.
 * Once handed out, facts are never changed.
 */
import type { HarnessName, Outcome } from '../harness/types.js';
import type { CorruptionKind } from '../protocol/records.js';

export type { Outcome } from '../harness/types.js';

/** A heap block: where it lives, how big, who allocated it, on which log line. */
export interface Block {
  address: number;
  size: number;
  site: string;
  /** Log line of the alloc/persist record. */
  line: number;
  /** The named heap it lives in (§2.2 `@HEAP`); absent for the default heap. */
  heap?: string;
}

/** A block a test left live for the next one (§4.2), with the test that freed it. */
export interface CarriedBlock extends Block {
  /** Name of the test that freed it (null: outside any test). */
  freedBy: string | null;
  /** Log line of the free. */
  freeLine: number;
}

export type FreeErrorKind = 'double-free' | 'invalid-free';

export interface FreeError {
  kind: FreeErrorKind;
  address: number;
  /** Site of the offending free. */
  site: string;
  /** Log line of the offending free. */
  line: number;
  /** Site that allocated the block (double free only). */
  allocSite?: string;
  /** Site of the first free (double free only). */
  firstFreeSite?: string;
  heap?: string;
}

export interface FailedAllocation {
  size: number;
  site: string;
  line: number;
  heap?: string;
}

/** Corruption the allocator found (§4.3). */
export interface Corruption {
  /** null when the allocator's message names none. */
  address: number | null;
  what: CorruptionKind;
  /** null when unknown (the SDK's own error lines). */
  site: string | null;
  line: number;
  /** The named heap (or pool); null for the default heap. */
  heap: string | null;
}

/** The layout of a heap's live blocks at the moment a test reached its peak there (§4.5). */
export interface Layout {
  /** Bytes the allocator really spends on the live blocks (chunk sizes and control header in the SDK model). */
  allocatedBytes: number;
  /** allocatedBytes − requested bytes. */
  overheadBytes: number;
  freeBytes: number;
  freeBlocks: number;
  largestFree: number;
  /** 1 − √(Σ free²) / Σ free over free chunks; 0 when nothing is free. */
  fragmentation: number;
  /** The largest request that would still have succeeded there. */
  headroom: number;
}

/** A chunk of the heap map at a test's peak (for the HTML report): chunks tile the heap. */
export interface MapChunk {
  /** Offset from the heap start. */
  offset: number;
  size: number;
  kind: 'header' | 'used' | 'free';
  /** Requested bytes of a used chunk. */
  requested?: number;
  site?: string;
}

export interface HeapMap {
  heap: string | null;
  base: number;
  heapSize: number;
  model: 'sdk' | 'plain';
  chunks: MapChunk[];
}

/** A test's usage of one heap. */
export interface HeapUsage {
  /** null: the default heap. */
  heap: string | null;
  heapSize: number | null;
  segments: number;
  allocations: number;
  totalBytes: number;
  peakBytes: number;
  peakPercent: number | null;
  layout: Layout | null;
}

/** A test's use of one pool (§4.1). */
export interface PoolUsage {
  pool: string;
  blockSize: number;
  /** Blocks in the pool when the test ended (or at its most). */
  blocks: number;
  maxInUse: number;
  overflows: number;
  leaks: Block[];
}

export interface TestFacts {
  /** The runner's test name (pytest node id, `PATH #k`, `Suite.Test`, …), null outside any test. */
  name: string | null;
  /** 1-based position among the session's named tests (0 outside any test). */
  index: number;
  /** Number of tests the runner announced, null if unknown. */
  total: number | null;
  outcome: Outcome | null;
  /** The lane (a CTest test's process) the test ran in; absent for the main one. */
  lane?: string;
  /** The default heap (or the only one used): size of its (fullest) segment, null when unknown. */
  heapSize: number | null;
  /** Segments (heap initialisations) this test ran in, over every heap. */
  segments: number;
  allocations: number;
  totalBytes: number;
  peakBytes: number;
  peakPercent: number | null;
  /** Per heap, when the test used a named heap. */
  heaps?: HeapUsage[];
  leaks: Block[];
  reclaimed: Block[];
  persistent: Block[];
  freeErrors: FreeError[];
  failedAllocations: FailedAllocation[];
  carried: CarriedBlock[];
  corruption: Corruption[];
  pools?: PoolUsage[];
  /** Layout of the default heap at the test's peak. */
  layout?: Layout | null;
  heapMap?: HeapMap | null;
  /** Log line where the test started (0 for activity outside any test). */
  startLine: number;
  timeline: Timeline;
}

/** One point of a test's heap-usage timeline: the log line and live bytes after it. */
export interface TimelinePoint {
  line: number;
  live: number;
}

export interface Timeline {
  /** Downsampled (live bytes) history of the test, bounded in length. */
  points: TimelinePoint[];
  heapSize: number | null;
}

export type DiagnosticKind =
  | 'bad-record'
  | 'no-init'
  | 'live-address'
  | 'no-profiling'
  | 'compat'
  | 'long-line'
  | 'input';

export interface Diagnostic {
  line: number;
  kind: DiagnosticKind;
  message: string;
}

/** The census of one call site over the run (§4.4). */
export interface SiteCensus {
  site: string;
  allocations: number;
  bytes: number;
  minSize: number;
  maxSize: number;
  /** Most blocks from the site live at once. */
  maxLive: number;
  /** Blocks freed by the very next record of their heap. */
  temporary: number;
  leaks: number;
}

/** A pool over the run (§4.1): what its sizing line says. */
export interface PoolSummary {
  pool: string;
  blockSize: number;
  blocks: number;
  maxInUse: number;
  maxInUseTest: string | null;
  overflows: number;
  /** How often it grew after its first `pool@` record. */
  grew: number;
  parent: string | null;
}

export interface AnalysisFacts {
  tests: TestFacts[];
  diagnostics: Diagnostic[];
  /** Whether any profiling record (readable or not) was seen at all. */
  recordsSeen: boolean;
  /** Records that could not be read: the results are incomplete. */
  unreadRecords: number;
  linesRead: number;
  /** Heap segments over the run, every heap. */
  segments: number;
  /** Highest segment peak (the reference's "Higher Max overtime"). */
  peakBytes: number;
  peakPercent: number | null;
  /** Harnesses whose structure was seen, outermost first. */
  harnesses: HarnessName[];
  /** The census, most allocations first. */
  sites: SiteCensus[];
  pools: PoolSummary[];
  /** False when the input ended early (an interrupted run). */
  complete: boolean;
}

/** A test before anything happened in it. */
export function blankTest(name: string | null, index: number, total: number | null, startLine: number): TestFacts {
  return {
    name,
    index,
    total,
    outcome: null,
    heapSize: null,
    segments: 0,
    allocations: 0,
    totalBytes: 0,
    peakBytes: 0,
    peakPercent: null,
    leaks: [],
    reclaimed: [],
    persistent: [],
    freeErrors: [],
    failedAllocations: [],
    carried: [],
    corruption: [],
    startLine,
    timeline: { points: [], heapSize: null },
  };
}

/** Adds one census row of a site into another (the same site, counted elsewhere). */
export function addCensus(into: SiteCensus, more: SiteCensus): void {
  into.allocations += more.allocations;
  into.bytes += more.bytes;
  into.minSize = Math.min(into.minSize, more.minSize);
  into.maxSize = Math.max(into.maxSize, more.maxSize);
  into.maxLive = Math.max(into.maxLive, more.maxLive);
  into.temporary += more.temporary;
  into.leaks += more.leaks;
}

/**
 * Census rows merged by site (rows are copied, never changed), most
 * allocations first, then most bytes, then by site: one order for a run
 * and for a merge of shards, whatever order they come in.
 */
export function mergeCensus(rows: Iterable<SiteCensus>): SiteCensus[] {
  const by = new Map<string, SiteCensus>();
  for (const r of rows) {
    const m = by.get(r.site);
    if (m === undefined) by.set(r.site, { ...r });
    else addCensus(m, r);
  }
  return [...by.values()].sort((a, b) => b.allocations - a.allocations || b.bytes - a.bytes || (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
}
