/**
 * Hand-built facts shaped like src/analyzer/facts.ts, judged by the real
 * judge, so the judge, the report and the reporters can be tested without
 * the log parser.
 */
import { blankTest as blankFacts, type AnalysisFacts, type Block, type FreeError, type TestFacts } from '../../src/analyzer/facts.js';
import { judgeContext, judgeRun } from '../../src/judge/judge.js';
import { defaultPolicy, parseFailOn } from '../../src/judge/policy.js';
import type { SuppressionRule } from '../../src/judge/suppressions.js';
import type { Baseline } from '../../src/judge/baseline.js';
import type { JudgedReport, Policy, Regression } from '../../src/judge/types.js';

export const HEAP = 8192;
export const BASE = 0xda7a0000;

export function block(size: number, site: string, line = 10, address = BASE + 0x64): Block {
  return { address, size, site, line };
}

export function doubleFree(site: string, extra: Partial<FreeError> = {}): FreeError {
  return { kind: 'double-free', address: BASE + 0x64, site, line: 40, allocSite: 'src/a.c:1', firstFreeSite: 'src/a.c:2', ...extra };
}

export function invalidFree(site: string, extra: Partial<FreeError> = {}): FreeError {
  return { kind: 'invalid-free', address: BASE + 0x200, site, line: 41, ...extra };
}

/** A test before anything happened in it. */
export function blankTest(name: string | null, index = 1, total: number | null = null, startLine = 1): TestFacts {
  return blankFacts(name, index, total, startLine);
}

export function makeTest(name: string | null, over: Partial<TestFacts> = {}): TestFacts {
  const peakBytes = over.peakBytes ?? 100;
  const heapSize = over.heapSize === undefined ? HEAP : over.heapSize;
  return {
    ...blankTest(name, 1, null, 1),
    outcome: 'passed',
    heapSize,
    segments: 1,
    allocations: 3,
    totalBytes: 300,
    peakBytes,
    peakPercent: heapSize === null ? null : (peakBytes / heapSize) * 100,
    timeline: { points: [], heapSize },
    ...over,
  };
}

/** Run facts around hand-built tests. */
export function makeResult(tests: TestFacts[], over: Partial<AnalysisFacts> = {}): AnalysisFacts {
  tests.forEach((t, i) => (t.index = i + 1));
  return {
    tests,
    diagnostics: [],
    recordsSeen: tests.length > 0,
    unreadRecords: 0,
    linesRead: 100,
    segments: tests.reduce((n, t) => n + t.segments, 0),
    peakBytes: Math.max(0, ...tests.map((t) => t.peakBytes)),
    peakPercent: tests.some((t) => t.peakPercent !== null) ? Math.max(...tests.map((t) => t.peakPercent ?? 0)) : null,
    harnesses: [],
    sites: [],
    pools: [],
    complete: true,
    ...over,
  };
}

export function policy(failOn?: string): Policy {
  if (failOn === undefined) return defaultPolicy();
  return { ...parseFailOn([failOn]), strict: false };
}

export interface ReportExtras {
  suppressions?: SuppressionRule[];
  baseline?: Baseline;
  regressions?: Regression[];
}

export function makeReport(tests: TestFacts[], p: Policy = defaultPolicy(), extra: ReportExtras = {}): JudgedReport {
  return judgeRun(makeResult(tests), judgeContext(p, extra.suppressions ?? [], extra.baseline ?? null, extra.regressions ?? []));
}
