/**
 * Allocator throughput on the SPEC §7 loop: xorshift32 seeded 12345 picks one
 * of 256 slots; a full slot is freed, an empty one gets 1..200 bytes (a NULL
 * leaves it empty). Over a 32856-byte heap, without profiling (the raw
 * `mem_*` calls, what the SDK's C build is compared on) and through the app
 * heap with profiling to a function sink (explicit sites: no stack capture).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MAX_HEAP_SIZE, type MemCtx, mem_alloc, mem_free, mem_init } from '../heap/allocator.js';
import { AppHeap } from '../heap/app-heap.js';
import { createAllocator, STRATEGIES, type StrategyName } from '../heap/create.js';
import type { Allocator } from '../heap/interface.js';
import { profile } from '../heap/profile.js';
import { track } from '../heap/track.js';

export interface AllocatorBenchResult {
  /** Operations per second with plain `mem_alloc` / `mem_free`. */
  plainOpsPerSec: number;
  /** Operations per second with `APP_MEM_*` printing records to a function sink. */
  profiledOpsPerSec: number;
  /** The same with no site given: each call reads its caller from the stack. */
  stackSiteOpsPerSec: number;
  /** Operations timed per configuration (warm-up excluded). */
  ops: number;
}

export interface AllocatorBenchOptions {
  /** Wall time spent timing each configuration, after warm-up. Default 2000 ms. */
  durationMs?: number;
  /** Warm-up time per configuration. Default 300 ms. */
  warmupMs?: number;
}

const SLOTS = 256;
const BATCH = 1 << 16;

interface LoopState {
  x: number;
  slots: Uint32Array; // 0 = empty (no block address is 0: payloads start at base + 100)
}

function newState(): LoopState {
  return { x: 12345, slots: new Uint32Array(SLOTS) };
}

/** `n` steps of the loop on raw `mem_*`; the PRNG state and slots carry over between calls. */
function plainSteps(ctx: MemCtx, st: LoopState, n: number): void {
  const slots = st.slots;
  let x = st.x;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const slot = x & (SLOTS - 1);
    const p = slots[slot];
    if (p !== 0) {
      mem_free(ctx, p);
      slots[slot] = 0;
    } else {
      slots[slot] = mem_alloc(ctx, 1 + ((x >>> 8) % 200)) ?? 0;
    }
  }
  st.x = x;
}

// Synthetic call sites, given explicitly as a C app's __FILE__:__LINE__ would be.
const SITES = { alloc: 'bench/loop.c:12', free: 'bench/loop.c:15' };

/**
 * The same loop through the profiling app heap (written out again: a callback
 * per step would cost more than the allocator). Without sites, each call
 * reads its caller from the stack.
 */
function profiledSteps(heap: AppHeap, st: LoopState, n: number, sites: { alloc?: string; free?: string } = SITES): void {
  const { alloc: allocSite, free: freeSite } = sites;
  const slots = st.slots;
  let x = st.x;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const slot = x & (SLOTS - 1);
    const p = slots[slot];
    if (p !== 0) {
      heap.APP_MEM_FREE(p, freeSite);
      slots[slot] = 0;
    } else {
      slots[slot] = heap.APP_MEM_ALLOC(1 + ((x >>> 8) % 200), allocSite) ?? 0;
    }
  }
  st.x = x;
}

/** Runs `step` in batches: warm-up, then timed for `durationMs`; ops/s and ops. */
function timeLoop(step: (n: number) => void, durationMs: number, warmupMs: number, batch = BATCH): { opsPerSec: number; ops: number } {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) step(batch);
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    step(batch);
    ops += batch;
    now = performance.now();
  }
  return { opsPerSec: Math.round((ops * 1000) / (now - start)), ops };
}

export async function benchAllocator(options: AllocatorBenchOptions = {}): Promise<AllocatorBenchResult> {
  const durationMs = options.durationMs ?? 2000;
  const warmupMs = options.warmupMs ?? 300;

  const ctx = mem_init(new Uint8Array(MAX_HEAP_SIZE));
  if (ctx === null) throw new Error('mem_init refused the benchmark heap');
  const plainState = newState();
  const plain = timeLoop((n) => plainSteps(ctx, plainState, n), durationMs, warmupMs);

  // Let pending I/O run between the two phases: the caller may be printing.
  await new Promise((resolve) => setImmediate(resolve));

  let bytes = 0;
  const sink = (line: string): void => {
    bytes += line.length; // consume the line so the work cannot be optimised away
  };
  const heap = new AppHeap(MAX_HEAP_SIZE, { log: sink, profiling: true });
  const profiledState = newState();
  const profiled = timeLoop((n) => profiledSteps(heap, profiledState, n), durationMs, warmupMs);
  if (bytes === 0) throw new Error('profiling sink received nothing');

  // The convenience path: no site given, so each call reads its caller from the stack.
  const stackHeap = new AppHeap(MAX_HEAP_SIZE, { log: sink, profiling: true });
  const stackState = newState();
  const stackSites = timeLoop((n) => profiledSteps(stackHeap, stackState, n, {}), durationMs / 4, warmupMs / 4, 1024);

  return {
    plainOpsPerSec: plain.opsPerSec,
    profiledOpsPerSec: profiled.opsPerSec,
    stackSiteOpsPerSec: stackSites.opsPerSec,
    ops: Math.min(plain.ops, profiled.ops),
  };
}

// ---------------------------------------------------------------------------
// The same loop through the Allocator interface: every strategy, and the decorators over `sdk`.

export interface StrategyBenchResult {
  /** What was measured: a strategy name, or a decorator stack. */
  name: string;
  opsPerSec: number;
}

type InterfaceSteps = (a: Allocator, st: LoopState, n: number) => void;

const INTERFACE_LOOP = `
  const slots = st.slots;
  let x = st.x;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const slot = x & 255;
    const p = slots[slot];
    if (p !== 0) {
      a.free(p, 'bench/loop.c:15');
      slots[slot] = 0;
    } else {
      slots[slot] = a.allocate(1 + ((x >>> 8) % 200), 'bench/loop.c:12') ?? 0;
    }
  }
  st.x = x;
`;

/**
 * A fresh copy of the loop for each allocator measured: each copy gets inline
 * caches of its own (monomorphic, as a C build's direct calls), so one
 * allocator's figure does not depend on which others ran before it.
 */
function interfaceSteps(): InterfaceSteps {
  return new Function('a', 'st', 'n', INTERFACE_LOOP) as InterfaceSteps;
}

/** Bump frees nothing: its loop starts the arena afresh (`reset`, slots emptied) when it is full. */
const BUMP_LOOP = INTERFACE_LOOP.replace(
  "slots[slot] = a.allocate(1 + ((x >>> 8) % 200), 'bench/loop.c:12') ?? 0;",
  "const q = a.allocate(1 + ((x >>> 8) % 200), 'bench/loop.c:12');\n      if (q === null) { a.reset(); slots.fill(0); } else slots[slot] = q;",
);

/** What the interface benchmark measures: every strategy, then the decorators over `sdk`. */
export const INTERFACE_CONFIGS = [...STRATEGIES, 'track(sdk)', 'profile(sdk)'] as const;

/** The allocator and loop of one configuration. */
function config(name: string): { label: string; a: Allocator; steps: InterfaceSteps; sink: () => number } {
  let bytes = 0;
  const sink = (line: string): void => {
    bytes += line.length; // consume the line so the work cannot be optimised away
  };
  const sdk = () => createAllocator('sdk', MAX_HEAP_SIZE);
  if (name === 'track(sdk)') return { label: name, a: track(sdk()), steps: interfaceSteps(), sink: () => 1 };
  if (name === 'profile(sdk)') return { label: 'profile(sdk) to a function', a: profile(sdk(), { sink }), steps: interfaceSteps(), sink: () => bytes };
  if (name === 'bump') return { label: 'bump (reset when full)', a: createAllocator('bump', MAX_HEAP_SIZE), steps: new Function('a', 'st', 'n', BUMP_LOOP) as InterfaceSteps, sink: () => 1 };
  return { label: name, a: createAllocator(name as StrategyName, MAX_HEAP_SIZE), steps: interfaceSteps(), sink: () => 1 };
}

/**
 * The best rate over windows of `WINDOW` batches: on a shared machine the
 * best window is the closest to what the code does when it has a core to
 * itself (a slow window is other work, not this code).
 */
const WINDOW = 4;

function bestWindow(step: (n: number) => void, durationMs: number, warmupMs: number): number {
  const batch = BATCH / 4;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) step(batch);
  let best = 0;
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const start = performance.now();
    for (let i = 0; i < WINDOW; i++) step(batch);
    best = Math.max(best, (WINDOW * batch * 1000) / (performance.now() - start));
  }
  return Math.round(best);
}

/** One configuration, in this process: its label and ops/s (best window). */
export function measureInterface(name: string, durationMs = 1500, warmupMs = 300): StrategyBenchResult {
  const c = config(name);
  const st = newState();
  const opsPerSec = bestWindow((n) => c.steps(c.a, st, n), durationMs, warmupMs);
  if (c.sink() === 0) throw new Error('profiling sink received nothing');
  return { name: c.label, opsPerSec };
}

/**
 * A decorator's cost: `sdk` and `name` (a decorator over it) measured in one
 * process, window by window in turn, so that both see the same machine.
 */
export function measureOverhead(name: string, durationMs = 3000, warmupMs = 300): { name: string; opsPerSec: number; sdkOpsPerSec: number } {
  const plain = config('sdk');
  const decorated = config(name);
  const ps = newState();
  const ds = newState();
  bestWindow((n) => plain.steps(plain.a, ps, n), 0, warmupMs);
  bestWindow((n) => decorated.steps(decorated.a, ds, n), 0, warmupMs);
  let bestPlain = 0;
  let bestDecorated = 0;
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    bestPlain = Math.max(bestPlain, bestWindow((n) => plain.steps(plain.a, ps, n), 1, 0));
    bestDecorated = Math.max(bestDecorated, bestWindow((n) => decorated.steps(decorated.a, ds, n), 1, 0));
  }
  if (decorated.sink() === 0) throw new Error('profiling sink received nothing');
  return { name: decorated.label, opsPerSec: bestDecorated, sdkOpsPerSec: bestPlain };
}

const ONE = fileURLToPath(new URL('./allocator-one.js', import.meta.url));

/**
 * Every configuration through the interface, each in a process of its own
 * (so that its calls stay monomorphic, as in an app that uses one
 * allocator), in rounds — the machine is shared and noisy — keeping each
 * one's best. Decorators are measured side by side with `sdk`, in one
 * process, for their overhead.
 */
export function benchStrategies(rounds = 3): (StrategyBenchResult & { sdkOpsPerSec?: number })[] {
  const best = new Map<string, StrategyBenchResult & { sdkOpsPerSec?: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const name of INTERFACE_CONFIGS) {
      const run = spawnSync(process.execPath, [ONE, name], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`allocator bench ${name} failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as StrategyBenchResult & { sdkOpsPerSec?: number };
      if ((best.get(name)?.opsPerSec ?? 0) < r.opsPerSec) best.set(name, r);
    }
  }
  return INTERFACE_CONFIGS.map((n) => best.get(n)!);
}
