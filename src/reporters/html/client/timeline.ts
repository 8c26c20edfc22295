/**
 * A test's heap usage over its log lines: live bytes as a step line, the heap
 * size as the ceiling, and a marker at the line of each leaked block's alloc.
 */
import type { HtmlTest, Item, TimelinePoint } from '../model.js';
import { el, svg } from './dom.js';
import { bytes, hex, num, pct, plural, r1 } from './format.js';

function liveAt(points: readonly TimelinePoint[], line: number): number {
  let v = points[0].live;
  for (let i = 0; i < points.length && points[i].line <= line; i++) v = points[i].live;
  return v;
}

export function renderTimeline(t: HtmlTest, label: string, leaks: readonly Item[], maxPoints: number): HTMLElement {
  const fig = el('figure', { class: 'timeline', 'data-testid': 'timeline' });
  const pts = t.timeline?.points ?? [];
  if (pts.length === 0) {
    fig.appendChild(el('p', { class: 'muted' }, 'No heap activity was recorded during this test.'));
    return fig;
  }
  const W = 760, H = 180, L = 58, R = 14, T = 16, B = 26;
  let x0 = pts[0].line;
  let x1 = pts[pts.length - 1].line;
  let maxLive = 0;
  let peakAt = pts[0];
  if (t.startLine > 0 && t.startLine < x0) x0 = t.startLine;
  for (const p of pts) if (p.live > maxLive) { maxLive = p.live; peakAt = p; }
  for (const b of leaks) { if (b.line > x1) x1 = b.line; if (b.line < x0) x0 = b.line; }
  if (x1 <= x0) x1 = x0 + 1;
  const ceiling = t.timeline?.heapSize || t.heapSize || null;
  const yMax = Math.max(ceiling ?? 0, maxLive, t.peakBytes) || 1;
  const X = (line: number) => r1(L + ((line - x0) / (x1 - x0)) * (W - L - R));
  const Y = (v: number) => r1(T + (1 - v / yMax) * (H - T - B));
  let d = `M${X(pts[0].line)} ${Y(pts[0].live)}`;
  for (let i = 1; i < pts.length; i++) d += `H${X(pts[i].line)}V${Y(pts[i].live)}`;
  d += `H${X(x1)}`;
  const area = `${d}V${Y(0)}H${X(pts[0].line)}Z`;
  // The label uses the test's measured peak; the dot sits on the highest kept point.
  const peakText = `peak ${bytes(Math.max(t.peakBytes, maxLive))}${t.peakPercent !== null ? ` (${pct(t.peakPercent)})` : ''}`;
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': `Heap usage of ${label}: ${peakText}, ${plural(leaks.length, 'leak marker')}`,
  });
  const add = (node: SVGElement) => root.appendChild(node);
  add(svg('line', { class: 'tl-axis', x1: L, y1: Y(0), x2: W - R, y2: Y(0) }));
  add(svg('line', { class: 'tl-axis', x1: L, y1: T, x2: L, y2: Y(0) }));
  if (ceiling)
    for (const p of [70, 90]) {
      const y = Y((ceiling * p) / 100);
      add(svg('line', { class: 'tl-guide', x1: L, y1: y, x2: W - R, y2: y }));
      add(svg('text', { class: 'tl-text', x: L - 6, y: y + 4, 'text-anchor': 'end' }, `${p}%`));
    }
  add(svg('path', { class: 'tl-area', d: area }));
  add(svg('path', { class: 'tl-line', d }));
  if (ceiling) {
    add(svg('line', { class: 'tl-ceil', x1: L, y1: Y(ceiling), x2: W - R, y2: Y(ceiling) }));
    add(svg('text', { class: 'tl-text ceil', x: W - R, y: Y(ceiling) - 4, 'text-anchor': 'end' }, `heap ${bytes(ceiling)}`));
  }
  add(svg('text', { class: 'tl-text', x: L - 6, y: Y(0) + 4, 'text-anchor': 'end' }, '0'));
  add(svg('text', { class: 'tl-text', x: L - 6, y: T + 4, 'text-anchor': 'end' }, num(yMax)));
  add(svg('text', { class: 'tl-text', x: L, y: H - 6 }, `log line ${num(x0)}`));
  add(svg('text', { class: 'tl-text', x: W - R, y: H - 6, 'text-anchor': 'end' }, `log line ${num(x1)}`));
  const px = X(peakAt.line);
  const py = Y(peakAt.live);
  add(svg('circle', { class: 'tl-peak', cx: px, cy: py, r: 3.5 }, svg('title', null, `${peakText} at log line ${num(peakAt.line)}`)));
  add(svg('text', { class: 'tl-text', x: Math.min(px + 6, W - R - 150), y: Math.max(py - 6, T + 10) }, peakText));
  for (const b of leaks) {
    const x = X(b.line);
    const y = Y(liveAt(pts, b.line));
    add(svg('line', { class: 'tl-leak-line', x1: x, y1: T, x2: x, y2: Y(0) }));
    add(svg('path', { class: 'tl-leak', 'data-testid': 'leak-marker', d: `M${x} ${y - 5}l5 5l-5 5l-5 -5z` },
      svg('title', null, `leak: ${bytes(b.size)} at ${b.address === null ? '?' : hex(b.address)} from ${b.site} (log line ${num(b.line)})`)));
  }
  fig.appendChild(root);
  fig.appendChild(el('figcaption', null,
    el('span', null, el('span', { class: 'sw live' }), 'live bytes'),
    ceiling ? el('span', null, el('span', { class: 'sw ceil' }), 'heap size') : null,
    leaks.length ? el('span', null, el('span', { class: 'sw leak' }), 'leaked block allocated') : null,
    el('span', null, plural(pts.length, 'point') + (pts.length >= maxPoints ? ' (downsampled; peaks and dips kept)' : ''))));
  return fig;
}
