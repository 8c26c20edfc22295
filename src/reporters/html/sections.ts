/**
 * The run-level sections of the page, rendered on the server so they read
 * without JavaScript: leaks by site, the census (its top; the script adds the
 * rest and sorting), pools, the baseline comparison, suppressions and
 * diagnostics. Log text reaches markup only through `html` (escape.ts).
 */
import { html, type SafeHtml } from './escape.js';
import { bytes, label, num } from './format.js';
import type { CensusSite, HtmlModel, LeakSite } from './model.js';

/** Rows rendered server-side per table; beyond this the page says how many more. */
export const SECTION_LIMIT = 200;
/** Census rows rendered server-side; the script draws the rest. */
export const CENSUS_STATIC = 20;
/** Test names listed per leak site. */
const SITE_TESTS_LIMIT = 6;

export function more(total: number, shown: number, what: string): SafeHtml | null {
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

export function leakSitesSection(model: HtmlModel): SafeHtml {
  const sites = model.leakSites.slice(0, SECTION_LIMIT);
  const indexOf = new Map<string | null, number>();
  for (const t of model.tests) if (!indexOf.has(t.name)) indexOf.set(t.name, t.index);
  return html`<section id="leak-sites" data-testid="leak-sites"><h2>Leaks by allocation site</h2>${
    sites.length === 0
      ? html`<div class="panel empty">No leaks.</div>`
      : html`<div class="panel sites"><table><thead><tr><th>Allocated at</th><th class="num">Leaks</th><th class="num">Bytes</th><th>Tests</th></tr></thead><tbody>${sites.map(
          (s) => html`<tr data-testid="leak-site"><td class="mono">${s.site}</td><td class="num">${num(s.count)}</td><td class="num">${bytes(s.bytes)}</td><td>${testLinks(s, indexOf)}</td></tr>`,
        )}</tbody></table>${more(model.leakSites.length, sites.length, 'sites')}</div>`
  }</section>`;
}

const CENSUS_COLUMNS: Array<[key: keyof CensusSite, title: string, note: string]> = [
  ['site', 'Call site', ''],
  ['allocations', 'Allocations', 'persist ones included'],
  ['bytes', 'Bytes', 'requested over the run'],
  ['minSize', 'Smallest', 'smallest request'],
  ['maxSize', 'Largest', 'largest request'],
  ['maxLive', 'Most live', 'most blocks from this site live at once'],
  ['temporary', 'Temporary', 'freed by the very next record on their heap: candidates for the stack or a pool'],
  ['leaks', 'Leaks', 'blocks never freed'],
];

export function censusSection(model: HtmlModel): SafeHtml | null {
  const sites = model.sites ?? [];
  if (sites.length === 0) return null;
  const cell = (s: CensusSite, key: keyof CensusSite) => {
    if (key === 'site') return html`<td class="mono">${s.site}</td>`;
    const v = s[key] as number;
    const text = key === 'bytes' || key === 'minSize' || key === 'maxSize' ? bytes(v) : num(v);
    const tone = v ? (key === 'leaks' ? ' hot' : key === 'temporary' ? ' hint' : '') : '';
    return html`<td class="num${tone}">${text}</td>`;
  };
  const shown = sites.slice(0, CENSUS_STATIC);
  return html`<section id="census" data-testid="census"><h2>Allocation census by call site</h2><div class="panel sites"><table id="census-table" data-testid="census-table"><thead><tr>${CENSUS_COLUMNS.map(
    ([key, title, note]) => html`<th data-key="${key}" data-testid="census-sort-${key}"${key === 'site' ? null : html` class="num"`}${note ? html` title="${note}"` : null}><button type="button">${title}</button></th>`,
  )}</tr></thead><tbody>${shown.map((s) => html`<tr data-testid="census-row">${CENSUS_COLUMNS.map(([key]) => cell(s, key))}</tr>`)}</tbody></table><p class="more">${
    sites.length > shown.length ? `${num(sites.length - shown.length)} more sites: the interactive table lists them (the JSON reporter too).` : ''
  }</p></div></section>`;
}

export function poolsSection(model: HtmlModel): SafeHtml | null {
  const pools = model.pools ?? [];
  if (pools.length === 0) return null;
  return html`<section id="pools" data-testid="pools"><h2>Pools</h2><div class="panel"><table><thead><tr><th>Pool</th><th class="num">Block size</th><th class="num">Blocks</th><th class="num">Most in use</th><th>In test</th><th class="num">Overflows</th></tr></thead><tbody>${pools.map(
    (p) => html`<tr data-testid="pool-row"><td class="mono">${p.pool}</td><td class="num">${bytes(p.blockSize)}</td><td class="num">${num(p.blocks)}</td><td class="num">${num(p.maxInUse)}</td><td class="mono">${label(p.maxInUseTest)}</td><td class="num${p.overflows ? ' hot' : ''}">${num(p.overflows)}</td></tr>`,
  )}</tbody></table><ul class="sizing">${pools.map((p) => html`<li data-testid="pool-sizing">${p.sizing}</li>`)}</ul></div></section>`;
}

export function diagnosticsSection(model: HtmlModel): SafeHtml {
  const list = model.diagnostics.slice(0, SECTION_LIMIT);
  return html`<section id="diagnostics" data-testid="diagnostics"><h2>Diagnostics</h2>${
    list.length === 0
      ? html`<div class="panel empty">${model.recordsSeen ? 'None: every record was understood.' : 'No profiling records were found.'}</div>`
      : html`<div class="panel"><table><thead><tr><th class="num">Log line</th><th>Kind</th><th>Message</th></tr></thead><tbody>${list.map(
          (d) => html`<tr data-testid="diagnostic"><td class="num">${d.line > 0 ? num(d.line) : '—'}</td><td class="kind">${d.kind}</td><td>${d.message}</td></tr>`,
        )}</tbody></table>${more(model.diagnostics.length, list.length, 'diagnostics')}</div>`
  }</section>`;
}

export function baselineSection(model: HtmlModel): SafeHtml | null {
  const regressions = model.regressions;
  const changes = model.baselineChanges;
  if (regressions.length === 0 && !changes) return null;
  const list = regressions.slice(0, SECTION_LIMIT);
  const names = (title: string, items: string[]) =>
    items.length > 0 &&
    html`<p><b>${title} (${num(items.length)}):</b> ${items.slice(0, SECTION_LIMIT).map((n, i) => html`${i ? ', ' : ''}<code>${n}</code>`)}</p>`;
  return html`<section id="regressions" data-testid="regressions"><h2>Compared with the baseline</h2><div class="panel">${
    list.length === 0
      ? html`<p class="empty">No peak regressed.</p>`
      : html`<table><thead><tr><th>Test</th><th class="num">Baseline peak</th><th class="num">Peak</th><th class="num">Growth</th></tr></thead><tbody>${list.map(
          (r) => html`<tr><td class="mono">${label(r.test)}</td><td class="num">${bytes(r.baselinePeakBytes)}</td><td class="num">${bytes(r.peakBytes)}</td><td class="num hot">${r.growth}</td></tr>`,
        )}</tbody></table>`
  }${more(regressions.length, list.length, 'regressions')}${changes && html`<div class="changes">${names('New tests', changes.added)}${names('Tests no longer run', changes.removed)}</div>`}</div></section>`;
}

export function suppressionSection(model: HtmlModel): SafeHtml | null {
  const counts = model.suppressions;
  if (counts.length === 0) return null;
  return html`<section id="suppressions" data-testid="suppressions"><h2>Suppressions</h2><div class="panel"><table><thead><tr><th>Pattern</th><th>Kind</th><th class="num">Matched</th></tr></thead><tbody>${counts.map(
    (s) => html`<tr><td class="mono">${s.pattern}</td><td class="kind">${s.kind}</td><td class="num${s.count === 0 ? ' muted' : ''}">${s.count === 0 ? '0 (unused)' : num(s.count)}</td></tr>`,
  )}</tbody></table></div></section>`;
}
