/**
 * The judge: facts + policy + suppressions + baseline → findings with a
 * severity, whether each test and the run pass, the exit code (SPEC §4).
 * Pure, and the only place that decides: the line printed as a test ends
 * and the final report both come from `judgeTest`, so they always agree.
 * Facts are never changed; a judged test points at its facts.
 */
import type { AnalysisFacts, Block, Diagnostic, FreeError, TestFacts } from '../analyzer/facts.js';
import { compareBaseline, regressionOf, type Baseline } from './baseline.js';
import { defaultPolicy } from './policy.js';
import { plural } from './words.js';
import { compileRules, firstMatch, type CompiledRule, type SuppressionRule } from './suppressions.js';
import type {
  FailOn,
  Finding,
  JudgedReport,
  JudgedTest,
  LeakSite,
  Policy,
  Regression,
  Severity,
  SuppressionCount,
  Totals,
  Verdict,
} from './types.js';

/** Everything the judge weighs facts against. */
export interface JudgeContext {
  policy: Policy;
  suppressions: readonly CompiledRule[];
  baseline: Baseline | null;
  /**
   * Without a baseline: regressions already found against one (by the
   * shards of a merge), by test name.
   */
  priorRegressions: ReadonlyMap<string | null, Regression>;
}

export function judgeContext(
  policy: Policy = defaultPolicy(),
  suppressions: readonly SuppressionRule[] = [],
  baseline: Baseline | null = null,
  priorRegressions: readonly Regression[] = [],
): JudgeContext {
  return {
    policy,
    suppressions: compileRules(suppressions),
    baseline,
    priorRegressions: new Map(priorRegressions.map((r) => [r.test, r])),
  };
}

function severity(policy: Policy, kind: FailOn, otherwise: Severity): Severity {
  return policy.failOn.has(kind) ? 'error' : otherwise;
}

function leakFinding(ctx: JudgeContext, kind: 'leak' | 'pool-leak', block: Block): Finding {
  const k = firstMatch(ctx.suppressions, 'leak', block.site);
  if (k >= 0) return { kind, severity: 'suppressed', block, suppressedBy: { kind: 'leak', pattern: ctx.suppressions[k].pattern } };
  return { kind, severity: severity(ctx.policy, 'leak', 'warning'), block };
}

function freeFinding(ctx: JudgeContext, freeError: FreeError): Finding {
  const k = firstMatch(ctx.suppressions, 'free', freeError.site);
  if (k >= 0) {
    return { kind: freeError.kind, severity: 'suppressed', freeError, suppressedBy: { kind: 'free', pattern: ctx.suppressions[k].pattern } };
  }
  return { kind: freeError.kind, severity: severity(ctx.policy, 'free-error', 'warning'), freeError };
}

/** One test's findings, in a fixed order (the order reporters list them in). */
export function judgeTest(t: TestFacts, ctx: JudgeContext): JudgedTest {
  const p = ctx.policy;
  const findings: Finding[] = [];
  for (const b of t.leaks) findings.push(leakFinding(ctx, 'leak', b));
  for (const pool of t.pools ?? []) for (const b of pool.leaks) findings.push(leakFinding(ctx, 'pool-leak', b));
  for (const e of t.freeErrors) findings.push(freeFinding(ctx, e));
  for (const c of t.corruption) findings.push({ kind: 'corruption', severity: severity(p, 'corruption', 'warning'), corruption: c });
  for (const b of t.reclaimed) findings.push({ kind: 'reclaimed', severity: severity(p, 'reclaimed', 'warning'), block: b });
  for (const f of t.failedAllocations) findings.push({ kind: 'failed-alloc', severity: severity(p, 'failed-alloc', 'warning'), failed: f });
  for (const pool of t.pools ?? []) {
    if (pool.overflows > 0) findings.push({ kind: 'pool-overflow', severity: 'warning', pool: { pool: pool.pool, overflows: pool.overflows } });
  }
  if (p.usageThreshold !== null && t.peakPercent !== null && t.peakPercent >= p.usageThreshold) {
    findings.push({ kind: 'usage', severity: 'error', limit: { value: t.peakPercent, limit: p.usageThreshold } });
  }
  const headroom = t.layout?.headroom;
  if (p.headroomFloor !== null && headroom !== undefined && headroom < p.headroomFloor) {
    findings.push({ kind: 'headroom', severity: 'error', limit: { value: headroom, limit: p.headroomFloor } });
  }
  const r = ctx.baseline !== null ? regressionOf(ctx.baseline, t.name, t.peakBytes) : (ctx.priorRegressions.get(t.name) ?? null);
  if (r !== null) findings.push({ kind: 'regression', severity: 'error', regression: r });
  for (const b of t.carried) findings.push({ kind: 'carried', severity: severity(p, 'carried', 'info'), carried: b });
  for (const b of t.persistent) findings.push({ kind: 'persistent', severity: severity(p, 'persistent', 'info'), block: b });

  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning' || f.severity === 'suppressed') warnings++;
  }
  const status = errors > 0 ? 'fail' : warnings > 0 ? 'warn' : t.segments === 0 && findings.length === 0 ? 'idle' : 'ok';
  return { facts: t, findings, ok: errors === 0, status };
}

/** Totals under the policy: what was suppressed is counted apart, not as a problem. */
function totalsOf(facts: AnalysisFacts, tests: readonly JudgedTest[]): Totals {
  const totals: Totals = {
    tests: 0,
    segments: facts.segments,
    allocations: 0,
    totalBytes: 0,
    leaks: 0,
    leakedBytes: 0,
    reclaimed: 0,
    doubleFrees: 0,
    invalidFrees: 0,
    persistent: 0,
    persistentBytes: 0,
    failedAllocations: 0,
    peakBytes: facts.peakBytes,
    peakPercent: facts.peakPercent,
    suppressed: 0,
    carried: 0,
    corruption: 0,
    poolLeaks: 0,
  };
  for (const j of tests) {
    const t = j.facts;
    if (t.name !== null) totals.tests++;
    totals.allocations += t.allocations;
    totals.totalBytes += t.totalBytes;
    totals.reclaimed += t.reclaimed.length;
    totals.persistent += t.persistent.length;
    for (const b of t.persistent) totals.persistentBytes += b.size;
    totals.failedAllocations += t.failedAllocations.length;
    totals.carried += t.carried.length;
    totals.corruption += t.corruption.length;
    for (const f of j.findings) {
      if (f.severity === 'suppressed') {
        totals.suppressed++;
        continue;
      }
      if (f.kind === 'leak' || f.kind === 'pool-leak') {
        totals.leaks++;
        totals.leakedBytes += f.block!.size;
        if (f.kind === 'pool-leak') totals.poolLeaks++;
      } else if (f.kind === 'double-free') totals.doubleFrees++;
      else if (f.kind === 'invalid-free') totals.invalidFrees++;
    }
  }
  return totals;
}

/** Leaks (not suppressed) grouped by allocation site across tests, most bytes first. */
export function leakSitesOf(tests: readonly JudgedTest[]): LeakSite[] {
  const sites = new Map<string, LeakSite>();
  for (const j of tests) {
    for (const f of j.findings) {
      if ((f.kind !== 'leak' && f.kind !== 'pool-leak') || f.severity === 'suppressed') continue;
      const b = f.block!;
      let s = sites.get(b.site);
      if (s === undefined) {
        s = { site: b.site, count: 0, bytes: 0, tests: [] };
        sites.set(b.site, s);
      }
      s.count++;
      s.bytes += b.size;
      if (!s.tests.includes(j.facts.name)) s.tests.push(j.facts.name);
    }
  }
  return [...sites.values()].sort((a, b) => b.bytes - a.bytes || b.count - a.count || (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
}

function suppressionCounts(ctx: JudgeContext, tests: readonly JudgedTest[]): SuppressionCount[] {
  const counts = ctx.suppressions.map((r) => ({ pattern: r.pattern, kind: r.kind, count: 0 }));
  // A rule given twice: the first one gets the items, as firstMatch gives them.
  const at = new Map<string, number>();
  ctx.suppressions.forEach((r, i) => {
    const key = `${r.kind}:${r.pattern}`;
    if (!at.has(key)) at.set(key, i);
  });
  for (const j of tests) {
    for (const f of j.findings) {
      if (f.suppressedBy === undefined) continue;
      const i = at.get(`${f.suppressedBy.kind}:${f.suppressedBy.pattern}`);
      if (i !== undefined) counts[i].count++;
    }
  }
  return counts;
}

/** The run's verdict from its judged tests. */
function verdictOf(
  facts: AnalysisFacts,
  tests: readonly JudgedTest[],
  regressions: readonly Regression[],
  diagnostics: readonly Diagnostic[],
  policy: Policy,
): Verdict {
  const reasons: string[] = [];
  const notes: string[] = [];
  // baseline regressions are counted apart, below
  const failing = tests.filter((t) => t.findings.some((f) => f.severity === 'error' && f.kind !== 'regression')).length;
  if (failing > 0) reasons.push(`${plural(failing, 'test')} with memory errors under the policy`);
  if (!facts.recordsSeen && policy.failOn.has('no-data')) {
    reasons.push('no memory-profiling record found (is the app built with memory profiling?)');
  }
  if (regressions.length > 0) reasons.push(`${plural(regressions.length, 'test')} over the baseline's peak allowance`);
  if (facts.unreadRecords > 0) notes.push(`${plural(facts.unreadRecords, 'record')} could not be read: the results are incomplete`);
  if (!facts.complete) notes.push('the input ended early (interrupted): the results cover what was read');
  let exitCode: 0 | 1 | 2 = reasons.length > 0 ? 1 : 0;
  if (policy.strict && diagnostics.length > 0) {
    reasons.push(`${plural(diagnostics.length, 'diagnostic')} in the input (--strict)`);
    exitCode = 2;
  }
  return { ok: exitCode === 0, exitCode, reasons, notes };
}

/**
 * The whole run judged. `judged` may hold tests already judged while
 * streaming: judging them again would give the same, so they are reused.
 */
export function judgeRun(facts: AnalysisFacts, ctx: JudgeContext, judged: Iterable<JudgedTest> = []): JudgedReport {
  const known = new Map<TestFacts, JudgedTest>();
  for (const j of judged) known.set(j.facts, j);
  const tests = facts.tests.map((t) => known.get(t) ?? judgeTest(t, ctx));
  const diagnostics = facts.diagnostics.filter((d) => d.kind !== 'no-profiling');
  const report: JudgedReport = {
    facts,
    tests,
    totals: totalsOf(facts, tests),
    leakSites: leakSitesOf(tests),
    verdict: { ok: true, exitCode: 0, reasons: [], notes: [] },
    policy: ctx.policy,
    diagnostics,
    diagnosticSeverity: ctx.policy.strict ? 'error' : 'warning',
    noData: facts.recordsSeen ? null : ctx.policy.failOn.has('no-data') ? 'error' : 'warning',
  };
  let regressions: Regression[] = [];
  if (ctx.baseline !== null) {
    // one line per name (a name run twice keeps its highest peak)
    const c = compareBaseline(ctx.baseline, tests.map((t) => t.facts));
    regressions = c.regressions;
    report.regressions = regressions;
    report.baselineChanges = { added: c.added, removed: c.removed };
  } else if (ctx.priorRegressions.size > 0) {
    regressions = [...ctx.priorRegressions.values()];
    report.regressions = regressions;
  }
  if (ctx.suppressions.length > 0) report.suppressionCounts = suppressionCounts(ctx, tests);
  report.verdict = verdictOf(facts, tests, regressions, diagnostics, ctx.policy);
  return report;
}
