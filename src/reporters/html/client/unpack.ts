/**
 * Reads the embedded data (packed.ts) back. The table works on flat typed
 * columns (`Rows`, one entry per test: sorting and filtering never build
 * per-test objects); a test's full record (`decodeTest`) is built only when
 * its row is opened. Pure: no DOM, so the unit tests can round-trip it.
 */
import type { CensusSite, HeapChunk, HeapMap, HeapUsage, HtmlTest, Item, ItemKind, Layout, Severity, TestPool } from '../model.js';
import {
  CHUNK_KINDS,
  SEVERITY_CODE,
  STATUSES,
  USUAL_SEVERITY,
  USUAL_TEXT,
  type Extras,
  type KindCode,
  type LayoutTuple,
  type DetailData,
  type PackedHeapMap,
  type TableData,
} from '../packed.js';

export const OUTSIDE_ANY_TEST = '(outside any test)';

/** Columns of the table, by test position; NaN stands for an unknown number. */
export interface Rows {
  n: number;
  names: Array<string | null>;
  labels: string[];
  /** Lower-cased labels, for filtering and sorting by name. */
  search: string[];
  index: Float64Array;
  outcome: Array<string | null>;
  ok: Uint8Array;
  /** STATUS_CODE per test. */
  status: Uint8Array;
  heap: Float64Array;
  peak: Float64Array;
  percent: Float64Array;
  allocations: Float64Array;
  leaks: Float64Array;
  leakBytes: Float64Array;
  frees: Float64Array;
  headroom: Float64Array;
}

const numbers = (list: ArrayLike<number | null>) => {
  const out = new Float64Array(list.length);
  for (let k = 0; k < list.length; k++) out[k] = list[k] ?? NaN;
  return out;
};

export function decodeRows(data: TableData): Rows {
  const c = data.c;
  const n = data.names.length;
  const index = new Float64Array(n);
  const percent = new Float64Array(n);
  const labels: string[] = new Array(n);
  const search: string[] = new Array(n);
  let at = 0;
  for (let k = 0; k < n; k++) {
    at += c.i[k];
    index[k] = at;
    const heap = c.h[k];
    const p = k in data.pp ? data.pp[k] : heap ? Math.round((c.pb[k] / heap) * 100 * 100) / 100 : null;
    percent[k] = p ?? NaN;
    const name = data.names[k];
    labels[k] = name ?? OUTSIDE_ANY_TEST;
    search[k] = labels[k].toLowerCase();
  }
  return {
    n,
    names: data.names,
    labels,
    search,
    index,
    outcome: c.o,
    ok: Uint8Array.from(c.ok),
    status: Uint8Array.from(c.st),
    heap: numbers(c.h),
    peak: numbers(c.pb),
    percent,
    allocations: numbers(c.a),
    leaks: numbers(c.lc),
    leakBytes: numbers(c.lb),
    frees: numbers(c.fc),
    headroom: c.hr ? numbers(c.hr) : new Float64Array(n).fill(NaN),
  };
}

const layout = (t: LayoutTuple): Layout => ({
  allocatedBytes: t[0],
  overheadBytes: t[1],
  freeBytes: t[2],
  freeBlocks: t[3],
  largestFree: t[4],
  fragmentation: t[5],
  headroom: t[6],
});

export function decodeHeapMap(m: PackedHeapMap, strings: readonly string[]): HeapMap {
  const chunks: HeapChunk[] = [];
  let end = 0;
  for (let i = 0; i < m.c.length; ) {
    const kind = CHUNK_KINDS[m.c[i]];
    const offset = end + m.c[i + 1];
    const chunk: HeapChunk = { offset, size: m.c[i + 2], kind };
    i += 3;
    if (kind === 'used') {
      if (m.c[i] >= 0) chunk.requested = m.c[i];
      if (m.c[i + 1] >= 0) chunk.site = strings[m.c[i + 1]];
      i += 2;
    }
    chunks.push(chunk);
    end = offset + chunk.size;
  }
  return { heap: m.h < 0 ? null : strings[m.h], base: m.b, heapSize: m.s, chunks };
}

/** How many items of a group the page lists, and how many there are. */
export interface GroupCount {
  code: KindCode;
  severity: Severity;
  listed: number;
  total: number;
}

export interface DecodedTest {
  test: HtmlTest;
  counts: GroupCount[];
}

const SEVERITY_OF_CODE: Record<string, Severity> = Object.fromEntries(
  Object.entries(SEVERITY_CODE).map(([s, code]) => [code, s as Severity]),
);

function decodeItem(code: KindCode, severity: Severity, tuple: unknown[], table: TableData, data: DetailData, start: number): Item {
  const str = (id: number) => data.sites[id];
  const t = tuple as number[];
  const last = tuple[tuple.length - 1];
  const x: Extras = typeof last === 'object' && last !== null ? (last as Extras) : {};
  let item: Item;
  if (code === 'F') {
    const kind: ItemKind = t[0] === 0 ? 'double-free' : 'invalid-free';
    item = { kind, severity, text: kind === 'double-free' ? 'double free' : 'invalid free', address: t[1] + table.base, size: null, site: str(t[2]), line: t[3] + start };
    if (t[4] >= 0) item.allocSite = str(t[4]);
    if (t[5] >= 0) item.firstFreeSite = str(t[5]);
  } else if (code === 'X') {
    item = { kind: 'failed-allocation', severity, text: USUAL_TEXT.X, address: null, size: t[0], site: str(t[1]), line: t[2] + start };
  } else {
    const kind = ({ L: 'leak', R: 'reclaimed', P: 'persistent', C: 'carried', K: 'corruption' } as const)[code];
    item = { kind, severity, text: code === 'K' ? str(t[4]) : USUAL_TEXT[code], address: t[0] + table.base, size: t[1] < 0 ? null : t[1], site: str(t[2]), line: t[3] + start };
    if (code === 'C') item.freedBy = t[4] < 0 ? null : str(t[4]);
  }
  if (x.t !== undefined) item.text = str(x.t);
  if (x.h !== undefined) item.heap = str(x.h);
  if (x.r !== undefined) item.lastRefSite = str(x.r);
  if (x.na) item.address = null;
  return item;
}

/** Group keys in the order the page lists them: the model's order within a kind. */
const CODE_ORDER: readonly KindCode[] = ['L', 'F', 'K', 'X', 'R', 'P', 'C'];

/** The full record of the test at `pos`, with the counts of what was cut. */
export function decodeTest(table: TableData, data: DetailData, rows: Rows, pos: number): DecodedTest {
  const c = table.c;
  const cd = data.cd;
  let start = 0;
  for (let k = 0; k <= pos; k++) start += c.sl[k];
  const details = data.d[pos] || {};
  const items: Item[] = [];
  const counts: GroupCount[] = [];
  const keys = Object.keys(details).filter((k) => k !== 'n');
  keys.sort((a, b) => CODE_ORDER.indexOf(a[0] as KindCode) - CODE_ORDER.indexOf(b[0] as KindCode));
  for (const key of keys) {
    const code = key[0] as KindCode;
    const severity = key.length > 1 ? SEVERITY_OF_CODE[key[1]] : USUAL_SEVERITY[code];
    const list = details[key] as unknown[][];
    for (const tuple of list) items.push(decodeItem(code, severity, tuple, table, data, start));
    counts.push({ code, severity, listed: list.length, total: details.n?.[key] ?? list.length });
  }
  const points: Array<{ line: number; live: number }> = [];
  const tl = data.tl[pos];
  if (tl) for (let i = 0, line = start; i < tl.length; i += 2) points.push({ line: (line += tl[i]), live: tl[i + 1] });
  const test: HtmlTest = {
    name: table.names[pos],
    index: rows.index[pos],
    total: cd.t[pos],
    outcome: c.o[pos],
    ok: c.ok[pos] === 1,
    status: STATUSES[c.st[pos]],
    reasons: data.why[pos] ?? [],
    heapSize: c.h[pos],
    peakBytes: c.pb[pos],
    peakPercent: Number.isNaN(rows.percent[pos]) ? null : rows.percent[pos],
    segments: cd.sg[pos],
    allocations: c.a[pos],
    totalBytes: cd.tb[pos],
    startLine: start,
    items,
    timeline: { heapSize: cd.th[pos], points },
  };
  const ly = data.ly?.[pos];
  if (ly) test.layout = layout(ly);
  const hm = data.hm?.[pos];
  if (hm) test.heapMap = decodeHeapMap(hm, data.sites);
  const hp = data.hp?.[pos];
  if (hp)
    test.heaps = hp.map((h): HeapUsage => {
      const u: HeapUsage = {
        heap: h[0] < 0 ? null : data.sites[h[0]],
        heapSize: h[1], segments: h[2], allocations: h[3], totalBytes: h[4], peakBytes: h[5], peakPercent: h[6],
      };
      if (h[7]) u.layout = layout(h[7]);
      return u;
    });
  const pl = data.pl?.[pos];
  if (pl)
    test.pools = pl.map((p): TestPool => ({ pool: data.sites[p[0]], blockSize: p[1], blocks: p[2], maxInUse: p[3], overflows: p[4] }));
  return { test, counts };
}

export function decodeCensus(data: DetailData): CensusSite[] {
  const cs = data.cs;
  if (!cs) return [];
  return cs.s.map((s, k) => ({
    site: data.sites[s],
    allocations: cs.a[k],
    bytes: cs.b[k],
    minSize: cs.mn[k],
    maxSize: cs.mx[k],
    maxLive: cs.ml[k],
    temporary: cs.tp[k],
    leaks: cs.lk[k],
  }));
}
