/**
 * Bounded heap-usage history for one test. Points arrive one per record and
 * are grouped into buckets of `stride` records; each bucket keeps its lowest
 * and its highest point, in log order, so both peaks and dips survive. When
 * 2N buckets are full, neighbours merge and the stride doubles: memory stays
 * O(N) however long the test runs. The very last point is always kept (a
 * test that ends at 0 live bytes is drawn ending at 0).
 *
 * Points are kept in number arrays, two per bucket (the same point twice
 * when a bucket saw one value): no object per record on the hot path.
 */
import type { TimelinePoint } from './facts.js';

export class TimelineSampler {
  /** Two points per closed bucket: [low, high] or [high, low], by line. */
  private readonly lines: number[] = [];
  private readonly lives: number[] = [];
  private stride = 1;
  /** The open bucket: its low and high points and how many records it has. */
  private lowLine = 0;
  private lowLive = 0;
  private highLine = 0;
  private highLive = 0;
  private grouped = 0;
  private lastLine = -1;
  private lastLive = 0;

  constructor(private readonly size: number) {}

  add(line: number, live: number): void {
    if (this.size <= 0) return;
    this.lastLine = line;
    this.lastLive = live;
    if (this.grouped === 0) {
      this.lowLine = this.highLine = line;
      this.lowLive = this.highLive = live;
    } else if (live < this.lowLive) {
      this.lowLine = line;
      this.lowLive = live;
    } else if (live > this.highLive) {
      this.highLine = line;
      this.highLive = live;
    }
    if (++this.grouped < this.stride) return;
    this.closeBucket(this.lowLine, this.lowLive, this.highLine, this.highLive);
    this.grouped = 0;
    if (this.lines.length >= 4 * this.size) this.halve();
  }

  private closeBucket(lowLine: number, lowLive: number, highLine: number, highLive: number): void {
    if (lowLine <= highLine) {
      this.lines.push(lowLine, highLine);
      this.lives.push(lowLive, highLive);
    } else {
      this.lines.push(highLine, lowLine);
      this.lives.push(highLive, lowLive);
    }
  }

  /** Merges neighbouring buckets: each pair keeps its overall low and high. */
  private halve(): void {
    const { lines, lives } = this;
    const buckets = lines.length >> 2; // pairs of buckets, 4 points each
    let w = 0;
    for (let b = 0; b < buckets; b++) {
      let lo = 4 * b;
      let hi = 4 * b;
      for (let i = 4 * b + 1; i < 4 * b + 4; i++) {
        if (lives[i] < lives[lo]) lo = i;
        if (lives[i] > lives[hi]) hi = i;
      }
      const [first, second] = lo <= hi ? [lo, hi] : [hi, lo];
      lines[w] = lines[first];
      lives[w++] = lives[first];
      lines[w] = lines[second];
      lives[w++] = lives[second];
    }
    lines.length = w;
    lives.length = w;
    this.stride *= 2;
  }

  /** The sampled history, oldest first, repeated points dropped (at most 4N + 3 points). */
  points(): TimelinePoint[] {
    const out: TimelinePoint[] = [];
    const push = (line: number, live: number) => {
      const prev = out[out.length - 1];
      if (!prev || prev.line !== line) out.push({ line, live });
    };
    for (let i = 0; i < this.lines.length; i++) push(this.lines[i], this.lives[i]);
    if (this.grouped > 0) {
      const [a, b] = this.lowLine <= this.highLine ? [0, 1] : [1, 0];
      const open = [
        [this.lowLine, this.lowLive],
        [this.highLine, this.highLive],
      ];
      push(open[a][0], open[a][1]);
      push(open[b][0], open[b][1]);
    }
    if (this.lastLine >= 0) push(this.lastLine, this.lastLive);
    return out;
  }
}
