/**
 * Bounded heap-usage history for one test. Points arrive one per record; once
 * the buffer holds 2N points it is halved by keeping the higher point of each
 * pair, and later points are grouped by the doubled stride. Peaks survive
 * downsampling, and memory stays O(N) however long the test runs.
 */
import type { TimelinePoint } from './types.js';

export class TimelineSampler {
  private readonly buf: TimelinePoint[] = [];
  private stride = 1;
  private pending: TimelinePoint | null = null;
  private grouped = 0;

  constructor(private readonly size: number) {}

  add(line: number, live: number): void {
    if (this.size <= 0) return;
    const p = this.pending;
    if (p === null) this.pending = { line, live };
    else if (live > p.live) {
      p.line = line;
      p.live = live;
    }
    if (++this.grouped < this.stride) return;
    this.buf.push(this.pending!);
    this.pending = null;
    this.grouped = 0;
    if (this.buf.length >= 2 * this.size) this.halve();
  }

  private halve(): void {
    const b = this.buf;
    const n = b.length >> 1;
    for (let i = 0; i < n; i++) {
      const x = b[2 * i];
      const y = b[2 * i + 1];
      b[i] = y.live > x.live ? y : x;
    }
    b.length = n;
    this.stride *= 2;
  }

  /** The sampled history, oldest first (at most 2N points). */
  points(): TimelinePoint[] {
    return this.pending ? [...this.buf, this.pending] : this.buf.slice();
  }
}
