/**
 * A synthetic HTML view model of any size, for the HTML-at-scale bench and
 * the browser tests: pytest-like names, peaks spread over the heap, a few
 * leaking tests, short timelines, the layout at each peak, a heap map every
 * `mapEvery` tests, a census and a pool. Deterministic (xorshift32).
 */
import type { CensusSite, HeapChunk, HeapMap, HtmlModel, HtmlTest, Item } from '../reporters/html/model.js';

export const HEAP = 8192;
const BASE = 0xda7a0000;
/** The SDK heap's control header. */
const CONTROL = 96;

const SITES = [
  'src/parser/tlv.c:482', 'src/parser/tlv.c:91', 'src/crypto/hash.c:176', 'src/apdu/dispatcher.c:414',
  'src/ui/review.c:174', 'src/plugin/erc20.c:776', 'lib_standard_app/io.c:367', 'src/main.c:429',
];
const MODULES = ['tests/test_sign.py', 'tests/test_get_address.py', 'tests/test_eip712.py', 'tests/test_plugin.py'];
const DEVICES = ['nanosp', 'nanox', 'stax', 'flex'];

/** Deterministic PRNG (xorshift32): generated reports are stable. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** The name of test i (1-based) in the synthetic run. */
export function syntheticName(i: number): string {
  return `${MODULES[i % MODULES.length]}::test_case_${Math.floor(i / DEVICES.length)}[${DEVICES[i % DEVICES.length]}]`;
}

/** Chunks tiling the heap: the control header, then used chunks (8-byte rounded, 4-byte header) and free gaps. */
export function syntheticHeapMap(rand: () => number, live: number, heapSize = HEAP): HeapMap {
  const chunks: HeapChunk[] = [{ offset: 0, size: CONTROL, kind: 'header' }];
  let at = CONTROL;
  let used = 0;
  while (at < heapSize) {
    const room = heapSize - at;
    if (used < live && rand() < 0.7) {
      const requested = 8 + Math.floor(rand() * 300);
      const size = Math.min(room, (requested + 4 + 7) & ~7);
      chunks.push({ offset: at, size, kind: 'used', requested: Math.min(requested, size - 4), site: SITES[Math.floor(rand() * SITES.length)] });
      used += size;
      at += size;
    } else {
      const size = Math.min(room, 8 * (1 + Math.floor(rand() * (used < live ? 16 : 256))));
      const last = chunks[chunks.length - 1];
      if (last.kind === 'free') last.size += size;
      else chunks.push({ offset: at, size, kind: 'free' });
      at += size;
    }
  }
  return { heap: null, base: BASE, heapSize, chunks };
}

function leakSites(tests: readonly HtmlTest[]): HtmlModel['leakSites'] {
  const bySite = new Map<string, HtmlModel['leakSites'][number]>();
  for (const t of tests)
    for (const i of t.items) {
      const s = bySite.get(i.site) ?? { site: i.site, count: 0, bytes: 0, tests: [] };
      s.count++;
      s.bytes += i.size ?? 0;
      if (!s.tests.includes(t.name)) s.tests.push(t.name);
      bySite.set(i.site, s);
    }
  return [...bySite.values()].sort((a, b) => b.bytes - a.bytes);
}

export interface SyntheticOptions {
  seed?: number;
  /** A heap map for every n-th test (0: none). */
  mapEvery?: number;
}

export function syntheticModel(count: number, options: SyntheticOptions = {}): HtmlModel {
  const rand = rng(options.seed ?? 12345);
  const mapEvery = options.mapEvery ?? 0;
  const tests: HtmlTest[] = [];
  let line = 10;
  let leaks = 0;
  let leakedBytes = 0;
  for (let i = 1; i <= count; i++) {
    const peak = Math.floor(HEAP * (0.05 + rand() * 0.93));
    const items: Item[] = [];
    if (i % 97 === 0) {
      const size = 16 + Math.floor(rand() * 200);
      items.push({ kind: 'leak', severity: 'error', text: 'leak', address: BASE + 0x100 + (i % 64) * 16, size, site: SITES[i % SITES.length], line: line + 3 });
      leaks++;
      leakedBytes += size;
    }
    const points = [];
    for (let p = 0, l = line + 1; p < 6; p++, l += 1 + Math.floor(rand() * 40)) points.push({ line: l, live: p === 3 ? peak : Math.floor(peak * rand()) });
    const free = HEAP - CONTROL - peak;
    const t: HtmlTest = {
      name: syntheticName(i),
      index: i,
      total: count,
      outcome: items.length ? 'failed' : 'passed',
      ok: items.length === 0,
      status: items.length ? 'fail' : 'ok',
      reasons: items.length ? [`1 leak (${items[0].size} bytes)`] : [],
      heapSize: HEAP,
      peakBytes: peak,
      peakPercent: (peak / HEAP) * 100,
      segments: 1,
      allocations: 20 + Math.floor(rand() * 400),
      totalBytes: peak * 3,
      startLine: line,
      items,
      timeline: { heapSize: HEAP, points },
      layout: {
        allocatedBytes: peak + CONTROL,
        overheadBytes: CONTROL + Math.floor(peak / 20),
        freeBytes: free,
        freeBlocks: 1 + Math.floor(rand() * 12),
        largestFree: Math.floor(free * (0.3 + rand() * 0.7)),
        fragmentation: Math.round(rand() * 100) / 100,
        headroom: Math.max(0, Math.floor(free * (0.2 + rand() * 0.7)) - 8),
      },
    };
    if (mapEvery > 0 && i % mapEvery === 0) t.heapMap = syntheticHeapMap(rand, peak);
    tests.push(t);
    line = points[points.length - 1].line + 20;
  }
  const sites: CensusSite[] = SITES.map((site, k) => ({
    site, allocations: 10_000 - k * 900, bytes: (10_000 - k * 900) * (40 + k * 7), minSize: 8 + k, maxSize: 300 + k * 20,
    maxLive: 12 - k, temporary: k * 150, leaks: k === 0 ? leaks : 0,
  }));
  const top = tests.reduce((a, b) => (b.peakBytes > a.peakBytes ? b : a), tests[0]);
  const ok = leaks === 0;
  return {
    verdict: { ok, exitCode: ok ? 0 : 1, reasons: ok ? [] : [`${leaks} leaked block(s), ${leakedBytes} bytes`] },
    complete: true,
    recordsSeen: count > 0,
    linesRead: line,
    totals: {
      tests: count, segments: count, allocations: tests.reduce((n, t) => n + t.allocations, 0), totalBytes: tests.reduce((n, t) => n + t.totalBytes, 0),
      leaks, leakedBytes, reclaimed: 0, doubleFrees: 0, invalidFrees: 0, persistent: 0, persistentBytes: 0, failedAllocations: 0, suppressed: 0,
      peakBytes: top?.peakBytes ?? 0, peakPercent: top ? top.peakPercent : null,
    },
    tests,
    leakSites: leakSites(tests),
    sites,
    pools: [{ pool: 'app.tx', blockSize: 64, blocks: 12, maxInUse: 9, maxInUseTest: syntheticName(1), overflows: 0, sizing: `pool \`app.tx\`: 12 blocks, at most 9 in use (${syntheticName(1)}); 3 spare` }],
    diagnostics: [],
    regressions: [],
    baselineChanges: null,
    suppressions: [],
  };
}
