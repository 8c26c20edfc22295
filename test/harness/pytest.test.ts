/**
 * The pytest adapter alone, on real lines (SPEC §3.1): lines in, test
 * events out — no records, no heap. `activity()` stands for "a record was
 * read from this line's input", as the analyzer calls it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PytestAdapter } from '../../src/harness/pytest.js';
import type { HarnessEvent } from '../../src/harness/types.js';
import { feed } from '../helpers/adapter-events.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8').split('\n');

/** Feeds lines; a line with a record marker counts as activity, as in the pipeline. */
function events(lines: string[], adapter = new PytestAdapter()): HarnessEvent[] {
  return feed(adapter, lines);
}

const starts = (ev: HarnessEvent[]) => ev.filter((e) => e.type === 'test-start').map((e) => (e.type === 'test-start' ? e.name : ''));

describe('pytest adapter on real output', () => {
  it('pytest -v -s: a test per node id, outcomes after it, the plan from `collected`', () => {
    const ev = events(fixture('real-pytest/pytest-verbose.log'));
    expect(ev[0]).toEqual({ type: 'session-start' });
    expect(ev[1]).toEqual({ type: 'plan', count: 6 });
    expect(starts(ev)).toEqual([
      'tests/test_wallet.py::test_app_name[nanox]',
      'tests/test_wallet.py::test_app_name[flex]',
      'tests/test_wallet.py::test_sign_message[nanox]',
      'tests/test_wallet.py::test_sign_message[flex]',
      'tests/test_wallet.py::test_settings_leak',
      'tests/test_wallet.py::test_invalid_free[nanox]',
    ]);
    expect(ev.filter((e) => e.type === 'outcome')).toHaveLength(6);
    expect(ev.at(-1)).toEqual({ type: 'session-end' });
  });

  it('pytest -s: the module line and result characters start `PATH #k` tests, held until something happens', () => {
    const ev = events(fixture('real-pytest/pytest-plain.log'));
    expect(starts(ev)).toEqual([1, 2, 3, 4, 5, 6].map((k) => `tests/test_wallet.py #${k}`));
    // the sixth result character starts nothing: the count announced is reached
    expect(ev.filter((e) => e.type === 'outcome').map((e) => (e.type === 'outcome' ? e.outcome : ''))).toEqual(Array(6).fill('passed'));
  });

  it('gives a held test its number back when nothing happens in it', () => {
    const ev = events(['tests/test_a.py ..', 'tests/test_b.py .']);
    expect(starts(ev)).toEqual(['tests/test_a.py #1', 'tests/test_a.py #2', 'tests/test_b.py #1']);
  });

  it('pytest -q: what ran before the first result character was test #1', () => {
    // No count announced: each character names and ends the test whose output came before it
    // (the analyzer keeps that output in an unnamed test), so output after the last one is no test's.
    const ev = events(['seproxyhal: printf: ==MP init;0xda7a0000;4096', '.seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1', '.']);
    expect(ev).toEqual([
      { type: 'test-end', lane: '', outcome: 'passed', name: '#1' },
      { type: 'test-end', lane: '', outcome: 'passed', name: '#2' },
    ]);
  });

  it('closing sections name tests already run: outcomes by name, no new test', () => {
    const ev = events([
      'tests/t.py::test_a PASSED',
      '=================================== FAILURES ===================================',
      'tests/t.py::test_b',
      '=========================== short test summary info ============================',
      'FAILED tests/t.py::test_a - assert 0',
    ]);
    expect(starts(ev)).toEqual(['tests/t.py::test_a']);
    expect(ev.at(-1)).toEqual({ type: 'outcome-of', name: 'tests/t.py::test_a', outcome: 'failed' });
  });

  it('a teardown ERROR on a second line stays with its test', () => {
    const ev = events(['tests/t.py::test_one PASSED', 'tests/t.py::test_one ERROR']);
    expect(starts(ev)).toEqual(['tests/t.py::test_one']);
    expect(ev.filter((e) => e.type === 'outcome').map((e) => (e.type === 'outcome' ? e.outcome : ''))).toEqual(['passed', 'error']);
  });

  it('a new session starts numbering afresh', () => {
    const ev = events([
      '============================= test session starts ==============================',
      'tests/a.py ..',
      '============================= test session starts ==============================',
      'tests/a.py .',
    ]);
    expect(starts(ev)).toEqual(['tests/a.py #1', 'tests/a.py #2', 'tests/a.py #1']);
    expect(ev.filter((e) => e.type === 'session-start')).toHaveLength(2);
  });

  it('passes every line on as input, the node id line included', () => {
    const a = new PytestAdapter();
    const out: HarnessEvent[] = [];
    a.line('tests/t.py::test_a seproxyhal: printf: ==MP init;0xda7a0000;4096', 1, out);
    expect(out).toEqual([
      { type: 'test-start', lane: '', name: 'tests/t.py::test_a' },
      { type: 'input', lane: '', text: 'tests/t.py::test_a seproxyhal: printf: ==MP init;0xda7a0000;4096' },
    ]);
  });
});
