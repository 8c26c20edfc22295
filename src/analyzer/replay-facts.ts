/**
 * What `valground replay` finds (SPEC §6.8): per heap of the log and per
 * allocator, the figures over the run and per test, and for the `sdk`
 * strategy whether the replay gave every logged address back. Facts only;
 * the reporters format them (text, and the JSON of src/report/replay.ts).
 */
import type { Lane } from '../harness/types.js';
import type { ReplayFreeError, ReplayPool } from './replay-log.js';

/** An allocation the allocator would have refused. */
export interface ReplayFailure {
  line: number;
  size: number;
  site: string;
  test: string | null;
}

/** One test's figures on one heap through one allocator. */
export interface TestReplay {
  /** null: outside any test. */
  test: string | null;
  /** Most bytes the allocator spent at once while the test ran (chunk sizes, headers included). */
  peakBytes: number;
  /** Smallest headroom at the test's peaks: the largest request that would still have succeeded. */
  headroom: number;
  /** Fragmentation score at the test's peak (1 − √(Σ free²) / Σ free). */
  fragmentation: number;
  /** Allocations the allocator would have refused (a logged `fail` it would refuse too included). */
  failures: number;
}

/** A block the replay still held live where the log allocated: the likely cause of a divergence. */
export interface CauseBlock {
  /** Log line of the alloc (or realloc) that gave the block its chunk. */
  line: number;
  site: string;
  size: number;
  address: number;
}

export type DivergenceCause =
  /** The logged address lies inside a block the replay holds live: that block was shrunk in place by an unlogged realloc. */
  | { kind: 'in-place-realloc'; block: CauseBlock }
  /**
   * Probably: this block, freed since, was shrunk in place (its split-off tail stayed apart from
   * the free chunk after it, so the logged chunk starts inside or at the end of the block's).
   */
  | { kind: 'earlier-in-place-realloc'; block: CauseBlock }
  /** The log allocates a block's address again while it is live: its free is missing. */
  | { kind: 'missing-free'; block: CauseBlock }
  /** Neither: records may be missing, or the log is not from this allocator. */
  | { kind: 'unknown' };

/** The first allocation of a segment whose replayed address is not the logged one. */
export interface Divergence {
  line: number;
  site: string;
  size: number;
  loggedAddress: number;
  /** null: the replay refused the allocation. */
  replayedAddress: number | null;
  test: string | null;
  cause: DivergenceCause;
}

/** `sdk` only: did the replay give back every logged address? */
export interface AddressCheck {
  /** Segments whose addresses were compared (an `init` gave their start and size, and the heap size is the logged one). */
  compared: number;
  /** Segments not compared, and why. */
  notCompared: number;
  reason: string | null;
  /** Compared segments whose replay parted from the log. */
  divergent: number;
  /** The first divergence of each divergent segment, in log order (at most MAX_LISTED). */
  divergences: Divergence[];
}

export interface AllocatorReplay {
  allocator: string;
  /** Over the run: the highest test peak, and the test that reached it. */
  peakBytes: number;
  peakTest: string | null;
  /** Over the run: the smallest headroom at any test's peak (null when nothing was replayed). */
  headroom: number | null;
  headroomTest: string | null;
  /** At the run's peak. */
  fragmentation: number;
  failures: number;
  /** The first failures (at most MAX_LISTED). */
  failed: ReplayFailure[];
  /** Logged `fail` records this allocator would have served. */
  servedLoggedFailures: number;
  /** Tests that used this heap, in log order. */
  tests: TestReplay[];
  addresses?: AddressCheck;
  /** Why some or all of the heap was not replayed (a size the allocator refuses, an unexpected error). */
  errors: string[];
}

export interface HeapReplay {
  lane: Lane;
  /** null: the default heap. */
  heap: string | null;
  /** Heap records replayed (a moved realloc's free and alloc are two). */
  records: number;
  operations: number;
  segments: number;
  /** Sizes replayed: the logged ones, or `--heap-size`. */
  heapSizes: number[];
  /** Operations before any `init` that were not replayed (no heap size: `--heap-size` gives one). */
  unsized: number;
  /** `resize` records of addresses not live, ignored. */
  ignoredResizes: number;
  allocators: AllocatorReplay[];
}

export interface ReplayResult {
  /** Records read (every kind). */
  records: number;
  heaps: HeapReplay[];
  /** Double and invalid frees in the log: listed, not replayed. */
  freeErrors: Array<Omit<ReplayFreeError, 'test'> & { test: string | null }>;
  /** Pools are not replayed. */
  pools: ReplayPool[];
  corruptRecords: number;
  /** `--heap-size`, when given. */
  heapSize: number | null;
}

/** Lists in the result stop there (counts go on). */
export const MAX_LISTED = 100;
