/**
 * `valground run` owns its children (SPEC §9), through the built binary:
 * signals reach the command's whole process group, output is read with
 * back-pressure, long lines are cut, a background process holding the pipe
 * is not waited for forever. The commands are scripts written here.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'vg-run-'));
const posix = process.platform !== 'win32';
const leftovers: number[] = [];

function script(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** Whether a process is still running (a zombie waiting for its parent counts as gone). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: kill(0) said it is there
  }
}

/** Waits (boundedly) for a signalled process to be gone; returns whether it is. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && running(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return !running(pid);
}

afterAll(() => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

const FLOOD_LINE = 'plain output of a chatty test, no records here\n';
const INIT = 'seproxyhal: printf: ==MP init;0xda7a0000;4096\n';

describe.skipIf(!posix)('valground run: the process group (skipped where there are no POSIX process groups)', () => {
  // Not SIGINT: a shell without job control starts `&` jobs with SIGINT ignored (POSIX); the trap test covers SIGINT.
  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal} to valground reaches what the command started: \`sh -c 'sleep 30 & wait'\` leaves no orphan`, async () => {
      const sh = script(`group-${signal}.sh`, `printf '${INIT.trim()}\\n'\nsleep 30 &\necho "ready $!"\nwait\n`);
      const report = join(tmp, `group-${signal}.json`);
      const started = startCli(['run', '-r', `json:${report}`, '--', 'sh', sh]);
      await started.waitFor('ready ');
      const sleepPid = Number(/ready (\d+)/.exec(started.output().stdout)![1]);
      leftovers.push(sleepPid);
      started.child.kill(signal);
      const r = await started.done;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(status);
      expect(r.stderr).toContain(`killed by ${signal}`);
      expect(await gone(sleepPid)).toBe(true);
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(json.complete).toBe(false);
      expect(json.totals.segments).toBe(1); // what the command printed was analyzed
    });
  }

  it('a background process still holding the pipe after the command exited is waited for at most 5 s', async () => {
    const sh = script('background.sh', `printf '${INIT.trim()}\\n'\nsleep 30 &\necho "bg $!"\n`);
    const started = startCli(['run', '-r', 'json', '--', 'sh', sh]);
    await started.waitFor('bg ');
    leftovers.push(Number(/bg (\d+)/.exec(started.output().stdout)![1]));
    const r = await started.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('exited but its output is still open (a background process?)');
    expect(r.stdout).toContain('"schema": "valground-report/1"');
  });
});

describe('valground run: output', () => {
  it('a line past --max-line-bytes is cut with a diagnostic; the records before the cut and after the line are read', async () => {
    const child = script(
      'long-line.mjs',
      `const out = process.stdout;
out.write(${JSON.stringify(INIT)} + 'seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1 ');
const block = 'y'.repeat(1 << 20);
let left = 40;
const more = () => {
  while (left-- > 0) if (!out.write(block)) return out.once('drain', more);
  out.write('\\n==MP alloc;16;0xda7a0100;b.c:2\\n');
};
more();
`,
    );
    const r = await startCli(['run', '-r', 'json:' + join(tmp, 'long.json'), '--max-line-bytes', '1M', '--', process.execPath, child]).done;
    expect(r.code).toBe(1);
    const json = JSON.parse(readFileSync(join(tmp, 'long.json'), 'utf8'));
    expect(json.totals).toMatchObject({ leaks: 2, leakedBytes: 24 });
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ line: 2, kind: 'long-line' }));
  });

  it('stdout and stderr are merged line by line: a record split across writes is not cut by the other stream', async () => {
    const child = script(
      'interleave.mjs',
      `import { writeSync } from 'node:fs';
writeSync(1, ${JSON.stringify(INIT)});
writeSync(1, '==MP alloc;40;0xda7a');
writeSync(2, '==MP alloc;8;0xda7a0200;err.c:1\\n');
writeSync(1, '0064;out.c:1\\n');
`,
    );
    const r = await startCli(['run', '-r', 'json', '--', process.execPath, child]).done;
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n')));
    expect(json.diagnostics).toEqual([]);
    expect(json.tests.flatMap((t: { leaks: Array<{ site: string; size: number }> }) => t.leaks.map((l) => `${l.size}@${l.site}`)).sort()).toEqual([
      '40@out.c:1',
      '8@err.c:1',
    ]);
  });

  it('a command printing 300 MB into a slow reader: its pipe waits, our memory stays bounded', async () => {
    const child = script(
      'flood.mjs',
      `const block = Buffer.from(${JSON.stringify(FLOOD_LINE)}.repeat(21000)); // ~1 MB
let left = 300;
const more = () => {
  while (left-- > 0) if (!process.stdout.write(block)) return process.stdout.once('drain', more);
};
more();
`,
    );
    // valground in a wrapper that reports its peak memory when it exits
    const wrapper = script(
      'rss.mjs',
      `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/main.js')).href)};
process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'));
process.exitCode = await main(process.argv.slice(2));
`,
    );
    expect(existsSync(join(ROOT, 'dist/cli/main.js'))).toBe(true);
    const p = spawn(process.execPath, [wrapper, 'run', '-r', `json:${join(tmp, 'flood.json')}`, '--', process.execPath, child], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let read = 0;
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A slow reader: after each chunk, let the event loop turn a few times before taking the next.
    p.stdout.on('data', (chunk: Buffer) => {
      read += chunk.length;
      p.stdout.pause();
      setTimeout(() => p.stdout.resume(), 1);
    });
    const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
    expect(code).toBe(0);
    expect(read).toBe(300 * 21000 * FLOOD_LINE.length);
    const maxRssKb = Number(/maxrss (\d+)/.exec(stderr)![1]);
    expect(maxRssKb).toBeLessThan(200 * 1024); // without back-pressure it holds most of the 300 MB
  });
});
