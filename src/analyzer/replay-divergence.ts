/**
 * Why an `sdk` replay parts from its log (SPEC §6.8). Up to that record the
 * replayed heap and the logged one were the same, so the blocks the replay
 * holds live sit where the device's did. The SDK does not log a realloc
 * done in place, so a block shrunk that way looks, to the replay, as large
 * as before: when a later allocation lands in its freed tail, the logged
 * address falls inside a block the replay still holds — that block is
 * named. A logged address equal to a live block's own means a `free` is
 * missing.
 *
 * Else the block may have been shrunk in place and freed since: the tail the
 * SDK splits off in place is not merged with a free chunk after it, so the
 * device's heap keeps a chunk boundary (at the old block's end, or inside
 * it) that the replay's merged heap lacks, and a later allocation starts
 * there. The latest block of the segment whose logged chunk held or ended
 * at the logged chunk start is then named as the probable cause (on random
 * programs with unlogged in-place reallocs it is a block that was shrunk
 * there in 94 % of cases: 3,704 of 3,946). Failing that: records may be missing.
 */
import type { Allocator } from '../heap/interface.js';
import { sdkChunkSize } from './layout.js';
import type { CauseBlock, DivergenceCause } from './replay-facts.js';
import { OP_ALLOC, OP_GROW, OP_SHRINK, type OpList } from './replay-ops.js';

export interface DivergenceScene {
  allocator: Allocator;
  /** Bytes from a chunk's start to its payload, which is also its header's share of the chunk. */
  overhead: number;
  ops: OpList;
  sites: readonly string[];
  /** Replayed payload address per block id (0: not live). */
  addresses: Float64Array;
  /** Per block id, the operation that gave the block its chunk. */
  opOf: Int32Array;
  /** Block ids of the segment: [first, end). */
  first: number;
  end: number;
  /** Operations of the segment before the divergence: [firstOp, op). */
  firstOp: number;
  op: number;
  /** The logged heap start, and the replay's. */
  loggedBase: number;
}

/** The cause for an allocation logged at payload `at` (in the replay's address space). */
export function divergenceCause(scene: DivergenceScene, at: number): DivergenceCause {
  const { allocator: a, overhead, addresses } = scene;
  const chunk = at - overhead;
  for (let b = scene.first; b < scene.end; b++) {
    const p = addresses[b];
    if (p === 0) continue;
    const start = p - overhead;
    const usable = a.usableSize(p);
    if (usable === null) continue;
    const end = start + usable + overhead;
    // Live chunks never overlap: at most one block holds the logged chunk.
    if (chunk === start) return { kind: 'missing-free', block: blockAt(scene, b) };
    if (chunk > start && chunk < end) return { kind: 'in-place-realloc', block: blockAt(scene, b) };
  }
  return earlierShrink(scene, chunk - a.base + scene.loggedBase);
}

/** The latest chunk of the segment, as logged, that held or ended at `chunk` (a logged address). */
function earlierShrink(scene: DivergenceScene, chunk: number): DivergenceCause {
  const { ops, overhead } = scene;
  for (let j = scene.op - 1; j >= scene.firstOp; j--) {
    const k = ops.kind[j];
    if (k !== OP_ALLOC && k !== OP_GROW && k !== OP_SHRINK) continue;
    const start = ops.address[j] - overhead;
    if (start < chunk && chunk <= start + sdkChunkSize(ops.size[j])) {
      return { kind: 'earlier-in-place-realloc', block: { line: ops.line[j], site: scene.sites[ops.site[j]], size: ops.size[j], address: ops.address[j] } };
    }
  }
  return { kind: 'unknown' };
}

/** The block as the log shows it (replayed and logged addresses agreed when it got its chunk). */
function blockAt(scene: DivergenceScene, b: number): CauseBlock {
  const op = scene.opOf[b];
  const ops = scene.ops;
  return { line: ops.line[op], site: scene.sites[ops.site[op]], size: ops.size[op], address: ops.address[op] };
}
