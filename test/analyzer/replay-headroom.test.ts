/**
 * The replay's headroom rules (replay-headroom.ts) are exact: after random
 * traffic, a request of the headroom succeeds and one byte more fails, on
 * every strategy (tried on twins of the heap, built by the same traffic, so
 * the heap measured is never touched).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADROOM } from '../../src/analyzer/replay-headroom.js';
import { createAllocator, STRATEGIES, type StrategyName } from '../../src/heap/create.js';
import type { Allocator } from '../../src/heap/interface.js';

type Op = { alloc: number } | { free: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 1, max: 700 }).map((alloc) => ({ alloc })),
  fc.nat().map((free) => ({ free })),
);

function build(strategy: StrategyName, size: number, ops: readonly Op[]): Allocator {
  const a = createAllocator(strategy, size);
  const live: number[] = [];
  for (const o of ops) {
    if ('alloc' in o) {
      const p = a.allocate(o.alloc);
      if (p !== null) live.push(p);
    } else if (live.length > 0) {
      a.free(live.splice(o.free % live.length, 1)[0]);
    }
  }
  return a;
}

describe('headroom', () => {
  for (const strategy of STRATEGIES) {
    it(`${strategy}: the largest request that still succeeds`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 64, max: 2048 }).map((n) => n * 8), fc.array(op, { maxLength: 120, size: 'max' }), (size, ops) => {
          const a = build(strategy, size, ops);
          const h = HEADROOM[strategy](a, a.stats());
          if (h > 0) expect(build(strategy, size, ops).allocate(h)).not.toBeNull();
          expect(build(strategy, size, ops).allocate(h + 1)).toBeNull();
        }),
        { numRuns: 150 },
      );
    });
  }
});
