/**
 * Hand-built results shaped like src/analyzer/types.ts, judged by the real
 * policy code, so the CI modules can be tested without the log parser.
 */
import type { AnalysisResult, Block, FreeError, Policy, Report, TestResult } from '../../src/analyzer/types.js';
import { addTest, blankTest, emptyTotals, leakSites } from '../../src/analyzer/totals.js';
import { defaultPolicy, judge, parseFailOn } from '../../src/analyzer/verdict.js';

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

export function makeTest(name: string | null, over: Partial<TestResult> = {}): TestResult {
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

/** Totals as the analyzer computes them from its tests. */
export function makeResult(tests: TestResult[], over: Partial<AnalysisResult> = {}): AnalysisResult {
  tests.forEach((t, i) => (t.index = i + 1));
  const totals = emptyTotals();
  for (const t of tests) addTest(totals, t);
  totals.segments = tests.reduce((n, t) => n + t.segments, 0);
  totals.peakBytes = Math.max(0, ...tests.map((t) => t.peakBytes));
  totals.peakPercent = tests.some((t) => t.peakPercent !== null) ? Math.max(...tests.map((t) => t.peakPercent ?? 0)) : null;

  return { tests, totals, diagnostics: [], leakSites: leakSites(tests), recordsSeen: tests.length > 0, linesRead: 100, ...over };
}

export function policy(failOn?: string): Policy {
  if (failOn === undefined) return defaultPolicy();
  return { ...parseFailOn([failOn]), strict: false };
}

export function makeReport(tests: TestResult[], p: Policy = defaultPolicy(), extra: Partial<Report> = {}): Report {
  return judge(makeResult(tests), p, extra);
}
