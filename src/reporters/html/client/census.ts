/**
 * The census table: the page lists the top sites without JavaScript; here it
 * gets every site (up to DRAW_LIMIT rows) and sorts by any column.
 */
import type { CensusSite } from '../model.js';
import { el, markSorted } from './dom.js';
import { bytes, num } from './format.js';

const DRAW_LIMIT = 1000;
type Key = keyof CensusSite;
const BYTES: ReadonlySet<Key> = new Set(['bytes', 'minSize', 'maxSize']);

export function renderCensus(table: HTMLTableElement, sites: CensusSite[]): void {
  const body = table.tBodies[0];
  const heads = [...table.querySelectorAll<HTMLElement>('th[data-key]')];
  const keys = heads.map((h) => h.getAttribute('data-key') as Key);
  const more = table.parentElement?.querySelector('.more');
  let key: Key = 'allocations';
  let dir = -1;
  function draw(list: CensusSite[]) {
    body.textContent = '';
    for (const s of list.slice(0, DRAW_LIMIT))
      body.appendChild(el('tr', { 'data-testid': 'census-row' }, keys.map((k) => {
        const v = s[k];
        if (k === 'site') return el('td', { class: 'mono' }, s.site);
        // Leaks are errors; temporary allocations are a hint (candidates for the stack or a pool).
        const tone = v ? (k === 'leaks' ? ' hot' : k === 'temporary' ? ' hint' : '') : '';
        return el('td', { class: `num${tone}` }, BYTES.has(k) ? bytes(v as number) : num(v as number));
      })));
    if (more) more.textContent = list.length > DRAW_LIMIT ? `${num(list.length - DRAW_LIMIT)} more sites not listed; the JSON reporter lists them all.` : '';
  }
  function sortBy(k: Key) {
    dir = k === key ? -dir : k === 'site' ? 1 : -1;
    key = k;
    const order = sites.map((s, i) => i).sort((a, b) => {
      const x = sites[a][k];
      const y = sites[b][k];
      const r = typeof x === 'string' ? (x < (y as string) ? -1 : x > (y as string) ? 1 : 0) : (x as number) - (y as number);
      return r * dir || a - b;
    });
    draw(order.map((i) => sites[i]));
    markSorted(heads, k, dir);
  }
  for (const h of heads) {
    h.classList.add('sortable');
    h.addEventListener('click', () => sortBy(h.getAttribute('data-key') as Key));
  }
  draw(sites);
  markSorted(heads, key, dir);
}
