/**
 * Packs the view model into the compact data the page embeds (format in
 * packed.ts). Timelines are downsampled (peaks and dips kept); when the
 * compressed payload would exceed its byte budget, fewer points per test are
 * kept, and heap maps beyond a chunk budget are kept for the tests that
 * matter most (failing, warning, then the fullest).
 */
import { gzipSync } from 'node:zlib';
import { downsample } from './downsample.js';
import type { HeapMap, HtmlModel, HtmlTest, Item, Layout } from './model.js';
import {
  CHUNK_CODE,
  KIND_CODE,
  SEVERITY_CODE,
  STATUS_CODE,
  USUAL_SEVERITY,
  USUAL_TEXT,
  type Columns,
  type DetailColumns,
  type DetailData,
  type Details,
  type Extras,
  type LayoutTuple,
  type PackedHeapMap,
  type ReportData,
  type TableData,
} from './packed.js';

/** Most points kept per test timeline, and the floor the size budget may push it to (both even). */
export const TIMELINE_MAX_POINTS = 240;
export const TIMELINE_MIN_POINTS = 8;
/** Items listed per test and group; the counts stay exact (the JSON report has everything). */
export const DETAIL_LIMIT = 200;
/** Heap-map chunks embedded over all tests. */
export const HEAP_MAP_CHUNKS = 20_000;
/** Payloads up to this many characters are embedded as plain JSON (readable, greppable). */
export const PLAIN_JSON_LIMIT = 96 * 1024;
/** Budget for the gzip+base64 payload, leaving room for markup, CSS and script under 300 KB. */
export const PACKED_BUDGET = 240 * 1024;
/** Timeline points across all tests tried first; a cheap upper bound for the bisection. */
const FIRST_TRY_POINTS = 120_000;

const round2 = (x: number) => Math.round(x * 100) / 100;

class StringTable {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string | null | undefined): number {
    if (s === undefined || s === null) return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
}

const layoutTuple = (l: Layout): LayoutTuple => [
  l.allocatedBytes, l.overheadBytes, l.freeBytes, l.freeBlocks, l.largestFree, l.fragmentation, l.headroom,
];

function packHeapMap(m: HeapMap, strings: StringTable): PackedHeapMap {
  const c: number[] = [];
  let end = 0;
  for (const chunk of m.chunks) {
    c.push(CHUNK_CODE[chunk.kind], chunk.offset - end, chunk.size);
    if (chunk.kind === 'used') c.push(chunk.requested ?? -1, strings.id(chunk.site));
    end = chunk.offset + chunk.size;
  }
  return { h: strings.id(m.heap), b: m.base, s: m.heapSize, c };
}

/** Positions of the tests whose heap maps fit in `budget` chunks, most telling first. */
export function heapMapsKept(tests: readonly HtmlTest[], budget = HEAP_MAP_CHUNKS): Set<number> {
  const withMap = tests.flatMap((t, k) => (t.heapMap ? [k] : []));
  const total = withMap.reduce((n, k) => n + tests[k].heapMap!.chunks.length, 0);
  if (total <= budget) return new Set(withMap);
  const rank = (t: HtmlTest) => STATUS_CODE[t.status];
  withMap.sort((a, b) => {
    const x = tests[a];
    const y = tests[b];
    return rank(x) - rank(y) || (y.peakPercent ?? -1) - (x.peakPercent ?? -1) || a - b;
  });
  const kept = new Set<number>();
  let left = budget;
  for (const k of withMap) {
    const n = tests[k].heapMap!.chunks.length;
    if (n <= left) {
      kept.add(k);
      left -= n;
    }
  }
  return kept;
}

function lowestAddress(tests: readonly HtmlTest[]): number {
  let base = Infinity;
  for (const t of tests) for (const i of t.items) if (i.address !== null && i.address < base) base = i.address;
  return Number.isFinite(base) ? base : 0;
}

/** Encodes one test's items by group key, each in its kind's tuple shape. */
function packItems(items: readonly Item[], base: number, start: number, strings: StringTable): Details | 0 {
  const d: Details = {};
  const counts: Record<string, number> = {};
  for (const item of items) {
    const code = KIND_CODE[item.kind];
    const key = item.severity === USUAL_SEVERITY[code] ? code : code + SEVERITY_CODE[item.severity];
    counts[key] = (counts[key] ?? 0) + 1;
    if (counts[key] > DETAIL_LIMIT) continue;
    const x: Extras = {};
    if (code !== 'K') {
      const usual = code === 'F' && item.kind === 'invalid-free' ? 'invalid free' : USUAL_TEXT[code];
      if (item.text !== usual) x.t = strings.id(item.text);
    }
    if (item.heap !== undefined) x.h = strings.id(item.heap);
    if (item.lastRefSite !== undefined) x.r = strings.id(item.lastRefSite);
    if (item.address === null) x.na = 1;
    const addr = (item.address ?? base) - base;
    const site = strings.id(item.site);
    const line = item.line - start;
    const size = item.size ?? -1;
    let tuple: unknown[];
    if (code === 'F')
      tuple = [item.kind === 'double-free' ? 0 : 1, addr, site, line, strings.id(item.allocSite), strings.id(item.firstFreeSite)];
    else if (code === 'X') tuple = [size, site, line];
    else if (code === 'C') tuple = [addr, size, site, line, strings.id(item.freedBy)];
    else if (code === 'K') tuple = [addr, size, site, line, strings.id(item.text)];
    else tuple = [addr, size, site, line];
    if (Object.keys(x).length > 0) tuple.push(x);
    ((d[key] ??= []) as unknown[][]).push(tuple);
  }
  for (const [key, n] of Object.entries(counts)) if (n > DETAIL_LIMIT) (d.n ??= {})[key] = n;
  return Object.keys(d).length > 0 ? d : 0;
}

/** Encodes the model, keeping at most `maxPoints` timeline points per test. */
export function encodeModel(model: HtmlModel, maxPoints: number, maps = heapMapsKept(model.tests)): ReportData {
  const strings = new StringTable();
  const base = lowestAddress(model.tests);
  const c: Columns = { i: [], o: [], ok: [], st: [], h: [], a: [], pb: [], sl: [], lc: [], lb: [], fc: [] };
  const cd: DetailColumns = { t: [], sg: [], tb: [], th: [] };
  // Key order is embedding order: the table's keys first (see ReportData).
  const table: TableData = { v: 2, base, names: [], c, pp: {}, points: maxPoints, thinned: false };
  const details: DetailData = { sites: strings.list, cd, d: [], why: {}, tl: [] };
  const data: ReportData = { ...table, ...details };
  const anyLayout = model.tests.some((t) => t.layout);
  if (anyLayout) {
    c.hr = [];
    data.ly = [];
  }
  let prevIndex = 0;
  let prevStart = 0;
  model.tests.forEach((t, k) => {
    const start = t.startLine;
    const count = (pred: (i: Item) => boolean) => t.items.reduce((n, i) => n + (pred(i) ? 1 : 0), 0);
    const live = (kind: Item['kind']) => (i: Item) => i.kind === kind && i.severity !== 'suppressed';
    data.names.push(t.name);
    c.i.push(t.index - prevIndex);
    cd.t.push(t.total);
    c.o.push(t.outcome);
    c.ok.push(t.ok ? 1 : 0);
    c.st.push(STATUS_CODE[t.status]);
    c.h.push(t.heapSize);
    cd.sg.push(t.segments);
    c.a.push(t.allocations);
    cd.tb.push(t.totalBytes);
    c.pb.push(t.peakBytes);
    c.sl.push(start - prevStart);
    c.lc.push(count(live('leak')));
    c.lb.push(t.items.reduce((n, i) => n + (live('leak')(i) ? (i.size ?? 0) : 0), 0));
    c.fc.push(count((i) => (i.kind === 'double-free' || i.kind === 'invalid-free') && i.severity !== 'suppressed'));
    cd.th.push(t.timeline?.heapSize ?? null);
    prevIndex = t.index;
    prevStart = start;

    // The client derives the percent; only store it where that would be wrong.
    const derived = t.heapSize ? round2((t.peakBytes / t.heapSize) * 100) : null;
    const actual = t.peakPercent === null ? null : round2(t.peakPercent);
    if (derived !== actual) data.pp[k] = actual;
    if (t.reasons.length > 0) data.why[k] = t.reasons;
    data.d.push(packItems(t.items, base, start, strings));

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

    if (data.ly) data.ly.push(t.layout ? layoutTuple(t.layout) : 0);
    c.hr?.push(t.layout ? t.layout.headroom : null);
    if (t.heapMap && maps.has(k)) (data.hm ??= {})[k] = packHeapMap(t.heapMap, strings);
    if (t.heaps && t.heaps.length > 0)
      (data.hp ??= {})[k] = t.heaps.map((h) => [
        strings.id(h.heap), h.heapSize, h.segments, h.allocations, h.totalBytes, h.peakBytes, h.peakPercent,
        h.layout ? layoutTuple(h.layout) : 0,
      ]);
    if (t.pools && t.pools.length > 0)
      (data.pl ??= {})[k] = t.pools.map((p) => [strings.id(p.pool), p.blockSize, p.blocks, p.maxInUse, p.overflows]);
  });
  const withMaps = model.tests.filter((t) => t.heapMap).length;
  if (withMaps > maps.size) data.mapsLeftOut = withMaps - maps.size;
  if (model.sites && model.sites.length > 0) {
    const s = model.sites;
    data.cs = {
      s: s.map((x) => strings.id(x.site)),
      a: s.map((x) => x.allocations),
      b: s.map((x) => x.bytes),
      mn: s.map((x) => x.minSize),
      mx: s.map((x) => x.maxSize),
      ml: s.map((x) => x.maxLive),
      tp: s.map((x) => x.temporary),
      lk: s.map((x) => x.leaks),
    };
  }
  return data;
}

export type Packed =
  | { encoding: 'json'; data: ReportData }
  | { encoding: 'gzip+base64'; base64: string; data: ReportData; tableBytes: number };

const TABLE_KEYS: ReadonlySet<string> = new Set<keyof TableData>(['v', 'base', 'names', 'c', 'pp', 'points', 'thinned']);

function pack(model: HtmlModel, maxPoints: number, maps: Set<number>): Packed {
  const data = encodeModel(model, maxPoints, maps);
  const table: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) (TABLE_KEYS.has(k) ? table : rest)[k] = v;
  // `{table keys` + `,rest keys}`: one JSON object, cut where the table's keys end.
  const head = JSON.stringify(table).slice(0, -1);
  const tail = `,${JSON.stringify(rest).slice(1)}`;
  if (head.length + tail.length <= PLAIN_JSON_LIMIT) return { encoding: 'json', data };
  const first = gzipSync(head, { level: 9 });
  const bytes = Buffer.concat([first, gzipSync(tail, { level: 9 })]);
  return { encoding: 'gzip+base64', base64: bytes.toString('base64'), data, tableBytes: first.length };
}

/**
 * Encodes the model for embedding. Small reports stay plain JSON; larger ones
 * are gzipped (the page inflates them with DecompressionStream), with the
 * most timeline points per test that keep the payload within `budget`
 * (found by bisection: the size grows with the point count); still over it
 * at the fewest points, heap maps go, the least telling first.
 */
export function packModel(model: HtmlModel, budget = PACKED_BUDGET): Packed {
  let chunks = HEAP_MAP_CHUNKS;
  let maps = heapMapsKept(model.tests, chunks);
  const fits = (p: Packed) => p.encoding === 'json' || p.base64.length <= budget;
  let packed = packTimelines(model, maps, fits);
  // Drop maps only where that can bring the page within budget (a huge run stays large anyway).
  const mapShare = (p: Packed) => (p.data.hm ? (gzipSync(JSON.stringify(p.data.hm)).length * 4) / 3 : 0);
  if (packed.encoding === 'json' || packed.base64.length - mapShare(packed) > budget) return packed;
  while (!fits(packed) && maps.size > 0) {
    chunks = Math.floor(chunks / 2);
    maps = heapMapsKept(model.tests, chunks);
    packed = pack(model, packed.data.points, maps);
  }
  // Over budget even so: a huge run still gets its report, just larger.
  return packed;
}

function packTimelines(model: HtmlModel, maps: Set<number>, fits: (p: Packed) => boolean): Packed {
  // Even counts: downsample keeps the first and last point plus pairs.
  const even = (n: number) => n - (n % 2);
  const longest = model.tests.reduce((m, t) => Math.max(m, t.timeline?.points.length ?? 0), 0);
  const share = Math.floor(FIRST_TRY_POINTS / Math.max(1, model.tests.length));
  let hi = even(Math.max(TIMELINE_MIN_POINTS, Math.min(TIMELINE_MAX_POINTS, longest, share)));
  const first = pack(model, hi, maps);
  if (fits(first) || hi <= TIMELINE_MIN_POINTS) return first;
  let lo = TIMELINE_MIN_POINTS;
  let best: Packed | null = null;
  while (hi - lo > 2) {
    const mid = even(Math.floor((lo + hi) / 2));
    const p = pack(model, mid, maps);
    if (fits(p)) {
      lo = mid;
      best = p;
    } else hi = mid;
  }
  return best ?? pack(model, lo, maps);
}
