/**
 * The report page's script (bundled into the page at build time). Reads the
 * embedded data, draws the test table, the overview chart and the census, and
 * wires sorting, filtering, opening rows and links to tests. Data reaches the
 * page only through textContent and setAttribute.
 */
import { renderCensus } from './census.js';
import { byId, el, markSorted } from './dom.js';
import { num, plural } from './format.js';
import { ASCENDING_FIRST, filterOrder, sortOrder, type SortKey } from './order.js';
import { renderOverview } from './overview.js';
import { renderDetails } from './details.js';
import { TestTable } from './table.js';
import { decodeCensus, decodeRows, decodeTest } from './unpack.js';
import type { DetailData } from '../packed.js';
import { loadData, type Loaded } from './load.js';

function start(loaded: Loaded): void {
  const data = loaded.table;
  const rows = decodeRows(data);
  const heads = [...document.querySelectorAll<HTMLElement>('#tests-table [data-key]')];
  const keys = heads.map((h) => h.getAttribute('data-key')!);
  const body = byId('rows');
  let detail: DetailData | null = loaded.now;
  const details = (pos: number, d: DetailData) => renderDetails(decodeTest(data, d, rows, pos), rows.labels[pos], data.points);
  const table = new TestTable(body, rows, keys, (pos) => {
    if (detail) return details(pos, detail);
    // Opened before the rest of the data was inflated: fill in when it is.
    const box = el('div', { class: 'details', 'data-testid': 'test-details' }, el('p', { class: 'muted' }, 'Loading\u2026'));
    void loaded.details().then((d) => {
      box.replaceWith(details(pos, d));
      table.render();
    });
    return box;
  });

  // Sorting: first click sorts descending for measures, ascending for labels; again flips.
  let sortKey: SortKey = 'index';
  let sortDir: 1 | -1 = 1;
  let order = sortOrder(rows, sortKey, sortDir);

  // Filtering: by name substring and failing-only.
  const filter = byId<HTMLInputElement>('filter');
  const failing = byId<HTMLInputElement>('failing-only');
  const count = byId('count');
  function apply() {
    table.setView(filterOrder(rows, order, filter.value.trim().toLowerCase(), failing.checked));
    const shown = table.length;
    count.textContent = shown === rows.n ? plural(rows.n, 'test') : `Showing ${num(shown)} of ${plural(rows.n, 'test')}`;
  }
  filter.addEventListener('input', apply);
  failing.addEventListener('change', apply);

  function sortBy(key: SortKey) {
    sortDir = key === sortKey ? (-sortDir as 1 | -1) : ASCENDING_FIRST.has(key) ? 1 : -1;
    sortKey = key;
    order = sortOrder(rows, key, sortDir);
    apply();
    markSorted(heads, key, sortDir);
  }
  for (const th of heads) {
    th.classList.add('sortable');
    th.addEventListener('click', () => sortBy(th.getAttribute('data-key') as SortKey));
  }
  apply();

  body.addEventListener('click', (e) => {
    const pos = table.posOf(e.target as Element);
    // Let people select text in an opened row without closing it.
    if (pos >= 0 && !String(window.getSelection?.() ?? '')) table.toggle(pos);
  });
  body.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    const pos = table.posOf(target);
    if (pos < 0 || !target.classList.contains('row')) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      table.toggle(pos);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      table.neighbour(pos, e.key === 'ArrowDown' ? 1 : -1)?.focus();
    }
  });

  // Jump to a test from the overview chart, the leak-site table or a #test-N link.
  function reveal(pos: number) {
    if (!table.shows(pos)) {
      filter.value = '';
      failing.checked = false;
      apply();
    }
    if (!table.isOpen(pos)) table.toggle(pos, true);
    table.reveal(pos)?.focus({ preventScroll: true });
  }
  const byIndex = new Map<number, number>();
  for (let k = rows.n - 1; k >= 0; k--) byIndex.set(rows.index[k], k);
  function revealHash(hash: string | null): boolean {
    const m = /^#test-(\d+)$/.exec(hash ?? '');
    const pos = m ? byIndex.get(Number(m[1])) : undefined;
    if (pos === undefined) return false;
    reveal(pos);
    return true;
  }
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a[href^="#test-"]');
    if (a && revealHash(a.getAttribute('href'))) e.preventDefault();
  });
  if (location.hash) revealHash(location.hash);

  renderOverview(rows, reveal);
  // After the frame that shows the first rows: what `npm run bench` reads as the time to first paint.
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark('valground:painted');
    void loaded.details().then((d) => {
      detail = d;
      const census = document.getElementById('census-table');
      if (census && d.cs) renderCensus(census as HTMLTableElement, decodeCensus(d));
    });
  }, 0));
}

// Without JavaScript the page shows a static list of failing tests instead.
byId('nojs').hidden = true;
byId('table-panel').hidden = false;
byId('overview-panel').hidden = false;
loadData().then(start).catch((err: unknown) => {
  const body = byId('rows');
  body.textContent = '';
  body.appendChild(el('div', { class: 'empty', role: 'alert' }, `Could not render the tests: ${err instanceof Error ? err.message : String(err)}`));
  throw err;
});
