import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, runCli } from '../helpers/cli.js';

const verbose = fixturePath('real-pytest/pytest-verbose.log');
const clean = fixturePath('generated/clean.log');

describe('valground CLI (spawned binary)', () => {
  it('shows the six tests, the leak and the invalid free of a real pytest -v -s run, and exits 1', async () => {
    const r = await runCli([verbose]);
    expect(r.code).toBe(1);
    const testLines = r.stdout.split('\n').filter((l) => /\[\d\/6\]/.test(l));
    expect(testLines).toHaveLength(6);
    expect(testLines[2]).toMatch(/12\.50%\s+1024 \/ 8192 B\s+\[3\/6\] tests\/test_wallet\.py::test_sign_message\[nanox\]/);
    expect(r.stdout).toMatch(/leak 40 bytes at 0xda7a0094 from src\/settings\.c:9/);
    expect(r.stdout).toMatch(/invalid free of 0xda7a0200 at src\/nav\.c:60/);
    expect(r.stdout).toMatch(/Leaks by allocation site\n\s+src\/settings\.c:9/);
    expect(r.stdout).toMatch(/FAIL .*\(exit 1\)\n$/);
  });

  it('exits 0 on a clean session, reading standard input', async () => {
    const r = await runCli(['-'], { input: readFileSync(clean) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS no memory errors/);
  });

  it('prints only failing tests and the summary with -q', async () => {
    const r = await runCli(['-q', verbose]);
    expect(r.stdout.split('\n').filter((l) => /\[\d\/6\]/.test(l))).toHaveLength(2);
    expect(r.stdout).toContain('Summary');
  });

  it('exits 2 on an unknown option, a missing file, a bad --fail-on, an unknown reporter', async () => {
    for (const args of [['--bogus'], ['no/such/file.log'], ['--fail-on', 'leaks', clean], ['--reporter', 'yaml', clean]]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/error|valground:/);
    }
    expect((await runCli(['no/such/file.log'])).stderr).toMatch(/cannot read no\/such\/file\.log: ENOENT/);
  });

  it('prints help with examples and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/--fail-on/);
  });

  it('writes JSON with the §5.3 fields to stdout or to a file, creating directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-cli-'));
    const file = join(dir, 'deep/er/mem.json');
    const r = await runCli([verbose, '--reporter', 'text', '--reporter', `json:${file}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Summary');
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(report)).toEqual(['schema', 'ok', 'exitCode', 'totals', 'tests', 'diagnostics']);
    expect(report).toMatchObject({ schema: 'valground-report/1', ok: false, exitCode: 1 });
    expect(Object.keys(report.totals).sort()).toEqual(
      ['tests', 'segments', 'allocations', 'totalBytes', 'leaks', 'leakedBytes', 'reclaimed', 'doubleFrees', 'invalidFrees', 'persistent', 'persistentBytes', 'failedAllocations', 'peakBytes', 'peakPercent', 'suppressed'].sort(),
    );
    const leak = report.tests[4];
    expect(leak).toMatchObject({
      name: 'tests/test_wallet.py::test_settings_leak',
      index: 5,
      total: 6,
      outcome: 'passed',
      ok: false,
      heapSize: 4096,
      segments: 1,
      leaks: [{ address: '0xda7a0094', size: 40, site: 'src/settings.c:9', line: 35 }],
    });
    expect(report.tests[5].freeErrors).toEqual([{ kind: 'invalid-free', address: '0xda7a0200', site: 'src/nav.c:60', line: 40 }]);

    const stdoutJson = await runCli([verbose, '--reporter', 'json']);
    expect(JSON.parse(stdoutJson.stdout).totals).toEqual(report.totals);
  });

  it('refuses two reporters on standard output', async () => {
    const r = await runCli([clean, '--reporter', 'text', '--reporter', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/only one reporter can write to standard output/);
  });

  it('applies --fail-on and --strict', async () => {
    const reset = fixturePath('generated/heap-reset.log');
    expect((await runCli([reset])).code).toBe(0);
    expect((await runCli([reset, '--fail-on', 'reclaimed'])).code).toBe(1);
    const persistent = fixturePath('generated/persistent.log');
    expect((await runCli([persistent, '--fail-on', 'leak,persistent'])).code).toBe(1);
    expect((await runCli([clean, '--fail-on', 'usage:30'])).code).toBe(1);
    expect((await runCli([clean, '--fail-on', 'usage:99'])).code).toBe(0);
    const bad = 'seproxyhal: printf: ==MP init;0xda7a0000;4096\nseproxyhal: printf: ==MP alloc;zz;1;a.c:1\n';
    expect((await runCli(['-'], { input: bad })).code).toBe(0);
    const strict = await runCli(['--strict', '-'], { input: bad });
    expect(strict.code).toBe(2);
    expect(strict.stdout).toMatch(/line 2: unparseable record/);
  });

  it('says loudly when there is no profiling data', async () => {
    const r = await runCli(['-'], { input: 'collected 2 items\ntests/t.py::test_a PASSED\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NO MEMORY PROFILING DATA/);
    expect(r.stdout).not.toMatch(/PASS no memory errors/);
    expect((await runCli(['--fail-on', 'no-data', '-'], { input: 'nothing\n' })).code).toBe(1);
    const json = await runCli(['--reporter', 'json', '-'], { input: 'nothing\n' });
    expect(json.stderr).toMatch(/WARNING: no memory-profiling record/);
  });

  it('colours per TTY / NO_COLOR / FORCE_COLOR / --colors / --no-colors', async () => {
    const esc = /\x1b\[/;
    expect((await runCli([verbose])).stdout).not.toMatch(esc); // a pipe is not a TTY
    expect((await runCli([verbose], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(esc);
    expect((await runCli([verbose], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(esc);
    expect((await runCli([verbose, '--colors'], { env: { NO_COLOR: '1' } })).stdout).toMatch(esc);
    expect((await runCli([verbose, '--no-colors'], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(esc);
  });

  it('reads several files, binary garbage, CRLF and a last line without newline', async () => {
    const garbage = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x00, 0x0a]),
      Buffer.from('seproxyhal: printf: ==MP init;0xda7a0000;4096\r\n'),
      Buffer.from([0xc3, 0x28, 0x0a]),
      Buffer.from('\x1b[1mseproxyhal: printf: ==MP alloc;40;0xda7a0064;src/x.c:1\x1b[0m'),
    ]);
    const r = await runCli(['-'], { input: garbage });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/leak 40 bytes at 0xda7a0064 from src\/x\.c:1 \(log line 4\)/);
    const two = await runCli([clean, verbose, '--reporter', 'json']);
    expect(JSON.parse(two.stdout).totals.tests).toBe(4 + 6);
    expect(existsSync(clean)).toBe(true);
  });

  it('handles a line of several megabytes', async () => {
    const long = 'x'.repeat(8 << 20) + ' seproxyhal: printf: ==MP init;0xda7a0000;4096\n';
    const r = await runCli(['--reporter', 'json', '-'], { input: long + 'seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1\n' });
    expect(JSON.parse(r.stdout).totals).toMatchObject({ segments: 1, leaks: 1 });
  });
});

describe('valground --version', () => {
  it('prints the package version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });
});

describe('report files that cannot be written', () => {
  it('are a usage error (exit 2) before any input is read, never a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-out-'));
    const r = await runCli([clean, '--reporter', `json:${dir}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write report .*EISDIR/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('a failed write (disk full) is exit 2 too', async () => {
    const r = await runCli([clean, '--reporter', 'json:/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write report \/dev\/full: ENOSPC/);
  });
});

describe('--fail-on adds to the default policy', () => {
  it('still fails on leaks when another kind is asked for', async () => {
    for (const kind of ['persistent', 'usage:90', 'reclaimed', 'no-data']) {
      expect((await runCli([verbose, '--fail-on', kind])).code, kind).toBe(1);
    }
  });
});
