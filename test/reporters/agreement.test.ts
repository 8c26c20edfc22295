/**
 * Every reporter says the same thing about the same test: what fails and
 * what only warns comes from the judge, and each format shows exactly that.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyzer/analyze.js';
import { judgeContext, judgeRun } from '../../src/judge/judge.js';
import { policyFrom } from '../../src/judge/policy.js';
import { parseSuppressions } from '../../src/judge/suppressions.js';
import type { JudgedReport } from '../../src/judge/types.js';
import { toJson } from '../../src/report/write.js';
import { renderGithub } from '../../src/reporters/github.js';
import { fromReport } from '../../src/reporters/html/from-report.js';
import { encodeModel } from '../../src/reporters/html/pack.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { TextReporter } from '../../src/reporters/text.js';
import { OUTSIDE_ANY_TEST } from '../../src/reporters/present.js';

const dir = new URL('../../fixtures/', import.meta.url);
const logs = ['generated', 'real-pytest', 'ci', 'heap'].flatMap((d) =>
  readdirSync(new URL(d + '/', dir))
    .filter((f) => f.endsWith('.log'))
    .map((f) => `${d}/${f}`),
);
const setups: Array<[string, string[], string]> = [
  ['default policy', [], ''],
  ['everything fails', ['reclaimed,persistent,carried,failed-alloc,usage:50'], ''],
  ['with suppressions', [], 'leak:src/*\nfree:*'],
];

function judged(log: string, failOn: string[], rules: string): JudgedReport {
  const facts = analyzeText(readFileSync(new URL(log, dir), 'utf8'));
  return judgeRun(facts, judgeContext(policyFrom(failOn, false), parseSuppressions(rules, 's')));
}

describe.each(setups)('all reporters agree (%s)', (_title, failOn, rules) => {
  it.each(logs)('%s', (log) => {
    const report = judged(log, failOn, rules);
    const ok = report.tests.map((t) => t.ok);
    const status = report.tests.map((t) => t.status);

    // text: one line per test, its mark from the judge's status
    const text = new TextReporter({ colors: false, quiet: false });
    const marks = report.tests.map((t) => text.test(t).split('\n')[0].charAt(0));
    expect(marks).toEqual(status.map((s) => ({ fail: '✖', warn: '⚠', ok: '✔', idle: '·' })[s]));

    // JSON: the same ok per test and overall
    const doc = toJson(report);
    expect(doc.tests.map((t) => t.ok)).toEqual(ok);
    expect(doc.ok).toBe(report.verdict.ok);

    // JUnit: a failure exactly for the tests that fail
    const xml = new DOMParser().parseFromString(renderJunit(report), 'text/xml');
    const cases = Array.from(xml.getElementsByTagName('testcase')).slice(0, report.tests.length);
    expect(cases.map((c) => c.getElementsByTagName('failure').length === 0)).toEqual(ok);

    // HTML: the page's data carries the same verdict per test
    const model = fromReport(report);
    expect(model.tests.map((t) => [t.ok, t.status])).toEqual(report.tests.map((t) => [t.ok, t.status]));
    expect(encodeModel(model, 60).c.ok).toEqual(ok.map((x) => (x ? 1 : 0)));

    // GitHub: every failing test is named in an ::error, no passing one is the only test of an ::error
    const gh = renderGithub(report);
    const errors = gh.split('\n').filter((l) => l.startsWith('::error'));
    for (const t of report.tests.filter((t) => !t.ok)) {
      const name = t.facts.name ?? OUTSIDE_ANY_TEST;
      expect(errors.some((l) => l.includes(name) || !l.includes('file=')), `${name} has an error annotation`).toBe(true);
    }
    if (report.verdict.ok) expect(errors).toEqual([]);
  });
});
