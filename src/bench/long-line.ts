/**
 * SPEC §9 figures for `npm run bench`: time stays linear in the input
 * whatever the line lengths (a 10 MB and a 40 MB single-line log through
 * the CLI, whole process, best of 3; split2 took 1.1 s and 13.2 s), and
 * `valground run` keeps its memory bounded when its command prints 300 MB
 * into a slow reader (back-pressure; without it, 600 MB of RSS).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/valground.js', import.meta.url));
const CLI_RSS = fileURLToPath(new URL('./cli-rss.js', import.meta.url));

export interface LongLineFigures {
  /** Best whole-process time, in ms, by line size in MB, at the default cap and with no cut. */
  cutMs: Record<number, number>;
  wholeMs: Record<number, number>;
  /** Peak RSS of `valground run` while its command printed `floodMb` into a slow reader. */
  runRssKb: number;
  floodMb: number;
}

/** A log whose second line is `mb` MB long: a record, then filler. */
function writeLongLineLog(dir: string, mb: number): string {
  const path = join(dir, `long-line-${mb}mb.log`);
  const head = 'seproxyhal: printf: ==MP init;0xda7a0000;4096\nseproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1 ';
  writeFileSync(path, head + 'y'.repeat(mb * 1e6) + '\n==MP alloc;16;0xda7a0100;b.c:2\n');
  return path;
}

function bestMs(args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    if (r.status !== 1) throw new Error(`valground ${args.join(' ')}: exit ${r.status} (expected 1: the log leaks)`);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** `valground run` with a command printing `mb` MB of plain lines, read 64 KiB per millisecond at most. */
function runIntoSlowReader(mb: number): Promise<number> {
  const flood = `const b = Buffer.from('plain output of a chatty test, no records here\\n'.repeat(21000));
let left = ${mb};
const more = () => { while (left-- > 0) if (!process.stdout.write(b)) return process.stdout.once('drain', more); };
more();`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', CLI_RSS, BIN, 'run', '-q', '--', process.execPath, '-e', flood], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.stdout.on('data', () => {
      p.stdout.pause();
      setTimeout(() => p.stdout.resume(), 1);
    });
    p.on('error', reject);
    p.on('close', () => {
      const last = stderr.trim().split('\n').pop() ?? '';
      try {
        resolve((JSON.parse(last) as { maxRssKb: number }).maxRssKb);
      } catch {
        reject(new Error(`valground run gave no memory figure: ${stderr}`));
      }
    });
  });
}

/** Measures and prints the figures; `dir` holds the generated logs. */
export async function benchLongLines(dir: string): Promise<LongLineFigures> {
  const cutMs: Record<number, number> = {};
  const wholeMs: Record<number, number> = {};
  for (const mb of [10, 40]) {
    const log = writeLongLineLog(dir, mb);
    cutMs[mb] = bestMs([log, '-r', 'json']);
    wholeMs[mb] = bestMs([log, '-r', 'json', '--max-line-bytes', '64M']);
  }
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `long line  10 MB vs 40 MB, one line each (node bin/valground.js long.log -r json): ` +
      `${s(cutMs[10])} s vs ${s(cutMs[40])} s, ratio ${(cutMs[40] / cutMs[10]).toFixed(2)} (40 MB cut at the 16 MiB default); ` +
      `--max-line-bytes 64M, no cut: ${s(wholeMs[10])} s vs ${s(wholeMs[40])} s, ratio ${(wholeMs[40] / wholeMs[10]).toFixed(2)} (linear: ≤ 4)`,
  );
  const floodMb = 300;
  const runRssKb = await runIntoSlowReader(floodMb);
  console.log(
    `run        a command printing ${floodMb} MB into a slow reader (valground run -- CMD | slow): peak RSS ${(runRssKb / 1024).toFixed(0)} MB`,
  );
  return { cutMs, wholeMs, runRssKb, floodMb };
}
