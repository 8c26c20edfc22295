/**
 * JUnit XML reporter (SPEC §5.3): one `testsuite` named "valground", one
 * `testcase` per test, a `failure` per test that fails the memory policy.
 * The document is built with fast-xml-parser's XMLBuilder so escaping
 * happens in one place; characters XML 1.0 cannot carry at all (control
 * codes, lone surrogates — possible in logs with binary garbage) are
 * replaced by U+FFFD in the builder's value processors.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { JudgedReport, JudgedTest } from '../judge/types.js';
import { detailLines, problemPhrases, splitTestName } from './present.js';
import { registerReporter } from './registry.js';

export const SUITE_NAME = 'valground';

// Not allowed anywhere in an XML 1.0 document, not even as character references.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function xmlSafe(value: unknown): string {
  return String(value).replace(XML_INVALID, '\uFFFD');
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  // Otherwise an attribute whose value is "true" would be written bare (invalid XML).
  suppressBooleanAttributes: false,
  processEntities: true, // the builder's escaping of & < > ' " — the one choke point
  tagValueProcessor: (_name: string, value: unknown) => xmlSafe(value),
  // A parser would turn raw line breaks and tabs in an attribute into spaces anyway.
  attributeValueProcessor: (_name: string, value: unknown) => xmlSafe(value).replace(/[\r\n\t]/g, ' '),
});

type Node = Record<string, unknown>;

function properties(entries: Array<[string, number | string | null]>): Node {
  return {
    property: entries
      .filter(([, v]) => v !== null)
      .map(([name, value]) => ({ '@_name': name, '@_value': String(value) })),
  };
}

function testProperties(j: JudgedTest): Node {
  const t = j.facts;
  const layout = t.layout ?? null;
  return properties([
    ['valground.peakBytes', t.peakBytes],
    ['valground.peakPercent', t.peakPercent === null ? null : Number(t.peakPercent.toFixed(2))],
    ['valground.heapSize', t.heapSize],
    ['valground.allocations', t.allocations],
    ['valground.totalBytes', t.totalBytes],
    ['valground.segments', t.segments],
    ['valground.outcome', t.outcome],
    ['valground.headroom', layout === null ? null : layout.headroom],
    ['valground.largestFree', layout === null ? null : layout.largestFree],
    ['valground.fragmentation', layout === null ? null : Number(layout.fragmentation.toFixed(4))],
  ]);
}

function testcase(j: JudgedTest): { node: Node; failed: boolean; skipped: boolean } {
  const t = j.facts;
  const { classname, name } = splitTestName(t.name, SUITE_NAME);
  const node: Node = { '@_classname': classname, '@_name': name, properties: testProperties(j) };
  if (!j.ok) {
    const reasons = problemPhrases(j);
    node.failure = {
      '@_message': reasons.length > 0 ? reasons.join(', ') : 'fails the memory policy',
      '@_type': 'memory',
      '#text': detailLines(j).join('\n'),
    };
    return { node, failed: true, skipped: false };
  }
  if (t.outcome === 'skipped') {
    node.skipped = { '@_message': 'skipped by the test runner' };
    return { node, failed: false, skipped: true };
  }
  return { node, failed: false, skipped: false };
}

export function renderJunit(report: JudgedReport): string {
  const cases: Node[] = [];
  let failures = 0;
  let skipped = 0;
  for (const t of report.tests) {
    const c = testcase(t);
    cases.push(c.node);
    if (c.failed) failures++;
    if (c.skipped) skipped++;
  }
  // A failing run with no failing test (no profiling at all, strict
  // diagnostics) must not look green in a CI test view: add a run-level case.
  if (!report.verdict.ok && failures === 0) {
    const reasons = report.verdict.reasons.length > 0 ? report.verdict.reasons : ['the run fails the memory policy'];
    cases.push({
      '@_classname': SUITE_NAME,
      '@_name': '(run)',
      failure: {
        '@_message': reasons.join('; '),
        '@_type': 'memory',
        '#text': [...reasons, ...report.diagnostics.map((d) => `line ${d.line}: ${d.kind}: ${d.message}`)].join('\n'),
      },
    });
    failures++;
  }
  const totals = report.totals;
  const counts = { '@_tests': cases.length, '@_failures': failures, '@_errors': 0, '@_skipped': skipped };
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': SUITE_NAME,
      ...counts,
      testsuite: {
        '@_name': SUITE_NAME,
        ...counts,
        properties: properties([
          ['valground.peakBytes', totals.peakBytes],
          ['valground.peakPercent', totals.peakPercent === null ? null : Number(totals.peakPercent.toFixed(2))],
          ['valground.heapSize', heapSizeOf(report)],
          ['valground.leaks', totals.leaks],
          ['valground.leakedBytes', totals.leakedBytes],
          ['valground.doubleFrees', totals.doubleFrees],
          ['valground.invalidFrees', totals.invalidFrees],
          ['valground.suppressed', totals.suppressed],
          ['valground.verdict', report.verdict.ok ? 'ok' : `fail (exit ${report.verdict.exitCode})`],
        ]),
        testcase: cases,
      },
    },
  };
  return builder.build(doc);
}

/** The largest heap seen (tests may run with different heap sizes). */
function heapSizeOf(report: JudgedReport): number | null {
  let size: number | null = null;
  for (const { facts: t } of report.tests) if (t.heapSize !== null && (size === null || t.heapSize > size)) size = t.heapSize;
  return size;
}

registerReporter('junit', () => ({ end: renderJunit }));
