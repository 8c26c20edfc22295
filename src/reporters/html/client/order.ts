/**
 * Sorting and filtering of the test table, on arrays of test positions:
 * never on rows of the page, so 200,000 tests sort in a blink.
 */
import type { Rows } from './unpack.js';

export type SortKey = 'status' | 'index' | 'name' | 'outcome' | 'peak' | 'heap' | 'pct' | 'allocs' | 'leaks' | 'frees' | 'headroom';

/** Keys whose first click sorts ascending (labels, and headroom: the smallest is the worst); measures sort descending first. */
export const ASCENDING_FIRST: ReadonlySet<string> = new Set(['status', 'index', 'name', 'outcome', 'headroom']);

function numeric(rows: Rows, key: SortKey): ArrayLike<number> | null {
  switch (key) {
    case 'status': return rows.status;
    case 'index': return rows.index;
    case 'peak': return rows.peak;
    case 'heap': return rows.heap;
    case 'pct': return rows.percent;
    case 'allocs': return rows.allocations;
    case 'leaks': return rows.leaks;
    case 'frees': return rows.frees;
    case 'headroom': return rows.headroom;
    default: return null;
  }
}

/** All positions, ordered by `key` (dir 1 ascending, -1 descending); unknown values last either way, ties in log order. */
export function sortOrder(rows: Rows, key: SortKey, dir: 1 | -1): Int32Array {
  const order = new Int32Array(rows.n);
  for (let k = 0; k < rows.n; k++) order[k] = k;
  const values = numeric(rows, key);
  if (values) {
    return order.sort((a, b) => {
      const x = values[a];
      const y = values[b];
      const nx = Number.isNaN(x);
      const ny = Number.isNaN(y);
      if (nx || ny) return nx && ny ? a - b : nx ? 1 : -1;
      return (x - y) * dir || a - b;
    });
  }
  // Code-unit order of lower-cased text: a locale collator is ten times slower at this size.
  const text = key === 'name' ? rows.search : rows.outcome;
  return order.sort((a, b) => {
    const x = text[a];
    const y = text[b];
    if (x === y) return a - b;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -dir : dir) || a - b;
  });
}

/** The positions of `order` whose name contains `query` (lower case) and, with `failingOnly`, that fail. */
export function filterOrder(rows: Rows, order: Int32Array, query: string, failingOnly: boolean): Int32Array {
  if (!query && !failingOnly) return order;
  const out = new Int32Array(order.length);
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    const pos = order[k];
    if (failingOnly && rows.ok[pos] === 1) continue;
    if (query && rows.search[pos].indexOf(query) < 0) continue;
    out[n++] = pos;
  }
  return out.subarray(0, n);
}
