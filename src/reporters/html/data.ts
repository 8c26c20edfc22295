/**
 * The compact data the HTML report's client script renders from.
 *
 * Rows, details and timelines are rendered in the browser so that a 3,000-test
 * report stays a few hundred kilobytes: scalar fields are stored column by
 * column (similar numbers side by side compress well), call sites go into one
 * string table, addresses are stored relative to the lowest one and log lines
 * relative to the test's start. Timelines are downsampled (peaks and dips
 * kept); when the compressed payload would exceed its byte budget, fewer
 * points per test are kept. The client script (client.ts) is the only reader.
 */
import { gzipSync } from 'node:zlib';
import type { Block, FailedAllocation, FreeError, TimelinePoint } from '../../analyzer/facts.js';
import type { HtmlReport as Report } from './legacy.js';

/** Most points kept per test timeline, and the floor the size budget may push it to (both even). */
export const TIMELINE_MAX_POINTS = 240;
export const TIMELINE_MIN_POINTS = 8;
/** Blocks listed per test and kind; the counts stay exact (the JSON report has everything). */
export const DETAIL_LIMIT = 200;
/** Payloads up to this many characters are embedded as plain JSON (readable, greppable). */
export const PLAIN_JSON_LIMIT = 96 * 1024;
/** Budget for the gzip+base64 payload, leaving room for markup, CSS and script under 300 KB. */
export const PACKED_BUDGET = 240 * 1024;
/** Timeline points across all tests tried first; a cheap upper bound for the bisection. */
const FIRST_TRY_POINTS = 120_000;

/** [address - base, size, siteIndex, line - startLine] */
export type BlockTuple = [number, number, number, number];
/** [0 = double-free | 1 = invalid-free, address - base, siteIndex, line - startLine, allocSite | -1, firstFreeSite | -1] */
export type FreeErrorTuple = [0 | 1, number, number, number, number, number];
/** [size, siteIndex, line - startLine] */
export type FailedTuple = [number, number, number];

/** Listed items of one test (at most DETAIL_LIMIT each), keys omitted when empty. */
export interface Details {
  L?: BlockTuple[]; // leaks
  R?: BlockTuple[]; // reclaimed
  P?: BlockTuple[]; // persistent
  S?: BlockTuple[]; // suppressed leaks
  F?: FreeErrorTuple[]; // free errors
  SF?: FreeErrorTuple[]; // suppressed free errors
  X?: FailedTuple[]; // failed allocations
}

/** One array per field, one entry per test, in report order. */
export interface Columns {
  /** index, as the difference from the previous test's */
  i: number[];
  /** collected total */
  t: Array<number | null>;
  o: Array<string | null>;
  ok: Array<0 | 1>;
  h: Array<number | null>;
  sg: number[];
  a: number[];
  tb: number[];
  pb: number[];
  /** start line, as the difference from the previous test's */
  sl: number[];
  /** exact counts: leaks, leaked bytes, free errors, reclaimed, persistent, failed allocations, suppressed */
  lc: number[];
  lb: number[];
  fc: number[];
  rc: number[];
  pc: number[];
  xc: number[];
  sc: number[];
  /** timeline heap size */
  th: Array<number | null>;
}

export interface ReportData {
  v: 1;
  /** Subtracted from every stored address. */
  base: number;
  sites: string[];
  names: Array<string | null>;
  c: Columns;
  /** Peak percents that differ from peakBytes / heapSize × 100 (rounded to 0.01), by test position. */
  pp: Record<string, number | null>;
  d: Array<Details | 0>;
  /** Why a failing test fails the policy (and the baseline), by test position. */
  why: Record<string, string[]>;
  /** Per test: [firstLine - startLine, live, Δline, live, …], or 0 without points. */
  tl: Array<number[] | 0>;
  /** Most timeline points kept per test. */
  points: number;
  /** Whether timelines were thinned to fit the size budget. */
  thinned: boolean;
}

/**
 * Keeps at most `max` points: the first, the last, and the lowest and highest
 * point of each bucket in between (in log order), so peaks and heap resets
 * both survive.
 */
export function downsample(points: readonly TimelinePoint[], max: number): TimelinePoint[] {
  if (points.length <= max) return points.slice();
  if (max < 2) return [points.reduce((a, b) => (b.live > a.live ? b : a))];
  const out: TimelinePoint[] = [points[0]];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = points.length - 2;
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (points[i].live < points[lo].live) lo = i;
      if (points[i].live > points[hi].live) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  out.push(points[points.length - 1]);
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Encodes the report, keeping at most `maxPoints` timeline points per test. */
export function encodeReport(report: Report, maxPoints: number): ReportData {
  const siteIds = new Map<string, number>();
  const sites: string[] = [];
  const site = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let id = siteIds.get(s);
    if (id === undefined) {
      id = sites.length;
      sites.push(s);
      siteIds.set(s, id);
    }
    return id;
  };
  let base = Infinity;
  for (const t of report.tests) {
    for (const list of [t.leaks, t.reclaimed, t.persistent, t.suppressed, t.freeErrors, t.suppressedFreeErrors])
      for (const b of list) if (b.address < base) base = b.address;
  }
  if (!Number.isFinite(base)) base = 0;

  const c: Columns = {
    i: [], t: [], o: [], ok: [], h: [], sg: [], a: [], tb: [], pb: [], sl: [],
    lc: [], lb: [], fc: [], rc: [], pc: [], xc: [], sc: [], th: [],
  };
  const data: ReportData = {
    v: 1, base, sites, names: [], c, pp: {}, why: {}, d: [], tl: [], points: maxPoints, thinned: false,
  };
  let prevIndex = 0;
  let prevStart = 0;
  report.tests.forEach((t, k) => {
    const start = t.startLine;
    const blocks = (list: readonly Block[]): BlockTuple[] | undefined =>
      list.length === 0
        ? undefined
        : list.slice(0, DETAIL_LIMIT).map((b) => [b.address - base, b.size, site(b.site), b.line - start]);
    const frees = (list: readonly FreeError[]): FreeErrorTuple[] | undefined =>
      list.length === 0
        ? undefined
        : list.slice(0, DETAIL_LIMIT).map((f) => [
            f.kind === 'double-free' ? 0 : 1,
            f.address - base,
            site(f.site),
            f.line - start,
            site(f.allocSite),
            site(f.firstFreeSite),
          ]);
    const failed = (list: readonly FailedAllocation[]): FailedTuple[] | undefined =>
      list.length === 0 ? undefined : list.slice(0, DETAIL_LIMIT).map((f) => [f.size, site(f.site), f.line - start]);

    data.names.push(t.name);
    c.i.push(t.index - prevIndex);
    c.t.push(t.total);
    c.o.push(t.outcome);
    c.ok.push(t.ok ? 1 : 0);
    c.h.push(t.heapSize);
    c.sg.push(t.segments);
    c.a.push(t.allocations);
    c.tb.push(t.totalBytes);
    c.pb.push(t.peakBytes);
    c.sl.push(start - prevStart);
    c.lc.push(t.leaks.length);
    c.lb.push(t.leaks.reduce((sum, b) => sum + b.size, 0));
    c.fc.push(t.freeErrors.length);
    c.rc.push(t.reclaimed.length);
    c.pc.push(t.persistent.length);
    c.xc.push(t.failedAllocations.length);
    c.sc.push(t.suppressed.length + t.suppressedFreeErrors.length);
    c.th.push(t.timeline?.heapSize ?? null);
    prevIndex = t.index;
    prevStart = start;

    // The client derives the percent; only store it where that would be wrong.
    const derived = t.heapSize ? round2((t.peakBytes / t.heapSize) * 100) : null;
    const actual = t.peakPercent === null ? null : round2(t.peakPercent);
    if (derived !== actual) data.pp[k] = actual;

    if (!t.ok) {
      data.why[k] = t.why;
    }

    const d: Details = {
      L: blocks(t.leaks),
      R: blocks(t.reclaimed),
      P: blocks(t.persistent),
      S: blocks(t.suppressed),
      F: frees(t.freeErrors),
      SF: frees(t.suppressedFreeErrors),
      X: failed(t.failedAllocations),
    };
    for (const key of Object.keys(d) as Array<keyof Details>) if (d[key] === undefined) delete d[key];
    data.d.push(Object.keys(d).length ? d : 0);

    const source = t.timeline?.points ?? [];
    const points = downsample(source, maxPoints);
    if (points.length < source.length) data.thinned = true;
    if (points.length === 0) data.tl.push(0);
    else {
      const tl: number[] = [];
      let prev = start;
      for (const p of points) {
        tl.push(p.line - prev, p.live);
        prev = p.line;
      }
      data.tl.push(tl);
    }
  });
  return data;
}

export type Packed =
  | { encoding: 'json'; data: ReportData }
  | { encoding: 'gzip+base64'; base64: string; data: ReportData };

function pack(report: Report, maxPoints: number): Packed {
  const data = encodeReport(report, maxPoints);
  const json = JSON.stringify(data);
  if (json.length <= PLAIN_JSON_LIMIT) return { encoding: 'json', data };
  return { encoding: 'gzip+base64', base64: gzipSync(json, { level: 9 }).toString('base64'), data };
}

/**
 * Encodes the report for embedding. Small reports stay plain JSON; larger
 * ones are gzipped (the page inflates them with DecompressionStream), with
 * the most timeline points per test that keep the payload within `budget`
 * (found by bisection: the size grows with the point count).
 */
export function packReport(report: Report, budget = PACKED_BUDGET): Packed {
  const fits = (p: Packed) => p.encoding === 'json' || p.base64.length <= budget;
  // Even counts: downsample keeps the first and last point plus pairs.
  const even = (n: number) => n - (n % 2);
  const longest = report.tests.reduce((m, t) => Math.max(m, t.timeline?.points.length ?? 0), 0);
  const share = Math.floor(FIRST_TRY_POINTS / Math.max(1, report.tests.length));
  let hi = even(Math.max(TIMELINE_MIN_POINTS, Math.min(TIMELINE_MAX_POINTS, longest, share)));
  const first = pack(report, hi);
  if (fits(first) || hi <= TIMELINE_MIN_POINTS) return first;
  let lo = TIMELINE_MIN_POINTS;
  let best: Packed | null = null;
  while (hi - lo > 2) {
    const mid = even(Math.floor((lo + hi) / 2));
    const p = pack(report, mid);
    if (fits(p)) {
      lo = mid;
      best = p;
    } else hi = mid;
  }
  // Over budget even at the floor: a huge run still gets its report, just larger.
  return best ?? pack(report, lo);
}
