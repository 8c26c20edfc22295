/**
 * The details of an opened test: facts, why it fails, layout at the peak,
 * heap map, timeline, per-heap and per-pool usage, then one table per kind of
 * item, each row marked with the item's severity.
 */
import type { HtmlTest, Item, ItemKind, Layout, Severity } from '../model.js';
import type { KindCode } from '../packed.js';
import { el, type Child } from './dom.js';
import { bytes, hex, num, pct, plural } from './format.js';
import { renderHeapMap } from './heap-map.js';
import { renderTimeline } from './timeline.js';
import type { DecodedTest } from './unpack.js';

type Column = [title: string, value: (i: Item) => Child, cls?: string];

const address = (i: Item) => (i.address === null ? '\u2014' : hex(i.address));
const COLS = {
  kind: ['Kind', (i) => i.text, 'kind'],
  address: ['Address', address, 'mono'],
  size: ['Size', (i) => bytes(i.size), 'num'],
  allocatedAt: ['Allocated at', (i) => i.site, 'mono'],
  site: ['Site', (i) => i.site, 'mono'],
  line: ['Log line', (i) => num(i.line), 'num'],
  freedAt: ['Freed at', (i) => i.site, 'mono'],
  allocSite: ['Allocated at', (i) => i.allocSite ?? '\u2014', 'mono'],
  firstFree: ['First freed at', (i) => i.firstFreeSite ?? '\u2014', 'mono'],
  freedBy: ['Freed by', (i) => (i.freedBy === undefined ? '\u2014' : i.freedBy ?? '(outside any test)'), 'mono'],
  found: ['Found', (i) => i.text, 'kind'],
  heap: ['Heap', (i) => i.heap ?? 'default', 'mono'],
  lastRef: ['Last ref at', (i) => i.lastRefSite ?? '\u2014', 'mono'],
} satisfies Record<string, Column>;

interface Section {
  codes: readonly KindCode[];
  title: string;
  bytes?: boolean;
  columns: Column[];
}

const BLOCK: Column[] = [COLS.address, COLS.size, COLS.allocatedAt, COLS.line];
const SECTIONS: readonly Section[] = [
  { codes: ['L'], title: 'Leaks', bytes: true, columns: BLOCK },
  { codes: ['F'], title: 'Free errors', columns: [COLS.kind, COLS.address, COLS.freedAt, COLS.line, COLS.allocSite, COLS.firstFree] },
  { codes: ['K'], title: 'Corruption', columns: [COLS.found, COLS.address, COLS.size, COLS.site, COLS.line] },
  { codes: ['X'], title: 'Failed allocations', columns: [COLS.size, COLS.site, COLS.line] },
  { codes: ['R'], title: 'Reclaimed by an in-test heap reset', columns: BLOCK },
  { codes: ['P'], title: 'Persistent blocks', bytes: true, columns: BLOCK },
  { codes: ['C'], title: 'Carried to a later test', bytes: true, columns: [...BLOCK, COLS.freedBy] },
];
const SUPPRESSED: Column[] = [COLS.kind, COLS.address, COLS.size, COLS.site, COLS.line, COLS.allocSite, COLS.firstFree];
const SEVERITY_WORD: Record<Severity, string> = { error: 'fails the run', warning: 'warning', info: 'information', suppressed: 'suppressed' };
const CODE_OF: Record<ItemKind, KindCode> = {
  leak: 'L', 'double-free': 'F', 'invalid-free': 'F', reclaimed: 'R', persistent: 'P', 'failed-allocation': 'X', carried: 'C', corruption: 'K',
};

function itemTable(list: readonly Item[], columns: Column[]): HTMLElement {
  // Heap and last-ref columns only where some item has them.
  const cols = [...columns];
  if (list.some((i) => i.heap !== undefined)) cols.push(COLS.heap);
  if (list.some((i) => i.lastRefSite !== undefined)) cols.push(COLS.lastRef);
  return el('table', null,
    el('thead', null, el('tr', null, cols.map(([title, , cls]) => el('th', { class: cls === 'num' ? 'num' : null }, title)))),
    el('tbody', null, list.map((i) => el('tr', { class: `sev-${i.severity}` }, cols.map(([, value, cls]) => el('td', { class: cls ?? null }, value(i)))))));
}

function section(box: HTMLElement, title: string, listed: readonly Item[], total: number, columns: Column[], severity: Severity | null): void {
  if (total === 0) return;
  box.appendChild(el('h3', null, `${title} (${num(total)})`, severity ? el('span', { class: `sev-tag sev-${severity}` }, SEVERITY_WORD[severity]) : null));
  box.appendChild(itemTable(listed, columns));
  if (total > listed.length) box.appendChild(el('p', { class: 'more' }, `${num(total - listed.length)} more not listed here; the JSON reporter lists them all.`));
}

function layoutFigures(l: Layout, heapSize: number | null): HTMLElement {
  const row = (k: string, v: string, note: string) => el('tr', null, el('th', null, k), el('td', { class: 'num' }, v), el('td', { class: 'muted' }, note));
  return el('table', { class: 'layout', 'data-testid': 'layout' }, el('tbody', null,
    row('Allocated', bytes(l.allocatedBytes), 'what the allocator really spends, headers and rounding included'),
    row('Overhead', bytes(l.overheadBytes), 'allocated minus requested'),
    row('Free', bytes(l.freeBytes), `in ${plural(l.freeBlocks, 'free chunk')}`),
    row('Largest free', bytes(l.largestFree), 'the biggest hole'),
    row('Fragmentation', l.fragmentation.toFixed(2), '0 = one hole, towards 1 = many small ones'),
    row('Headroom', bytes(l.headroom), `the largest request that would still have succeeded${heapSize ? ` (${pct((l.headroom / heapSize) * 100)} of the heap)` : ''}`)));
}

export function renderDetails(d: DecodedTest, label: string, maxPoints: number): HTMLElement {
  const t: HtmlTest = d.test;
  const box = el('div', { class: 'details', 'data-testid': 'test-details' });
  box.appendChild(el('p', { class: 'facts' },
    `Test ${num(t.index)}${t.total ? ` of ${num(t.total)}` : ''} \u00b7 outcome ${t.outcome || 'unknown'} \u00b7 ${plural(t.segments, 'heap segment')} \u00b7 ` +
    `${plural(t.allocations, 'allocation')}, ${bytes(t.totalBytes)} in total \u00b7 peak ${bytes(t.peakBytes)}${t.heapSize ? ` of ${bytes(t.heapSize)}` : ''}` +
    (t.startLine ? ` \u00b7 starts at log line ${num(t.startLine)}` : '')));
  if (!t.ok) box.appendChild(el('p', { class: 'why', 'data-testid': 'why' }, `Fails the policy: ${t.reasons.length ? t.reasons.join('; ') : 'see the verdict'}.`));
  if (t.layout || t.heapMap) {
    const peak = el('div', { class: 'at-peak' }, el('h3', null, 'At the peak'));
    if (t.layout) peak.appendChild(layoutFigures(t.layout, t.heapMap?.heapSize ?? t.heapSize));
    if (t.heapMap) peak.appendChild(renderHeapMap(t.heapMap));
    box.appendChild(peak);
  }
  const live = t.items.filter((i) => i.severity !== 'suppressed');
  box.appendChild(renderTimeline(t, label, live.filter((i) => i.kind === 'leak'), maxPoints));
  if (t.heaps && t.heaps.length > 0)
    box.appendChild(el('div', { 'data-testid': 'test-heaps' }, el('h3', null, `Heaps (${num(t.heaps.length)})`), el('table', null,
      el('thead', null, el('tr', null, ['Heap', 'Size', 'Peak', 'Peak %', 'Allocations', 'Headroom'].map((h, k) => el('th', { class: k ? 'num' : null }, h)))),
      el('tbody', null, t.heaps.map((h) => el('tr', null, el('td', { class: 'mono' }, h.heap ?? 'default'), el('td', { class: 'num' }, bytes(h.heapSize)),
        el('td', { class: 'num' }, bytes(h.peakBytes)), el('td', { class: 'num' }, pct(h.peakPercent)), el('td', { class: 'num' }, num(h.allocations)),
        el('td', { class: 'num' }, h.layout ? bytes(h.layout.headroom) : '\u2014')))))));
  if (t.pools && t.pools.length > 0)
    box.appendChild(el('div', { 'data-testid': 'test-pools' }, el('h3', null, `Pools (${num(t.pools.length)})`), el('table', null,
      el('thead', null, el('tr', null, ['Pool', 'Block size', 'Blocks', 'Most in use', 'Overflows'].map((h, k) => el('th', { class: k ? 'num' : null }, h)))),
      el('tbody', null, t.pools.map((p) => el('tr', null, el('td', { class: 'mono' }, p.pool), el('td', { class: 'num' }, bytes(p.blockSize)),
        el('td', { class: 'num' }, num(p.blocks)), el('td', { class: 'num' }, num(p.maxInUse)), el('td', { class: `num${p.overflows ? ' hot' : ''}` }, num(p.overflows))))))));
  for (const s of SECTIONS) {
    const listed = live.filter((i) => s.codes.includes(CODE_OF[i.kind]));
    const groups = d.counts.filter((g) => g.severity !== 'suppressed' && s.codes.includes(g.code));
    const total = groups.reduce((n, g) => n + g.total, 0);
    const severities = [...new Set(listed.map((i) => i.severity))];
    const sum = listed.reduce((n, i) => n + (i.size ?? 0), 0);
    const title = s.bytes && total === listed.length ? `${s.title} \u2014 ${bytes(sum)}` : s.title;
    section(box, title, listed, total, s.columns, severities.length === 1 ? severities[0] : null);
  }
  const suppressed = t.items.filter((i) => i.severity === 'suppressed');
  const suppressedTotal = d.counts.filter((g) => g.severity === 'suppressed').reduce((n, g) => n + g.total, 0);
  section(box, 'Suppressed (matched a suppression rule, not failures)', suppressed, suppressedTotal, SUPPRESSED, null);
  if (t.items.length === 0) box.appendChild(el('p', { class: 'muted' }, 'No leaks, free errors, failed allocations or kept blocks in this test.'));
  return box;
}
