/**
 * Allocator throughput on the SPEC §7 loop: xorshift32 seeded 12345 picks one
 * of 256 slots; a full slot is freed, an empty one gets 1..200 bytes (a NULL
 * leaves it empty). Over a 32856-byte heap, without profiling (the raw
 * `mem_*` calls, what the SDK's C build is compared on) and through the app
 * heap with profiling to a function sink (explicit sites: no stack capture).
 */
import { MAX_HEAP_SIZE, type MemCtx, mem_alloc, mem_free, mem_init } from '../heap/allocator.js';
import { AppHeap } from '../heap/app-heap.js';

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
