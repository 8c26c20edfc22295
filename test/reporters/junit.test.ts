import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/reporters/junit.js';
import { getReporter } from '../../src/reporters/registry.js';
import { block, doubleFree, invalidFree, makeReport, makeResult, makeTest, policy } from '../helpers/facts.js';
import { judge, defaultPolicy } from '../../src/judge/index.js';

/** Parses strictly: any error of the parser (or warning other than U+FFFD, which we put there) fails the test. */
function parse(xml: string) {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level === 'warning' && /replacement character/.test(message)) return;
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  return doc.documentElement!;
}

function children(el: Element, tag: string): Element[] {
  return Array.from(el.getElementsByTagName(tag));
}

function suite(xml: string): Element {
  const root = parse(xml);
  expect(root.tagName).toBe('testsuites');
  const suites = children(root, 'testsuite');
  expect(suites).toHaveLength(1);
  return suites[0];
}

function cases(xml: string): Element[] {
  return children(suite(xml), 'testcase');
}

const leaky = () =>
  makeTest('tests/test_app.py::test_settings[nanox]', {
    leaks: [block(40, 'src/settings.c:9', 120, 0xda7a0064), block(41, 'src/tlv.c:482', 130, 0xda7a00a4)],
    freeErrors: [doubleFree('src/nav.c:60')],
  });

describe('junit reporter', () => {
  it('is registered', () => {
    expect(getReporter('junit')).toBeDefined();
  });

  it('writes one well-formed suite with counts and one testcase per test', () => {
    const report = makeReport([
      makeTest('tests/test_app.py::test_ok'),
      leaky(),
      makeTest('tests/test_app.py::TestNav::test_skip', { outcome: 'skipped' }),
      makeTest(null),
    ]);
    const xml = renderJunit(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const s = suite(xml);
    expect(s.getAttribute('name')).toBe('valground');
    expect(s.getAttribute('tests')).toBe('4');
    expect(s.getAttribute('failures')).toBe('1');
    expect(s.getAttribute('skipped')).toBe('1');
    expect(s.getAttribute('errors')).toBe('0');
    const tc = cases(xml);
    expect(tc.map((c) => [c.getAttribute('classname'), c.getAttribute('name')])).toEqual([
      ['tests/test_app.py', 'test_ok'],
      ['tests/test_app.py', 'test_settings[nanox]'],
      ['tests/test_app.py', 'TestNav::test_skip'],
      ['valground', '(outside any test)'],
    ]);
    expect(children(tc[2], 'skipped')).toHaveLength(1);
    expect(children(tc[0], 'failure')).toHaveLength(0);
  });

  it('names the problems in the failure message and lists every leak and bad free with its sites', () => {
    const xml = renderJunit(makeReport([leaky()]));
    const failure = children(cases(xml)[0], 'failure')[0];
    expect(failure.getAttribute('message')).toBe('2 leaks (81 bytes), 1 double free');
    const body = failure.textContent!;
    expect(body).toContain('40 bytes at 0xda7a0064 allocated at src/settings.c:9 (log line 120)');
    expect(body).toContain('41 bytes at 0xda7a00a4 allocated at src/tlv.c:482');
    expect(body).toContain('double free of 0xda7a0064 at src/nav.c:60');
    expect(body).toContain('allocated at src/a.c:1');
    expect(body).toContain('first freed at src/a.c:2');
  });

  it('names policy-dependent problems: usage threshold, reclaimed, failed allocations, invalid frees', () => {
    const t = makeTest('t.py::test_full', {
      peakBytes: 8000,
      reclaimed: [block(8, 'src/r.c:3')],
      failedAllocations: [{ size: 9000, site: 'src/big.c:7', line: 77 }],
      freeErrors: [invalidFree('src/nav.c:60')],
    });
    const xml = renderJunit(makeReport([t], policy('leak,free-error,reclaimed,failed-alloc,usage:90')));
    const failure = children(cases(xml)[0], 'failure')[0];
    const message = failure.getAttribute('message')!;
    expect(message).toContain('1 invalid free');
    expect(message).toContain('1 block reclaimed');
    expect(message).toContain('1 failed allocation');
    expect(message).toMatch(/97\.\d% full \(limit 90%\)/);
    expect(failure.textContent).toContain('allocation of 9000 bytes failed at src/big.c:7');
    expect(failure.textContent).toContain('invalid free (never allocated) of 0xda7a0200 at src/nav.c:60');
  });

  it('gives peak bytes, peak percent and heap size as properties', () => {
    const xml = renderJunit(makeReport([makeTest('t.py::test_a', { peakBytes: 256 })]));
    const props = Object.fromEntries(
      children(cases(xml)[0], 'property').map((p) => [p.getAttribute('name'), p.getAttribute('value')]),
    );
    expect(props['valground.peakBytes']).toBe('256');
    expect(props['valground.peakPercent']).toBe('3.13');
    expect(props['valground.heapSize']).toBe('8192');
    const s = suite(xml);
    const suiteProps = children(s, 'properties')[0];
    expect(suiteProps.parentNode).toBe(s);
    expect(children(suiteProps, 'property').map((p) => p.getAttribute('name'))).toContain('valground.peakBytes');
  });

  it('omits the percent when the heap size is unknown', () => {
    const xml = renderJunit(makeReport([makeTest('t.py::test_a', { heapSize: null })]));
    const names = children(cases(xml)[0], 'property').map((p) => p.getAttribute('name'));
    expect(names).toContain('valground.peakBytes');
    expect(names).not.toContain('valground.peakPercent');
    expect(names).not.toContain('valground.heapSize');
  });

  it('escapes < & " \' > in names, sites and messages', () => {
    const nasty = 'tests/a&b.py::test_x[<"\'&>]';
    const t = makeTest(nasty, { leaks: [block(8, 'src/<weird> & "q".c:3')] });
    const xml = renderJunit(makeReport([t]));
    expect(xml).not.toContain('<weird>');
    const c = cases(xml)[0];
    expect(c.getAttribute('classname')).toBe('tests/a&b.py');
    expect(c.getAttribute('name')).toBe('test_x[<"\'&>]');
    expect(children(c, 'failure')[0].textContent).toContain('src/<weird> & "q".c:3');
  });

  it('replaces characters XML cannot carry', () => {
    const t = makeTest('t.py::test_\u0001bin\u001f', { leaks: [block(8, 'src/\u0000.c:1')] });
    const c = cases(renderJunit(makeReport([t])))[0];
    expect(c.getAttribute('name')).toBe('test_\uFFFDbin\uFFFD');
    expect(children(c, 'failure')[0].textContent).toContain('src/\uFFFD.c:1');
  });

  it('splits plain-mode names and test records sensibly', () => {
    const xml = renderJunit(makeReport([makeTest('tests/test_app.py #3'), makeTest('boot sequence')]));
    expect(cases(xml).map((c) => [c.getAttribute('classname'), c.getAttribute('name')])).toEqual([
      ['tests/test_app.py', '#3'],
      ['valground', 'boot sequence'],
    ]);
  });

  it('adds a failing run-level testcase when the run fails without a failing test', () => {
    const result = makeResult([], { recordsSeen: false });
    const xml = renderJunit(judge(result, policy('leak,free-error,no-data')));
    const s = suite(xml);
    expect(s.getAttribute('tests')).toBe('1');
    expect(s.getAttribute('failures')).toBe('1');
    const c = cases(xml)[0];
    expect(c.getAttribute('name')).toBe('(run)');
    expect(children(c, 'failure')[0].getAttribute('message')).toContain('no memory-profiling record');
  });

  it('is an empty, passing suite for a clean run without tests', () => {
    const xml = renderJunit(judge(makeResult([]), defaultPolicy()));
    expect(suite(xml).getAttribute('tests')).toBe('0');
  });

  it('lists a baseline regression in the failure', () => {
    const t = makeTest('t.py::test_grow', { peakBytes: 150 });
    const regressions = [{ test: 't.py::test_grow', baselinePeakBytes: 100, peakBytes: 150, growthPercent: 50 }];
    const report = makeReport([t], defaultPolicy(), { regressions });
    const failure = children(cases(renderJunit(report))[0], 'failure')[0];
    expect(failure.getAttribute('message')).toBe('peak grew 50.00% over the baseline (100 → 150 bytes)');
  });
});
