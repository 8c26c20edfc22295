/** The block table against a Map: the same slots for the same addresses, in first-come order, across resets and growth. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockTable } from '../../src/analyzer/block-table.js';

const address = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((i) => 0xda7a0064 + 8 * i),
  fc.nat({ max: 0xffffffff }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 2 ** 53 - 1),
);
const value = fc.oneof(fc.nat({ max: 5000 }), fc.constantFrom(0x7fffffff, 0x80000000, 2 ** 40, Number.MAX_SAFE_INTEGER));
const op = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(address, value, value).map(([a, size, line]) => ({ a, size, line })) },
  { weight: 1, arbitrary: fc.constant('reset' as const) },
);

describe('block table', () => {
  it('finds, inserts and keeps values as a Map would', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000, size: 'large' }), (ops) => {
        const table = new BlockTable();
        let model = new Map<number, { slot: number; size: number; line: number }>();
        for (const o of ops) {
          if (o === 'reset') {
            table.reset();
            model = new Map();
            continue;
          }
          const r = { address: o.a };
          let s = table.find(r);
          const m = model.get(o.a);
          expect(s).toBe(m === undefined ? -1 : m.slot);
          if (s < 0) s = table.insert(r);
          table.setSize(s, o.size);
          table.setLine(s, o.line);
          model.set(o.a, { slot: s, size: o.size, line: o.line });
        }
        expect(table.count).toBe(model.size);
        [...model.entries()].forEach(([a, m], i) => {
          expect(m.slot).toBe(i); // first-come order, as a Map's keys
          expect(table.address[i]).toBe(a);
          expect(table.size(i)).toBe(m.size);
          expect(table.line(i)).toBe(m.line);
          expect(table.find({ address: a })).toBe(i);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives back a table grown large, and empties a small one in place', () => {
    const table = new BlockTable();
    for (let i = 0; i < 100_000; i++) table.insert({ address: i * 8 }), table.find({ address: i * 8 + 1 });
    expect(table.address.length).toBeGreaterThanOrEqual(100_000);
    table.reset();
    expect(table.address.length).toBeLessThan(1000);
    expect(table.find({ address: 8 })).toBe(-1);
    const small = table.address;
    table.insert({ address: 5 });
    table.reset();
    expect(table.address).toBe(small);
    expect(table.find({ address: 5 })).toBe(-1);
  });
});
