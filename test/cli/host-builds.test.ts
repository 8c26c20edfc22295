/**
 * Host builds end to end (SPEC §2.1), through the binary on real native
 * output (fixtures/harnesses): glibc's `0x0x` 64-bit addresses print in full
 * in every reporter, and sites under the source root (`--root`,
 * `$GITHUB_WORKSPACE`, `$CI_PROJECT_DIR`) become relative, so GitHub
 * annotations point at repository files. Then the CTest run as a user sees it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath, runCli } from '../helpers/cli.js';

const CMOCKA = fixturePath('harnesses/cmocka.log');
/** test_rename_leaks_old_name's leak: `alloc;8;0x0x5569383122d4;…/app/addressbook.c:62`. */
const LEAK = '0x5569383122d4';
const ROOT = '/home/dev/addressbook';
const NO_CI = { GITHUB_WORKSPACE: '', CI_PROJECT_DIR: '' };

const dir = mkdtempSync(join(tmpdir(), 'valground-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('64-bit host addresses print in full', () => {
  it.each(['text', 'json', 'github'])('%s reporter', async (reporter) => {
    const r = await runCli([CMOCKA, '--reporter', reporter], { env: NO_CI });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(LEAK);
    expect(r.stdout).not.toMatch(/0x0x/);
  });

  it('junit and html reports written to files', async () => {
    const junit = join(dir, 'r.xml');
    const html = join(dir, 'r.html');
    const r = await runCli([CMOCKA, '--reporter', `junit:${junit}`, '--reporter', `html:${html}`], { env: NO_CI });
    expect(r.code).toBe(1);
    expect(readFileSync(junit, 'utf8')).toContain(LEAK);
    // the page draws addresses itself (checked in Chromium, test/browser): its data holds them exactly,
    // from the lowest one (test_decode_shows_ticker's 32 bytes at 0x556938312294)
    expect(readFileSync(html, 'utf8')).toContain(`"base":${0x556938312294}`);
  });

  it('json: addresses as 0x strings, wider than 8 digits', async () => {
    const r = await runCli([CMOCKA, '--reporter', 'json'], { env: NO_CI });
    const report = JSON.parse(r.stdout) as { tests: { name: string; leaks: { address: string }[] }[] };
    expect(report.tests.find((t) => t.name === 'test_rename_leaks_old_name')!.leaks).toEqual([expect.objectContaining({ address: LEAK })]);
  });

  it('--compat (the reference reads 64-bit addresses without the doubled prefix)', async () => {
    const input = [
      'collected 1 items',
      'tests/t.py::test_native[host]',
      'seproxyhal: printf: ==MP init;0x556938312230;4096',
      `seproxyhal: printf: ==MP alloc;8;${LEAK};app/addressbook.c:62`,
    ].join('\n');
    const r = await runCli(['--compat'], { input });
    expect(r.stdout).toContain(`- [${LEAK}] 8 bytes from app/addressbook.c:62\n`);
    expect(r.code).toBe(1);
  });
});

describe('sites under the source root are reported relative to it', () => {
  const relative = 'app/addressbook.c:62';

  it('--root DIR', async () => {
    const r = await runCli([CMOCKA, '--root', ROOT], { env: NO_CI });
    expect(r.stdout).toContain(`from ${relative} `);
    expect(r.stdout).not.toContain(ROOT);
  });

  it('$GITHUB_WORKSPACE: annotations point at repository files', async () => {
    const r = await runCli([CMOCKA, '--reporter', 'github'], { env: { ...NO_CI, GITHUB_WORKSPACE: ROOT } });
    expect(r.stdout).toContain('::error file=app/addressbook.c,line=62,');
    expect(r.stdout).toContain('::error file=app/addressbook.c,line=309,title=Invalid free');
    expect(r.stdout).not.toContain(`file=${ROOT}`);
  });

  it('$CI_PROJECT_DIR (GitLab), and --root wins over both', async () => {
    const gitlab = await runCli([CMOCKA, '--reporter', 'json'], { env: { ...NO_CI, CI_PROJECT_DIR: `${ROOT}/` } });
    expect(gitlab.stdout).toContain(`"site": "${relative}"`);
    const both = await runCli([CMOCKA, '--reporter', 'github', '--root', `${ROOT}/app`], { env: { ...NO_CI, GITHUB_WORKSPACE: ROOT } });
    expect(both.stdout).toContain('::error file=addressbook.c,line=62,');
  });

  it('sites outside the root stay as they are', async () => {
    const r = await runCli([CMOCKA, '--reporter', 'github', '--root', '/somewhere/else'], { env: NO_CI });
    expect(r.stdout).toContain(`::error file=${ROOT}/app/addressbook.c,line=62,`);
  });

  it('with no option nor CI variable, the working directory is the root', async () => {
    const input = ['==MP init;0x0x556938312230;4096', `==MP alloc;8;${LEAK};${dir}/src/book.c:62`].join('\n');
    const r = await runCli(['--reporter', 'github'], { input, env: NO_CI, cwd: dir });
    expect(r.stdout).toContain('::error file=src/book.c,line=62,');
  });
});

describe('a CTest run, as a user pipes it', () => {
  it('ctest -V: the inner cmocka and GoogleTest tests by name, with their leaks and bad frees; exit 1', async () => {
    const r = await runCli([fixturePath('harnesses/ctest-verbose.log')], { env: NO_CI });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/book_cmocka::test_rename_leaks_old_name passed\n\s+1 leak \(8 bytes\)\n\s+leak 8 bytes at 0x[0-9a-f]{12} from \/home\/dev\/addressbook\/app\/addressbook\.c:62/);
    expect(r.stdout).toMatch(/book_cmocka::test_remove_noted_contact passed\n\s+1 double free/);
    expect(r.stdout).toMatch(/book_gtest::Contacts\.RenameDropsOldName passed\n\s+1 leak \(6 bytes\)/);
    expect(r.stdout).toMatch(/book_gtest::Display\.ReleaseAfterFormat passed\n\s+1 leak \(28 bytes\), 1 invalid free/);
    expect(r.stdout).toMatch(/tests\s+14 \(7 failing\)/);
  });

  it('the JSON report says which harnesses were seen, outermost first', async () => {
    const r = await runCli([fixturePath('harnesses/ctest-verbose.log'), '--reporter', 'json'], { env: NO_CI });
    const report = JSON.parse(r.stdout) as { harnesses: string[]; totals: { tests: number } };
    expect(report.harnesses).toEqual(['ctest', 'cmocka', 'gtest']);
    expect(report.totals.tests).toBe(14);
  });

  it('--harness NAME takes every runner of §3.6 and refuses others', async () => {
    for (const h of ['pytest', 'gtest', 'cmocka', 'ctest', 'unity', 'tap', 'records']) {
      const r = await runCli([fixturePath('harnesses/gtest.log'), '--harness', h, '--reporter', 'json'], { env: NO_CI });
      expect(r.code).toBe(1);
    }
    expect((await runCli([CMOCKA, '--harness', 'catch2'])).code).toBe(2);
  });
});
