/**
 * An independent, plain account of where an SDK log parts from the SDK
 * allocator: the default heap's records, in order, straight through
 * `mem_*` (a map from logged to replayed addresses; a free directly
 * followed by an alloc from the same site is `mem_realloc`), noting each
 * segment's first allocation whose address is not the logged one. No test
 * boundaries, no lanes, no named heaps: for the generated samples.
 */
import { type MemCtx, mem_alloc, mem_free, mem_init, mem_realloc } from '../../src/heap/allocator.js';
import { parseRecord } from '../../src/protocol/records.js';

export function firstDivergenceLines(text: string): number[] {
  const out: number[] = [];
  let ctx: MemCtx | null = null;
  let map = new Map<number, number>();
  let parted = false;
  let pending: { logged: number; site: string } | null = null;
  const flush = () => {
    if (pending !== null && ctx !== null) mem_free(ctx, map.get(pending.logged)!);
    if (pending !== null) map.delete(pending.logged);
    pending = null;
  };
  text.split('\n').forEach((line, i) => {
    const at = line.indexOf('==MP ');
    if (at < 0) return;
    const parsed = parseRecord(line.slice(at + 5).trimEnd());
    if (!parsed.ok || ('heap' in parsed.record && parsed.record.heap !== undefined)) return;
    const r = parsed.record;
    if (r.kind === 'init') {
      flush();
      ctx = mem_init(new Uint8Array(r.size), { base: r.address });
      map = new Map();
      parted = false;
    } else if ((r.kind === 'alloc' || r.kind === 'persist') && r.address !== 0 && ctx !== null) {
      const realloc: { logged: number; site: string } | null = pending !== null && r.kind === 'alloc' && pending.site === r.site ? pending : null;
      if (realloc === null) flush();
      pending = null;
      const p = realloc !== null ? mem_realloc(ctx, map.get(realloc.logged)!, r.size) : mem_alloc(ctx, r.size);
      if (realloc !== null) map.delete(realloc.logged);
      if (p !== r.address && !parted) {
        parted = true;
        out.push(i + 1);
      }
      if (p !== null) map.set(r.address, p);
    } else if (r.kind === 'free' && ctx !== null) {
      flush();
      if (map.has(r.address)) pending = { logged: r.address, site: r.site };
    } else {
      flush();
    }
  });
  return out;
}
