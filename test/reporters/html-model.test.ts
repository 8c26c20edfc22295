/**
 * The HTML view model: the report → model conversion (severity and status
 * from the policy), and the packing round trip the page relies on: what
 * pack.ts embeds, client/unpack.ts reads back exactly.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { syntheticModel } from '../../src/bench/html-model.js';
import { decodeCensus, decodeRows, decodeTest } from '../../src/reporters/html/client/unpack.js';
import { fromReport } from '../../src/reporters/html/from-report.js';
import type { HtmlModel, HtmlTest, Item } from '../../src/reporters/html/model.js';
import { DETAIL_LIMIT, encodeModel, heapMapsKept, packModel } from '../../src/reporters/html/pack.js';
import type { ReportData } from '../../src/reporters/html/packed.js';
import { renderPage } from '../../src/reporters/html/page.js';
import { viewsModel } from '../browser/make-model.js';
import { demoReport, HOSTILE, makeReport, makeTest } from '../browser/make-report.js';
import { escapeHtml } from '../../src/reporters/html/escape.js';
import { policyFrom } from '../../src/judge/policy.js';

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const canonical = (items: readonly Item[]) => items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();

/** The model with every kind of item, severity, override and optional view. */
function richModel(): HtmlModel {
  const model = viewsModel();
  const t = model.tests[5];
  t.items.push(
    { kind: 'persistent', severity: 'error', text: 'kept for the app', address: 0xda7a0800, size: 32, site: 'src/app_main.c:9', line: t.startLine + 2 },
    { kind: 'corruption', severity: 'error', text: 'guard bytes changed', address: null, size: null, site: 'src/x.c:1', line: t.startLine + 3, heap: 'ux' },
    { kind: 'leak', severity: 'warning', text: 'leak', address: 0xda7a0900, size: 8, site: 'src/y.c:2', line: t.startLine + 4 },
  );
  return model;
}

function roundTrip(model: HtmlModel): { data: ReportData; tests: HtmlTest[] } {
  const data = JSON.parse(JSON.stringify(encodeModel(model, 240))) as ReportData;
  const rows = decodeRows(data);
  return { data, tests: model.tests.map((_, k) => decodeTest(data, data, rows, k).test) };
}

describe('packing the view model', () => {
  it('round-trips every test: scalars, items, timeline, layout, heap map, heaps and pools', () => {
    const model = richModel();
    const { data, tests } = roundTrip(model);
    model.tests.forEach((t, k) => {
      const back = tests[k];
      const { items, peakPercent, ...rest } = t;
      const { items: backItems, peakPercent: backPercent, ...backRest } = back;
      expect(backRest).toEqual(rest);
      expect(backPercent).toBe(round2(peakPercent));
      expect(canonical(backItems)).toEqual(canonical(items));
    });
    expect(decodeCensus(data)).toEqual(model.sites);
  });

  it('decodes the table columns the page sorts and filters on', () => {
    const model = richModel();
    const { data } = roundTrip(model);
    const rows = decodeRows(data);
    expect(rows.n).toBe(model.tests.length);
    expect([...rows.index]).toEqual(model.tests.map((t) => t.index));
    expect([...rows.status]).toEqual(model.tests.map((t) => ['fail', 'warn', 'ok', 'idle'].indexOf(t.status)));
    expect([...rows.headroom]).toEqual(model.tests.map((t) => t.layout!.headroom));
    expect([...rows.leaks]).toEqual(model.tests.map((t) => t.items.filter((i) => i.kind === 'leak' && i.severity !== 'suppressed').length));
  });

  it('lists at most DETAIL_LIMIT items per group and keeps the exact count', () => {
    const model = richModel();
    const t = model.tests[0];
    for (let k = 0; k < DETAIL_LIMIT + 25; k++)
      t.items.push({ kind: 'reclaimed', severity: 'warning', text: 'reclaimed', address: 0xda7b0000 + k * 16, size: 16, site: 'src/z.c:1', line: t.startLine + 1 });
    const data = encodeModel(model, 240);
    const decoded = decodeTest(data, data, decodeRows(data), 0);
    const group = decoded.counts.find((g) => g.code === 'R')!;
    expect(group).toEqual({ code: 'R', severity: 'warning', listed: DETAIL_LIMIT, total: DETAIL_LIMIT + 25 });
    expect(decoded.test.items.filter((i) => i.kind === 'reclaimed')).toHaveLength(DETAIL_LIMIT);
  });

  it('stores repeated strings once and heap-map offsets as gaps', () => {
    const model = richModel();
    const data = encodeModel(model, 240);
    expect(new Set(data.sites).size).toBe(data.sites.length);
    const map = data.hm![0];
    // Chunks that tile store a zero gap: [kind, 0, size, …].
    expect(map.c[1]).toBe(0);
    expect(map.c.length).toBeLessThan(model.tests[0].heapMap!.chunks.length * 5 + 1);
  });

  it('gzips a large model as two members: the table first, the rest after', () => {
    const model = syntheticModel(3000, { mapEvery: 50 });
    const packed = packModel(model);
    expect(packed.encoding).toBe('gzip+base64');
    if (packed.encoding !== 'gzip+base64') return;
    const bytes = Buffer.from(packed.base64, 'base64');
    // Any gzip reader gets the whole object…
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(packed.data)));
    // …and the page reads the table alone first.
    const head = gunzipSync(bytes.subarray(0, packed.tableBytes)).toString('utf8');
    const tail = gunzipSync(bytes.subarray(packed.tableBytes)).toString('utf8');
    expect(Object.keys(JSON.parse(`${head}}`))).toEqual(['v', 'base', 'names', 'c', 'pp', 'points', 'thinned']);
    expect(Object.keys(JSON.parse(`{${tail.slice(1)}`))).toContain('tl');
    expect(renderPage(model)).toContain(`data-encoding="gzip+base64; table=${packed.tableBytes}"`);
  });

  it('keeps heap maps of failing, then warning, then the fullest tests when over the chunk budget', () => {
    const model = syntheticModel(40, { mapEvery: 1 });
    for (const t of model.tests) t.status = 'ok';
    model.tests[7].status = 'fail';
    model.tests[30].status = 'warn';
    const chunks = (k: number) => model.tests[k].heapMap!.chunks.length;
    expect(heapMapsKept(model.tests, chunks(7) + chunks(30))).toEqual(new Set([7, 30]));
    const fullest = model.tests.map((t, k) => k).filter((k) => k !== 7 && k !== 30)
      .sort((a, b) => model.tests[b].peakPercent! - model.tests[a].peakPercent!)[0];
    expect(heapMapsKept(model.tests, chunks(7) + chunks(30) + chunks(fullest))).toEqual(new Set([7, 30, fullest]));
    expect(heapMapsKept(model.tests).size).toBe(40);
    const packed = encodeModel(model, 8, heapMapsKept(model.tests, 0));
    expect(packed.mapsLeftOut).toBe(40);
    expect(packed.hm).toBeUndefined();
  });
});

describe('the page from a model with every view', () => {
  it('renders the census top and the pools on the server, log text escaped', () => {
    const page = renderPage(viewsModel());
    expect(page).toContain('data-testid="census-table"');
    expect(page.match(/data-testid="census-row"/g)).toHaveLength(viewsModel().sites!.length);
    expect(page.match(/data-testid="pool-sizing"/g)).toHaveLength(2);
    expect(page).toContain(escapeHtml(HOSTILE.site));
    expect(page).not.toMatch(/<svg onload/i);
    expect(page).toContain('data-testid="sort-headroom"');
  });
});

describe('the size budget', () => {
  it('keeps a 3,000-test page with a heap map per test under 300 KB, saying how many maps were left out', () => {
    const page = renderPage(syntheticModel(3000, { mapEvery: 1 }));
    expect(Buffer.byteLength(page)).toBeLessThan(300 * 1024);
    expect(page).toMatch(/[\d,]+ heap maps left out to keep this file small/);
  });
});

describe('report → view model', () => {
  it('takes severities from the policy and the status from the verdict', () => {
    const report = demoReport();
    const model = fromReport(report);
    const leaky = model.tests.find((t) => t.items.some((i) => i.kind === 'leak' && i.severity === 'error'))!;
    expect(leaky.status).toBe('fail');
    expect(leaky.reasons[0]).toMatch(/^\d+ leaks? \(\d+ bytes\)$/);
    const reclaimed = model.tests.find((t) => t.items.some((i) => i.kind === 'reclaimed'))!;
    expect(reclaimed.items.find((i) => i.kind === 'reclaimed')!.severity).toBe('warning');
    expect(reclaimed.status).toBe('warn');
    const persistent = model.tests.flatMap((t) => t.items).filter((i) => i.kind === 'persistent');
    expect(persistent.length).toBeGreaterThan(0);
    expect(persistent.every((i) => i.severity === 'info')).toBe(true);
    expect(model.tests.flatMap((t) => t.items).filter((i) => i.severity === 'suppressed')).toHaveLength(1);

    const strict = demoReport({ policy: policyFrom(['persistent'], false) });
    expect(fromReport(strict).tests.flatMap((t) => t.items).filter((i) => i.kind === 'persistent').every((i) => i.severity === 'error')).toBe(true);
  });

  it('marks a test without heap activity idle and names a regression among the reasons', () => {
    const idle = makeTest({ name: 'tests/t.py::test_idle', index: 1, segments: 0, allocations: 0, peakBytes: 0 });
    const busy = makeTest({ name: 'tests/t.py::test_busy', index: 2, allocations: 3, peakBytes: 100 });
    const report = makeReport([idle, busy], { regressions: [{ test: busy.name, baselinePeakBytes: 50, peakBytes: 100, growthPercent: 100 }] });
    const model = fromReport(report);
    expect(model.tests.map((t) => t.status)).toEqual(['idle', 'fail']);
    expect(model.tests[1].reasons).toEqual(['peak grew 100.00% over the baseline (50 → 100 bytes)']);
  });
});
