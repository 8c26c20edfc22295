/**
 * `valground replay` through the built binary: the per-allocator table, the
 * line where an SDK sample parts from its replay and why (checked against
 * an independent mem_* replay of every generated sample), the JSON document
 * against its schema, `--heap-size`, `--per-test`, and exit 2 on unreadable
 * input or a usage error.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppHeap } from '../../src/heap/app-heap.js';
import { ReplayDocSchema, type ReplayDoc } from '../../src/report/replay.js';
import { fixturePath, runCli } from '../helpers/cli.js';
import { firstDivergenceLines } from '../helpers/replay-oracle.js';

const mixed = fixturePath('generated/mixed.log');
const samples = readdirSync(fixturePath('generated')).filter((f) => f.endsWith('.log'));
const tmp = mkdtempSync(join(tmpdir(), 'valground-replay-'));

async function replayJson(args: string[]): Promise<ReplayDoc> {
  const r = await runCli(['replay', ...args, '--reporter', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return ReplayDocSchema.parse(JSON.parse(r.stdout));
}

describe('valground replay', () => {
  it('prints a row per allocator for mixed.log and names the line where the SDK replay parts, with its cause', async () => {
    const r = await runCli(['replay', mixed, '--allocator', 'sdk,best-fit,tlsf']);
    expect(r.code).toBe(0);
    const first = firstDivergenceLines(readFileSync(mixed, 'utf8'))[0];
    expect(first).toBe(23);
    expect(r.stdout).toMatch(/^allocator\s+peak bytes\s+peak %\s+headroom\s+fragmentation\s+failed\s+addresses$/m);
    expect(r.stdout).toMatch(/^sdk\s+[\d,]+\s+[\d.]+ %\s+[\d,]+\s+0\.\d\d\s+0\s+part from the log in 16 of 21 segments$/m);
    expect(r.stdout).toMatch(/^best-fit\s+[\d,]+/m);
    expect(r.stdout).toMatch(/^tlsf\s+[\d,]+/m);
    expect(r.stdout).toContain(`sdk: the replay parts from the log at line ${first}:`);
    expect(r.stdout).toMatch(/Likely cause: the block allocated at line 20 \(648 bytes at 0xda7a03b4, src\/apdu\/dispatcher\.c:414\) was reallocated in place/);
    expect(r.stdout).toMatch(/line 933: double free \(first freed at line 932\)/);
  });

  it.each(samples)('%s: runs, and where the sample parts from its sdk replay, says where (as mem_* does) and why', async (name) => {
    const file = fixturePath(`generated/${name}`);
    const doc = await replayJson([file, '--allocator', 'sdk']);
    const check = doc.heaps[0].allocators[0].addresses!;
    const expected = firstDivergenceLines(readFileSync(file, 'utf8'));
    expect(check.divergences.map((d) => d.line)).toEqual(expected);
    expect(check.identical).toBe(expected.length === 0);
    for (const d of check.divergences) expect(d.cause.text.length).toBeGreaterThan(20);
    // These samples hold unlogged in-place reallocs: the first divergence names one.
    if (expected.length > 0) expect(check.divergences[0].cause.kind).toMatch(/in-place-realloc/);
  });

  it('says the sdk replay is identical on a session the app heap wrote with resize records', async () => {
    const lines: string[] = [];
    const heap = new AppHeap(4096, { log: (l) => lines.push(l), testRecords: true, resizeRecords: true });
    heap.test('tests/test_a.py::test_one');
    const a = heap.APP_MEM_ALLOC(300, 'src/a.c:1')!;
    const b = heap.APP_MEM_ALLOC(40, 'src/b.c:2')!;
    heap.APP_MEM_REALLOC(a, 20, 'src/a.c:3'); // in place
    heap.APP_MEM_ALLOC(100, 'src/c.c:4');
    heap.APP_MEM_REALLOC(b, 900, 'src/b.c:5'); // moves
    heap.test('tests/test_a.py::test_two');
    heap.reset();
    heap.APP_MEM_ALLOC(64, 'src/d.c:6');
    const file = join(tmp, 'resize.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await runCli(['replay', file, '--allocator', 'sdk,best-fit,tlsf', '--per-test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sdk\s.*identical to the log$/m);
    expect(r.stdout).not.toContain('parts from the log');
    expect(r.stdout).toMatch(/^Per test \(default heap\):/m);
    expect(r.stdout).toMatch(/^tests\/test_a\.py::test_one\s+sdk\s+[\d,]+/m);
    expect(r.stdout).toMatch(/^\s+tlsf\s+[\d,]+/m);
  });

  it('writes the documented JSON document, to a file when asked', async () => {
    const out = join(tmp, 'out', 'replay.json');
    const r = await runCli(['replay', mixed, '--allocator', 'sdk,bump', '--reporter', `json:${out}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const doc = ReplayDocSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(doc).toMatchObject({ schema: 'valground-replay/1', input: mixed, allocators: ['sdk', 'bump'], heapSize: null, corruptRecords: 1 });
    const [sdk, bump] = doc.heaps[0].allocators;
    expect(sdk.addresses).toMatchObject({ identical: false, compared: 21, divergent: 16 });
    expect(sdk.addresses!.divergences[0]).toMatchObject({
      line: 23,
      loggedAddress: '0xda7a059c',
      cause: { kind: 'in-place-realloc', block: { line: 20, site: 'src/apdu/dispatcher.c:414', size: 648, address: '0xda7a03b4' } },
    });
    expect(bump.addresses).toBeUndefined();
    expect(sdk.tests.length).toBe(20);
    expect(doc.freeErrors.map((e) => e.kind)).toEqual(['double-free', 'invalid-free']);
  });

  it('--heap-size replays every segment on that heap; too small a heap makes allocations fail', async () => {
    const doc = await replayJson([mixed, '--allocator', 'sdk,first-fit', '--heap-size', '2048']);
    expect(doc.heapSize).toBe(2048);
    expect(doc.heaps[0].heapSizes).toEqual([2048]);
    for (const a of doc.heaps[0].allocators) {
      expect(a.failures).toBeGreaterThan(0);
      expect(a.failed[0]).toMatchObject({ line: expect.any(Number), site: expect.any(String) });
    }
    expect(doc.heaps[0].allocators[0].addresses).toMatchObject({ compared: 0, reason: '--heap-size is not the logged size' });
  });

  it('reads standard input', async () => {
    const r = await runCli(['replay', '-', '--allocator', 'tlsf'], { input: readFileSync(mixed) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^valground replay standard input: /);
    expect(r.stdout).toMatch(/^tlsf\s+[\d,]+/m);
  });

  it('exits 2 on an unreadable log or a usage error, writing nothing', async () => {
    const out = join(tmp, 'never.json');
    for (const args of [
      ['replay', join(tmp, 'no-such.log'), '--reporter', `json:${out}`],
      ['replay', tmp],
      ['replay', mixed, '--allocator', 'sdk,malloc'],
      ['replay', mixed, '--heap-size', 'lots'],
      ['replay', mixed, '--reporter', 'junit'],
      ['replay', mixed, '--reporter', 'text', '--reporter', 'json'],
      ['replay', mixed, '--reporter', `json:${mixed}`],
      ['replay'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/valground:|error/);
    }
    expect(() => readFileSync(out)).toThrow();
  });
});
