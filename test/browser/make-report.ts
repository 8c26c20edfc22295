/**
 * Hand-built runs, judged by the real judge, so the HTML reporter can be
 * tested without the analyzer: a small varied demo, a large synthetic run
 * (the size budget) and a hostile one (escaping). `flat(report)` gives the
 * tests' facts with the judge's verdict on each, for the assertions.
 */
import type { Block, Diagnostic, FreeError, Outcome, TestFacts as TestResult, TimelinePoint } from '../../src/analyzer/facts.js';
import { blankTest } from '../../src/analyzer/facts.js';
import { judgeContext, judgeRun } from '../../src/judge/judge.js';
import { defaultPolicy } from '../../src/judge/policy.js';
import { parseSuppressions } from '../../src/judge/suppressions.js';
import type { JudgedReport, Policy, Regression } from '../../src/judge/types.js';
import { problemPhrases } from '../../src/reporters/present.js';
import { makeResult } from '../helpers/facts.js';
// Deterministic PRNG (xorshift32) so generated reports are stable.
import { rng } from '../../src/bench/html-model.js';

export { rng };

export const HEAP = 8192;
const BASE = 0xda7a0000;

export function makeTest(over: Partial<TestResult> & { name: string | null; index: number }): TestResult {
  const t: TestResult = {
    ...blankTest(over.name, over.index, null, 0),
    outcome: 'passed',
    heapSize: HEAP,
    segments: 1,
    peakPercent: 0,
    timeline: { points: [], heapSize: HEAP },
    ...over,
  };
  return t;
}

export interface RunExtras {
  diagnostics?: Diagnostic[];
  /** Suppression file text (`leak:GLOB` lines). */
  suppressions?: string;
  /** Regressions found against a baseline, by test. */
  regressions?: Regression[];
  baselineChanges?: { added: string[]; removed: string[] };
  policy?: Policy;
}

/** The run judged under the default policy, as the CLI would. */
export function makeReport(tests: TestResult[], extra: RunExtras = {}): JudgedReport {
  const indexes = tests.map((t) => t.index);
  const facts = makeResult(tests, {
    diagnostics: extra.diagnostics ?? [],
    linesRead: tests.length ? Math.max(...tests.map((t) => t.timeline.points.at(-1)?.line ?? t.startLine)) + 1 : 0,
  });
  tests.forEach((t, i) => (t.index = indexes[i])); // makeResult renumbers
  const report = judgeRun(facts, judgeContext(extra.policy ?? defaultPolicy(), parseSuppressions(extra.suppressions ?? '', 'demo.supp'), null, extra.regressions ?? []));
  return extra.baselineChanges ? { ...report, baselineChanges: extra.baselineChanges } : report;
}

/** A judged test as the assertions read it: its facts, what fails, what is suppressed. */
export type FlatTest = TestResult & { ok: boolean; why: string[]; suppressed: Block[] };

export function flat(report: JudgedReport) {
  const tests: FlatTest[] = report.tests.map((j) => {
    const suppressed = j.findings.filter((f) => f.severity === 'suppressed' && f.block).map((f) => f.block!);
    return { ...j.facts, ok: j.ok, why: j.ok ? [] : problemPhrases(j), suppressed, leaks: j.facts.leaks.filter((b) => !suppressed.includes(b)) };
  });
  return { judged: report, tests, leakSites: report.leakSites, diagnostics: report.facts.diagnostics, verdict: report.verdict, totals: report.totals };
}

const SITES = [
  'src/parser/tlv.c:482',
  'src/parser/tlv.c:91',
  'src/crypto/hash.c:176',
  'src/crypto/hash.c:177',
  'src/apdu/dispatcher.c:414',
  'src/ui/review.c:174',
  'src/ui/review.c:528',
  'src/plugin/erc20.c:776',
  'lib_standard_app/io.c:367',
  'lib_standard_app/io.c:544',
  'src/ui/nbgl_use_case.c:158',
  'src/main.c:429',
];

interface SimOptions {
  name: string | null;
  index: number;
  total: number | null;
  startLine: number;
  records: number;
  leaks?: number;
  persistent?: number;
  heapSize?: number | null;
  outcome?: Outcome | null;
  /** Fraction of the heap the test tends to fill. */
  fill?: number;
  /** Timeline points the "analyzer" keeps. */
  maxPoints?: number;
}

/** Simulates one test's allocations: a timeline of live bytes, leaks at known lines. */
export function simulateTest(rand: () => number, o: SimOptions): TestResult {
  const heap = o.heapSize === undefined ? HEAP : o.heapSize;
  const cap = (heap ?? HEAP) * (o.fill ?? 0.4);
  const live = new Map<number, Block>();
  const leaks: Block[] = [];
  const persistent: Block[] = [];
  const points: TimelinePoint[] = [];
  let line = o.startLine;
  let addr = BASE + 0x64;
  let cur = 0;
  let peak = 0;
  let allocations = 0;
  let totalBytes = 0;
  // Apps persist the same blocks at start-up in every test: same site, size and address.
  for (let k = 0; k < (o.persistent ?? 0); k++) {
    line += 1;
    const size = 64 << k;
    persistent.push({ address: addr, size, site: `src/app_main.c:${120 + k}`, line });
    addr += size + 8;
    allocations++;
    totalBytes += size;
    cur += size;
    points.push({ line, live: cur });
  }
  const leakAt = new Set<number>();
  for (let k = 0; k < (o.leaks ?? 0); k++) leakAt.add(Math.floor(rand() * o.records));
  for (let r = 0; r < o.records; r++) {
    line += 1 + Math.floor(rand() * 3);
    const site = SITES[Math.floor(rand() * SITES.length)];
    const wantsAlloc = live.size === 0 || (cur < cap && rand() < 0.55) || leakAt.has(r);
    if (wantsAlloc) {
      const size = 8 + Math.floor(rand() * 400);
      const b: Block = { address: addr, size, site, line };
      addr += (size + 11) & ~7;
      allocations++;
      totalBytes += size;
      cur += size;
      if (leakAt.has(r)) leaks.push(b);
      else live.set(b.address, b);
    } else {
      const keys = [...live.keys()];
      const k = keys[Math.floor(rand() * keys.length)];
      cur -= live.get(k)!.size;
      live.delete(k);
    }
    peak = Math.max(peak, cur);
    points.push({ line, live: cur });
  }
  // The test frees what it still holds except leaks and persistent blocks.
  for (const b of live.values()) {
    line += 1;
    cur -= b.size;
    points.push({ line, live: cur });
  }
  const kept = thin(points, o.maxPoints ?? 128);
  return makeTest({
    name: o.name,
    index: o.index,
    total: o.total,
    outcome: o.outcome === undefined ? (leaks.length ? 'failed' : 'passed') : o.outcome,
    heapSize: heap,
    allocations,
    totalBytes,
    peakBytes: peak,
    peakPercent: heap === null ? null : (peak / heap) * 100,
    leaks,
    persistent,
    startLine: o.startLine,
    timeline: { points: kept, heapSize: heap },
  });
}

/** Stand-in for the analyzer's bounded history: every k-th point, the last, and the peak. */
function thin(points: TimelinePoint[], max: number): TimelinePoint[] {
  if (points.length <= max) return points;
  const step = Math.ceil(points.length / max);
  const top = points.reduce((best, p, i) => (p.live > points[best].live ? i : best), 0);
  return points.filter((_, i) => i % step === 0 || i === points.length - 1 || i === top);
}

const MODULES = ['tests/test_sign.py', 'tests/test_get_address.py', 'tests/test_eip712.py', 'tests/test_plugin.py'];
const DEVICES = ['nanosp', 'nanox', 'stax', 'flex'];

/** A large run like the 3,000-test bench log: mostly passing, a few leaks. */
export function syntheticReport(count: number, seed = 12345): JudgedReport {
  const rand = rng(seed);
  const tests: TestResult[] = [];
  let line = 10;
  for (let i = 1; i <= count; i++) {
    const module = MODULES[i % MODULES.length];
    const name = `${module}::test_case_${Math.floor(i / DEVICES.length)}[${DEVICES[i % DEVICES.length]}]`;
    const t = simulateTest(rand, {
      name,
      index: i,
      total: count,
      startLine: line,
      records: 120 + Math.floor(rand() * 200),
      leaks: i % 97 === 0 ? 1 + Math.floor(rand() * 3) : 0,
      persistent: 2,
      fill: 0.1 + rand() * 0.9,
    });
    tests.push(t);
    line = (t.timeline.points.at(-1)?.line ?? line) + 20;
  }
  return makeReport(tests);
}

/** A small report with every kind of finding, for the browser tests and the screenshot. */
export function demoReport(extra: RunExtras = {}): JudgedReport {
  const rand = rng(7);
  const tests: TestResult[] = [];
  let line = 9;
  const next = (o: Omit<SimOptions, 'index' | 'startLine' | 'total'>) => {
    const t = simulateTest(rand, { ...o, index: tests.length + 1, total: 12, startLine: line });
    tests.push(t);
    line = (t.timeline.points.at(-1)?.line ?? line) + 6;
    return t;
  };
  next({ name: 'tests/test_sign.py::test_sign_tx[nanosp]', records: 180, fill: 0.35 });
  next({ name: 'tests/test_sign.py::test_sign_tx[stax]', records: 220, fill: 0.5, leaks: 2 });
  const df = next({ name: 'tests/test_sign.py::test_blind_sign[nanosp]', records: 90, fill: 0.2 });
  df.freeErrors = [
    {
      kind: 'double-free',
      address: 0xda7a00a4,
      site: 'src/apdu/dispatcher.c:769',
      line: df.startLine + 40,
      allocSite: 'src/parser/tlv.c:482',
      firstFreeSite: 'src/parser/tlv.c:530',
    },
  ];
  const inv = next({ name: 'tests/test_get_address.py::test_get_address[flex]', records: 60, fill: 0.15 });
  inv.freeErrors = [
    { kind: 'invalid-free', address: 0xda7a1234, site: 'src/crypto/hash.c:900', line: inv.startLine + 12 },
  ];
  next({ name: 'tests/test_eip712.py::test_eip712_v0[nanox]', records: 300, fill: 0.93 });
  next({ name: 'tests/test_eip712.py::test_eip712_filtering[nanox]', records: 260, fill: 0.78, persistent: 3 });
  const rec = next({ name: 'tests/test_plugin.py::test_plugin_reset[stax]', records: 120, fill: 0.4 });
  rec.reclaimed = [{ address: 0xda7a0200, size: 96, site: 'src/plugin/erc20.c:776', line: rec.startLine + 30 }];
  rec.segments = 2;
  next({ name: 'tests/test_plugin.py::test_plugin_provide[stax]', records: 140, fill: 0.6, leaks: 1 });
  const sk = next({ name: 'tests/test_sign.py::test_sign_legacy[nanosp]', records: 0, outcome: 'skipped' });
  sk.peakPercent = 0;
  next({ name: 'tests/test_misc.py::test_version', records: 40, fill: 0.1 });
  const fa = next({ name: 'tests/test_misc.py::test_huge_payload[flex]', records: 80, fill: 0.97 });
  fa.failedAllocations = [{ size: 4096, site: 'src/parser/tlv.c:91', line: fa.startLine + 50 }];
  const sup = next({ name: 'tests/test_misc.py::test_known_leak[nanox]', records: 50, fill: 0.3 });
  sup.leaks = [{ address: 0xda7a0300, size: 32, site: 'vendor/nbgl/layout.c:88', line: sup.startLine + 5 }];
  return makeReport(tests, {
    diagnostics: [
      { line: 3, kind: 'no-init', message: 'alloc before any init: heap size unknown' },
      { line: 1207, kind: 'bad-record', message: 'bad size "12x"' },
    ],
    suppressions: 'leak:vendor/nbgl/*',
    ...extra,
  });
}

export const HOSTILE = {
  script: 'tests/test_x.py::test_a[<script>alert(1)</script>]',
  img: 'tests/test_x.py::test_b[<img src=x onerror="window.__pwned=1">]',
  amp: "tests/test_x.py::test_c[&amp; \"quoted\" 'single']",
  close: 'tests/test_x.py::test_d[</script><script>window.__pwned=1</script>]',
  site: 'src/<svg onload=alert(1)>.c:12',
  site2: "src/a&amp;b\"'</script>.c:7",
};

/** Log-derived strings that try to break out of every context the page uses. */
export function hostileReport(): JudgedReport {
  const rand = rng(99);
  const names = [HOSTILE.script, HOSTILE.img, HOSTILE.amp, HOSTILE.close];
  const tests = names.map((name, k) =>
    simulateTest(rand, { name, index: k + 1, total: names.length, startLine: 10 + k * 200, records: 60, leaks: 1, fill: 0.3 }),
  );
  tests[0].leaks[0].site = HOSTILE.site;
  tests[1].leaks[0].site = HOSTILE.site2;
  const fe: FreeError = { kind: 'double-free', address: 0xda7a0100, site: HOSTILE.site, line: 50, allocSite: HOSTILE.site2, firstFreeSite: '<b>bold</b>:1' };
  tests[2].freeErrors = [fe];
  return makeReport(tests, {
    diagnostics: [{ line: 4, kind: 'bad-record', message: 'unknown record kind "<script>window.__pwned=1</script>"' }],
    suppressions: 'leak:<img src=x onerror=alert(1)>',
  });
}
