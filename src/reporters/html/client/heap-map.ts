/**
 * The heap at a test's peak as a strip: one rectangle per chunk, in address
 * order and to scale. Live chunks take their site's colour (the site in the
 * tooltip), free chunks are grey, the allocator's headers and each chunk's
 * header-and-rounding share are hatched, and the largest free chunk is
 * underlined. Each chunk carries data-offset and data-size, so a test can
 * check that the chunks tile the heap.
 */
import type { HeapChunk, HeapMap } from '../model.js';
import { siteColor } from './colors.js';
import { el, svg } from './dom.js';
import { bytes, hex, num, plural } from './format.js';

const W = 1000;
const STRIP = 40;
const MARK = 7;
/** Legend entries for the sites with the most live bytes. */
const LEGEND_SITES = 8;
let patterns = 0;

function describe(c: HeapChunk, base: number, largest: boolean): string {
  const where = `${bytes(c.size)} at offset ${num(c.offset)} (${hex(base + c.offset)})`;
  if (c.kind === 'header') return `allocator header: ${where}`;
  if (c.kind === 'free') return `free chunk: ${where}${largest ? ' \u2014 the largest free chunk' : ''}`;
  const asked = c.requested === undefined ? '' : `, ${bytes(c.requested)} requested (${bytes(c.size - c.requested)} header and rounding)`;
  return `live chunk: ${where}${asked}, allocated at ${c.site ?? 'an unknown site'}`;
}

export function renderHeapMap(map: HeapMap): HTMLElement {
  const scale = map.heapSize > 0 ? W / map.heapSize : 0;
  const hatch = `vg-hatch-${++patterns}`;
  let largest: HeapChunk | null = null;
  let live = 0;
  let free = 0;
  let overhead = 0;
  const bySite = new Map<string, number>();
  for (const c of map.chunks) {
    if (c.kind === 'free') {
      free += c.size;
      if (!largest || c.size > largest.size) largest = c;
    } else if (c.kind === 'header') overhead += c.size;
    else {
      live += c.size;
      if (c.requested !== undefined) overhead += c.size - c.requested;
      if (c.site !== undefined) bySite.set(c.site, (bySite.get(c.site) ?? 0) + c.size);
    }
  }
  const name = map.heap ?? 'default heap';
  const root = svg('svg', {
    class: 'hm-strip',
    viewBox: `0 0 ${W} ${STRIP + MARK + 2}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': `Heap map of the ${name} at the peak: ${bytes(live)} in live chunks, ${bytes(free)} free`,
  });
  root.appendChild(svg('defs', null, svg('pattern', { id: hatch, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { class: 'hm-hatch-bg', width: 6, height: 6 }), svg('line', { class: 'hm-hatch-line', x1: 0, y1: 0, x2: 0, y2: 6 }))));
  const fill = `url(#${hatch})`;
  for (const c of map.chunks) {
    const x = c.offset * scale;
    const w = c.size * scale;
    const isLargest = c === largest;
    const rect = svg('rect', {
      class: `hm-chunk hm-${c.kind}${isLargest ? ' hm-largest' : ''}`,
      'data-testid': 'heap-chunk',
      'data-kind': c.kind,
      'data-offset': c.offset,
      'data-size': c.size,
      'data-largest': isLargest ? 'true' : null,
      x, y: 0, width: w, height: STRIP,
      fill: c.kind === 'used' ? siteColor(c.site) : c.kind === 'header' ? fill : null,
    }, svg('title', null, describe(c, map.base, isLargest)));
    root.appendChild(rect);
    if (c.kind === 'used' && c.requested !== undefined && c.requested < c.size)
      root.appendChild(svg('rect', { class: 'hm-overhead', x, y: 0, width: (c.size - c.requested) * scale, height: STRIP, fill }));
  }
  if (largest)
    root.appendChild(svg('rect', { class: 'hm-largest-mark', x: largest.offset * scale, y: STRIP + 2, width: Math.max(largest.size * scale, 2), height: MARK },
      svg('title', null, `largest free chunk: ${bytes(largest.size)} at offset ${num(largest.offset)}`)));
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, LEGEND_SITES);
  const swatch = (cls: string, color: string | null = null) => {
    const s = el('span', { class: `sw ${cls}` });
    if (color) s.style.background = color;
    return s;
  };
  return el('figure', { class: 'heap-map', 'data-testid': 'heap-map' },
    el('div', { class: 'hm-head' },
      el('b', null, `Heap map at the peak \u2014 ${name}`),
      el('span', { class: 'muted' }, ` ${bytes(map.heapSize)}, ${plural(map.chunks.length, 'chunk')} \u00b7 live ${bytes(live)} \u00b7 free ${bytes(free)}` +
        (largest ? ` (largest ${bytes(largest.size)})` : '') + ` \u00b7 overhead ${bytes(overhead)}`)),
    root,
    el('div', { class: 'hm-axis muted' }, el('span', null, `offset 0 (${hex(map.base)})`), el('span', null, `${num(map.heapSize)}`)),
    el('figcaption', null,
      el('span', null, swatch('hm-live'), 'live chunk (colour = allocation site; hover for details)'),
      el('span', null, swatch('hm-free-sw'), 'free'),
      el('span', null, swatch('hm-over-sw'), 'overhead: headers and rounding'),
      largest ? el('span', null, swatch('hm-largest-sw'), 'largest free chunk') : null),
    sites.length > 0
      ? el('ul', { class: 'hm-sites' }, sites.map(([site, n]) => el('li', null, swatch('', siteColor(site)), el('code', null, site), ` ${bytes(n)}`)))
      : null);
}
