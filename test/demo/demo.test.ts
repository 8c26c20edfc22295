/**
 * The demo: a deterministic pytest-like session whose records carry the
 * intended bugs, read by the analyzer as intended; and `npm start` arguments.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { translateArgs } from '../../src/demo/args.js';
import { DEMO_TESTS, runSession, type SessionOptions } from '../../src/demo/session.js';
import { MARKER, type MemRecord, parseRecord } from '../../src/protocol/records.js';

async function sessionText(options: SessionOptions = {}): Promise<string> {
  let text = '';
  await runSession((chunk) => {
    text += chunk;
  }, options);
  return text;
}

function records(text: string): MemRecord[] {
  return text
    .split('\n')
    .filter((l) => l.includes(MARKER))
    .map((l) => {
      const r = parseRecord(l.slice(l.indexOf(MARKER) + MARKER.length));
      if (!r.ok) throw new Error(r.message);
      return r.record;
    });
}

async function analyze(text: string): Promise<{ code: number; report: any }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stdin.end(text);
  const code = await main(['-', '--reporter', 'json'], { stdin, stdout, stderr: new PassThrough(), env: {} });
  return { code, report: JSON.parse(out) };
}

describe('demo session', () => {
  it('prints like pytest -v -s, deterministically', async () => {
    const text = await sessionText();
    expect(await sessionText()).toBe(text);
    const lines = text.split('\n');
    expect(lines[0]).toBe('============================= test session starts ==============================');
    expect(lines).toContain('collecting ... collected 8 items');
    // The first record of a test is on its node id's line.
    expect(lines).toContain('tests/test_wallet.py::test_app_version[nanox] seproxyhal: printf: ==MP init;0xda7a0000;8192');
    expect(lines.filter((l) => l === 'PASSED')).toHaveLength(DEMO_TESTS.length);
    expect(lines.at(-2)).toMatch(/^=+ 8 passed in \d+\.\d\ds =+$/);
    expect(lines.at(-2)).toHaveLength(80);
  });

  it('prints like pytest -s with result characters in plain style', async () => {
    const text = await sessionText({ style: 'plain' });
    expect(text).toContain('\ntests/test_wallet.py seproxyhal: printf: ==MP init;');
    expect(text.match(/\n\.seproxyhal: printf: ==MP init;/g)).toHaveLength(DEMO_TESTS.length - 1);
  });

  it('carries call sites of the demo app, from the stack', async () => {
    const sites = records(await sessionText()).flatMap((r) => ('site' in r ? [r.site] : []));
    expect(sites.length).toBeGreaterThan(100);
    for (const site of sites) expect(site).toMatch(/^src\/demo\/wallet\.ts:\d+$/);
  });

  it('is read by the analyzer with the leaks, the double free, the permanent buffer, the reset, the near-full heap and the pool', async () => {
    const { code, report } = await analyze(await sessionText());
    expect(code).toBe(1);
    // one heap leak (the memo) and one pool block never released (the rejected review)
    expect(report.totals).toMatchObject({ tests: 8, leaks: 2, poolLeaks: 1, leakedBytes: 29 + 16, doubleFrees: 1, invalidFrees: 0, reclaimed: 3 });
    expect(report.totals.peakPercent).toBeGreaterThan(85);
    // the pool: 8 blocks at boot, grown by force for the 58-output transaction
    expect(report.pools).toEqual([
      { pool: 'app.outputs', blockSize: 16, blocks: 72, maxInUse: 58, maxInUseTest: 'tests/test_wallet.py::test_sign_tx_many_outputs[nanox]', overflows: 4, grew: 4, parent: null },
    ]);
    const byName = (suffix: string) => report.tests.find((t: { name: string }) => t.name.endsWith(`::${suffix}[nanox]`));
    expect(byName('test_sign_tx_with_memo').leaks).toHaveLength(1);
    expect(byName('test_sign_tx_reject').freeErrors[0].kind).toBe('double-free');
    expect(byName('test_sign_tx_reject').pools[0].leaks).toHaveLength(1);
    expect(byName('test_sign_tx_many_outputs').pools[0]).toMatchObject({ overflows: 4, maxInUse: 58 });
    expect(byName('test_settings').persistent.filter((b: { heap?: string }) => b.heap === undefined)).toHaveLength(1);
    expect(byName('test_sign_tx_malformed').reclaimed).toHaveLength(3);
    expect(byName('test_sign_tx').ok).toBe(true);
  });
});

describe('npm start arguments', () => {
  it('turns --html PATH into an html reporter and passes the rest on', () => {
    expect(translateArgs(['--html', 'report.html', '-q'])).toEqual({
      cliArgs: ['-q', '--reporter', 'html:report.html', '--reporter', 'text'],
      printSession: false,
      plain: false,
      html: ['report.html'],
    });
    expect(translateArgs(['--html=out/r.html', '--compat', '--reporter', 'json']).cliArgs).toEqual(['--compat', '--reporter', 'json', '--reporter', 'html:out/r.html']);
    expect(translateArgs(['--plain', '--print-session'])).toEqual({ cliArgs: [], printSession: true, plain: true, html: [] });
  });
});

describe('npm start', () => {
  it('shows the pool sizing line and the pool leak', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stdin.end(await sessionText());
    await main(['-'], { stdin, stdout, stderr: new PassThrough(), env: {} });
    expect(out).toContain('pool app.outputs: grew 4 times to 72 blocks: size it at 72');
    expect(out).toMatch(/pool leak 16-byte block of pool app\.outputs at 0x[0-9a-f]+ taken at src\/demo\/wallet\.ts:\d+/);
  });
});
