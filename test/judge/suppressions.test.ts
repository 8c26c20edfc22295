import { describe, expect, it } from 'vitest';
import type { AnalysisFacts } from '../../src/analyzer/facts.js';
import { judgeContext, judgeRun, judgeTest } from '../../src/judge/judge.js';
import { judge, defaultPolicy } from '../../src/judge/index.js';
import { parseSuppressions, siteMatches, SuppressionSyntaxError, type SuppressionRule } from '../../src/judge/suppressions.js';
import { toJson } from '../../src/report/write.js';
import { block, doubleFree, invalidFree, makeResult, makeTest } from '../helpers/facts.js';

/** Judged with the rules: the report, its JSON (what is suppressed is listed apart) and the counts. */
function applySuppressions(facts: AnalysisFacts, rules: SuppressionRule[]) {
  const report = judgeRun(facts, judgeContext(defaultPolicy(), rules));
  const doc = toJson(report);
  return { report, result: { ...doc, leakSites: report.leakSites }, counts: report.suppressionCounts };
}

describe('parseSuppressions', () => {
  it('reads leak: and free: rules, skipping comments and blank lines', () => {
    const text = [
      '# known problems',
      '',
      'leak:lib/tlv/*.c:*',
      '   free:src/nav.c:60   # freed twice on purpose',
      '\t',
      'leak: src/a.c:1',
      '',
    ].join('\r\n');
    expect(parseSuppressions(text, 'supp.txt')).toEqual([
      { kind: 'leak', pattern: 'lib/tlv/*.c:*', origin: 'supp.txt:3' },
      { kind: 'free', pattern: 'src/nav.c:60', origin: 'supp.txt:4' },
      { kind: 'leak', pattern: 'src/a.c:1', origin: 'supp.txt:6' },
    ]);
  });

  it.each([
    ['leek:src/a.c:1', 'supp:2: expected "leak:GLOB" or "free:GLOB", got "leek:src/a.c:1"'],
    ['src/a.c:1', 'supp:2: expected "leak:GLOB" or "free:GLOB"'],
    ['leak:', 'supp:2: empty pattern after "leak:"'],
    ['free:   # nothing', 'supp:2: empty pattern after "free:"'],
  ])('rejects %j with file:line', (line, message) => {
    let error: unknown;
    try {
      parseSuppressions(`# ok\n${line}\n`, 'supp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SuppressionSyntaxError);
    expect((error as SuppressionSyntaxError).message.startsWith(message)).toBe(true);
    expect((error as SuppressionSyntaxError).line).toBe(2);
  });
});

describe('siteMatches', () => {
  it('takes a leading ! as itself (no negation: a rule names what it suppresses)', () => {
    expect(parseSuppressions('leak:!src/*', 's')).toEqual([{ kind: 'leak', pattern: '!src/*', origin: 's:1' }]);
    expect(siteMatches('!src/a.c:1', '!src/*')).toBe(true);
    expect(siteMatches('src/a.c:1', '!src/*')).toBe(false);
  });

  it.each([
    ['src/a.c:12', 'src/a.c:12', true],
    ['src/a.c:12', 'src/a.c:1', false],
    ['src/a.c:12', 'src/a.c:*', true],
    ['src/a.c:12', '*.c:*', true],
    ['src/a.c:12', '*a.c*', true],
    ['src/a.c:12', 'a.c:12', false], // the whole site, not a substring
    ['src/deep/dir/b.c:3', 'src/*:3', true], // * crosses '/'
    ['src/a.c:12', 'SRC/A.C:12', false], // case-sensitive
    ['lib/x;y.c:7', 'lib/x;y.c:*', true],
  ])('%s vs %s → %s', (site, pattern, expected) => {
    expect(siteMatches(site, pattern)).toBe(expected);
  });
});

describe('applySuppressions', () => {
  const build = () =>
    makeResult([
      makeTest('t.py::test_a', {
        leaks: [block(40, 'src/settings.c:9'), block(8, 'lib/tlv/tlv.c:482'), block(16, 'lib/tlv/der.c:3')],
        freeErrors: [doubleFree('src/nav.c:60'), invalidFree('src/nav.c:61')],
      }),
      makeTest('t.py::test_b', { leaks: [block(8, 'lib/tlv/tlv.c:482')] }),
    ]);
  const rules = parseSuppressions(
    ['leak:lib/tlv/tlv.c:*', 'leak:lib/*', 'free:src/nav.c:60', 'leak:never/*'].join('\n'),
    's',
  );

  it('moves matched leaks and free errors, counts per rule, adjusts totals', () => {
    const input = build();
    const { result, counts } = applySuppressions(input, rules);
    const [a, b] = result.tests;
    expect(a.leaks.map((l) => l.site)).toEqual(['src/settings.c:9']);
    expect(a.suppressed.map((l) => l.site)).toEqual(['lib/tlv/tlv.c:482', 'lib/tlv/der.c:3']);
    expect(a.freeErrors.map((e) => e.site)).toEqual(['src/nav.c:61']);
    expect(a.suppressedFreeErrors.map((e) => e.site)).toEqual(['src/nav.c:60']);
    expect(b.leaks).toEqual([]);
    // The first matching rule in file order gets the item.
    expect(counts).toEqual([
      { pattern: 'lib/tlv/tlv.c:*', kind: 'leak', count: 2 },
      { pattern: 'lib/*', kind: 'leak', count: 1 },
      { pattern: 'src/nav.c:60', kind: 'free', count: 1 },
      { pattern: 'never/*', kind: 'leak', count: 0 },
    ]);
    expect(result.totals).toMatchObject({ leaks: 1, leakedBytes: 40, doubleFrees: 0, invalidFrees: 1, suppressed: 4 });
    expect(result.leakSites.map((s) => s.site)).toEqual(['src/settings.c:9']);
  });

  it('a rule given twice: the first gets the items, the second counts none', () => {
    const { counts } = applySuppressions(build(), parseSuppressions('leak:lib/*\nleak:lib/*', 's'));
    expect(counts?.map((c) => c.count)).toEqual([3, 0]);
  });

  it('is pure: the input is unchanged', () => {
    const input = build();
    const before = JSON.stringify(input);
    applySuppressions(input, rules);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('free: rules do not touch leaks and leak: rules do not touch frees', () => {
    const { result } = applySuppressions(build(), parseSuppressions('free:lib/*\nleak:src/nav.c:*', 's'));
    expect(result.totals.suppressed).toBe(0);
  });

  it('makes a run whose only problems are suppressed pass', () => {
    const input = makeResult([makeTest('t.py::x', { leaks: [block(8, 'lib/tlv/tlv.c:1')] })]);
    expect(judge(input, defaultPolicy()).verdict.exitCode).toBe(1);
    const { report, result } = applySuppressions(input, parseSuppressions('leak:lib/*', 's'));
    expect(report.verdict.exitCode).toBe(0);
    expect(report.tests[0].ok).toBe(true);
    expect(result.tests[0].suppressed).toHaveLength(1);
  });

  it('judges test by test the same as the whole run, as the CLI streams them', () => {
    const ctx = judgeContext(defaultPolicy(), parseSuppressions('leak:*', 's'));
    const t = makeTest('t.py::x', { leaks: [block(8, 'a.c:1'), block(9, 'b.c:2')] });
    const j = judgeTest(t, ctx);
    expect(j.findings.map((f) => [f.kind, f.severity, f.suppressedBy?.pattern])).toEqual([
      ['leak', 'suppressed', '*'],
      ['leak', 'suppressed', '*'],
    ]);
    expect(j.ok).toBe(true);
    expect(j.status).toBe('warn');
    expect(t.leaks).toHaveLength(2); // facts are never changed
    expect(judgeRun(makeResult([t]), ctx).tests[0]).toEqual(j);
  });
});

describe('backslashes in sites', () => {
  it('are plain characters in a pattern (only * is special)', () => {
    expect(siteMatches('C:\\src\\x.c:12', 'C:\\src\\x.c:12')).toBe(true);
    expect(siteMatches('C:\\src\\x.c:12', 'C:\\src\\*')).toBe(true);
    expect(siteMatches('C:\\src\\x.c:12', 'C:\\lib\\*')).toBe(false);
  });
});
