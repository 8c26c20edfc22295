/** Bounds a test's timeline for the page, keeping what the eye looks for. */
import type { TimelinePoint } from './model.js';

/**
 * Keeps at most `max` points: the first, the last, and the lowest and highest
 * point of each bucket in between (in log order), so peaks and heap resets
 * both survive.
 */
export function downsample(points: readonly TimelinePoint[], max: number): TimelinePoint[] {
  if (points.length <= max) return points.slice();
  if (max < 2) return [points.reduce((a, b) => (b.live > a.live ? b : a))];
  const out: TimelinePoint[] = [points[0]];
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const inner = points.length - 2;
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (points[i].live < points[lo].live) lo = i;
      if (points[i].live > points[hi].live) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  out.push(points[points.length - 1]);
  return out;
}
