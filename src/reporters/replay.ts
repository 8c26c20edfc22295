/**
 * `valground replay`'s output (SPEC §6.8), formatting only: the text table
 * (one row per allocator, over the run; per test with `--per-test`) and the
 * JSON document of src/report/replay.ts. Both say the same things in the
 * same words (a divergence's cause is one sentence, in both).
 */
import type { Divergence, DivergenceCause, HeapReplay, ReplayResult, TestReplay } from '../analyzer/replay-facts.js';
import { formatAddress } from '../protocol/records.js';
import { REPLAY_SCHEMA } from '../report/names.js';
import type { CauseDoc, ReplayDoc } from '../report/replay.js';
import { OUTSIDE_ANY_TEST, plural, printable } from './present.js';

export interface ReplayTextOptions {
  /** The log's name as given. */
  input: string;
  /** A table per test after the run's. */
  perTest?: boolean;
}

/** Divergences listed in the text report beyond the first (JSON lists them all). */
const MORE_DIVERGENCES = 10;
const MORE_FAILURES = 5;

export function causeText(c: DivergenceCause): string {
  switch (c.kind) {
    case 'in-place-realloc':
      return (
        `the block allocated at line ${c.block.line} (${c.block.size} bytes at ${formatAddress(c.block.address)}, ${printable(c.block.site)}) ` +
        'was reallocated in place, which the SDK does not log: the logged address lies inside it'
      );
    case 'earlier-in-place-realloc':
      return (
        `the block allocated at line ${c.block.line} (${c.block.size} bytes at ${formatAddress(c.block.address)}, ${printable(c.block.site)}), ` +
        'probably reallocated in place before it was freed (the SDK does not log that): the tail split off in place stays apart from the free chunk after it, ' +
        'so the logged chunk starts inside or at the end of that block, where the replay merged'
      );
    case 'missing-free':
      return `the log allocates that address again while the block allocated there at line ${c.block.line} (${printable(c.block.site)}) is live: its free is missing`;
    case 'unknown':
      return 'no block the replay holds explains it: records may be missing (or a block reallocated in place earlier was freed since; or the log is not from the SDK allocator)';
  }
}

function causeDoc(c: DivergenceCause): CauseDoc {
  const text = causeText(c);
  return c.kind === 'unknown' ? { kind: c.kind, text } : { kind: c.kind, block: { ...c.block, address: formatAddress(c.block.address) }, text };
}

// ── JSON ────────────────────────────────────────────────────────────────

export function replayDoc(r: ReplayResult, input: string): ReplayDoc {
  return {
    schema: REPLAY_SCHEMA,
    input,
    records: r.records,
    allocators: r.heaps[0]?.allocators.map((a) => a.allocator) ?? [],
    heapSize: r.heapSize,
    heaps: r.heaps.map((h) => ({
      lane: h.lane === '' ? null : h.lane,
      heap: h.heap,
      records: h.records,
      operations: h.operations,
      segments: h.segments,
      heapSizes: h.heapSizes,
      unsized: h.unsized,
      ignoredResizes: h.ignoredResizes,
      allocators: h.allocators.map(({ addresses, ...a }) => ({
        ...a,
        ...(addresses === undefined
          ? {}
          : {
              addresses: {
                ...addresses,
                identical: identical(addresses),
                divergences: addresses.divergences.map((d) => ({
                  ...d,
                  loggedAddress: formatAddress(d.loggedAddress),
                  replayedAddress: d.replayedAddress === null ? null : formatAddress(d.replayedAddress),
                  cause: causeDoc(d.cause),
                })),
              },
            }),
      })),
    })),
    freeErrors: r.freeErrors.map((e) => ({ ...e, address: formatAddress(e.address), lane: e.lane === '' ? null : e.lane })),
    pools: r.pools.map((p) => ({ ...p, lane: p.lane === '' ? null : p.lane })),
    corruptRecords: r.corruptRecords,
  };
}

export function renderReplayJson(r: ReplayResult, input: string): string {
  return JSON.stringify(replayDoc(r, input), null, 2) + '\n';
}

function identical(a: { compared: number; notCompared: number; divergent: number }): boolean {
  return a.compared > 0 && a.notCompared === 0 && a.divergent === 0;
}

// ── text ────────────────────────────────────────────────────────────────

/** `in TEST`, or `outside any test`. */
function inTest(name: string | null): string {
  return name === null ? 'outside any test' : `in ${printable(name)}`;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function fixed2(x: number): string {
  return x.toFixed(2);
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function heapTitle(h: HeapReplay): string {
  const name = h.heap === null ? 'default heap' : `heap ${h.heap}`;
  return h.lane === '' ? name : `${name}, lane ${h.lane}`;
}

function heapSummary(h: HeapReplay): string {
  const sizes = h.heapSizes.length === 0 ? 'no heap size' : `${h.heapSizes.map(n).join(', ')} bytes`;
  return `${heapTitle(h)}: ${n(h.records)} heap records, ${plural(h.segments, 'segment')} (${sizes})`;
}

/** The `addresses` cell of the sdk row. */
function addressCell(h: HeapReplay, a: HeapReplay['allocators'][number]): string {
  const c = a.addresses;
  if (c === undefined) return '';
  if (identical(c)) return 'identical to the log';
  if (c.divergent > 0) return `part from the log in ${c.divergent} of ${plural(c.compared, 'segment')}`;
  if (c.compared === 0) return `not compared (${c.reason ?? 'nothing replayed'})`;
  return `identical where compared (${c.notCompared} of ${h.segments + (h.unsized > 0 ? 1 : 0)} not: ${c.reason})`;
}

function divergenceLines(d: Divergence): string[] {
  const where = d.replayedAddress === null ? 'the replay refused it' : `replayed at ${formatAddress(d.replayedAddress)}`;
  return [
    `  line ${d.line}: ${d.size}-byte allocation at ${printable(d.site)} ${inTest(d.test)}, logged at ${formatAddress(d.loggedAddress)}, ${where}.`,
    `  Likely cause: ${causeText(d.cause)}.`,
  ];
}

function shortCause(c: DivergenceCause): string {
  switch (c.kind) {
    case 'in-place-realloc':
      return `in-place realloc of the block from line ${c.block.line}`;
    case 'earlier-in-place-realloc':
      return `probably an in-place realloc of the block from line ${c.block.line}`;
    case 'missing-free':
      return `missing free of the block from line ${c.block.line}`;
    case 'unknown':
      return 'cause unknown';
  }
}

function perTestLines(h: HeapReplay): string[] {
  const byTest = new Map<string | null, Array<[string, TestReplay]>>();
  for (const a of h.allocators) {
    for (const t of a.tests) {
      const list = byTest.get(t.test) ?? [];
      list.push([a.allocator, t]);
      byTest.set(t.test, list);
    }
  }
  const rows: string[][] = [['test', 'allocator', 'peak bytes', 'headroom', 'fragmentation', 'failed']];
  for (const [test, list] of byTest) {
    list.forEach(([allocator, t], i) => {
      rows.push([i === 0 ? (test === null ? OUTSIDE_ANY_TEST : printable(test)) : '', allocator, n(t.peakBytes), n(t.headroom), fixed2(t.fragmentation), n(t.failures)]);
    });
  }
  return table(rows, new Set([2, 3, 4, 5]));
}

function heapLines(h: HeapReplay, perTest: boolean): string[] {
  const out: string[] = ['', heapSummary(h), ''];
  const oneSize = h.heapSizes.length === 1 ? h.heapSizes[0] : null;
  const rows: string[][] = [['allocator', 'peak bytes', 'peak %', 'headroom', 'fragmentation', 'failed', 'addresses']];
  for (const a of h.allocators) {
    rows.push([
      a.allocator,
      n(a.peakBytes),
      oneSize === null || oneSize <= 0 ? '' : `${((a.peakBytes / oneSize) * 100).toFixed(1)} %`,
      a.headroom === null ? '' : n(a.headroom),
      fixed2(a.fragmentation),
      n(a.failures),
      addressCell(h, a),
    ]);
  }
  out.push(...table(rows, new Set([1, 2, 3, 4, 5])));
  for (const a of h.allocators) {
    const c = a.addresses;
    if (c !== undefined && c.divergences.length > 0) {
      out.push('', `${a.allocator}: the replay parts from the log at line ${c.divergences[0].line}:`, ...divergenceLines(c.divergences[0]));
      const rest = c.divergences.slice(1);
      if (rest.length > 0) {
        const listed = rest.slice(0, MORE_DIVERGENCES).map((d) => `line ${d.line} (${shortCause(d.cause)})`);
        const more = c.divergent - 1 - listed.length;
        out.push(`  Later segments part too: ${listed.join(', ')}${more > 0 ? `, and ${more} more` : ''}.`);
      }
      out.push('  Logs written with resize records (AppHeap resizeRecords: true) replay exactly.');
    }
    if (a.failed.length > 0) {
      const listed = a.failed.slice(0, MORE_FAILURES).map((f) => `line ${f.line} (${f.size} bytes, ${printable(f.site)})`);
      const more = a.failures - listed.length;
      out.push('', `${a.allocator}: ${plural(a.failures, 'allocation')} would have failed: ${listed.join(', ')}${more > 0 ? `, and ${more} more` : ''}.`);
    }
    for (const e of a.errors) out.push('', `${a.allocator}: ${e}.`);
  }
  if (h.unsized > 0) out.push('', `${plural(h.unsized, 'operation')} before any init record not replayed: the heap size is unknown (give --heap-size N).`);
  if (h.ignoredResizes > 0) out.push('', `${plural(h.ignoredResizes, 'resize record')} of blocks not live ignored.`);
  if (perTest) out.push('', `Per test (${heapTitle(h)}):`, ...perTestLines(h));
  return out;
}

export function renderReplayText(r: ReplayResult, options: ReplayTextOptions): string {
  const out: string[] = [`valground replay ${printable(options.input)}: ${n(r.records)} records read`];
  if (r.heapSize !== null) out.push(`every segment replayed on a heap of ${n(r.heapSize)} bytes (--heap-size)`);
  if (r.heaps.length === 0) out.push('', 'No heap operation to replay (no alloc, free or init record).');
  for (const h of r.heaps) out.push(...heapLines(h, options.perTest === true));
  if (r.freeErrors.length > 0) {
    out.push('', `Double and invalid frees in the log, not replayed (${r.freeErrors.length}):`);
    for (const e of r.freeErrors.slice(0, 20)) {
      const what = e.kind === 'double-free' ? `double free (first freed at line ${e.firstFreeLine})` : 'invalid free (never allocated)';
      const heap = e.heap === null ? '' : ` on heap ${e.heap}`;
      out.push(`  line ${e.line}: ${what} of ${formatAddress(e.address)}${heap} at ${printable(e.site)}, ${inTest(e.test)}`);
    }
    if (r.freeErrors.length > 20) out.push(`  … and ${r.freeErrors.length - 20} more`);
  }
  if (r.pools.length > 0) {
    out.push('', `Pools are not replayed: ${r.pools.map((p) => `${printable(p.name)} (${plural(p.records, 'record')})`).join(', ')}.`);
  }
  if (r.corruptRecords > 0) out.push('', `${plural(r.corruptRecords, 'corrupt record')} in the log: a replay does not reproduce corruption.`);
  return out.join('\n') + '\n';
}
