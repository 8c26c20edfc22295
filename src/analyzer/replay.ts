/**
 * `valground replay` (SPEC §6.8): each heap's operations, read from a log
 * (replay-log.ts), replayed through an allocator of the toolkit on a heap of
 * the logged size — or `--heap-size`. Per test and over the run: the most
 * bytes the allocator spent at once (chunk sizes, as its `stats()` counts
 * them), the smallest headroom at the peaks, fragmentation at the peak, and
 * the allocations it would have refused. For `sdk`, whether every replayed
 * address is the logged one, else where and why each segment parts.
 *
 * Speed (§7: at least 5 M records/s per allocator): the loop reads typed
 * arrays only; block addresses are kept per block id (no map); the bytes
 * spent are kept as a running sum (payload size + the strategy's header,
 * read from the block); the layout is read lazily — a new peak only marks
 * the moment, and headroom and fragmentation are computed (one walk) just
 * before the heap next goes down, at a test change or at a new segment.
 * The loop's hot variables are locals that no closure captures.
 */
import { DEFAULT_HEAP_BASE } from '../heap/allocator.js';
import { createAllocator, STRATEGIES, type StrategyName } from '../heap/create.js';
import type { Allocator } from '../heap/interface.js';
import { divergenceCause, type DivergenceScene } from './replay-divergence.js';
import { MAX_LISTED, type AddressCheck, type AllocatorReplay, type HeapReplay, type ReplayResult, type TestReplay } from './replay-facts.js';
import { HEADROOM, type HeadroomRule } from './replay-headroom.js';
import type { ReplayLog, ReplayStream } from './replay-log.js';
import { OP_ALLOC, OP_FREE, OP_INIT, OP_PROBE, OP_SHRINK, type OpList } from './replay-ops.js';

export interface ReplayOptions {
  /** Default: every strategy. */
  allocators?: readonly StrategyName[];
  /** Replay every segment on a heap of this many bytes (segments before any `init` need it). Default: the logged sizes. */
  heapSize?: number | null;
}

export function replayLog(log: ReplayLog, options: ReplayOptions = {}): ReplayResult {
  const strategies = options.allocators ?? STRATEGIES;
  const heapSize = options.heapSize ?? null;
  const heaps: HeapReplay[] = log.streams.map((stream) => ({
    lane: stream.lane,
    heap: stream.heap,
    records: stream.records,
    operations: stream.ops.length,
    segments: stream.segments,
    heapSizes: heapSize !== null ? [heapSize] : stream.heapSizes,
    unsized: heapSize === null ? opsBeforeInit(stream.ops) : 0,
    ignoredResizes: stream.ignoredResizes,
    allocators: strategies.map((s) => replayStream(log, stream, s, heapSize)),
  }));
  return {
    records: log.records,
    heaps,
    freeErrors: log.freeErrors.map((e) => ({ ...e, test: log.tests[e.test] })),
    pools: log.pools,
    corruptRecords: log.corruptRecords,
    heapSize,
  };
}

function opsBeforeInit(ops: OpList): number {
  let i = 0;
  while (i < ops.length && ops.kind[i] !== OP_INIT) i++;
  return i;
}

/** One heap of the log through one allocator. */
export function replayStream(log: ReplayLog, stream: ReplayStream, strategy: StrategyName, heapSize: number | null): AllocatorReplay {
  const out: AllocatorReplay = {
    allocator: strategy,
    peakBytes: 0,
    peakTest: null,
    headroom: null,
    headroomTest: null,
    fragmentation: 0,
    failures: 0,
    failed: [],
    servedLoggedFailures: 0,
    tests: [],
    errors: [],
  };
  const check: AddressCheck | undefined =
    strategy === 'sdk' ? { compared: 0, notCompared: 0, reason: null, divergent: 0, divergences: [] } : undefined;
  if (check !== undefined) out.addresses = check;

  const ops = stream.ops;
  const n = ops.length;
  const kind = ops.kind;
  const size = ops.size;
  const block = ops.block;
  const test = ops.test;
  const logged = ops.address;
  const nTests = log.tests.length;
  const peak = new Float64Array(nTests).fill(-1);
  const head = new Float64Array(nTests).fill(Infinity);
  const frag = new Float64Array(nTests);
  const fails = new Uint32Array(nTests);
  /** Replayed payload address per block id; 0: not live (freed, or refused). */
  const addr = new Float64Array(stream.blocks);
  const opOf = new Int32Array(stream.blocks);
  const rule = HEADROOM[strategy];
  const ov = overheadOf(strategy);
  const heaps = new SegmentHeaps(strategy, out.errors);

  let a: Allocator | null = heapSize === null ? null : heaps.open(heapSize, null);
  if (check !== undefined && a !== null && n > 0 && kind[0] !== OP_INIT) notCompared(check, 'no init record before the first operations (heap start unknown)');
  let allocated = 0;
  let cur = -1;
  let pending = false;
  let comparing = false;
  let diverged = false;
  let loggedBase = 0;
  /** The segment as a divergence's cause is looked for in (sdk, compared segments). */
  let scene: DivergenceScene | null = null;
  let i = 0;
  try {
    for (; i < n; i++) {
      const k = kind[i];
      if (k === OP_INIT) {
        if (pending) pending = settle(a!, rule, cur, head, frag);
        const used = heapSize ?? size[i];
        a = heaps.open(used, logged[i]);
        allocated = 0;
        diverged = false;
        loggedBase = logged[i];
        comparing = check !== undefined && a !== null && used === size[i];
        if (comparing) {
          scene = { allocator: a!, overhead: ov, ops, sites: log.sites, addresses: addr, opOf, first: block[i], end: stream.blocks, firstOp: i + 1, op: i, loggedBase };
        }
        if (check !== undefined) {
          if (comparing) check.compared++;
          else notCompared(check, a === null ? 'the allocator refused the heap size' : '--heap-size is not the logged size');
        }
        continue;
      }
      if (a === null) continue;
      const t = test[i];
      if (t !== cur) {
        if (pending) pending = settle(a, rule, cur, head, frag);
        cur = t;
        // Bytes live when a test starts count for it.
        if (allocated > peak[t]) {
          peak[t] = allocated;
          pending = true;
        }
      }
      if (k === OP_ALLOC) {
        const p = a.allocate(size[i]);
        if (p === null) {
          fails[cur]++;
          noteFailure(out, log, ops, i);
          if (comparing && !diverged) diverged = diverge(check!, log, scene!, i, -1, null);
          continue;
        }
        if (comparing && !diverged && p - a.base !== logged[i] - loggedBase) diverged = diverge(check!, log, scene!, i, -1, p);
        const b = block[i];
        addr[b] = p;
        opOf[b] = i;
        allocated += (a.usableSize(p) as number) + ov;
        if (allocated > peak[cur]) {
          peak[cur] = allocated;
          pending = true;
        }
      } else if (k === OP_FREE) {
        const b = block[i];
        const p = addr[b];
        if (p === 0) continue; // refused by this replay: nothing to give back
        if (pending) pending = settle(a, rule, cur, head, frag);
        allocated -= (a.usableSize(p) as number) + ov;
        a.free(p);
        addr[b] = 0;
      } else if (k === OP_PROBE) {
        const s = size[i];
        if (s < 1 || s > rule(a, a.stats())) {
          fails[cur]++;
          noteFailure(out, log, ops, i);
        } else {
          out.servedLoggedFailures++;
        }
      } else {
        // OP_GROW, OP_SHRINK: a realloc, as the app asked for it (the SDK stays in place when it can).
        const b = block[i];
        const p = addr[b];
        if (k === OP_SHRINK && pending) pending = settle(a, rule, cur, head, frag);
        const before = p === 0 ? -ov : (a.usableSize(p) as number);
        // A block this replay refused earlier: the app, which had it, asks for it again here.
        const q = p === 0 ? a.allocate(size[i]) : a.reallocate(p, size[i]);
        if (q === null) {
          fails[cur]++; // the old block, if any, stays as it was
          noteFailure(out, log, ops, i);
          if (comparing && !diverged) diverged = diverge(check!, log, scene!, i, b, null);
          continue;
        }
        addr[b] = q;
        opOf[b] = i;
        allocated += (a.usableSize(q) as number) - before;
        if (allocated > peak[cur]) {
          peak[cur] = allocated;
          pending = true;
        }
        if (comparing && !diverged && q - a.base !== logged[i] - loggedBase) diverged = diverge(check!, log, scene!, i, b, q);
      }
    }
    if (pending) settle(a!, rule, cur, head, frag);
  } catch (err) {
    out.errors.push(`replay stopped at log line ${ops.line[i]}: ${err instanceof Error ? err.message : String(err)}`);
  }
  summarize(out, log, peak, head, frag, fails);
  return out;
}

/** The pending peak's headroom and fragmentation, from the state as it still is. Returns the new `pending` (false). */
function settle(a: Allocator, rule: HeadroomRule, t: number, head: Float64Array, frag: Float64Array): false {
  const s = a.stats();
  const h = rule(a, s);
  if (h < head[t]) head[t] = h;
  // Each settled peak is the test's highest yet: its fragmentation is the one at the peak.
  frag[t] = s.fragmentation;
  return false;
}

function noteFailure(out: AllocatorReplay, log: ReplayLog, ops: OpList, i: number): void {
  out.failures++;
  if (out.failed.length < MAX_LISTED) {
    out.failed.push({ line: ops.line[i], size: ops.size[i], site: log.sites[ops.site[i]], test: log.tests[ops.test[i]] });
  }
}

function notCompared(check: AddressCheck, reason: string): void {
  check.notCompared++;
  check.reason ??= reason;
}

/**
 * Notes the segment's first divergence, at operation `i` (`self`: the
 * block being reallocated, no suspect; `replayed`: null when refused).
 * Returns true: the segment has parted.
 */
function diverge(check: AddressCheck, log: ReplayLog, scene: DivergenceScene, i: number, self: number, replayed: number | null): true {
  check.divergent++;
  if (check.divergences.length >= MAX_LISTED) return true;
  scene.op = i;
  const { ops, addresses, allocator: a, loggedBase } = scene;
  const own = self >= 0 ? addresses[self] : 0;
  if (self >= 0) addresses[self] = 0;
  const cause = divergenceCause(scene, a.base + (ops.address[i] - loggedBase));
  if (self >= 0) addresses[self] = own;
  check.divergences.push({
    line: ops.line[i],
    site: log.sites[ops.site[i]],
    size: ops.size[i],
    loggedAddress: ops.address[i],
    replayedAddress: replayed === null ? null : loggedBase + (replayed - a.base),
    test: log.tests[ops.test[i]],
    cause,
  });
  return true;
}

/** Per-test rows (tests that used the heap, in log order) and the run's figures. */
function summarize(out: AllocatorReplay, log: ReplayLog, peak: Float64Array, head: Float64Array, frag: Float64Array, fails: Uint32Array): void {
  let peakAt = -1;
  let headAt = -1;
  for (let t = 0; t < peak.length; t++) {
    if (peak[t] < 0) continue;
    const row: TestReplay = { test: log.tests[t], peakBytes: peak[t], headroom: head[t], fragmentation: frag[t], failures: fails[t] };
    out.tests.push(row);
    if (peakAt < 0 || peak[t] > peak[peakAt]) peakAt = t;
    if (headAt < 0 || head[t] < head[headAt]) headAt = t;
  }
  if (peakAt < 0) return;
  out.peakBytes = peak[peakAt];
  out.peakTest = log.tests[peakAt];
  out.fragmentation = frag[peakAt];
  out.headroom = head[headAt];
  out.headroomTest = log.tests[headAt];
}

/**
 * The heaps of one replay, one per segment: an allocator per size and
 * start, reset for the next segment of the same shape. A size the strategy
 * refuses leaves the segment unreplayed, said once in `errors`.
 */
class SegmentHeaps {
  private readonly cache = new Map<string, Allocator>();
  private readonly refused = new Set<number>();

  constructor(
    private readonly strategy: StrategyName,
    private readonly errors: string[],
  ) {}

  /** The heap for a segment of `size` bytes logged at `loggedBase` (null: unknown). */
  open(size: number, loggedBase: number | null): Allocator | null {
    // The logged start when the strategies can take it (a 64-bit host address cannot): addresses then read as the log's.
    const base = loggedBase !== null && Number.isSafeInteger(loggedBase) && loggedBase >= 0 && loggedBase % 8 === 0 && loggedBase + size <= 2 ** 32 ? loggedBase : DEFAULT_HEAP_BASE;
    const key = `${size}:${base}`;
    const known = this.cache.get(key);
    if (known !== undefined && known.reset !== undefined) {
      known.reset();
      return known;
    }
    try {
      const a = createAllocator(this.strategy, size, { base });
      if (this.cache.size >= 8) this.cache.clear();
      this.cache.set(key, a);
      return a;
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      if (!this.refused.has(size)) {
        this.refused.add(size);
        this.errors.push(`a ${size}-byte heap is refused (${err.message}): its segments are not replayed`);
      }
      return null;
    }
  }
}

const overheads = new Map<StrategyName, number>();

/** Bytes a block spends beyond its usable payload (its header): measured once per strategy. */
export function overheadOf(strategy: StrategyName): number {
  let ov = overheads.get(strategy);
  if (ov === undefined) {
    const a = createAllocator(strategy, 4096);
    const p = a.allocate(16) as number;
    ov = a.stats().allocated_size - (a.usableSize(p) as number);
    overheads.set(strategy, ov);
  }
  return ov;
}
