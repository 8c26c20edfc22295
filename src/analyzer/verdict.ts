/**
 * The policy (what fails a run) and the verdict it gives (SPEC §4 exit status).
 * Pure: the analysis states facts, the policy decides what they mean for CI.
 */
import type { AnalysisResult, FailOn, Policy, Report, TestResult, Verdict } from './types.js';

export const FAIL_ON_KINDS: readonly FailOn[] = [
  'leak',
  'free-error',
  'reclaimed',
  'persistent',
  'failed-alloc',
  'no-data',
];

export const DEFAULT_FAIL_ON: readonly FailOn[] = ['leak', 'free-error'];

/** A `--fail-on` value that cannot be understood (a usage error). */
export class PolicyError extends Error {}

export function defaultPolicy(): Policy {
  return { failOn: new Set(DEFAULT_FAIL_ON), usageThreshold: null, strict: false };
}

/**
 * Parses `--fail-on` values (comma-separated, repeatable): the kinds above
 * and `usage:N`. Throws a message for a usage error.
 */
export function parseFailOn(values: readonly string[]): Pick<Policy, 'failOn' | 'usageThreshold'> {
  const failOn = new Set<FailOn>();
  let usageThreshold: number | null = null;
  for (const value of values) {
    for (const raw of value.split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      if (item.startsWith('usage:')) {
        const n = Number(item.slice(6));
        if (item.slice(6).trim() === '' || !Number.isFinite(n) || n < 0) {
          throw new PolicyError(`--fail-on ${item}: usage threshold must be a percentage, e.g. usage:90`);
        }
        usageThreshold = n;
      } else if ((FAIL_ON_KINDS as readonly string[]).includes(item)) {
        failOn.add(item as FailOn);
      } else {
        throw new PolicyError(`--fail-on: unknown kind "${item}" (expected ${FAIL_ON_KINDS.join(', ')}, usage:N)`);
      }
    }
  }
  return { failOn, usageThreshold };
}

/** Why one test fails the policy (empty when it passes). */
export function testProblems(t: TestResult, policy: Policy): string[] {
  const problems: string[] = [];
  const f = policy.failOn;
  if (f.has('leak') && t.leaks.length > 0) {
    const bytes = t.leaks.reduce((s, b) => s + b.size, 0);
    problems.push(`${plural(t.leaks.length, 'leak')} (${bytes} bytes)`);
  }
  if (f.has('free-error')) {
    const doubles = t.freeErrors.filter((e) => e.kind === 'double-free').length;
    const invalid = t.freeErrors.length - doubles;
    if (doubles > 0) problems.push(plural(doubles, 'double free', 'double frees'));
    if (invalid > 0) problems.push(plural(invalid, 'invalid free', 'invalid frees'));
  }
  if (f.has('reclaimed') && t.reclaimed.length > 0) {
    problems.push(`${plural(t.reclaimed.length, 'block')} reclaimed by a heap reset`);
  }
  if (f.has('persistent') && t.persistent.length > 0) {
    problems.push(`${plural(t.persistent.length, 'persistent block')}`);
  }
  if (f.has('failed-alloc') && t.failedAllocations.length > 0) {
    problems.push(plural(t.failedAllocations.length, 'failed allocation'));
  }
  if (policy.usageThreshold !== null && t.peakPercent !== null && t.peakPercent >= policy.usageThreshold) {
    problems.push(`heap ${t.peakPercent.toFixed(1)}% full (limit ${policy.usageThreshold}%)`);
  }
  return problems;
}

/** Sets `t.ok` under the policy; returns it. */
export function judgeTest(t: TestResult, policy: Policy): boolean {
  t.ok = testProblems(t, policy).length === 0;
  return t.ok;
}

/** The report: analysis + per-test `ok` + the run's verdict under the policy. */
export function judge(result: AnalysisResult, policy: Policy, extra: Partial<Report> = {}): Report {
  const reasons: string[] = [];
  let failing = 0;
  for (const t of result.tests) if (!judgeTest(t, policy)) failing++;
  if (failing > 0) reasons.push(`${plural(failing, 'test')} with memory errors under the policy`);
  if (!result.recordsSeen && policy.failOn.has('no-data')) {
    reasons.push('no memory-profiling record found (is the app built with memory profiling?)');
  }
  const regressions = extra.regressions ?? [];
  if (regressions.length > 0) reasons.push(`${plural(regressions.length, 'test')} over the baseline's peak allowance`);
  // A test over its baseline allowance fails as a test too (JUnit, HTML, text marks).
  const regressed = new Set(regressions.map((r) => r.test));
  for (const t of result.tests) if (regressed.has(t.name)) t.ok = false;

  let exitCode: 0 | 1 | 2 = reasons.length > 0 ? 1 : 0;
  const diagnostics = result.diagnostics.filter((d) => d.kind !== 'no-profiling');
  if (policy.strict && diagnostics.length > 0) {
    reasons.push(`${plural(diagnostics.length, 'diagnostic')} in the input (--strict)`);
    exitCode = 2;
  }
  const verdict: Verdict = { ok: exitCode === 0, exitCode, reasons };
  return { ...result, ...extra, verdict, policy };
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
