/**
 * `--compat` against the reference script's own output (fixtures/generated:
 * logs whose records came from the SDK's allocator, with the reference's
 * stdout, quiet stdout and exit status for each).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, runCli } from '../helpers/cli.js';

const samples = readdirSync(fixturePath('generated'))
  .filter((f) => f.endsWith('.log'))
  .map((f) => f.slice(0, -4));

describe('--compat reproduces the reference byte for byte', () => {
  it('has samples to check', () => expect(samples.length).toBeGreaterThanOrEqual(8));

  for (const name of samples) {
    const log = readFileSync(fixturePath(`generated/${name}.log`));
    const rc = Number(readFileSync(fixturePath(`generated/${name}.expected.rc`), 'utf8').trim());

    it(`${name}`, async () => {
      const r = await runCli(['--compat'], { input: log });
      expect(r.stdout).toBe(readFileSync(fixturePath(`generated/${name}.expected.txt`), 'utf8'));
      expect(r.code).toBe(rc);
      expect(r.stderr).toBe('');
    });

    it(`${name} -q`, async () => {
      const r = await runCli(['--compat', '-q', fixturePath(`generated/${name}.log`)]);
      expect(r.stdout).toBe(readFileSync(fixturePath(`generated/${name}.quiet.expected.txt`), 'utf8'));
      expect(r.code).toBe(rc);
    });
  }

  it('reads CRLF input the way Python does', async () => {
    const log = readFileSync(fixturePath('generated/mixed.log'), 'utf8').replace(/\n/g, '\r\n');
    const r = await runCli(['--compat'], { input: log });
    expect(r.stdout).toBe(readFileSync(fixturePath('generated/mixed.expected.txt'), 'utf8'));
  });

  it('prints colorama colours with --colors, like the reference', async () => {
    const r = await runCli(['--compat', '--colors', fixturePath('generated/leak.log')]);
    expect(r.stdout).toContain('\x1b[31mMemory leaks:\n');
    expect(r.stdout).toContain('\x1b[34m\x1b[47m[1/5] - tests/test_sign.py::test_eip712_1[nanosp]\x1b[39m\x1b[49m\n');
    expect(r.stdout.replace(/\x1b\[\d+m/g, '')).toBe(readFileSync(fixturePath('generated/leak.expected.txt'), 'utf8'));
  });

  it('carries on with a diagnostic where the reference crashes', async () => {
    const input = [
      'seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1', // before any init
      'tests/t.py::test_x[a]', // before "collected"
      'collected 1 items',
      'seproxyhal: printf: ==MP init;0xda7a0000;4096',
      'seproxyhal: printf: ==MP weird;1;2',
      'seproxyhal: printf: ==MP alloc;8;0xda7a0064',
      'seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1',
    ].join('\n');
    const r = await runCli(['--compat'], { input });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[1/?] - tests/t.py::test_x[a]');
    expect(r.stdout).toContain('- [0xda7a0064] 8 bytes from a.c:1');
    expect(r.stderr.split('\n').filter(Boolean).map((l) => l.match(/line (\d+)/)?.[1])).toEqual(['1', '2', '5', '6']);
  });

  it('skips an allocation logged at 0x0 (a NULL return), as the reference does: no leak, exit 0', async () => {
    const log = [
      'collected 1 items',
      'tests/test_sign.py::test_null_alloc[nanox]',
      'seproxyhal: printf: ==MP init;0xda7a0000;4096',
      'seproxyhal: printf: ==MP alloc;5000;0x0;src/big.c:12',
      'seproxyhal: printf: ==MP alloc;16;0xda7a0064;src/a.c:3',
      'seproxyhal: printf: ==MP free;0xda7a0064;src/a.c:9',
      '',
    ].join('\n');
    // The reference's output for this log, by its rules (§5.2): the NULL allocation counts nowhere.
    const expected = [
      'collected 1 items',
      '',
      '[1/1] - tests/test_sign.py::test_null_alloc[nanox]',
      'No memory free errors detected, congrats!',
      'No memory leak detected, congrats!',
      '=== Summary ===',
      'Total overtime = 16 bytes',
      'Max overtime = 16 bytes (0.39% full)',
      'Allocations = 1',
      '',
      '=== Global ===',
      'Higher Max overtime = 16 bytes',
      '',
      '',
    ].join('\n');
    const r = await runCli(['--compat'], { input: log });
    expect(r.stdout).toBe(expected);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const quiet = await runCli(['--compat', '-q'], { input: log });
    expect(quiet.stdout).toBe(['collected 1 items', '', '[1/1] - tests/test_sign.py::test_null_alloc[nanox]', '', '=== Global ===', 'Higher Max overtime = 16 bytes', '', ''].join('\n'));
    expect(quiet.code).toBe(0);
  });

  it('exits 0 with the reference message when there is no profiling', async () => {
    const r = await runCli(['--compat'], { input: 'collected 1 item\nhello\n' });
    expect(r.stdout).toBe('collected 1 item\nNo memory profiling was found.\n');
    expect(r.code).toBe(0);
  });
});
