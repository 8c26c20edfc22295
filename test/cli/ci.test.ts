/**
 * The CI features end to end: the policy matrix, reporters to files,
 * suppressions and baselines through `main()`, and `run` / `merge` through
 * the built binary (`npm run build` first; `npm test` does it).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/valground.js');
const FIX = join(ROOT, 'fixtures/ci');
const EMIT = join(FIX, 'emit.mjs');
const fixture = (name: string) => join(FIX, `${name}.log`);
const tmp = mkdtempSync(join(tmpdir(), 'valground-ci-'));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `main()` in process, with captured streams. */
async function cli(args: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const code = await main(args, {
    stdin: Readable.from([]),
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

/** The built binary; `onStdout` sees stdout as it arrives (to signal at the right moment). */
function bin(args: string[], onStdout?: (soFar: string, pid: number) => void): Promise<Ran> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => {
      stdout += c;
      onStdout?.(stdout, p.pid!);
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c));
    p.on('error', fail);
    // valground itself must always exit with a status, never die of a signal.
    p.on('close', (code, signal) => done({ code: code ?? -1, stdout: stdout + (signal ? `\n[killed by ${signal}]` : ''), stderr }));
  });
}

function json(text: string) {
  return JSON.parse(text) as {
    ok: boolean;
    exitCode: number;
    totals: Record<string, number>;
    tests: Array<{ name: string; ok: boolean; peakBytes: number; suppressed: unknown[] }>;
    regressions?: Array<{ test: string; baselinePeakBytes: number; peakBytes: number; growthPercent: number }>;
    baselineChanges?: { added: string[]; removed: string[] };
    suppressionCounts?: Array<{ pattern: string; kind: string; count: number }>;
  };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
});

describe('--fail-on policy matrix', () => {
  const fixtures = ['clean', 'leak', 'free-error', 'reclaimed', 'persistent', 'failed-alloc', 'usage', 'no-data'];
  // Which fixture has what; --fail-on adds to the default list (leak, free-error).
  const kinds: Array<[string, string]> = [
    ['leak', 'leak'],
    ['free-error', 'free-error'],
    ['reclaimed', 'reclaimed'],
    ['persistent', 'persistent'],
    ['failed-alloc', 'failed-alloc'],
    ['no-data', 'no-data'],
    ['usage:90', 'usage'],
  ];
  for (const [kind, has] of kinds) {
    it.each(fixtures)(`--fail-on ${kind} on %s`, async (name) => {
      const r = await cli([fixture(name), '--fail-on', kind, '-q']);
      const fails = name === has || name === 'leak' || name === 'free-error';
      expect(r.code, r.stdout + r.stderr).toBe(fails ? 1 : 0);
    });
  }

  it.each(fixtures)('the default policy (leak, free-error) on %s', async (name) => {
    const r = await cli([fixture(name), '-q']);
    expect(r.code).toBe(name === 'leak' || name === 'free-error' ? 1 : 0);
  });

  it('kinds combine, and usage:N is a threshold reached at N', async () => {
    expect((await cli([fixture('usage'), '--fail-on', 'leak,usage:95.2'])).code).toBe(1);
    expect((await cli([fixture('usage'), '--fail-on', 'leak', '--fail-on', 'usage:95.3'])).code).toBe(0);
    expect((await cli([fixture('leak'), '--fail-on', 'reclaimed', '--fail-on', 'leak'])).code).toBe(1);
  });

  it('an unknown kind is a usage error', async () => {
    const r = await cli([fixture('clean'), '--fail-on', 'leaks']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('leaks');
  });
});

describe('several reporters at once', () => {
  it('writes text to stdout and junit, json, github to files in new directories', async () => {
    const out = join(tmp, 'reports/deep/er');
    const r = await cli([
      fixture('free-error'),
      '--reporter', 'text',
      '--reporter', `junit:${out}/mem.xml`,
      '--reporter', `json:${out}/mem.json`,
      '--reporter', `github:${out}/annotations.txt`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tests/test_ci.py::test_first');
    const doc = new DOMParser({
      onError: (level, msg) => {
        throw new Error(`${level}: ${msg}`);
      },
    }).parseFromString(readFileSync(`${out}/mem.xml`, 'utf8'), 'text/xml');
    const cases = Array.from(doc.getElementsByTagName('testcase'));
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(['test_first', 'test_second']);
    const failures = Array.from(doc.getElementsByTagName('failure'));
    expect(failures.map((f) => f.getAttribute('message'))).toEqual(['1 double free', '1 invalid free']);
    expect(failures[0].textContent).toContain('first freed at src/settings.c:20');
    expect(json(readFileSync(`${out}/mem.json`, 'utf8')).totals.doubleFrees).toBe(1);
    const annotations = readFileSync(`${out}/annotations.txt`, 'utf8');
    expect(annotations).toContain('::error file=src/settings.c,line=21,title=Double free::');
    expect(annotations).toContain('::error file=src/nav.c,line=60,title=Invalid free::');
  });
});

describe('--suppressions', () => {
  const supp = join(tmp, 'known.supp');
  writeFileSync(supp, '# vendored settings code leaks on purpose\nleak:src/settings.c:*\nfree:never/*\n');

  it('suppressed leaks stop failing the run and are reported as such', async () => {
    const r = await cli([fixture('leak'), '--suppressions', supp, '--reporter', `json:${tmp}/supp.json`, '--reporter', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/leak:src\/settings\.c:\*\s+matched 1/);
    const report = json(readFileSync(`${tmp}/supp.json`, 'utf8'));
    expect(report.totals.leaks).toBe(0);
    expect(report.totals.suppressed).toBe(1);
    expect(report.tests[0].suppressed).toEqual([{ address: '0xda7a0064', size: 40, site: 'src/settings.c:9', line: 6 }]);
    expect(report.suppressionCounts).toEqual([
      { pattern: 'src/settings.c:*', kind: 'leak', count: 1 },
      { pattern: 'never/*', kind: 'free', count: 0 },
    ]);
  });

  it('free: rules suppress bad frees by the site of the free', async () => {
    const f = join(tmp, 'frees.supp');
    writeFileSync(f, 'free:src/settings.c:21\nfree:src/nav.c:*\n');
    expect((await cli([fixture('free-error'), '--suppressions', f])).code).toBe(0);
  });

  it('a bad line or a missing file is a usage error naming it', async () => {
    const bad = join(tmp, 'bad.supp');
    writeFileSync(bad, 'leak:ok/*\nleek:src/*\n');
    const r = await cli([fixture('leak'), '--suppressions', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: expected "leak:GLOB" or "free:GLOB"`);
    const missing = await cli([fixture('leak'), '--suppressions', join(tmp, 'nope.supp')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.supp');
  });
});

describe('--baseline', () => {
  const base = join(tmp, 'baseline.json');
  beforeAll(async () => {
    expect((await cli([fixture('clean'), '--reporter', `json:${base}`])).code).toBe(0);
  });

  it('fails a test whose peak grew beyond the allowance, and lists it', async () => {
    const r = await cli([fixture('usage'), '--baseline', base, '--reporter', `json:${tmp}/grown.json`, '--reporter', 'text']);
    expect(r.code).toBe(1);
    const report = json(readFileSync(`${tmp}/grown.json`, 'utf8'));
    expect(report.regressions).toEqual([
      { test: 'tests/test_ci.py::test_first', baselinePeakBytes: 140, peakBytes: 7800, growthPercent: 5471.43 },
    ]);
    expect(report.tests.map((t) => t.ok)).toEqual([false, true]);
    expect(r.stdout).toContain('140 → 7800 bytes');
  });

  it('passes within --max-growth, and when nothing grew', async () => {
    expect((await cli([fixture('usage'), '--baseline', base, '--max-growth', '6000'])).code).toBe(0);
    expect((await cli([fixture('clean'), '--baseline', base])).code).toBe(0);
  });

  it('lists new and gone tests without failing', async () => {
    const log = join(tmp, 'renamed.log');
    writeFileSync(log, readFileSync(fixture('clean'), 'utf8').replace('test_second', 'test_third'));
    const r = await cli([log, '--baseline', base, '--reporter', `json:${tmp}/renamed.json`]);
    expect(r.code).toBe(0);
    expect(json(readFileSync(`${tmp}/renamed.json`, 'utf8')).baselineChanges).toEqual({
      added: ['tests/test_ci.py::test_third'],
      removed: ['tests/test_ci.py::test_second'],
    });
  });

  it('a bad baseline or allowance is a usage error', async () => {
    const notReport = join(tmp, 'not-a-report.json');
    writeFileSync(notReport, '{"hello": 1}');
    const r = await cli([fixture('clean'), '--baseline', notReport]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a valground JSON report');
    expect((await cli([fixture('clean'), '--baseline', base, '--max-growth', 'lots'])).code).toBe(2);
    expect((await cli([fixture('clean'), '--max-growth', '5'])).code).toBe(2);
  });
});

describe('valground run', () => {
  it('passes the output through and exits 0 for a clean, passing command', async () => {
    const r = await bin(['run', '--', process.execPath, EMIT, fixture('clean')]);
    expect(r.code).toBe(0);
    // The command's output first, the report after it.
    const logAt = r.stdout.indexOf('tests/test_ci.py::test_first ==MP init');
    const reportAt = r.stdout.indexOf('PASS no memory errors');
    expect(logAt).toBeGreaterThanOrEqual(0);
    expect(reportAt).toBeGreaterThan(logAt);
  });

  it('analyzes stderr too: a leaking command exits 1', async () => {
    const r = await bin(['run', '--reporter', `junit:${tmp}/run/mem.xml`, '--', process.execPath, EMIT, fixture('leak'), '--stderr']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('hello from stdout');
    expect(r.stderr).toContain('==MP alloc;40;0xda7a0064;src/settings.c:9');
    expect(readFileSync(`${tmp}/run/mem.xml`, 'utf8')).toContain('message="1 leak (40 bytes)"');
  });

  it("exits with the command's status when it fails", async () => {
    const r = await bin(['run', '-q', '--', process.execPath, EMIT, fixture('clean'), '--exit', '3']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exited with status 3');
    // Even when the analysis also fails, the command's failure wins.
    expect((await bin(['run', '-q', '--', process.execPath, EMIT, fixture('leak'), '--exit', '4'])).code).toBe(4);
  });

  it('options after the command belong to the command (no -- needed)', async () => {
    const r = await bin(['run', '-q', process.execPath, EMIT, fixture('clean'), '--exit', '5']);
    expect(r.code).toBe(5);
  });

  it('forwards SIGTERM: the interrupted command gives 128+15, the report is still written', async () => {
    let sent = false;
    const r = await bin(
      ['run', '--reporter', `json:${tmp}/interrupted.json`, '--', process.execPath, EMIT, fixture('leak'), '--wait'],
      (out, pid) => {
        if (!sent && out.includes('ready\n')) {
          sent = true;
          process.kill(pid, 'SIGTERM');
        }
      },
    );
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('killed by SIGTERM');
    expect(json(readFileSync(`${tmp}/interrupted.json`, 'utf8')).totals.leaks).toBe(1);
  });

  it('forwards SIGINT to a command that handles it', async () => {
    let sent = false;
    const r = await bin(['run', '--', process.execPath, EMIT, fixture('clean'), '--wait', '--trap'], (out, pid) => {
      if (!sent && out.includes('ready\n')) {
        sent = true;
        process.kill(pid, 'SIGINT');
      }
    });
    expect(r.stdout).toContain('child got SIGINT');
    expect(r.code).toBe(0); // the command exited 0 and the memory was clean
  });

  it('a command that does not exist exits 127', async () => {
    const r = await bin(['run', '--', 'valground-no-such-command']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('cannot run valground-no-such-command: command not found');
  });

  it('a usage error is reported before the command runs', async () => {
    const marker = join(tmp, 'should-not-exist');
    const r = await bin(['run', '--reporter', 'nope', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`]);
    expect(r.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('valground merge', () => {
  const shardA = join(tmp, 'shards/a.json');
  const shardB = join(tmp, 'shards/b.json');
  beforeAll(async () => {
    await cli([fixture('leak'), '--reporter', `json:${shardA}`]);
    await cli([fixture('usage'), '--reporter', `json:${shardB}`]);
  });

  it('combines two shards: tests concatenated, totals summed, peaks maxed, verdict recomputed', async () => {
    const r = await bin(['merge', shardA, shardB]);
    expect(r.code).toBe(1);
    const merged = json(r.stdout);
    const a = json(readFileSync(shardA, 'utf8'));
    const b = json(readFileSync(shardB, 'utf8'));
    expect(merged.tests.map((t) => t.peakBytes)).toEqual([...a.tests, ...b.tests].map((t) => t.peakBytes));
    expect(merged.totals.tests).toBe(4);
    expect(merged.totals.allocations).toBe(a.totals.allocations + b.totals.allocations);
    expect(merged.totals.leaks).toBe(1);
    expect(merged.totals.peakBytes).toBe(7800);
    expect(merged.exitCode).toBe(1);
  });

  it('re-judges under its own policy and renders any reporter', async () => {
    const copy = join(tmp, 'shard-b-copy.json');
    copyFileSync(shardB, copy); // the same shard run twice on two machines
    const r = await bin(['merge', shardB, copy, '--fail-on', 'usage:90', '--reporter', `junit:${tmp}/merged/mem.xml`, '--reporter', 'text']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL');
    const xml = readFileSync(`${tmp}/merged/mem.xml`, 'utf8');
    expect(xml).toContain('tests="4" failures="2"');
    expect((await bin(['merge', shardB])).code).toBe(0);
  });

  it('refuses the same file twice, also under another name (its tests would count twice)', async () => {
    const r = await bin(['merge', shardB, shardB]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/given twice/);
    const link = join(tmp, 'link-to-b.json');
    symlinkSync(shardB, link);
    const other = await bin(['merge', shardB, link]);
    expect(other.code).toBe(2);
  });

  it('an unreadable or foreign file is exit 2 with a clear message', async () => {
    const r = await bin(['merge', shardA, fixture('leak')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot merge ${fixture('leak')}: not JSON`);
    const missing = await bin(['merge', join(tmp, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.json: cannot read (ENOENT)');
  });

  it('a job summary that cannot be written is exit 2 naming it, for merge as for an analysis', async () => {
    const env = { GITHUB_STEP_SUMMARY: tmp }; // a directory
    for (const args of [['merge', shardA, '--reporter', 'github'], [fixture('leak'), '--reporter', 'github']]) {
      const r = await runCli(args, { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`valground: cannot write ${tmp}: EISDIR (is a directory)\n`);
    }
  });
});
