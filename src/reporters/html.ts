/**
 * `--reporter html[:PATH]`: one self-contained page (SPEC §5.3). Inline CSS,
 * script and SVG, no network (a Content-Security-Policy with hashes allows
 * only our own style and script), works from file://.
 *
 * The header, totals, leak sites, diagnostics and baseline/suppression tables
 * are rendered here, so they read without JavaScript; the per-test table,
 * details and timelines are rendered by the client script from compact
 * embedded data (data.ts), which keeps a 3,000-test report small.
 * Log-derived text reaches markup only through the `html` template (which
 * escapes every interpolation with `escapeHtml`) and `embedJson`, both in
 * html/escape.ts.
 */
import { createHash } from 'node:crypto';
import type { JudgedReport, LeakSite } from '../judge/types.js';
import { toHtmlReport, type HtmlReport as Report, type HtmlTest as TestResult } from './html/legacy.js';
import { registerReporter, type ReporterInstance } from './registry.js';
import { regressionGrowth } from './present.js';
import { CLIENT_SCRIPT } from './html/client.js';
import { packReport } from './html/data.js';
import { embedBase64, embedJson, html, trusted, type SafeHtml } from './html/escape.js';
import { STYLE } from './html/style.js';

/** Rows rendered server-side per table; beyond this the page says how many more. */
const SECTION_LIMIT = 200;
/** Test names listed per leak site. */
const SITE_TESTS_LIMIT = 6;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
// Only our exact inline style and script may run: injected markup could not execute anything.
// Built on first use: hashing the assets and loading ICU's number formats
// would otherwise cost every CLI start tens of milliseconds.
let csp: string | null = null;
function contentSecurityPolicy(): string {
  csp ??= [
    "default-src 'none'",
    `script-src ${sha256(CLIENT_SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return csp;
}

let numberFormat: Intl.NumberFormat | null = null;
const num = (n: number) => (numberFormat ??= new Intl.NumberFormat('en-US')).format(n);
const bytes = (n: number) => `${num(n)} B`;
const pct = (p: number | null) => (p === null ? '—' : `${p.toFixed(2)} %`);
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
const label = (name: string | null) => name ?? '(outside any test)';

function card(value: string, caption: string, note: string | null, tone: 'bad' | 'warn' | 'zero' | '' = ''): SafeHtml {
  return html`<div class="card ${tone}"><b>${value}</b><span>${caption}</span>${
    note !== null && html`<span class="sub" title="${note}">${note}</span>`
  }</div>`;
}

function more(total: number, shown: number, what: string): SafeHtml | null {
  return total > shown ? html`<p class="more">${num(total - shown)} more ${what} not listed; the JSON reporter lists them all.</p>` : null;
}

/** Links to test rows by index (names may repeat or be null). */
function testLinks(site: LeakSite, indexOf: Map<string | null, number>): SafeHtml {
  const shown = site.tests.slice(0, SITE_TESTS_LIMIT);
  return html`<div class="list-tests">${shown.map((name) => {
    const index = indexOf.get(name);
    return index === undefined ? html`<span class="mono">${label(name)}</span>` : html`<a href="#test-${index}">${label(name)}</a>`;
  })}${site.tests.length > shown.length && html`<span class="muted">and ${num(site.tests.length - shown.length)} more</span>`}</div>`;
}

function header(report: Report): SafeHtml {
  const { verdict } = report;
  const word = verdict.ok ? 'PASS' : verdict.exitCode === 2 ? 'ERROR' : 'FAIL';
  return html`<header class="top"><div class="top-in">
<div class="brand">valground <span>memory report</span></div>
<div class="verdict" data-testid="verdict">${word}<small>exit ${verdict.exitCode}</small></div>
<ul class="reasons">${verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>
<p class="meta">${plural(report.totals.tests, 'test')} · ${plural(report.totals.segments, 'heap segment')} · ${plural(report.linesRead, 'log line')} read</p>
</div></header>`;
}

function totals(report: Report, peakTest: TestResult | undefined): SafeHtml {
  const t = report.totals;
  const failing = report.tests.filter((x) => !x.ok).length;
  const frees = t.doubleFrees + t.invalidFrees;
  const level = t.peakPercent === null ? '' : t.peakPercent >= 90 ? 'bad' : t.peakPercent >= 70 ? 'warn' : '';
  return html`<section class="cards" data-testid="totals" aria-label="Totals">
${card(num(t.tests), 'tests', failing ? `${num(failing)} failing` : 'none failing', failing ? 'bad' : '')}
${card(num(t.leaks), 'leaked blocks', t.leaks ? bytes(t.leakedBytes) : null, t.leaks ? 'bad' : 'zero')}
${card(num(frees), 'bad frees', frees ? `${num(t.doubleFrees)} double, ${num(t.invalidFrees)} invalid` : null, frees ? 'bad' : 'zero')}
${card(pct(t.peakPercent), 'highest peak', `${bytes(t.peakBytes)}${peakTest ? ` in ${label(peakTest.name)}` : ''}`, level)}
${card(num(t.allocations), 'allocations', `${bytes(t.totalBytes)} in total`)}
${card(num(t.persistent), 'persistent blocks', t.persistent ? bytes(t.persistentBytes) : null, t.persistent ? '' : 'zero')}
${card(num(t.reclaimed), 'reclaimed by reset', null, t.reclaimed ? 'warn' : 'zero')}
${card(num(t.failedAllocations), 'failed allocations', null, t.failedAllocations ? 'warn' : 'zero')}
${t.suppressed > 0 && card(num(t.suppressed), 'suppressed', 'matched a suppression rule', '')}
${card(num(report.diagnostics.length), 'diagnostics', null, report.diagnostics.length ? 'warn' : 'zero')}
</section>`;
}

const COLUMNS: Array<[key: string, title: string, numeric: boolean, testid?: string]> = [
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

function testsSection(report: Report): SafeHtml {
  const failing = report.tests.filter((t) => !t.ok);
  const listed = failing.slice(0, SECTION_LIMIT);
  return html`<section id="tests"><h2>Tests</h2>
<section class="panel overview" id="overview-panel" aria-label="Peak heap usage per test" hidden><svg id="overview" data-testid="overview" viewBox="0 0 1000 100" preserveAspectRatio="none" aria-label="Peak heap usage per test, in log order"></svg>
<div class="ov-caption"><output id="overview-caption">Peak heap usage per test, in log order (green &lt; 70 %, amber &lt; 90 %, red ≥ 90 %; failing tests ticked below). Click a bar to open its test.</output></div></section>
<div class="panel table-panel" id="table-panel" hidden>
<div class="toolbar"><input type="search" id="filter" data-testid="filter" placeholder="Filter tests by name…" aria-label="Filter tests by name" autocomplete="off">
<label class="switch"><input type="checkbox" role="switch" id="failing-only" data-testid="failing-only"> Failing only</label>
<span class="count" id="count" aria-live="polite"></span></div>
<div class="table" role="table" id="tests-table" data-testid="tests-table" aria-label="Tests">
<div class="thead" role="rowgroup"><div class="grid head" role="row">${COLUMNS.map(
    ([key, title, numeric, testid]) => html`<div role="columnheader" data-key="${key}"${testid ? html` data-testid="${testid}"` : null}${
      numeric ? html` class="num"` : null
    }><button type="button">${title}</button></div>`,
  )}</div></div>
<div role="rowgroup" id="rows"><div class="empty">Loading ${plural(report.tests.length, 'test')}…</div></div>
</div></div>
<div class="panel nojs" id="nojs"><p>The interactive table needs JavaScript. ${
    failing.length ? `Failing tests (${num(failing.length)}):` : 'No test fails.'
  }</p>${listed.length > 0 && html`<ul>${listed.map(
    (t) => html`<li><code>${label(t.name)}</code> — ${plural(t.leaks.length, 'leak')}, ${plural(t.freeErrors.length, 'free error')}, peak ${pct(t.peakPercent)}</li>`,
  )}</ul>`}${more(failing.length, listed.length, 'failing tests')}</div>
</section>`;
}

function leakSitesSection(report: Report): SafeHtml {
  const sites = report.leakSites.slice(0, SECTION_LIMIT);
  const indexOf = new Map<string | null, number>();
  for (const t of report.tests) if (!indexOf.has(t.name)) indexOf.set(t.name, t.index);
  return html`<section id="leak-sites" data-testid="leak-sites"><h2>Leaks by allocation site</h2>${
    sites.length === 0
      ? html`<div class="panel empty">No leaks.</div>`
      : html`<div class="panel sites"><table><thead><tr><th>Allocated at</th><th class="num">Leaks</th><th class="num">Bytes</th><th>Tests</th></tr></thead><tbody>${sites.map(
          (s) => html`<tr data-testid="leak-site"><td class="mono">${s.site}</td><td class="num">${num(s.count)}</td><td class="num">${bytes(s.bytes)}</td><td>${testLinks(s, indexOf)}</td></tr>`,
        )}</tbody></table>${more(report.leakSites.length, sites.length, 'sites')}</div>`
  }</section>`;
}

function diagnosticsSection(report: Report): SafeHtml {
  const list = report.diagnostics.slice(0, SECTION_LIMIT);
  return html`<section id="diagnostics" data-testid="diagnostics"><h2>Diagnostics</h2>${
    list.length === 0
      ? html`<div class="panel empty">${report.recordsSeen ? 'None: every record was understood.' : 'No profiling records were found.'}</div>`
      : html`<div class="panel"><table><thead><tr><th class="num">Log line</th><th>Kind</th><th>Message</th></tr></thead><tbody>${list.map(
          (d) => html`<tr data-testid="diagnostic"><td class="num">${d.line > 0 ? num(d.line) : '—'}</td><td class="kind">${d.kind}</td><td>${d.message}</td></tr>`,
        )}</tbody></table>${more(report.diagnostics.length, list.length, 'diagnostics')}</div>`
  }</section>`;
}

function baselineSection(report: Report): SafeHtml | null {
  const regressions = report.regressions ?? [];
  const changes = report.baselineChanges;
  if (regressions.length === 0 && !changes) return null;
  const list = regressions.slice(0, SECTION_LIMIT);
  const names = (title: string, items: string[]) =>
    items.length > 0 &&
    html`<p><b>${title} (${num(items.length)}):</b> ${items.slice(0, SECTION_LIMIT).map((n, i) => html`${i ? ', ' : ''}<code>${n}</code>`)}</p>`;
  return html`<section id="regressions" data-testid="regressions"><h2>Compared with the baseline</h2><div class="panel">${
    list.length === 0
      ? html`<p class="empty">No peak regressed.</p>`
      : html`<table><thead><tr><th>Test</th><th class="num">Baseline peak</th><th class="num">Peak</th><th class="num">Growth</th></tr></thead><tbody>${list.map(
          (r) => html`<tr><td class="mono">${label(r.test)}</td><td class="num">${bytes(r.baselinePeakBytes)}</td><td class="num">${bytes(r.peakBytes)}</td><td class="num hot">${regressionGrowth(r)}</td></tr>`,
        )}</tbody></table>`
  }${more(regressions.length, list.length, 'regressions')}${changes && html`<div class="changes">${names('New tests', changes.added)}${names('Tests no longer run', changes.removed)}</div>`}</div></section>`;
}

function suppressionSection(report: Report): SafeHtml | null {
  const counts = report.suppressionCounts ?? [];
  if (counts.length === 0) return null;
  return html`<section id="suppressions" data-testid="suppressions"><h2>Suppressions</h2><div class="panel"><table><thead><tr><th>Pattern</th><th>Kind</th><th class="num">Matched</th></tr></thead><tbody>${counts.map(
    (s) => html`<tr><td class="mono">${s.pattern}</td><td class="kind">${s.kind}</td><td class="num${s.count === 0 ? ' muted' : ''}">${s.count === 0 ? '0 (unused)' : num(s.count)}</td></tr>`,
  )}</tbody></table></div></section>`;
}

/** The whole report page. */
export function renderHtml(judged: JudgedReport): string {
  return renderHtmlReport(toHtmlReport(judged));
}

/** The page of a report already in the page's shape. */
export function renderHtmlReport(report: Report): string {
  const packed = packReport(report);
  const peakTest = report.tests.reduce<TestResult | undefined>(
    (best, t) => (best === undefined || t.peakBytes > best.peakBytes ? t : best),
    undefined,
  );
  const { verdict, totals: t } = report;
  const summary = verdict.ok
    ? `PASS — ${plural(t.tests, 'test')}`
    : `${verdict.exitCode === 2 ? 'ERROR' : 'FAIL'} — ${verdict.reasons[0] ?? 'see report'}`;
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
${header(report)}
<main>
${!report.recordsSeen && html`<div class="alarm" data-testid="no-profiling" role="alert">No memory profiling records were found in this log. A build without profiling must not look like a clean run: check that the app was built with memory profiling on and that its output reaches the analyzer.</div>`}
${totals(report, peakTest)}
${testsSection(report)}
${leakSitesSection(report)}
${baselineSection(report)}
${suppressionSection(report)}
${diagnosticsSection(report)}
</main>
<footer>Generated by valground. Peak % bars: green below 70 %, amber below 90 %, red from 90 %.${
    packed.data.thinned && ` Timelines keep at most ${packed.data.points} points per test (peaks and dips preserved) to keep this file small.`
  }</footer>
<script type="application/json" id="report-data" data-encoding="${packed.encoding}">${
    packed.encoding === 'json' ? embedJson(packed.data) : embedBase64(packed.base64)
  }</script>
<script>${trusted(CLIENT_SCRIPT)}</script>
</body></html>
`;
  return page.value;
}

registerReporter('html', (): ReporterInstance => ({ end: (report) => renderHtml(report) }), { timelines: true, heapMaps: true, showsDiagnostics: true });
