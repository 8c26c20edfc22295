/**
 * The per-test table, drawn from a view (an array of test positions, already
 * sorted and filtered). Rows have a fixed height; a large table draws only
 * the rows in and near the viewport between two spacers and recycles row
 * elements as the page scrolls. An opened row's details sit under it in the
 * flow; their measured height is added to the offsets of the rows below.
 * Small tables draw every row, so the browser's find-in-page sees them all.
 */
import { el } from './dom.js';
import { bytes, level, num, pct } from './format.js';
import { STATUSES } from '../packed.js';
import type { Rows } from './unpack.js';

/** Tables up to this many rows are drawn whole. */
export const DRAW_ALL_LIMIT = 5000;
/** Rows drawn beyond each edge of the viewport, so keyboard moves and fast flicks find rows ready. */
const OVERSCAN = 10;
/** Height assumed for details not yet measured. */
const DETAILS_ESTIMATE = 480;

const STATUS_TEXT: Record<string, string> = { ok: 'OK', warn: 'WARN', fail: 'FAIL', idle: 'IDLE' };

interface RowView {
  node: HTMLElement;
  pos: number;
  fill(pos: number): void;
}

function makeRow(rows: Rows, keys: readonly string[]): RowView {
  const node = el('div', { role: 'row', class: 'grid row', 'data-testid': 'test-row', tabindex: 0, 'aria-expanded': 'false' });
  const fills: Array<(pos: number) => void> = [];
  for (const key of keys) {
    const cell = el('div', { role: 'cell' });
    node.appendChild(cell);
    const text = (cls: string, value: (pos: number) => string) => {
      cell.className = cls;
      fills.push((pos) => { cell.textContent = value(pos); });
    };
    if (key === 'status') {
      const pill = cell.appendChild(el('span'));
      fills.push((pos) => {
        const s = STATUSES[rows.status[pos]];
        node.className = `grid row st-${s}`;
        pill.className = `pill ${s}`;
        pill.textContent = STATUS_TEXT[s];
      });
    } else if (key === 'index') text('num muted', (pos) => String(rows.index[pos]));
    else if (key === 'name') {
      cell.className = 'name';
      fills.push((pos) => {
        cell.title = rows.labels[pos];
        cell.textContent = '';
        cell.appendChild(rows.names[pos] === null ? el('em', null, rows.labels[pos]) : document.createTextNode(rows.labels[pos]));
      });
    } else if (key === 'outcome') text('muted', (pos) => rows.outcome[pos] || '\u2014');
    else if (key === 'peak') text('num', (pos) => num(rows.peak[pos]));
    else if (key === 'heap') text('num muted', (pos) => num(rows.heap[pos]));
    else if (key === 'pct') {
      cell.className = 'pct';
      cell.setAttribute('data-testid', 'peak-percent');
      const bar = cell.appendChild(el('span', { class: 'bar', 'aria-hidden': 'true' }));
      const fill = bar.appendChild(el('i'));
      const value = cell.appendChild(el('span', { class: 'pv' }));
      fills.push((pos) => {
        const p = rows.percent[pos];
        const known = !Number.isNaN(p);
        cell.setAttribute('data-value', known ? String(p) : '');
        fill.className = `lvl-${level(p)}`;
        fill.style.width = known ? `${Math.min(100, p)}%` : '0';
        value.textContent = pct(p);
      });
    } else if (key === 'allocs') text('num', (pos) => num(rows.allocations[pos]));
    else if (key === 'leaks')
      fills.push((pos) => {
        const n = rows.leaks[pos];
        cell.className = n ? 'num hot' : 'num';
        cell.textContent = num(n);
        if (n) cell.title = `${bytes(rows.leakBytes[pos])} leaked`;
        else cell.removeAttribute('title');
      });
    else if (key === 'frees')
      fills.push((pos) => {
        cell.className = rows.frees[pos] ? 'num hot' : 'num';
        cell.textContent = num(rows.frees[pos]);
      });
    else if (key === 'headroom') text('num', (pos) => bytes(rows.headroom[pos]));
  }
  const view: RowView = {
    node,
    pos: -1,
    fill(pos) {
      view.pos = pos;
      node.id = `test-${rows.index[pos]}`;
      node.setAttribute('data-pos', String(pos));
      for (const f of fills) f(pos);
    },
  };
  return view;
}

export class TestTable {
  private view: Int32Array = new Int32Array(0);
  /** View index of each test position, -1 when filtered out. */
  private where: Int32Array;
  private readonly expanded = new Set<number>();
  private readonly heights = new Map<number, number>();
  private readonly details = new Map<number, HTMLElement>();
  private readonly drawn = new Map<number, RowView>();
  private readonly spare: RowView[] = [];
  /** Opened rows in view order: [view index, details height]. */
  private opened: Array<[number, number]> = [];
  private rowHeight = 34;
  private readonly top = el('div', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly bottom = el('div', { class: 'spacer', 'aria-hidden': 'true' });
  private readonly empty: HTMLElement;
  private scheduled = false;

  constructor(
    private readonly box: HTMLElement,
    private readonly rows: Rows,
    private readonly keys: readonly string[],
    private readonly makeDetails: (pos: number) => HTMLElement,
  ) {
    this.where = new Int32Array(rows.n).fill(-1);
    this.empty = el('div', { class: 'empty', hidden: 'hidden' }, rows.n ? 'No test matches the filter.' : 'No test was found in the log.');
    box.textContent = '';
    box.append(this.top, this.bottom, this.empty);
    const later = () => this.schedule();
    window.addEventListener('scroll', later, { passive: true });
    window.addEventListener('resize', later);
  }

  get length(): number {
    return this.view.length;
  }

  /** Whether only the rows near the viewport are drawn. */
  get windowed(): boolean {
    return this.view.length > DRAW_ALL_LIMIT;
  }

  setView(view: Int32Array): void {
    for (let k = 0; k < this.view.length; k++) this.where[this.view[k]] = -1;
    this.view = view;
    for (let k = 0; k < view.length; k++) this.where[view[k]] = k;
    this.empty.hidden = view.length > 0;
    // Screen readers learn the table's real size from these, not from the rows drawn.
    this.box.closest('[role=table]')?.setAttribute('aria-rowcount', String(view.length + 1));
    this.render();
  }

  /** The test position of a drawn row element, or -1. */
  posOf(node: Element | null): number {
    const row = node?.closest('.row');
    return row ? Number(row.getAttribute('data-pos')) : -1;
  }

  isOpen(pos: number): boolean {
    return this.expanded.has(pos);
  }

  shows(pos: number): boolean {
    return this.where[pos] >= 0;
  }

  toggle(pos: number, open = !this.expanded.has(pos)): void {
    if (open) this.expanded.add(pos);
    else this.expanded.delete(pos);
    this.drawn.get(pos)?.node.setAttribute('aria-expanded', String(open));
    this.render();
  }

  /** Brings the row of `pos` to the middle of the window and returns it, or null when filtered out. */
  reveal(pos: number): HTMLElement | null {
    const k = this.where[pos];
    if (k < 0) return null;
    if (this.windowed) {
      const y = this.box.getBoundingClientRect().top + window.scrollY + this.offsetOf(k);
      window.scrollTo(0, Math.max(0, y - window.innerHeight / 2 + this.rowHeight / 2));
      this.render();
    }
    const node = this.drawn.get(pos)?.node ?? null;
    if (node && !this.windowed) node.scrollIntoView({ block: 'center' });
    return node;
  }

  /** The row `step` rows away from `pos` in the view, drawn (focus it to scroll it in). */
  neighbour(pos: number, step: number): HTMLElement | null {
    const k = this.where[pos] + step;
    if (this.where[pos] < 0 || k < 0 || k >= this.view.length) return null;
    return this.drawn.get(this.view[k])?.node ?? this.reveal(this.view[k]);
  }

  private schedule(): void {
    if (this.scheduled || !this.windowed) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  /** Top of row k within the table body, opened details above it included. */
  private offsetOf(k: number): number {
    let y = k * this.rowHeight;
    for (const [at, h] of this.opened) if (at < k) y += h;
    return y;
  }

  /** The view index of the row drawn at height y (a details block counts as its row's). */
  private indexAt(y: number): number {
    let extra = 0;
    for (const [at, h] of this.opened) {
      const detailsTop = (at + 1) * this.rowHeight + extra;
      if (y < detailsTop) break;
      if (y < detailsTop + h) return at;
      extra += h;
    }
    return Math.max(0, Math.min(this.view.length - 1, Math.floor((y - extra) / this.rowHeight)));
  }

  private collectOpened(): void {
    this.opened = [];
    for (const pos of this.expanded) {
      const k = this.where[pos];
      if (k >= 0) this.opened.push([k, this.heights.get(pos) ?? DETAILS_ESTIMATE]);
    }
    this.opened.sort((a, b) => a[0] - b[0]);
  }

  private detailsOf(pos: number): HTMLElement {
    let node = this.details.get(pos);
    if (!node) {
      node = el('div', { role: 'row', class: 'details-row' }, el('div', { role: 'cell' }, this.makeDetails(pos)));
      this.details.set(pos, node);
    }
    return node;
  }

  render(again = true): void {
    this.collectOpened();
    const n = this.view.length;
    let first = 0;
    let last = n - 1;
    if (this.windowed) {
      const box = this.box.getBoundingClientRect();
      first = Math.max(0, this.indexAt(Math.max(0, -box.top)) - OVERSCAN);
      last = Math.min(n - 1, this.indexAt(Math.max(0, -box.top + window.innerHeight)) + OVERSCAN);
    }
    for (const [pos, row] of this.drawn) {
      const k = this.where[pos];
      if (k < first || k > last) {
        this.drawn.delete(pos);
        this.spare.push(row);
      }
    }
    const wanted: HTMLElement[] = [];
    for (let k = first; k <= last; k++) {
      const pos = this.view[k];
      let row = this.drawn.get(pos);
      if (!row) {
        row = this.spare.pop() ?? makeRow(this.rows, this.keys);
        // A recycled row leaves its old place first, or every row that stays would be moved around it.
        row.node.remove();
        row.fill(pos);
        this.drawn.set(pos, row);
      }
      row.node.setAttribute('aria-expanded', String(this.expanded.has(pos)));
      row.node.setAttribute('aria-rowindex', String(k + 2));
      wanted.push(row.node);
      if (this.expanded.has(pos)) wanted.push(this.detailsOf(pos));
    }
    // Remove what left, then move only what changed: a focused row that stays keeps its focus.
    const keep = new Set<Node>(wanted);
    for (let node = this.top.nextSibling; node && node !== this.bottom; ) {
      const next = node.nextSibling;
      if (!keep.has(node)) node.remove();
      node = next;
    }
    let cursor = this.top.nextSibling;
    for (const node of wanted) {
      if (node === cursor) cursor = cursor.nextSibling;
      else this.box.insertBefore(node, cursor);
    }
    if (!this.windowed) {
      this.top.style.height = '0';
      this.bottom.style.height = '0';
      return;
    }
    let changed = false;
    const sample = this.drawn.values().next().value;
    if (sample && sample.node.offsetHeight > 0 && sample.node.offsetHeight !== this.rowHeight) {
      this.rowHeight = sample.node.offsetHeight;
      changed = true;
    }
    for (const pos of this.expanded) {
      const node = this.details.get(pos);
      if (!node?.isConnected) continue;
      const h = node.offsetHeight;
      if (h !== this.heights.get(pos)) {
        this.heights.set(pos, h);
        changed = true;
      }
    }
    if (changed) this.collectOpened();
    this.top.style.height = `${this.offsetOf(first)}px`;
    this.bottom.style.height = `${n === 0 ? 0 : this.offsetOf(n) - this.offsetOf(last + 1)}px`;
    // Measured heights move the rows: draw once more for the corrected window.
    if (changed && again) this.render(false);
  }
}
