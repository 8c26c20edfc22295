/**
 * Bounded heap-usage history for one test. Points arrive one per record; once
 * the buffer holds 2N points it is halved by keeping the higher point of each
 * pair, and later points are grouped by the doubled stride. Peaks survive
 * downsampling, and memory stays O(N) however long the test runs. Points are
 * kept as two number arrays: no object per record on the hot path.
 */
import type { TimelinePoint } from './types.js';

export class TimelineSampler {
  private readonly lines: number[] = [];
  private readonly lives: number[] = [];
  private stride = 1;
  /** The group being filled: its highest point so far, and its size. */
  private groupLine = 0;
  private groupLive = -1;
  private grouped = 0;

  constructor(private readonly size: number) {}

  add(line: number, live: number): void {
    if (this.size <= 0) return;
    if (live > this.groupLive) {
      this.groupLine = line;
      this.groupLive = live;
    }
    if (++this.grouped < this.stride) return;
    this.lines.push(this.groupLine);
    this.lives.push(this.groupLive);
    this.groupLive = -1;
    this.grouped = 0;
    if (this.lines.length >= 2 * this.size) this.halve();
  }

  private halve(): void {
    const { lines, lives } = this;
    const n = lines.length >> 1;
    for (let i = 0; i < n; i++) {
      const j = lives[2 * i + 1] > lives[2 * i] ? 2 * i + 1 : 2 * i;
      lines[i] = lines[j];
      lives[i] = lives[j];
    }
    lines.length = n;
    lives.length = n;
    this.stride *= 2;
  }

  /** The sampled history, oldest first (at most 2N + 1 points). */
  points(): TimelinePoint[] {
    const out: TimelinePoint[] = this.lines.map((line, i) => ({ line, live: this.lives[i] }));
    if (this.grouped > 0) out.push({ line: this.groupLine, live: this.groupLive });
    return out;
  }
}
