/**
 * The judge as a pure function: a matrix of facts × policies → severities,
 * `ok`, status and exit codes; the same answer test by test and for the run;
 * facts never changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestFacts } from '../../src/analyzer/facts.js';
import { judgeContext, judgeRun, judgeTest } from '../../src/judge/judge.js';
import { defaultPolicy, FAIL_ON_KINDS, parseFailOn, policyFrom, PolicyError } from '../../src/judge/policy.js';
import { parseSuppressions } from '../../src/judge/suppressions.js';
import type { FailOn, FindingKind, Policy, Severity } from '../../src/judge/types.js';
import { block, doubleFree, invalidFree, makeResult, makeTest } from '../helpers/facts.js';

/** One test holding one fact of each kind the judge weighs. */
function everything(): TestFacts {
  return makeTest('t.py::test_all', {
    peakBytes: 7800,
    leaks: [block(40, 'src/a.c:1')],
    freeErrors: [doubleFree('src/b.c:2'), invalidFree('src/c.c:3')],
    corruption: [{ address: 0xda7a0064, what: 'guard-after', site: 'src/d.c:4', line: 9, heap: null }],
    reclaimed: [block(16, 'src/e.c:5')],
    failedAllocations: [{ size: 9000, site: 'src/f.c:6', line: 11 }],
    carried: [{ ...block(8, 'src/g.c:7'), freedBy: 't.py::next', freeLine: 30 }],
    persistent: [block(64, 'src/h.c:8')],
    pools: [{ pool: 'tx', blockSize: 32, blocks: 4, maxInUse: 4, overflows: 2, leaks: [{ ...block(32, 'src/i.c:9'), heap: 'tx' }] }],
    layout: { allocatedBytes: 8000, overheadBytes: 200, freeBytes: 192, freeBlocks: 2, largestFree: 120, fragmentation: 0.3, headroom: 100 },
  });
}

function severities(policy: Policy): Map<FindingKind, Severity> {
  const j = judgeTest(everything(), judgeContext(policy));
  return new Map(j.findings.map((f) => [f.kind, f.severity]));
}

function policy(...extra: string[]): Policy {
  return policyFrom(extra, false);
}

describe('the judge: severities under each policy', () => {
  // kind → [its --fail-on, severity when not failed on]
  const matrix: Array<[FindingKind, FailOn, Severity]> = [
    ['leak', 'leak', 'error'],
    ['pool-leak', 'leak', 'error'],
    ['double-free', 'free-error', 'error'],
    ['invalid-free', 'free-error', 'error'],
    ['corruption', 'corruption', 'error'],
    ['reclaimed', 'reclaimed', 'warning'],
    ['failed-alloc', 'failed-alloc', 'warning'],
    ['carried', 'carried', 'info'],
    ['persistent', 'persistent', 'info'],
  ];
  it.each(matrix)('%s: error with --fail-on %s, else %s', (kind, failOn, otherwise) => {
    expect(severities(policy()).get(kind)).toBe(otherwise);
    expect(severities(policy(failOn)).get(kind)).toBe('error');
  });

  it('leaks, free errors and corruption always fail; pool overflows warn', () => {
    const s = severities(defaultPolicy());
    for (const k of ['leak', 'double-free', 'invalid-free', 'corruption', 'pool-leak'] as const) expect(s.get(k)).toBe('error');
    expect(s.get('pool-overflow')).toBe('warning');
  });

  it('usage and headroom limits fail only when asked for, at or past the limit', () => {
    expect(severities(policy()).has('usage')).toBe(false);
    expect(severities(policy('usage:95')).get('usage')).toBe('error'); // 7800 / 8192 = 95.2 %
    expect(severities(policy('usage:96')).has('usage')).toBe(false);
    expect(severities(policy('headroom:101')).get('headroom')).toBe('error');
    expect(severities(policy('headroom:100')).has('headroom')).toBe(false);
  });

  it('status: fail on an error, warn on a warning or a suppressed problem, idle without heap activity', () => {
    const ctx = judgeContext(defaultPolicy(), parseSuppressions('leak:src/*', 's'));
    expect(judgeTest(makeTest('a', { leaks: [block(1, 'x.c:1')] }), ctx).status).toBe('fail');
    expect(judgeTest(makeTest('a', { reclaimed: [block(1, 'x.c:1')] }), ctx).status).toBe('warn');
    expect(judgeTest(makeTest('a', { leaks: [block(1, 'src/x.c:1')] }), ctx).status).toBe('warn');
    expect(judgeTest(makeTest('a', { persistent: [block(1, 'x.c:1')] }), ctx).status).toBe('ok');
    expect(judgeTest(makeTest('a', { segments: 0 }), ctx).status).toBe('idle');
  });

  it('the run: exit 1 when a test fails, 2 with --strict and a diagnostic, no-data only when asked', () => {
    const clean = makeResult([makeTest('a')]);
    expect(judgeRun(clean, judgeContext()).verdict).toEqual({ ok: true, exitCode: 0, reasons: [], notes: [] });
    const bad = makeResult([everything()]);
    expect(judgeRun(bad, judgeContext()).verdict).toMatchObject({ ok: false, exitCode: 1, reasons: ['1 test with memory errors under the policy'] });
    const diag = makeResult([makeTest('a')], { diagnostics: [{ line: 3, kind: 'bad-record', message: 'x' }], unreadRecords: 1 });
    expect(judgeRun(diag, judgeContext()).verdict).toMatchObject({ exitCode: 0, notes: ['1 record could not be read: the results are incomplete'] });
    expect(judgeRun(diag, judgeContext({ ...defaultPolicy(), strict: true })).verdict.exitCode).toBe(2);
    const none = makeResult([], { recordsSeen: false, diagnostics: [{ line: 1, kind: 'no-profiling', message: 'none' }] });
    expect(judgeRun(none, judgeContext()).verdict.exitCode).toBe(0);
    expect(judgeRun(none, judgeContext(policy('no-data'))).verdict.exitCode).toBe(1);
    expect(judgeRun(none, judgeContext({ ...defaultPolicy(), strict: true })).verdict.exitCode).toBe(0); // no-profiling is not a diagnostic of the input
  });

  it('says how the input counts, so no reporter reads the policy: diagnostics without the no-profiling marker, no-data and diagnostic severities', () => {
    const diags = [
      { line: 1, kind: 'no-profiling' as const, message: 'none' },
      { line: 3, kind: 'bad-record' as const, message: 'x' },
    ];
    const none = makeResult([], { recordsSeen: false, diagnostics: diags });
    const plain = judgeRun(none, judgeContext());
    expect(plain.diagnostics).toEqual([diags[1]]);
    expect(plain).toMatchObject({ noData: 'warning', diagnosticSeverity: 'warning' });
    expect(judgeRun(none, judgeContext(policy('no-data')))).toMatchObject({ noData: 'error', diagnosticSeverity: 'warning' });
    expect(judgeRun(none, judgeContext({ ...defaultPolicy(), strict: true }))).toMatchObject({ noData: 'warning', diagnosticSeverity: 'error' });
    expect(judgeRun(makeResult([makeTest('a')]), judgeContext(policy('no-data'))).noData).toBeNull();
  });

  it('a baseline regression fails the test and is counted apart; growth from 0 has no percent', () => {
    const ctx = judgeContext(defaultPolicy(), [], { peaks: new Map([['a', 100], ['b', 0]]), maxGrowth: 10 });
    const r = judgeRun(makeResult([makeTest('a', { peakBytes: 111 }), makeTest('b', { peakBytes: 5 }), makeTest('c')]), ctx);
    expect(r.tests.map((t) => t.ok)).toEqual([false, false, true]);
    expect(r.regressions).toEqual([
      { test: 'a', baselinePeakBytes: 100, peakBytes: 111, growthPercent: 11 },
      { test: 'b', baselinePeakBytes: 0, peakBytes: 5, growthPercent: null },
    ]);
    expect(r.verdict.reasons).toEqual(["2 tests over the baseline's peak allowance"]);
    expect(r.baselineChanges).toEqual({ added: ['c'], removed: [] });
  });

  it('--fail-on parses kinds, usage:N and headroom:N, and refuses the rest', () => {
    expect(parseFailOn(['carried,usage:80', 'headroom:512'])).toEqual({ failOn: new Set(['carried']), usageThreshold: 80, headroomFloor: 512 });
    expect(() => parseFailOn(['leaks'])).toThrow(PolicyError);
    expect(() => parseFailOn(['usage:'])).toThrow(PolicyError);
    expect(() => parseFailOn(['headroom:-1'])).toThrow(PolicyError);
    expect(FAIL_ON_KINDS).toContain('no-data');
  });
});

describe('the judge is pure', () => {
  const deepFreeze = <T>(o: T): T => {
    if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const v of Object.values(o as object)) deepFreeze(v);
    }
    return o;
  };

  it('never changes the facts, and judging a test alone gives what the run gives', () => {
    const kinds = fc.constantFrom('leak', 'double', 'invalid', 'reclaimed', 'persistent', 'failed', 'carried');
    const site = fc.constantFrom('src/a.c:1', 'lib/b.c:2', 'vendor/c.c:3');
    const testArb = fc.array(fc.tuple(kinds, site, fc.integer({ min: 1, max: 500 })), { maxLength: 8 }).map((items) => {
      const t = makeTest('t.py::x');
      for (const [k, s, n] of items) {
        if (k === 'leak') t.leaks.push(block(n, s));
        if (k === 'double') t.freeErrors.push(doubleFree(s));
        if (k === 'invalid') t.freeErrors.push(invalidFree(s));
        if (k === 'reclaimed') t.reclaimed.push(block(n, s));
        if (k === 'persistent') t.persistent.push(block(n, s));
        if (k === 'failed') t.failedAllocations.push({ size: n, site: s, line: 1 });
        if (k === 'carried') t.carried.push({ ...block(n, s), freedBy: null, freeLine: 2 });
      }
      return t;
    });
    const policies = fc.subarray([...FAIL_ON_KINDS]).map((kinds) => policyFrom([kinds.join(',')], false));
    fc.assert(
      fc.property(fc.array(testArb, { minLength: 1, maxLength: 5 }), policies, fc.constantFrom('', 'leak:lib/*', 'free:vendor/*\nleak:src/*'), (tests, p, rules) => {
        const facts = deepFreeze(makeResult(tests.map((t, i) => ({ ...t, name: `t${i}` }))));
        const ctx = judgeContext(p, parseSuppressions(rules, 's'));
        const report = judgeRun(facts, ctx); // would throw on a write to frozen facts
        report.tests.forEach((j, i) => expect(j).toEqual(judgeTest(facts.tests[i], ctx)));
        const failing = report.tests.filter((t) => !t.ok).length;
        expect(report.verdict.exitCode).toBe(failing > 0 ? 1 : 0);
        const suppressed = report.tests.flatMap((t) => t.findings).filter((f) => f.severity === 'suppressed').length;
        expect(report.totals.suppressed).toBe(suppressed);
        expect(report.suppressionCounts?.reduce((n, c) => n + c.count, 0) ?? 0).toBe(suppressed);
      }),
      { numRuns: 300 },
    );
  });
});
