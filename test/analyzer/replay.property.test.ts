/**
 * `valground replay` against programs whose truth is known: random programs
 * run through the profiling app heap (allocs, frees, reallocs that move and
 * that stay in place, test boundaries, heap resets). With `resize` records
 * the sdk replay gives back every logged address and the app heap's own
 * peak and failures; with a record removed it parts where the program,
 * re-run with that block never freed, first hands out another address;
 * without `resize` records, a block it names as shrunk in place was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AllocatorReplay } from '../../src/analyzer/replay-facts.js';
import { replayLogOfText } from '../../src/analyzer/replay-read.js';
import { replayLog } from '../../src/analyzer/replay.js';
import { STRATEGIES } from '../../src/heap/create.js';
import { heapSize, runProgram, step } from '../helpers/heap-program.js';

function replaySdk(lines: readonly string[]): AllocatorReplay {
  const r = replayLog(replayLogOfText(lines.join('\n')), { allocators: ['sdk'] });
  expect(r.heaps).toHaveLength(1);
  return r.heaps[0].allocators[0];
}

const program = fc.array(step, { maxLength: 250, size: 'max' });

describe('sdk replay of logs the app heap writes with resize records', () => {
  it('gives back every logged address, and the app heap’s peak and failures per test', () => {
    fc.assert(
      fc.property(heapSize, program, (size, steps) => {
        const run = runProgram(size, steps, { resizeRecords: true });
        const sdk = replaySdk(run.lines);
        const check = sdk.addresses!;
        expect(check.divergences).toEqual([]);
        expect(check.divergent).toBe(0);
        expect(check.notCompared).toBe(0);
        expect(sdk.errors).toEqual([]);
        const replayed = new Map(sdk.tests.map((t) => [t.test, t]));
        // every test that touched the heap, and nothing else
        expect([...replayed.keys()].sort()).toEqual([...run.stats.keys()].sort());
        for (const [name, stats] of run.stats) {
          expect({ test: name, peak: replayed.get(name)!.peakBytes, failures: replayed.get(name)!.failures }).toEqual({
            test: name,
            peak: stats.peakBytes,
            failures: stats.failures,
          });
        }
        expect(sdk.failures).toBe(run.failures);
        expect(sdk.peakBytes).toBe(Math.max(0, ...[...run.stats.values()].map((s) => s.peakBytes)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('a log with one free record removed', () => {
  it('parts at the first allocation whose address the program, re-run with that block never freed, changes', () => {
    // No request that fails: a logged failure is a probe, not an allocation, so the states stay comparable.
    const noFailures = fc.array(
      step.filter((s) => s.kind !== 'alloc' || (s.n >= 1 && s.n <= 400)),
      { maxLength: 250, size: 'max' },
    );
    const seen = { parted: 0, identical: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 512, max: 1024 }).map((n) => n * 8), noFailures, fc.nat(), (size, steps, pick) => {
        const run = runProgram(size, steps, { resizeRecords: true });
        const frees = run.freeLines.flatMap((line, i) => (line === undefined ? [] : [i]));
        fc.pre(frees.length > 0);
        const leakStep = frees[pick % frees.length];
        const removed = run.freeLines[leakStep];
        const lines = run.lines.filter((_, i) => i !== removed - 1);
        const rerun = runProgram(size, steps, { resizeRecords: true, leakStep });
        // Independently: the first alloc or realloc step after the removed free whose result differs.
        let expected: number | null = null;
        for (let s = leakStep + 1; s < steps.length && expected === null; s++) {
          const before = run.results[s];
          if (before === undefined || before === rerun.results[s]) continue;
          fc.pre(before !== null); // the original failed where the re-run did not: not comparable
          const line = run.addressLines[s];
          expected = line > removed ? line - 1 : line;
        }
        const check = replaySdk(lines).addresses!;
        const first = check.divergences[0]?.line ?? null;
        expect(first).toBe(expected);
        if (expected !== null) expect(check.divergences[0].cause.kind).not.toBe('in-place-realloc');
        seen[expected === null ? 'identical' : 'parted']++;
      }),
      { numRuns: 300 },
    );
    // Both outcomes were exercised (a removed free whose block is never reused changes nothing).
    expect(seen.parted).toBeGreaterThan(30);
    expect(seen.identical).toBeGreaterThan(0);
  });
});

describe('sdk replay of logs without resize records', () => {
  it('names as shrunk in place only blocks the program shrank in place, and is identical when none was', () => {
    let named = 0;
    fc.assert(
      fc.property(heapSize, program, (size, steps) => {
        const run = runProgram(size, steps, { resizeRecords: false });
        const check = replaySdk(run.lines).addresses!;
        if (run.shrinks.length === 0) expect(check.divergent).toBe(0);
        for (const d of check.divergences) {
          const cause = d.cause;
          if (cause.kind === 'in-place-realloc') {
            expect(run.shrinks.some((s) => s.blockLine === cause.block.line && s.atLine <= d.line)).toBe(true);
            named++;
          }
          if (cause.kind === 'earlier-in-place-realloc') expect(cause.block.line).toBeLessThan(d.line);
          expect(cause.kind).not.toBe('missing-free'); // nothing is missing from these logs
        }
      }),
      { numRuns: 400 },
    );
    expect(named).toBeGreaterThan(20);
  });
});

describe('every strategy', () => {
  it('replays random programs without an error, its bytes adding up with its own statistics', () => {
    fc.assert(
      fc.property(heapSize, program, fc.boolean(), (size, steps, resizeRecords) => {
        const run = runProgram(size, steps, { resizeRecords });
        const r = replayLog(replayLogOfText(run.lines.join('\n')));
        for (const a of r.heaps[0].allocators) {
          expect({ allocator: a.allocator, errors: a.errors }).toEqual({ allocator: a.allocator, errors: [] });
          expect(a.peakBytes).toBeLessThanOrEqual(size);
          for (const t of a.tests) {
            expect(t.headroom).toBeGreaterThanOrEqual(0);
            expect(t.fragmentation).toBeGreaterThanOrEqual(0);
            expect(t.fragmentation).toBeLessThan(1);
          }
        }
        expect(r.heaps[0].allocators.map((a) => a.allocator)).toEqual([...STRATEGIES]);
      }),
      { numRuns: 150 },
    );
  });
});
