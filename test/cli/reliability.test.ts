/**
 * SPEC §9 through the built binary, one issue-10 row per test: inputs
 * never overwritten, report files never half-written, every write failure
 * an error naming its destination, lines cut at --max-line-bytes, an
 * interrupted read still reported.
 */
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateLog } from '../../src/bench/generate-log.js';
import { fixturePath, runCli, startCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'vg-reliable-'));
const clean = fixturePath('ci/clean.log');
const leak = fixturePath('ci/leak.log');
const hasDevFull = existsSync('/dev/full');
const hasDevStdout = existsSync('/dev/stdout');
const hasProcFd = existsSync('/proc/self/fd/1');

function dir(name: string): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function copy(from: string, to: string): string {
  writeFileSync(to, readFileSync(from));
  return to;
}

/** The built binary with its stdout on `path` (a device such as /dev/full). */
async function withStdoutOn(path: string, args: string[]) {
  const fd = openSync(path, 'w');
  try {
    return await startCli(args, { stdout: fd, stdin: 'ignore' }).done;
  } finally {
    closeSync(fd);
  }
}

describe('a report path that is also an input', () => {
  it('is a usage error before anything is opened: `valground v.log -r html:v.log` leaves v.log untouched', async () => {
    const d = dir('input');
    const v = copy(leak, join(d, 'v.log'));
    symlinkSync(v, join(d, 'link.log'));
    linkSync(v, join(d, 'hard.log'));
    const before = readFileSync(v);
    for (const path of [v, join(d, 'sub/../v.log'), join(d, 'link.log'), join(d, 'hard.log')]) {
      const r = await runCli([v, '-r', `html:${path}`]);
      expect(r.code, path).toBe(2);
      expect(r.stderr).toMatch(/would overwrite (an input|the input .*v\.log) before it is read/);
      expect(readFileSync(v).equals(before)).toBe(true);
    }
    expect(existsSync(join(d, 'sub'))).toBe(false); // nothing was created either
  });
});

describe('two reporters to one destination', () => {
  it('`-r json:same.out -r html:same.out` is a usage error; nothing is written', async () => {
    const d = dir('same');
    const r = await runCli([clean, '-r', `json:${d}/same.out`, '-r', `html:${d}/./same.out`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('write to the same file');
    expect(readdirSync(d)).toEqual([]);
  });

  it.skipIf(!hasDevStdout)('`-r json:/dev/stdout -r text` is a usage error (skipped where /dev/stdout is missing)', async () => {
    const r = await runCli([clean, '-r', 'json:/dev/stdout', '-r', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is standard output, which another reporter already writes');
    expect(r.stdout).toBe('');
  });

  it.skipIf(!hasProcFd)('so is /proc/self/fd/1, and a file that stdout is redirected to (skipped without /proc)', async () => {
    expect((await runCli([clean, '-r', 'json:/proc/self/fd/1'])).code).toBe(0); // the only writer of stdout: fine
    const r = await runCli([clean, '-r', 'json:/proc/self/fd/1', '--compat']);
    expect(r.code).toBe(2);
    const out = join(dir('redirect'), 'out.txt');
    const redirected = await withStdoutOn(out, [clean, '-r', `json:${out}`, '-r', 'text']);
    expect(redirected.code).toBe(2);
  });
});

describe('write failures', () => {
  it.skipIf(!hasDevFull)('`valground clean.log -r json > /dev/full` exits 2 naming stdout — also text, --compat, run (skipped without /dev/full)', async () => {
    for (const args of [
      [clean, '-r', 'json'],
      [clean],
      [clean, '--compat'],
      ['run', '--', process.execPath, fixturePath('ci/emit.mjs'), clean],
    ]) {
      const r = await withStdoutOn('/dev/full', args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('valground: cannot write to stdout: ENOSPC (no space left on device)');
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it.skipIf(!hasDevFull)('a report file on a full device exits 2 naming it (skipped without /dev/full)', async () => {
    const r = await runCli([clean, '-r', 'json:/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write report /dev/full: ENOSPC (no space left on device)');
  });

  it('a report in a folder that cannot be created exits 2 naming it, before reading', async () => {
    const blocker = join(dir('blocked'), 'file');
    writeFileSync(blocker, '');
    const r = await runCli([clean, '-r', `json:${blocker}/sub/r.json`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`valground: cannot write report ${blocker}/sub/r.json: ENOTDIR (not a directory)\n`);
  });

  it('a reader that goes away (EPIPE, `| head`) ends quietly with the analysis status', async () => {
    const started = startCli([leak, '-r', 'text'], { stdin: 'ignore' });
    started.child.stdout!.destroy(); // nobody reads: every write fails with EPIPE
    const r = await started.done;
    expect(r.code).toBe(1); // the leak
    expect(r.stderr).not.toContain('cannot write');
  });
});

describe('valground /tmp (a directory)', () => {
  it('says the path and the reason in one line, exit 2', async () => {
    const d = dir('a-directory');
    const r = await runCli([d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`valground: cannot read ${d}: EISDIR (is a directory)\n`);
  });
});

describe('report files are written whole, then renamed', () => {
  it('two runs writing `-r json:c.json`: the last to finish wins with a valid file, no temporary file left', async () => {
    const d = dir('concurrent');
    const small = join(d, 'small.log');
    const large = join(d, 'large.log');
    await generateLog(small, 20);
    await generateLog(large, 200);
    const target = join(d, 'out/c.json');
    // The first run opens c.json, then waits on its input while the second writes a larger report.
    const first = startCli(['-', '-r', `json:${target}`, '-r', 'text']);
    first.child.stdin!.write(readFileSync(small));
    await first.waitFor('[20/20]');
    const second = await runCli([large, '-r', `json:${target}`]);
    expect(second.code).toBe(1);
    expect(JSON.parse(readFileSync(target, 'utf8')).totals.tests).toBe(200);
    first.child.stdin!.end();
    await first.done;
    const report = JSON.parse(readFileSync(target, 'utf8'));
    expect(report.totals.tests).toBe(20);
    expect(readdirSync(join(d, 'out'))).toEqual(['c.json']);
  });

  it('an existing report keeps its permissions, and a symlinked report keeps its link', async () => {
    const d = dir('keep');
    const real = join(d, 'real.json');
    writeFileSync(real, 'old', { mode: 0o640 });
    symlinkSync(real, join(d, 'link.json'));
    expect((await runCli([clean, '-r', `json:${d}/link.json`])).code).toBe(0);
    expect(JSON.parse(readFileSync(real, 'utf8')).totals.tests).toBe(2);
    expect(lstatSync(join(d, 'link.json')).isSymbolicLink()).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(d).sort()).toEqual(['link.json', 'real.json']);
  });
});

describe('SIGINT or SIGTERM while reading a slow pipe', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: the reports of what was read are written, valid, with "complete": false; exit ${status}`, async () => {
      const prev = join(dir(`interrupt-${signal}`), 'prev.json');
      writeFileSync(prev, '{"the previous":"report"}');
      const started = startCli(['-', '-r', `json:${prev}`, '-r', 'text']);
      const log = readFileSync(leak, 'utf8');
      // The first test and the start of the second: the text report shows the first once it is read.
      started.child.stdin!.write(log.slice(0, log.indexOf('==MP alloc;16')));
      await started.waitFor('test_first');
      started.child.kill(signal);
      const r = await started.done;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(status);
      expect(r.stderr).toContain(`interrupted by ${signal}`);
      const report = JSON.parse(readFileSync(prev, 'utf8'));
      expect(report.complete).toBe(false);
      expect(report.totals.leaks).toBe(1);
    });
  }
});

describe('long lines', () => {
  const record = 'seproxyhal: printf: ==MP init;0xda7a0000;4096\nseproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1 ';

  it('a line past --max-line-bytes is cut with a diagnostic naming its line; records before the cut and after the line are read', async () => {
    const input = record + 'y'.repeat(3 << 20) + '\n==MP alloc;16;0xda7a0100;b.c:2\n';
    const r = await runCli(['-', '-r', 'json', '--max-line-bytes', '1M'], { input });
    const report = JSON.parse(r.stdout);
    expect(report.totals).toMatchObject({ leaks: 2, leakedBytes: 24 });
    expect(report.diagnostics).toContainEqual({
      line: 2,
      kind: 'long-line',
      message: `line longer than 1048576 bytes (--max-line-bytes): cut there, ${record.length - 46 + (3 << 20) - (1 << 20)} more bytes skipped`,
    });
  });

  it('the default cap is 16 MiB: a 20 MB line is cut, the analysis goes on', async () => {
    const input = record + 'y'.repeat(20e6) + '\n==MP alloc;16;0xda7a0100;b.c:2\n';
    const r = await runCli(['-', '-r', 'json'], { input });
    const report = JSON.parse(r.stdout);
    expect(report.totals.leaks).toBe(2);
    expect(report.diagnostics.map((d: { kind: string }) => d.kind)).toContain('long-line');
  });

  it('a bad --max-line-bytes is a usage error', async () => {
    for (const bad of ['0', 'lots', '3', '1T']) expect((await runCli([clean, '--max-line-bytes', bad])).code, bad).toBe(2);
  });
});

describe('valground merge', () => {
  it('the same file twice, by any path, is exit 2 saying so', async () => {
    const d = dir('merge');
    const a = join(d, 'a.json');
    expect((await runCli([leak, '-r', `json:${a}`])).code).toBe(1);
    symlinkSync(a, join(d, 'alias.json'));
    const twice = await runCli(['merge', a, a]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`cannot merge ${a}: given twice`);
    const alias = await runCli(['merge', a, join(d, 'alias.json')]);
    expect(alias.code).toBe(2);
    expect(alias.stderr).toContain(`the same file as ${a}`);
    const over = await runCli(['merge', a, '-r', `json:${a}`]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('would overwrite');
  });

  it('reads reports and baselines starting with a UTF-8 byte order mark', async () => {
    const d = dir('bom');
    const a = join(d, 'a.json');
    await runCli([clean, '-r', `json:${a}`]);
    const bom = join(d, 'bom.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(a)]));
    const merged = await runCli(['merge', bom]);
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout).totals.tests).toBe(2);
    const base = await runCli([clean, '--baseline', bom]);
    expect(base.code).toBe(0);
  });
});
