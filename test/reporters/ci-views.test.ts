/**
 * What people and CI see (SPEC §5.4): one annotation per kind and site with
 * counts and tests, errors first; the job summary in Markdown; the text
 * report's census; log text that cannot rewrite a terminal or an annotation.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../src/analyzer/analyze.js';
import { judge, policyFrom } from '../../src/judge/index.js';
import { renderGithub, renderStepSummary } from '../../src/reporters/github.js';
import { TextReporter } from '../../src/reporters/text.js';
import { fixturePath, runCli } from '../helpers/cli.js';

const M = '==MP ';

/** Three tests leaking at one site, one of them twice, and a reclaimed block. */
function run() {
  const lines = ['==MP init;0xda7a0000;4096'];
  let addr = 0xda7a0064;
  const leak = () => `${M}alloc;40;0x${(addr += 48).toString(16)};src/tlv.c:482`;
  lines.push(`${M}test;t1`, `${M}init;0xda7a0000;4096`, leak(), leak());
  lines.push(`${M}test;t2`, `${M}init;0xda7a0000;4096`, leak());
  lines.push(`${M}test;t3`, `${M}init;0xda7a0000;4096`, `${M}alloc;8;0xda7a0064;src/r.c:1`, `${M}init;0xda7a0000;4096`, `${M}alloc;16;0xda7a0074;src/other.c:7`);
  return judge(analyzeLines(lines));
}

describe('github annotations (§5.4)', () => {
  it('one annotation per kind and site, counted, naming the tests; errors before warnings', () => {
    const lines = renderGithub(run()).trim().split('\n');
    const leaks = lines.filter((l) => l.includes('title=Memory leak'));
    expect(leaks).toHaveLength(2);
    expect(leaks[0]).toMatch(/^::error file=src\/tlv\.c,line=482,title=Memory leak ×3 \(120 bytes\)::3 leaks \(120 bytes\) allocated here, never freed, in 2 tests: t1, t2/);
    expect(leaks[1]).toMatch(/^::error file=src\/other\.c,line=7,title=Memory leak \(16 bytes\)::1 leak \(16 bytes\)/);
    const levels = lines.map((l) => l.slice(2, l.indexOf(' ')));
    const firstWarning = levels.indexOf('warning');
    expect(firstWarning).toBeGreaterThan(0);
    expect(levels.slice(firstWarning).every((l) => l === 'warning' || l.startsWith('error'))).toBe(true);
    expect(levels.slice(0, firstWarning).every((l) => l === 'error')).toBe(true);
    expect(lines.some((l) => l.startsWith('::warning file=src/r.c,line=1,title=Reclaimed by heap reset'))).toBe(true);
  });

  it('appends the per-test table, leaks by site and the census top 10 to $GITHUB_STEP_SUMMARY', async () => {
    const md = renderStepSummary(run());
    expect(md).toMatch(/^## valground: ❌/);
    expect(md).toContain('| ❌ | t1 |');
    expect(md).toContain('### Leaks by allocation site');
    expect(md).toContain('| `src/tlv.c:482` | 3 | 120 |');
    expect(md).toContain('### Allocation census (top 10)');
    const dir = mkdtempSync(join(tmpdir(), 'vg-summary-'));
    const summary = join(dir, 'summary.md');
    const r = await runCli([fixturePath('generated/mixed.log'), '--reporter', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error /m);
    const written = readFileSync(summary, 'utf8');
    expect(written).toContain('### Allocation census (top 10)');
    expect(written.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| site') && !l.startsWith('| |')).length).toBeGreaterThan(20);
  });
});

describe('log text cannot rewrite what people read', () => {
  const hostile = 'evil\b\b\b\bgood.c:1';
  const report = judge(analyzeLines([`${M}test;t\x1b]0;pwned\x07`, `${M}init;0xda7a0000;4096`, `${M}alloc;8;0xda7a0064;${hostile}`]));

  it('the text report shows control characters as escapes', () => {
    const text = new TextReporter({ colors: false, quiet: false });
    const out = report.tests.map((t) => text.test(t)).join('') + text.end(report);
    expect(out).toContain('evil\\x08\\x08\\x08\\x08good.c:1');
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('annotations too', () => {
    const out = renderGithub(report);
    expect(out).toContain('evil\\x08\\x08\\x08\\x08good.c');
    expect(out).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
  });
});

describe('text --census', () => {
  it('prints the census top 20, most allocations first', async () => {
    const r = await runCli([fixturePath('heap/demo-session.log'), '--census']);
    const at = r.stdout.indexOf('Allocation census');
    expect(at).toBeGreaterThan(0);
    const block = r.stdout.slice(at).split('\n\n')[0];
    const rows = block
      .split('\n')
      .slice(2)
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(rows.length).toBeGreaterThan(3);
    expect(rows).toEqual([...rows].sort((a, b) => b - a));
  });
});

describe('text: findings under a test', () => {
  it('lists 50, then counts the rest; a limit named in the phrase is neither listed nor counted', () => {
    const lines = [`${M}test;t1`, `${M}init;0xda7a0000;8192`];
    for (let i = 0; i < 52; i++) lines.push(`${M}alloc;100;0x${(0xda7a0100 + i * 112).toString(16)};src/many.c:${i + 1}`);
    const report = judge(analyzeLines(lines), policyFrom(['usage:10'], false));
    const text = new TextReporter({ colors: false, quiet: false });
    const out = report.tests.map((t) => text.test(t)).join('');
    expect(out).toContain('heap 63.5% full (limit 10%)');
    expect(out.match(/^ {6}leak /gm)).toHaveLength(50);
    expect(out).toContain('… 2 more (see --reporter json)');
  });
});
