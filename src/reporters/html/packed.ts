/**
 * The wire format of the data embedded in the page: written by pack.ts,
 * read by the client (client/unpack.ts). Types and codes only, so both the
 * Node side and the browser bundle can import it.
 *
 * Scalars are stored column by column (similar numbers side by side compress
 * well), every repeated string (sites, texts, heap names) goes into one string
 * table, addresses are stored relative to the lowest one and log lines
 * relative to the test's start.
 */
import type { ChunkKind, ItemKind, Severity, TestStatus } from './model.js';

/** [address - base, size, site, line - start, extras?] (leak, reclaimed, persistent) */
export type BlockTuple = [number, number, number, number, Extras?];
/** [0 = double free | 1 = invalid free, address - base, site, line - start, allocSite | -1, firstFreeSite | -1, extras?] */
export type FreeErrorTuple = [0 | 1, number, number, number, number, number, Extras?];
/** [size, site, line - start, extras?] */
export type FailedTuple = [number, number, number, Extras?];
/** [address - base, size, site, line - start, freedBy | -1, extras?] (-1: outside any test) */
export type CarriedTuple = [number, number, number, number, number, Extras?];
/** [address - base, size | -1, site, line - start, text, extras?] */
export type CorruptionTuple = [number, number, number, number, number, Extras?];

/** What a tuple needs beyond its kind's usual shape (string-table indices). */
export interface Extras {
  /** Display text, when not the kind's usual one. */
  t?: number;
  /** Heap or pool. */
  h?: number;
  /** Site of the last `ref@`. */
  r?: number;
  /** 1: the item has no address. */
  na?: 1;
}

/**
 * One letter per item kind, a second for a severity other than the kind's usual
 * one: `L` leaks that fail, `Ls` suppressed leaks, `Pe` persistent blocks the
 * policy fails on.
 */
export const KIND_CODE = {
  leak: 'L',
  'double-free': 'F',
  'invalid-free': 'F',
  reclaimed: 'R',
  persistent: 'P',
  'failed-allocation': 'X',
  carried: 'C',
  corruption: 'K',
} as const satisfies Record<ItemKind, string>;

export type KindCode = (typeof KIND_CODE)[ItemKind];

export const USUAL_SEVERITY: Record<KindCode, Severity> = {
  L: 'error',
  F: 'error',
  R: 'warning',
  P: 'info',
  X: 'warning',
  C: 'info',
  K: 'error',
};

export const SEVERITY_CODE: Record<Severity, string> = { error: 'e', warning: 'w', info: 'i', suppressed: 's' };

/** The usual display text per kind code (corruption has its own in every tuple). */
export const USUAL_TEXT: Record<Exclude<KindCode, 'K'>, string> = {
  L: 'leak',
  F: 'double free',
  R: 'reclaimed',
  P: 'persistent',
  X: 'failed allocation',
  C: 'carried',
};

/**
 * Listed items of one test by group key (kind code + severity code when
 * unusual), at most DETAIL_LIMIT each; `n` has the exact count of a group
 * that was cut.
 */
export type Details = { [key: string]: unknown[] | Record<string, number> | undefined } & {
  L?: BlockTuple[];
  n?: Record<string, number>;
};

export const STATUS_CODE: Record<TestStatus, number> = { fail: 0, warn: 1, ok: 2, idle: 3 };
export const STATUSES: readonly TestStatus[] = ['fail', 'warn', 'ok', 'idle'];

/** What the table shows: one array per field, one entry per test, in report order. */
export interface Columns {
  /** index, as the difference from the previous test's */
  i: number[];
  o: Array<string | null>;
  ok: Array<0 | 1>;
  /** status code (STATUS_CODE) */
  st: number[];
  h: Array<number | null>;
  a: number[];
  pb: number[];
  /** start line, as the difference from the previous test's */
  sl: number[];
  /** exact counts: leaks, leaked bytes, bad frees (not suppressed) */
  lc: number[];
  lb: number[];
  fc: number[];
  /** headroom at the peak, when some test has a layout */
  hr?: Array<number | null>;
}

/** What only an opened row shows, by column. */
export interface DetailColumns {
  /** collected total */
  t: Array<number | null>;
  sg: number[];
  tb: number[];
  /** timeline heap size */
  th: Array<number | null>;
}

/** [allocatedBytes, overheadBytes, freeBytes, freeBlocks, largestFree, fragmentation, headroom] */
export type LayoutTuple = [number, number, number, number, number, number, number];

export const CHUNK_CODE: Record<ChunkKind, number> = { header: 0, used: 1, free: 2 };
export const CHUNK_KINDS: readonly ChunkKind[] = ['header', 'used', 'free'];

/**
 * A heap map: `c` holds the chunks in order, flattened: `[kind, gap, size]`
 * for headers and free chunks, `[kind, gap, size, requested | -1, site | -1]`
 * for used ones, where gap is the distance from the previous chunk's end
 * (0 when they tile).
 */
export interface PackedHeapMap {
  h: number;
  b: number;
  s: number;
  c: number[];
}

/** [heap | -1, heapSize | null, segments, allocations, totalBytes, peakBytes, peakPercent | null, layout | 0] */
export type HeapTuple = [number, number | null, number, number, number, number, number | null, LayoutTuple | 0];
/** [pool, blockSize, blocks, maxInUse, overflows] */
export type PoolTuple = [number, number, number, number, number];

/** The census, one entry per site in the model's order. */
export interface CensusColumns {
  s: number[];
  a: number[];
  b: number[];
  mn: number[];
  mx: number[];
  ml: number[];
  tp: number[];
  lk: number[];
}

/**
 * What the table needs to draw: embedded first, so a large page paints
 * before the rest is inflated.
 */
export interface TableData {
  v: 2;
  /** Subtracted from every stored address. */
  base: number;
  names: Array<string | null>;
  c: Columns;
  /** Peak percents that differ from peakBytes / heapSize × 100 (rounded to 0.01), by test position. */
  pp: Record<string, number | null>;
  /** Most timeline points kept per test. */
  points: number;
  /** Whether timelines were thinned to fit the size budget. */
  thinned: boolean;
}

/** What opened rows, the census and the heap maps need. */
export interface DetailData {
  /** The string table: sites, texts, heap and test names referred to by index. */
  sites: string[];
  cd: DetailColumns;
  d: Array<Details | 0>;
  /** Why a failing test fails, by test position. */
  why: Record<string, string[]>;
  /** Per test: [firstLine - startLine, live, Δline, live, …], or 0 without points. */
  tl: Array<number[] | 0>;
  /** Layout at the peak, per test (absent when no test has one). */
  ly?: Array<LayoutTuple | 0>;
  /** Heap map at the peak, by test position. */
  hm?: Record<string, PackedHeapMap>;
  /** Heap maps left out to keep the page small. */
  mapsLeftOut?: number;
  /** Per-heap usage of tests that used several heaps, by test position. */
  hp?: Record<string, HeapTuple[]>;
  /** Pools a test used, by test position. */
  pl?: Record<string, PoolTuple[]>;
  cs?: CensusColumns;
}

/**
 * The embedded object. When gzipped, its JSON text is cut after the table's
 * keys into two gzip members (the first N bytes, given by the data element's
 * `data-encoding="gzip+base64; table=N"`): any gzip reader gets the whole
 * object, the page inflates the table first.
 */
export type ReportData = TableData & DetailData;
