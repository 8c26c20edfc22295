/**
 * What the percent hides (§4.1–§4.3), on hand-written records: blocks
 * carried into the next test, corruption, several heaps, and pools.
 */
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../helpers/analysis.js';
import { judge, policyFrom } from '../../src/judge/index.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderGithub } from '../../src/reporters/github.js';
import { TextReporter } from '../../src/reporters/text.js';

const M = '==MP ';

describe('carried blocks (§4.2)', () => {
  it('a block live when its test ends and freed by the next test is carried, with who freed it', () => {
    const r = analyzeLines([
      `${M}test;first`,
      `${M}init;0xda7a0000;4096`,
      `${M}alloc;24;0xda7a0064;src/cache.c:12`,
      `${M}alloc;8;0xda7a0080;src/tmp.c:3`,
      `${M}free;0xda7a0080;src/tmp.c:9`,
      `${M}persist;16;0xda7a0094;src/prefs.c:1`,
      `${M}test;second`,
      `${M}free;0xda7a0064;src/cache.c:40`,
      `${M}free;0xda7a0094;src/prefs.c:9`,
    ]);
    const [first, second] = r.tests;
    expect(first.carried).toEqual([{ address: 0xda7a0064, size: 24, site: 'src/cache.c:12', line: 3, freedBy: 'second', freeLine: 8 }]);
    expect(second.carried).toEqual([]);
    expect(first.leaks).toEqual([]);
    expect(r.totals.carried).toBe(1);
    // information by default, a failure when asked for
    expect(judge(r).verdict.exitCode).toBe(0);
    expect(judge(r, policyFrom(['carried'], false)).verdict.exitCode).toBe(1);
  });

  it('a block freed outside any test is carried with freedBy null', () => {
    const r = analyzeLines([`${M}test;t`, `${M}init;0xda7a0000;4096`, `${M}alloc;8;0xda7a0064;a.c:1`, `tests/x.py::test_y `, '=== 1 passed in 0.1s ===', `${M}free;0xda7a0064;a.c:2`]);
    expect(r.tests[0].carried.map((b) => b.freedBy)).toEqual([null]);
  });
});

describe('corruption (§4.3)', () => {
  it('corrupt records and the SDK allocator\'s own error lines are findings that fail by default', () => {
    const r = analyzeLines([
      `${M}test;t`,
      `${M}init;0xda7a0000;4096`,
      `${M}corrupt;0xda7a0080;guard-after;src/buf.c:7`,
      'seproxyhal: printf: invalid size: header->size  = 3!',
      `${M}corrupt@radio;0x20001000;poison;src/rx.c:2`,
    ]);
    expect(r.tests[0].corruption).toEqual([
      { address: 0xda7a0080, what: 'guard-after', site: 'src/buf.c:7', line: 3, heap: null },
      { address: null, what: 'header', site: null, line: 4, heap: null },
      { address: 0x20001000, what: 'poison', site: 'src/rx.c:2', line: 5, heap: 'radio' },
    ]);
    const report = judge(r);
    expect(report.verdict.exitCode).toBe(1);
    expect(renderJunit(report)).toContain('guard word after the block overwritten');
    expect(renderGithub(report)).toMatch(/::error file=src\/buf\.c,line=7,title=Heap corruption/);
  });
});

describe('several heaps (§4.1)', () => {
  it('each named heap has its own segments and peaks; the test reports both', () => {
    const r = analyzeLines([
      `${M}test;t`,
      `${M}init;0xda7a0000;4096`,
      `${M}init@dma;0x20000000;1024`,
      `${M}alloc;100;0xda7a0064;a.c:1`,
      `${M}alloc@dma;512;0x20000064;dma.c:1`,
      `${M}free@dma;0x20000064;dma.c:2`,
    ]);
    const t = r.tests[0];
    expect(t).toMatchObject({ heapSize: 4096, peakBytes: 100, segments: 2, allocations: 2, totalBytes: 612 });
    expect(t.heaps?.map((h) => [h.heap, h.heapSize, h.peakBytes])).toEqual([
      [null, 4096, 100],
      ['dma', 1024, 512],
    ]);
    expect(t.leaks).toEqual([{ address: 0xda7a0064, size: 100, site: 'a.c:1', line: 4 }]);
  });
});

describe('pools (§4.1)', () => {
  const lines = [
    `${M}test;tests/test_tx.py::test_batch`,
    `${M}init;0xda7a0000;8192`,
    `${M}persist;128;0xda7a0064;src/pool.c:10`,
    `${M}pool@app.tx;32;4`,
    `${M}alloc@app.tx;32;0xda7a0068;src/tx.c:5`,
    `${M}alloc@app.tx;32;0xda7a0088;src/tx.c:5`,
    `${M}ref@app.tx;0xda7a0088;2;src/ui.c:77`,
    `${M}alloc@app.tx;32;0xda7a00a8;src/tx.c:5`,
    `${M}free@app.tx;0xda7a0068;src/tx.c:9`,
    `${M}free@app.tx;0xda7a0068;src/tx.c:9`,
    `${M}test;tests/test_tx.py::test_more`,
    `${M}alloc@app.tx;32;0xda7a0068;src/tx.c:5`,
    `${M}alloc@app.tx;32;0xda7a00c8;src/tx.c:5`,
    `${M}overflow@app.tx;5;src/tx.c:5`,
    `${M}alloc@app.tx;32;0xda7a00e8;src/tx.c:5`,
    `${M}free@app.tx;0xda7a0068;src/tx.c:9`,
    `${M}free@app.tx;0xda7a00c8;src/tx.c:9`,
    `${M}free@app.tx;0xda7a00e8;src/tx.c:9`,
    `${M}free@app.tx;0xda7a00a8;src/tx.c:9`,
  ];

  it('pool leaks name the last ref@ site when the count was above 1; releasing a free block is a double free', () => {
    const r = analyzeLines(lines);
    const [batch, more] = r.tests;
    expect(batch.pools).toEqual([
      { pool: 'app.tx', blockSize: 32, blocks: 5, maxInUse: 3, overflows: 0, leaks: [{ address: 0xda7a0088, size: 32, site: 'src/ui.c:77', line: 6, heap: 'app.tx' }] },
    ]);
    expect(batch.freeErrors).toEqual([
      { kind: 'double-free', address: 0xda7a0068, site: 'src/tx.c:9', line: 10, allocSite: 'src/tx.c:5', firstFreeSite: 'src/tx.c:9', heap: 'app.tx' },
    ]);
    expect(more.pools).toEqual([{ pool: 'app.tx', blockSize: 32, blocks: 5, maxInUse: 5, overflows: 1, leaks: [] }]);
    expect(batch.leaks).toEqual([]); // the pool's own memory is persistent: never a heap leak
    expect(r.pools).toEqual([{ pool: 'app.tx', blockSize: 32, blocks: 5, maxInUse: 5, maxInUseTest: 'tests/test_tx.py::test_more', overflows: 1, grew: 0, parent: null }]);
    expect(r.totals).toMatchObject({ leaks: 1, poolLeaks: 1, doubleFrees: 1 });
  });

  it('reporters show pool leaks as failures, at the allocation site, and the sizing line', () => {
    const report = judge(analyzeLines(lines));
    expect(report.tests.map((t) => t.ok)).toEqual([false, true]);
    expect(renderJunit(report)).toMatch(/pool/);
    expect(renderGithub(report)).toMatch(/::error file=src\/ui\.c,line=77,title=Pool block leak/);
    const text = new TextReporter({ colors: false, quiet: false }).end(report);
    expect(text).toContain('pool app.tx: grew 1 time to 5 blocks: size it at 5');
  });

  it('a sub-pool takes its blocks from the super-pool and its blocks in use leak at drop@', () => {
    const r = analyzeLines([
      `${M}test;t`,
      `${M}pool@big;64;8`,
      `${M}pool@small;64;3;big`,
      `${M}alloc@small;64;0x1000;s.c:1`,
      `${M}drop@small;s.c:9`,
    ]);
    expect(r.tests[0].pools?.find((p) => p.pool === 'small')?.leaks.map((b) => b.site)).toEqual(['s.c:1']);
    expect(r.pools.find((p) => p.pool === 'big')?.maxInUse).toBe(3);
    const text = new TextReporter({ colors: false, quiet: false }).end(judge(r));
    expect(text).toContain('pool big: 8 blocks, at most 3 in use (t); 5 spare');
  });

  it('a pool declared again with fewer blocks within a test: each use keeps its own instance size', () => {
    const r = analyzeLines([`${M}test;t`, `${M}pool@X;16;8`, `${M}alloc@X;16;0x1000;s.c:1`, `${M}pool@X;16;4`, `${M}alloc@X;16;0x2000;s.c:2`]);
    expect(r.tests[0].pools?.map((p) => [p.pool, p.blocks])).toEqual([
      ['X', 8],
      ['X', 4],
    ]);
  });
});
