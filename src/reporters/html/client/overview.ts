/**
 * One bar per test in log order, coloured by peak-percent band; failing tests
 * ticked below. Past BARS tests, each bar stands for a run of neighbours (its
 * fullest test's height, ticked if any fails): the chart stays a few paths.
 */
import { byId, svg } from './dom.js';
import { bytes, level, pct, r1 } from './format.js';
import type { Rows } from './unpack.js';

const BARS = 2000;

export function renderOverview(rows: Rows, reveal: (pos: number) => void): void {
  const chart = byId<SVGSVGElement>('overview');
  const caption = byId('overview-caption');
  const n = rows.n;
  if (!n) return;
  const W = 1000, base = 88;
  const bars = Math.min(n, BARS);
  const w = W / bars;
  const paths: Record<string, string> = { low: '', mid: '', high: '', failing: '' };
  for (let b = 0; b < bars; b++) {
    const from = Math.floor((b * n) / bars);
    const to = Math.floor(((b + 1) * n) / bars);
    let top = NaN;
    let failing = false;
    for (let k = from; k < to; k++) {
      const p = rows.percent[k];
      if (!Number.isNaN(p) && !(p <= top)) top = p;
      if (rows.ok[k] === 0) failing = true;
    }
    const x = r1(b * w);
    const bw = Math.max(r1(w * 0.85), 0.3);
    if (!Number.isNaN(top)) {
      const h = Math.max(r1((Math.min(100, top) / 100) * base), 0.5);
      paths[level(top)] += `M${x} ${base}v${-h}h${bw}v${h}z`;
    }
    if (failing) paths.failing += `M${x} ${base + 4}h${Math.max(bw, 2)}v8h${-Math.max(bw, 2)}z`;
  }
  for (const p of [70, 90]) {
    const y = r1(base - (p / 100) * base);
    chart.appendChild(svg('line', { class: 'guide', x1: 0, y1: y, x2: W, y2: y, 'vector-effect': 'non-scaling-stroke' }));
  }
  for (const k in paths) if (paths[k]) chart.appendChild(svg('path', { class: k, d: paths[k] }));
  const at = (e: MouseEvent) => {
    const box = chart.getBoundingClientRect();
    const k = Math.floor(((e.clientX - box.left) / box.width) * n);
    return Math.max(0, Math.min(n - 1, k));
  };
  chart.addEventListener('mousemove', (e) => {
    const k = at(e);
    caption.textContent = `#${rows.index[k]} ${rows.labels[k]} \u2014 peak ${bytes(rows.peak[k])} (${pct(rows.percent[k])})${rows.ok[k] ? '' : ' \u2014 failing'}`;
  });
  chart.addEventListener('mouseleave', () => { caption.textContent = 'Hover to identify a test, click to open it.'; });
  chart.addEventListener('click', (e) => reveal(at(e)));
}
