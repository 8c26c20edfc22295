/**
 * The report page built from the view model: one self-contained file (inline
 * CSS, script and SVG, no network; a Content-Security-Policy with hashes
 * allows only our own style and script), which works from file://.
 *
 * The header, totals, failing tests, leak sites, census top, pools and the
 * other run-level tables are rendered here, so they read without JavaScript;
 * the per-test table, details, heap maps and timelines are drawn by the
 * client script from the packed data (pack.ts). Log-derived text reaches
 * markup only through the `html` template and `embedJson` (escape.ts).
 */
import { createHash } from 'node:crypto';
import { clientScript } from './client-script.js';
import { embedBase64, embedJson, html, trusted, type SafeHtml } from './escape.js';
import { bytes, label, num, pct, plural } from './format.js';
import type { HtmlModel, HtmlTest, Item } from './model.js';
import { packModel } from './pack.js';
import { baselineSection, censusSection, diagnosticsSection, leakSitesSection, more, poolsSection, SECTION_LIMIT, suppressionSection } from './sections.js';
import { STYLE } from './style.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
// Only our exact inline style and script may run: injected markup could not execute anything.
let csp: string | null = null;
function contentSecurityPolicy(): string {
  csp ??= [
    "default-src 'none'",
    `script-src ${sha256(clientScript())}`,
    `style-src ${sha256(STYLE)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return csp;
}

function card(value: string, caption: string, note: string | null, tone: 'bad' | 'warn' | 'zero' | '' = ''): SafeHtml {
  return html`<div class="card ${tone}"><b>${value}</b><span>${caption}</span>${
    note !== null && html`<span class="sub" title="${note}">${note}</span>`
  }</div>`;
}

function header(model: HtmlModel): SafeHtml {
  const { verdict } = model;
  const word = verdict.ok ? 'PASS' : verdict.exitCode === 2 ? 'ERROR' : 'FAIL';
  return html`<header class="top"><div class="top-in">
<div class="brand">valground <span>memory report</span></div>
<div class="verdict" data-testid="verdict">${word}<small>exit ${verdict.exitCode}</small></div>
<ul class="reasons">${verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>
<p class="meta">${plural(model.totals.tests, 'test')} · ${plural(model.totals.segments, 'heap segment')} · ${plural(model.linesRead, 'log line')} read</p>
</div></header>`;
}

function lowestHeadroom(tests: readonly HtmlTest[]): HtmlTest | undefined {
  return tests.reduce<HtmlTest | undefined>((best, t) => (t.layout && (!best || t.layout.headroom < best.layout!.headroom) ? t : best), undefined);
}

function totals(model: HtmlModel): SafeHtml {
  const t = model.totals;
  const peakTest = model.tests.reduce<HtmlTest | undefined>((best, x) => (best === undefined || x.peakBytes > best.peakBytes ? x : best), undefined);
  const failing = model.tests.filter((x) => !x.ok).length;
  const frees = t.doubleFrees + t.invalidFrees;
  const level = t.peakPercent === null ? '' : t.peakPercent >= 90 ? 'bad' : t.peakPercent >= 70 ? 'warn' : '';
  const tight = lowestHeadroom(model.tests);
  return html`<section class="cards" data-testid="totals" aria-label="Totals">
${card(num(t.tests), 'tests', failing ? `${num(failing)} failing` : 'none failing', failing ? 'bad' : '')}
${card(num(t.leaks), 'leaked blocks', t.leaks ? bytes(t.leakedBytes) : null, t.leaks ? 'bad' : 'zero')}
${card(num(frees), 'bad frees', frees ? `${num(t.doubleFrees)} double, ${num(t.invalidFrees)} invalid` : null, frees ? 'bad' : 'zero')}
${t.corruption !== undefined && card(num(t.corruption), 'corruption findings', null, t.corruption ? 'bad' : 'zero')}
${card(pct(t.peakPercent), 'highest peak', `${bytes(t.peakBytes)}${peakTest ? ` in ${label(peakTest.name)}` : ''}`, level)}
${tight && card(bytes(tight.layout!.headroom), 'lowest headroom', `at the peak of ${label(tight.name)}`, '')}
${card(num(t.allocations), 'allocations', `${bytes(t.totalBytes)} in total`)}
${card(num(t.persistent), 'persistent blocks', t.persistent ? bytes(t.persistentBytes) : null, t.persistent ? '' : 'zero')}
${t.carried !== undefined && card(num(t.carried), 'carried blocks', 'left live for a later test', t.carried ? '' : 'zero')}
${card(num(t.reclaimed), 'reclaimed by reset', null, t.reclaimed ? 'warn' : 'zero')}
${card(num(t.failedAllocations), 'failed allocations', null, t.failedAllocations ? 'warn' : 'zero')}
${t.suppressed > 0 && card(num(t.suppressed), 'suppressed', 'matched a suppression rule', '')}
${card(num(model.diagnostics.length), 'diagnostics', null, model.diagnostics.length ? 'warn' : 'zero')}
</section>`;
}

type Column = [key: string, title: string, numeric: boolean, testid?: string];
const COLUMNS: Column[] = [
  ['status', 'Status', false],
  ['index', '#', true],
  ['name', 'Test', false],
  ['outcome', 'Outcome', false],
  ['peak', 'Peak bytes', true],
  ['heap', 'Heap size', true],
  ['pct', 'Peak %', false, 'sort-peak'],
  ['allocs', 'Allocations', true],
  ['leaks', 'Leaks', true],
  ['frees', 'Free errors', true],
];
const HEADROOM: Column = ['headroom', 'Headroom', true, 'sort-headroom'];

const count = (items: readonly Item[], pred: (i: Item) => boolean) => items.filter((i) => i.severity !== 'suppressed' && pred(i)).length;

function testsSection(model: HtmlModel): SafeHtml {
  const failing = model.tests.filter((t) => !t.ok);
  const listed = failing.slice(0, SECTION_LIMIT);
  const withLayout = model.tests.some((t) => t.layout);
  const columns = withLayout ? [...COLUMNS, HEADROOM] : COLUMNS;
  return html`<section id="tests"><h2>Tests</h2>
<section class="panel overview" id="overview-panel" aria-label="Peak heap usage per test" hidden><svg id="overview" data-testid="overview" viewBox="0 0 1000 100" preserveAspectRatio="none" aria-label="Peak heap usage per test, in log order"></svg>
<div class="ov-caption"><output id="overview-caption">Peak heap usage per test, in log order (green &lt; 70 %, amber &lt; 90 %, red ≥ 90 %; failing tests ticked below). Click a bar to open its test.</output></div></section>
<div class="panel table-panel" id="table-panel" hidden>
<div class="toolbar"><input type="search" id="filter" data-testid="filter" placeholder="Filter tests by name…" aria-label="Filter tests by name" autocomplete="off">
<label class="switch"><input type="checkbox" role="switch" id="failing-only" data-testid="failing-only"> Failing only</label>
<span class="count" id="count" data-testid="count" aria-live="polite"></span></div>
<div class="table${withLayout ? ' with-layout' : ''}" role="table" id="tests-table" data-testid="tests-table" aria-label="Tests" aria-rowcount="${model.tests.length + 1}">
<div class="thead" role="rowgroup"><div class="grid head" role="row">${columns.map(
    ([key, title, numeric, testid]) => html`<div role="columnheader" data-key="${key}"${testid ? html` data-testid="${testid}"` : null}${
      numeric ? html` class="num"` : null
    }><button type="button">${title}</button></div>`,
  )}</div></div>
<div role="rowgroup" id="rows"><div class="empty">Loading ${plural(model.tests.length, 'test')}…</div></div>
</div></div>
<div class="panel nojs" id="nojs"><p>The interactive table needs JavaScript. ${
    failing.length ? `Failing tests (${num(failing.length)}):` : 'No test fails.'
  }</p>${listed.length > 0 && html`<ul>${listed.map(
    (t) => html`<li><code>${label(t.name)}</code> — ${plural(count(t.items, (i) => i.kind === 'leak'), 'leak')}, ${plural(
      count(t.items, (i) => i.kind === 'double-free' || i.kind === 'invalid-free'),
      'free error',
    )}, peak ${pct(t.peakPercent)}</li>`,
  )}</ul>`}${more(failing.length, listed.length, 'failing tests')}</div>
</section>`;
}

/** The whole report page. */
export function renderPage(model: HtmlModel): string {
  const packed = packModel(model);
  const { verdict, totals: t } = model;
  const summary = verdict.ok
    ? `PASS — ${plural(t.tests, 'test')}`
    : `${verdict.exitCode === 2 ? 'ERROR' : 'FAIL'} — ${verdict.reasons[0] ?? 'see report'}`;
  const notes = [
    packed.data.thinned && `Timelines keep at most ${packed.data.points} points per test (peaks and dips preserved) to keep this file small.`,
    packed.data.mapsLeftOut && `${plural(packed.data.mapsLeftOut, 'heap map')} left out to keep this file small (failing, warning and the fullest tests keep theirs).`,
  ].filter(Boolean);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="valground">
<link rel="icon" href="data:,">
<title>valground: ${summary}</title>
<style>${trusted(STYLE)}</style></head>
<body class="${verdict.ok ? 'pass' : 'fail'}">
${header(model)}
<main>
${!model.recordsSeen && html`<div class="alarm" data-testid="no-profiling" role="alert">No memory profiling records were found in this log. A build without profiling must not look like a clean run: check that the app was built with memory profiling on and that its output reaches the analyzer.</div>`}
${!model.complete && html`<div class="alarm" data-testid="incomplete" role="alert">The input ended early (interrupted run): this report covers only what was read.</div>`}
${totals(model)}
${testsSection(model)}
${leakSitesSection(model)}
${censusSection(model)}
${poolsSection(model)}
${baselineSection(model)}
${suppressionSection(model)}
${diagnosticsSection(model)}
</main>
<footer>Generated by valground. Peak % bars: green below 70 %, amber below 90 %, red from 90 %.${notes.map((n) => ` ${n}`)}</footer>
<script type="application/json" id="report-data" data-encoding="${packed.encoding === 'json' ? 'json' : `gzip+base64; table=${packed.tableBytes}`}">${
    packed.encoding === 'json' ? embedJson(packed.data) : embedBase64(packed.base64)
  }</script>
<script>${trusted(clientScript())}</script>
</body></html>
`;
  return page.value;
}
