/**
 * Commands timed as whole processes with plain Node: `spawnSync`, the wall
 * time around it, and for a Node command its peak RSS (cli-rss.ts,
 * preloaded). Commands compared are run in turn, A B A B …, so that a
 * figure and the one it is set against see the same load on a shared
 * machine; each figure is quoted as min and median.
 */
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/valground.js', import.meta.url));
const RSS_HOOK = fileURLToPath(new URL('./cli-rss.js', import.meta.url));

export interface Command {
  /** As printed next to its figure. */
  label: string;
  file: string;
  args: string[];
  /** A file to read as standard input. */
  stdin?: string;
  /** Read its output through a pipe rather than sending it to /dev/null (GNU grep stops at its first match when writing there). */
  pipeStdout?: boolean;
}

/** `node bin/valground.js ARGS`, as a user runs it. */
export function valground(args: string[], label = `node bin/valground.js ${args.join(' ')}`): Command {
  return { label, file: process.execPath, args: [BIN, ...args] };
}

/** One run: wall milliseconds and exit status (output discarded). */
export function runOnce(c: Command): { ms: number; status: number | null } {
  const fd = c.stdin === undefined ? null : openSync(c.stdin, 'r');
  try {
    const stdio: StdioOptions = [fd ?? 'ignore', c.pipeStdout === true ? 'pipe' : 'ignore', 'ignore'];
    const start = performance.now();
    const r = spawnSync(c.file, c.args, { stdio, maxBuffer: 1 << 30 });
    const ms = performance.now() - start;
    if (r.error) throw r.error;
    return { ms, status: r.status };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Peak RSS (KB) of one run of a Node command (its first argument is the script). */
export function peakRssKb(c: Command): number {
  const r = spawnSync(c.file, ['--import', RSS_HOOK, ...c.args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.error) throw r.error;
  const last = r.stderr.trim().split('\n').pop() ?? '';
  return (JSON.parse(last) as { maxRssKb: number }).maxRssKb;
}

/** Runs the commands in turn, `rounds` times (after one warm-up round); the wall times of each. */
export function paired(commands: readonly Command[], rounds: number): number[][] {
  for (const c of commands) runOnce(c);
  const times = commands.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) commands.forEach((c, i) => times[i].push(runOnce(c).ms));
  return times;
}

export function minOf(xs: readonly number[]): number {
  return Math.min(...xs);
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median of the ratios a[i] / b[i] of runs made side by side. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return medianOf(a.map((x, i) => x / b[i]));
}

/** `0.48 s min / 0.50 s median` */
export function seconds(ms: readonly number[]): string {
  return `${(minOf(ms) / 1000).toFixed(2)} s min / ${(medianOf(ms) / 1000).toFixed(2)} s median`;
}

/** The machine's load averages (1, 5, 15 min), as `uptime` says them. */
export function loadNote(): string {
  return `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`;
}
