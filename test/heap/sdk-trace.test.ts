/**
 * Byte-faithfulness against the SDK itself: replays operation sequences whose
 * answers were recorded from the SDK's C allocator (see the header of
 * data/sdk-trace.txt) and expects the same offsets, NULLs, statistics and
 * EXCEPTION_CORRUPT throws — including after double frees, frees of
 * addresses where no block starts, and bytes overwritten past a block's end.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HeapCorruptionError, type MemCtx, mem_alloc, mem_free, mem_init, mem_realloc, mem_stat } from '../../src/heap/index.js';

interface Sequence {
  name: string;
  steps: { op: string; expected: string; line: number }[];
}

function load(): Sequence[] {
  const text = readFileSync(new URL('./data/sdk-trace.txt', import.meta.url), 'utf8');
  const sequences: Sequence[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.startsWith('# sequence')) sequences.push({ name: raw.slice(2), steps: [] });
    else if (raw !== '' && !raw.startsWith('#')) {
      const [op, expected] = raw.split(' => ');
      sequences.at(-1)!.steps.push({ op, expected, line: i + 1 });
    }
  });
  return sequences;
}

function apply(ctx: MemCtx | null, op: string): { ctx: MemCtx | null; answer: string } {
  const [kind, a, b] = op.split(' ');
  const x = Number(a);
  const y = Number(b);
  if (kind === 'i') {
    const fresh = mem_init(new Uint8Array(x), { base: 0 });
    return { ctx: fresh, answer: fresh === null ? '0' : '1' };
  }
  if (ctx === null) throw new Error('no heap');
  try {
    switch (kind) {
      case 'a':
        return { ctx, answer: String(mem_alloc(ctx, x) ?? 0) };
      case 'r':
        return { ctx, answer: String(mem_realloc(ctx, x < 0 ? null : x, y) ?? 0) };
      case 'f':
        mem_free(ctx, x);
        return { ctx, answer: 'ok' };
      case 'w':
        ctx.region[x] = y;
        return { ctx, answer: 'ok' };
      case 's': {
        const s = mem_stat(ctx);
        return { ctx, answer: `${s.total_size} ${s.free_size} ${s.allocated_size} ${s.nb_chunks} ${s.nb_allocated}` };
      }
    }
  } catch (e) {
    if (e instanceof HeapCorruptionError) return { ctx, answer: 'X' };
    throw e;
  }
  throw new Error(`unknown op ${op}`);
}

describe('replaying the SDK allocator trace', () => {
  const sequences = load();
  it('has sequences that exercise corruption', () => {
    expect(sequences.length).toBeGreaterThanOrEqual(30);
    expect(sequences.some((s) => s.steps.some((st) => st.expected === 'X'))).toBe(true);
  });
  it.each(sequences.map((s) => [s.name, s] as const))('%s', (_name, seq) => {
    let ctx: MemCtx | null = null;
    for (const step of seq.steps) {
      const r = apply(ctx, step.op);
      ctx = r.ctx;
      if (r.answer !== step.expected) {
        throw new Error(`line ${step.line}: ${step.op} answered ${r.answer}, the SDK ${step.expected}`);
      }
    }
  });
});
