/**
 * Reads a sample's `NAME.facts.md` (fixtures/harnesses): the table of what a
 * correct analysis reports per test, and the totals under it. `null` stands
 * for the table's `—` (none, or ambiguous: see the file's notes).
 */
import { readFileSync } from 'node:fs';

export interface ExpectedBlock {
  size: number;
  site: string;
  address: number | null;
}

export interface ExpectedFreeError {
  kind: 'double-free' | 'invalid-free';
  site: string;
  address: number | null;
  firstFreeSite?: string;
  allocSite?: string;
}

export interface ExpectedTest {
  position: number;
  /** As printed by the runner; for `pytest -q` (no names printed) the node id, for reference only. */
  printed: string;
  outcome: string;
  heap: number | null;
  peak: number | null;
  allocations: number;
  leaks: ExpectedBlock[];
  freeErrors: ExpectedFreeError[];
  persistent: number;
  reclaimed: number;
}

export interface ExpectedTotals {
  tests: number;
  leaks: number;
  leakedBytes: number;
  doubleFrees: number;
  invalidFrees: number;
  persistent: number;
  reclaimed: number;
  peakBytes: number;
  exitCode: number;
}

export interface FactsTable {
  /** The runner printed no names (`pytest -q`): tests are known by position only. */
  byPosition: boolean;
  tests: ExpectedTest[];
  totals: ExpectedTotals;
}

const NONE = '—';
const BLOCK = /^(\d+) B @ `([^`]+)`(?: \((0x[0-9a-f]+)\))?$/;
const DOUBLE = /^double free @ `([^`]+)`(?: \((0x[0-9a-f]+)\))?; first freed @ `([^`]+)`, allocated @ `([^`]+)`$/;
const INVALID = /^invalid free @ `([^`]+)`(?: \((0x[0-9a-f]+)\))?$/;

function number(cell: string): number | null {
  if (cell === NONE) return null;
  if (!/^\d+$/.test(cell)) throw new Error(`not a number: ${cell}`);
  return Number(cell);
}

function list(cell: string): string[] {
  return cell === NONE ? [] : cell.split('<br>').map((s) => s.trim());
}

function block(text: string): ExpectedBlock {
  const m = BLOCK.exec(text);
  if (m === null) throw new Error(`unreadable leak: ${text}`);
  return { size: Number(m[1]), site: m[2], address: m[3] === undefined ? null : Number(m[3]) };
}

function freeError(text: string): ExpectedFreeError {
  const d = DOUBLE.exec(text);
  if (d !== null) return { kind: 'double-free', site: d[1], address: d[2] === undefined ? null : Number(d[2]), firstFreeSite: d[3], allocSite: d[4] };
  const i = INVALID.exec(text);
  if (i !== null) return { kind: 'invalid-free', site: i[1], address: i[2] === undefined ? null : Number(i[2]) };
  throw new Error(`unreadable free error: ${text}`);
}

function total(text: string, label: string, pattern: RegExp): RegExpExecArray {
  const line = text.split('\n').find((l) => l.startsWith(`- ${label}:`));
  const m = line === undefined ? null : pattern.exec(line.slice(label.length + 4));
  if (m === null) throw new Error(`no total "${label}"`);
  return m;
}

export function readFactsTable(path: string): FactsTable {
  const text = readFileSync(path, 'utf8');
  const rows = text.split('\n').filter((l) => /^\| \d+ \|/.test(l));
  const header = text.split('\n').find((l) => l.startsWith('| # |')) ?? '';
  const tests = rows.map((row): ExpectedTest => {
    const c = row.split(' | ').map((s) => s.replace(/^\| ?| ?\|$/g, '').trim());
    if (c.length !== 10) throw new Error(`row with ${c.length} cells: ${row}`);
    return {
      position: Number(c[0]),
      printed: c[1],
      outcome: c[2],
      heap: number(c[3]),
      peak: number(c[4]),
      allocations: number(c[5])!,
      leaks: list(c[6]).map(block),
      freeErrors: list(c[7]).map(freeError),
      persistent: number(c[8])!,
      reclaimed: number(c[9])!,
    };
  });
  // `2 ctest tests (…), running 7 + 7 inner tests`: the innermost named tests count
  const testsLine = total(text, 'tests', /^(.*)$/)[1];
  const inner = /running ([\d +]+) inner tests/.exec(testsLine);
  const count = inner !== null ? inner[1].split('+').reduce((n, x) => n + Number(x), 0) : Number(/^(\d+)/.exec(testsLine)![1]);
  const leaks = total(text, 'leaks', /^(\d+) blocks?, (\d+) bytes/);
  const n = (label: string) => Number(total(text, label, /^(\d+)/)[1]);
  return {
    byPosition: header.includes('not printed'),
    tests,
    totals: {
      tests: count,
      leaks: Number(leaks[1]),
      leakedBytes: Number(leaks[2]),
      doubleFrees: n('double frees'),
      invalidFrees: n('invalid frees'),
      persistent: n('persistent blocks'),
      reclaimed: n('reclaimed blocks (in-test heap reset)'),
      peakBytes: n('peak live bytes (any segment)'),
      exitCode: n('expected analyzer exit status'),
    },
  };
}
