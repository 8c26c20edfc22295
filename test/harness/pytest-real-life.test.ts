/**
 * pytest, the rest of real life (SPEC §3.1): output glued to result
 * characters and outcome words, live logging, -rA, -x, scoped emulators and
 * concatenated sessions. Real lines from fixtures/harnesses/pytest-*.log.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PytestAdapter, pytestTokens } from '../../src/harness/pytest.js';
import { analyzeText } from '../helpers/analysis.js';
import { feed } from '../helpers/adapter-events.js';
import { fixturePath } from '../helpers/cli.js';

const P = 'seproxyhal: printf: ==MP ';
const log = (name: string) => readFileSync(fixturePath(`harnesses/${name}.log`), 'utf8');
const loggers = (...names: string[]) => ({ loggers: new Set(names), strict: false });

describe('pytest -q: result characters glued to the next output', () => {
  it('`.apdu: …`, `Fapdu: …`, `.sapdu: …`: the characters, then output of the emulator', () => {
    expect(pytestTokens('.apdu: => e0020000200105416c69636502')).toEqual([{ t: 'results', chars: '.' }]);
    expect(pytestTokens('Fapdu: => e0070000')).toEqual([{ t: 'results', chars: 'F' }]);
    expect(pytestTokens('.sapdu: => e0fe0000')).toEqual([{ t: 'results', chars: '.s' }]);
    expect(pytestTokens('ssapdu: => e0fe0000')).toEqual([{ t: 'results', chars: 'ss' }]);
    expect(pytestTokens('seproxyhal: printf: app: exit')).toEqual([]);
  });

  it('a logger name counts once a line of this input started with it', () => {
    expect(pytestTokens('.ragger.backend: sending')).toEqual([]);
    expect(pytestTokens('.ragger.backend: sending', loggers('ragger.backend'))).toEqual([{ t: 'results', chars: '.' }]);
    const ev = feed(new PytestAdapter(), ['ragger.backend: starting', '.ragger.backend: sending', '.speculos: no line started with this name']);
    expect(ev).toEqual([{ type: 'test-end', lane: '', outcome: 'passed', name: '#1' }]);
  });

  it('the -q log: 22 tests by position, the first before any character, none after the last', () => {
    const r = analyzeText(log('pytest-q'));
    expect(r.tests.filter((t) => t.name !== null).map((t) => t.name)).toEqual([...Array(22)].map((_, i) => `#${i + 1}`));
    // the flex teardown after the 22nd character is no 23rd test
    expect(r.totals.tests).toBe(22);
  });

  it('an in-test heap reset in a test named only at its result is reclaimed, not leaked', () => {
    const r = analyzeText([`${P}init;0xda7a0000;4096`, `${P}alloc;8;0xda7a0064;a.c:1`, `${P}init;0xda7a0000;4096`, '.apdu: => e0010000'].join('\n'));
    expect(r.tests[0]).toMatchObject({ name: '#1', leaks: [], reclaimed: [expect.objectContaining({ site: 'a.c:1' })] });
  });
});

describe('pytest -v -s: the header, the emulator and the FAILURES section', () => {
  it('plugin header lines, the werkzeug banner and request lines are no structure', () => {
    const ev = feed(new PytestAdapter(), [
      '============================= test session starts ==============================',
      "hypothesis profile 'default'",
      'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
      'rootdir: /home/dev/addressbook',
      'plugins: hypothesis-6.155.2, benchmark-5.2.3',
      'collecting ... collected 22 items',
      '',
      'tests/test_book.py::test_version[nanox] speculos: launcher: using app app.elf for model nanox',
      'werkzeug: \x1b[31m\x1b[1mWARNING: This is a development server. Do not use it in a production deployment.\x1b[0m',
      ' * Running on http://127.0.0.1:43361',
      'werkzeug: 127.0.0.1 - - [01/Dec/2026 07:43:00] "POST /apdu HTTP/1.1" 200 -',
      'PASSED',
    ]);
    expect(ev).toEqual([
      { type: 'session-start' },
      { type: 'plan', count: 22 },
      { type: 'test-start', lane: '', name: 'tests/test_book.py::test_version[nanox]' },
      { type: 'outcome', lane: '', outcome: 'passed' },
    ]);
  });

  it('tracebacks in FAILURES (`E   …` lines, Python addresses 0x7f…) start nothing', () => {
    const ev = feed(new PytestAdapter(), [
      'tests/test_book.py::test_show_unknown_contact[nanox] apdu: => e0030000035a6f65',
      'FAILED',
      '=================================== FAILURES ===================================',
      '_______________________ test_show_unknown_contact[nanox] _______________________',
      'device = <conftest.EmulatedDevice object at 0x7f565b3afd90>',
      'E       AssertionError: assert 27272 == 27266',
      'tests/test_book.py:43: AssertionError',
      '=========================== short test summary info ============================',
      'FAILED tests/test_book.py::test_show_unknown_contact[nanox] - AssertionError:...',
      '=================== 2 failed, 19 passed, 1 skipped in 2.11s ====================',
    ]);
    expect(ev.filter((e) => e.type === 'test-start' || e.type === 'test-end' || e.type === 'outcome')).toEqual([
      { type: 'test-start', lane: '', name: 'tests/test_book.py::test_show_unknown_contact[nanox]' },
      { type: 'outcome', lane: '', outcome: 'failed' },
    ]);
  });
});

describe('pytest -v: outcome words glued to the next output', () => {
  it('`PASSEDapdu: => e0fe0000`: the word, then the flex teardown of the last test', () => {
    expect(pytestTokens('PASSEDapdu: => e0fe0000')).toEqual([{ t: 'outcome', outcome: 'passed' }]);
    expect(pytestTokens('PASSEDragger: bye', loggers('ragger'))).toEqual([{ t: 'outcome', outcome: 'passed' }]);
    expect(pytestTokens('PASSEDWORD')).toEqual([]);
  });

  it('a skip on the node id line: `SKIPPED (no NFC on Nano X)`', () => {
    expect(pytestTokens('tests/test_restore.py::test_nfc_share[nanox] SKIPPED (no NFC on Nano X)')).toEqual([
      { t: 'node', name: 'tests/test_restore.py::test_nfc_share[nanox]' },
      { t: 'outcome', outcome: 'skipped' },
    ]);
  });

  it('the session-scoped device: nanox teardown frees printed under the next test id free live blocks, no error', () => {
    const r = analyzeText(log('pytest-v-s'));
    const flex = r.tests.find((t) => t.name === 'tests/test_book.py::test_version[flex]')!;
    expect(flex.freeErrors).toEqual([]);
    expect(r.tests.find((t) => t.name === 'tests/test_restore.py::test_nfc_share[flex]')).toMatchObject({ allocations: 1, peakBytes: 94 });
  });

  it('class-scoped emulator: one init serves the class, its teardown frees print under the next class’s first test', () => {
    const r = analyzeText(
      [
        'collected 3 items',
        `tests/t.py::TestA::test_one ${P}init;0xda7a0000;4096`,
        `${P}alloc;16;0xda7a0064;app.c:1`,
        'PASSED',
        `tests/t.py::TestA::test_two ${P}alloc;8;0xda7a0080;app.c:2`,
        'PASSED',
        `tests/t.py::TestB::test_three ${P}free;0xda7a0064;app.c:9`,
        `${P}free;0xda7a0080;app.c:9`,
        `${P}init;0xda7a0000;4096`,
        'PASSED',
      ].join('\n'),
    );
    expect(r.totals).toMatchObject({ tests: 3, leaks: 0, doubleFrees: 0, invalidFrees: 0, carried: 2 });
  });
});

describe('pytest: live logging, -rA, -x', () => {
  it('live-log headers and `LEVEL    name:file.py:12 message` lines are output, not outcomes', () => {
    expect(pytestTokens('------------------------------- live log setup -------------------------------')).toEqual([]);
    expect(pytestTokens('INFO     ragger.backend:speculos.py:120 starting')).toEqual([]);
    expect(pytestTokens('ERROR    ragger.backend:speculos.py:120 tests/t.py::test_a broke')).toEqual([]);
    expect(pytestTokens('WARNING  root:conftest.py:8 slow device')).toEqual([]);
    const r = analyzeText(
      [
        'collected 1 item',
        'tests/t.py::test_a ',
        '-------------------------------- live log call ---------------------------------',
        'ERROR    ragger.backend:speculos.py:120 connection reset',
        `${P}init;0xda7a0000;4096`,
        'PASSED                                                                   [100%]',
      ].join('\n'),
    );
    expect(r.tests.map((t) => [t.name, t.outcome])).toEqual([['tests/t.py::test_a', 'passed']]);
  });

  it('-rA summaries name tests already run: `PASSED path::test`, `ERROR at teardown of path::test`', () => {
    expect(pytestTokens('PASSED tests/t.py::test_a')).toEqual([{ t: 'outcome', outcome: 'passed', name: 'tests/t.py::test_a' }]);
    expect(pytestTokens('ERROR at teardown of tests/t.py::test_a - RuntimeError: device gone')).toEqual([
      { t: 'outcome', outcome: 'error', name: 'tests/t.py::test_a' },
    ]);
    const r = analyzeText(
      [
        `tests/t.py::test_a ${P}init;0xda7a0000;4096`,
        'PASSED',
        '==================================== ERRORS ====================================',
        '______________________ ERROR at teardown of test_a _______________________',
        '=================================== PASSES ===================================',
        '=========================== short test summary info ============================',
        'PASSED tests/t.py::test_a',
        'ERROR at teardown of tests/t.py::test_a',
      ].join('\n'),
    );
    expect(r.tests.map((t) => [t.name, t.outcome])).toEqual([['tests/t.py::test_a', 'error']]);
  });

  it('-x: `stopping after 1 failures` closes the test phase', () => {
    expect(pytestTokens('!!!!!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failures !!!!!!!!!!!!!!!!!!!!!!!!!!!')).toEqual([
      { t: 'session-end', title: 'stopping after 1 failures' },
    ]);
    const r = analyzeText(
      [
        'collected 3 items',
        `tests/t.py::test_a ${P}init;0xda7a0000;4096`,
        'FAILED',
        '!!!!!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failures !!!!!!!!!!!!!!!!!!!!!!!!!!!',
        'tests/t.py::test_b',
        '========================= 1 failed in 0.12s =========================',
      ].join('\n'),
    );
    expect(r.tests.map((t) => t.name)).toEqual(['tests/t.py::test_a']);
  });
});

describe('pytest: several sessions concatenated with no delimiter (one log per device)', () => {
  it('two -q logs: each numbered from #1, the second starting right after the first one’s unframed tally', () => {
    expect(pytestTokens('2 failed, 19 passed, 1 skipped in 2.19s')).toEqual([
      { t: 'session-end', title: '2 failed, 19 passed, 1 skipped in 2.19s', tally: true },
    ]);
    const one = analyzeText(log('pytest-q'));
    const two = analyzeText(`${log('pytest-q')}${log('pytest-q')}`);
    const named = two.tests.filter((t) => t.name !== null);
    expect(named.map((t) => t.name)).toEqual([...Array(44)].map((_, i) => `#${(i % 22) + 1}`));
    expect(named.map((t) => t.index)).toEqual([...Array(44)].map((_, i) => (i % 22) + 1));
    expect(two.totals).toMatchObject({
      tests: 44,
      leaks: 2 * one.totals.leaks,
      reclaimed: 2 * one.totals.reclaimed,
      doubleFrees: 2 * one.totals.doubleFrees,
    });
  });

  it('a -v -s log then a -q log: each session in its own mode', () => {
    const r = analyzeText(`${log('pytest-v-s')}${log('pytest-q')}`);
    const named = r.tests.filter((t) => t.name !== null);
    expect(named.slice(0, 22).every((t) => t.name!.startsWith('tests/'))).toBe(true);
    expect(named.slice(22).map((t) => t.name)).toEqual([...Array(22)].map((_, i) => `#${i + 1}`));
    expect(r.totals.tests).toBe(44);
  });

  it('a -q log then a -v -s log', () => {
    const r = analyzeText(`${log('pytest-q')}${log('pytest-v-s')}`);
    expect(r.totals).toMatchObject({ tests: 44, leaks: 8, reclaimed: 48 });
  });
});
