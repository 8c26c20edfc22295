/**
 * The analyzer's SPEC §7 figures, as whole processes: MB/s on the 3,000-test
 * bench log (min and median of 5, side by side with `grep -c` — the floor
 * of reading the file at all — and the reference Python script when one is
 * given), peak RSS on that log, on one twice as long (flat: it must not
 * grow with the log) and on one leaving a million blocks live.
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateLiveLog, generateLog, type GeneratedLog } from './generate-log.js';
import { loadNote, medianOf, minOf, paired, pairedRatio, peakRssKb, seconds, valground, type Command } from './whole-process.js';

const ROUNDS = 5;
const RSS_RUNS = 3;
const LIVE_BLOCKS = 1_000_000;

/** The reference script (not in the repository): `VALGROUND_REFERENCE=/path/to/valground.py`, run by python3. */
function referenceCommand(log: string): Command | string {
  const path = process.env.VALGROUND_REFERENCE;
  if (path === undefined || path === '') return 'set VALGROUND_REFERENCE=/path/to/valground.py (the reference is not in the repository) to time it alongside';
  if (!existsSync(path)) return `VALGROUND_REFERENCE=${path}: no such file`;
  if (spawnSync('python3', ['--version'], { stdio: 'ignore' }).status !== 0) return 'python3 is not on PATH';
  const command: Command = { label: `python3 ${path} < LOG`, file: 'python3', args: [path], stdin: log };
  // A script that stops on a traceback would be timed reading part of the log: say so instead of a figure.
  const failure = traceback(command);
  return failure === null ? command : `${path} stopped on this log (${failure}): no figure`;
}

/** The last line of a Python traceback on the command's standard error, or null when it ran through. */
function traceback(c: Command): string | null {
  const fd = openSync(c.stdin!, 'r');
  try {
    const r = spawnSync(c.file, c.args, { stdio: [fd, 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
    if (!r.stderr.includes('Traceback (most recent call last)')) return null;
    return r.stderr.trim().split('\n').pop() ?? 'a traceback';
  } finally {
    closeSync(fd);
  }
}

function rate(log: GeneratedLog, ms: number): string {
  return `${(log.bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
}

function mib(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MB`;
}

export async function benchAnalyzer(dir: string): Promise<void> {
  const path1 = join(dir, 'session-3000.log');
  const path2 = join(dir, 'session-6000.log');
  const log1 = await generateLog(path1, 3000);
  const log2 = await generateLog(path2, 6000);
  console.log(
    `analyzer   bench log: 3,000 tests, ${log1.lines.toLocaleString('en')} lines, ${(log1.bytes / 1e6).toFixed(1)} MB (src/bench/generate-log.ts); ` +
      `whole processes, ${ROUNDS} runs each in turn after a warm-up, ${loadNote()}`,
  );
  const cli = valground([path1], 'node bin/valground.js LOG > /dev/null');
  const grep: Command = { label: "grep -c '==MP ' LOG", file: 'grep', args: ['-c', '==MP ', path1], pipeStdout: true };
  const reference = referenceCommand(path1);
  const commands = typeof reference === 'string' ? [cli, grep] : [cli, grep, reference];
  const [cliMs, grepMs, refMs] = paired(commands, ROUNDS);
  const line = (c: Command, ms: number[]) => `  ${rate(log1, minOf(ms)).padStart(10)} best, ${rate(log1, medianOf(ms)).padStart(10)} median  (${seconds(ms)})   ${c.label}`;
  console.log(line(cli, cliMs));
  console.log(line(grep, grepMs) + '   (the floor: reading the file)');
  if (typeof reference === 'string') console.log(`  reference: skipped — ${reference}`);
  else console.log(line(reference, refMs!) + `   (valground ${pairedRatio(refMs!, cliMs).toFixed(1)}× as fast, run by run)`);

  const rss = (path: string) => Array.from({ length: RSS_RUNS }, () => peakRssKb(valground([path])));
  const rss1 = rss(path1);
  const rss2 = rss(path2);
  console.log(
    `  peak RSS ${mib(medianOf(rss1))} on the bench log, ${mib(medianOf(rss2))} on one twice as long (${log2.lines.toLocaleString('en')} lines, ${(log2.bytes / 1e6).toFixed(0)} MB) — ` +
      `median of ${RSS_RUNS}, max ${mib(Math.max(...rss1))} / ${mib(Math.max(...rss2))}   (/usr/bin/time -v node bin/valground.js LOG)`,
  );
  for (const freed of [true, false]) {
    const live = join(dir, freed ? 'live-then-freed.log' : 'live-leaked.log');
    await generateLiveLog(live, LIVE_BLOCKS, freed);
    const rssLive = rss(live);
    const perBlock = ((medianOf(rssLive) - medianOf(rss1)) * 1024) / LIVE_BLOCKS;
    console.log(
      `  peak RSS ${mib(medianOf(rssLive))} with ${LIVE_BLOCKS.toLocaleString('en')} blocks live at once, ` +
        (freed ? 'then freed (the analysis alone)' : 'never freed (each reported as a leak: facts and findings too)') +
        ` — ${perBlock.toFixed(0)} bytes per block over the bench log's, median of ${RSS_RUNS}, max ${mib(Math.max(...rssLive))}   (/usr/bin/time -v node bin/valground.js LIVE.log)`,
    );
  }
}
