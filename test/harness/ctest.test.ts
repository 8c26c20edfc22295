/**
 * The CTest adapter alone (SPEC §3.3), on real CTest 3.25 lines
 * (fixtures/harnesses/ctest-verbose.log, ctest-output-on-failure.log): each
 * CTest test a lane, its output read by its own runners.
 */
import { describe, expect, it } from 'vitest';
import { CtestAdapter } from '../../src/harness/ctest.js';
import type { HarnessEvent } from '../../src/harness/types.js';
import { feed } from '../helpers/adapter-events.js';

const HEADER = [
  'UpdateCTestConfiguration  from :/home/dev/addressbook/unit-tests/build/DartConfiguration.tcl',
  'Test project /home/dev/addressbook/unit-tests/build',
  'Constructing a list of tests',
  'Checking test dependency graph end',
];

const lanesOf = (ev: HarnessEvent[]) => ev.filter((e) => e.type === 'input').map((e) => (e.type === 'input' ? `${e.lane}|${e.text}` : ''));

describe('CTest -V: `N: ` prefixes, a lane per CTest test', () => {
  const verbose = [
    ...HEADER,
    'test 1',
    '    Start 1: book_cmocka',
    '',
    '1: Test command: /home/dev/addressbook/unit-tests/build/test_book_cmocka',
    '1: Working Directory: /home/dev/addressbook/unit-tests/build',
    '1: Test timeout computed to be: 10000000',
    '1: [==========] Running 7 test(s).',
    '1: [ RUN      ] test_prefs_and_lookup',
    '1: ==MP init;0x0x556938312230;4096',
    '1: [       OK ] test_prefs_and_lookup',
    '1: [==========] 7 test(s) run.',
    '1: [  FAILED  ] test_decode_shows_ticker',
    '1: ',
    '1:  1 FAILED TEST(S)',
    '1/2 Test #1: book_cmocka ......................***Failed    0.00 sec',
    'test 2',
    '    Start 2: book_gtest',
  ];

  it('strips the prefix, names inner tests CTESTNAME::INNER in lane N, and ends the lane at the status line', () => {
    const a = new CtestAdapter();
    const ev = feed(a, verbose);
    expect(ev).toEqual([
      { type: 'plan', count: 7 },
      { type: 'test-start', lane: '1', name: 'book_cmocka::test_prefs_and_lookup' },
      { type: 'test-end', lane: '1', outcome: 'passed' },
      { type: 'outcome-of', name: 'book_cmocka::test_decode_shows_ticker', outcome: 'failed' },
      { type: 'lane-end', lane: '1' },
      // book_gtest printed nothing before the end: no runner seen, so it is a test of its own
      { type: 'test-end', lane: '2', outcome: null, name: 'book_gtest' },
      { type: 'lane-end', lane: '2' },
    ]);
    expect(a.seen()).toEqual(['ctest', 'cmocka']);
  });

  it('the rest of a prefixed line is lane N input, `1: ` alone included; ctest’s own lines are the main lane’s', () => {
    const ev = feed(new CtestAdapter(), verbose, true);
    expect(lanesOf(ev)).toContain('1|==MP init;0x0x556938312230;4096');
    expect(lanesOf(ev)).toContain('1|');
    expect(lanesOf(ev)).toContain('|test 2');
  });

  it('-j: interleaved lanes keep their own tests', () => {
    const ev = feed(new CtestAdapter(), [
      '    Start 1: book_cmocka',
      '    Start 2: book_gtest',
      '2: [==========] Running 7 tests from 3 test suites.',
      '1: [==========] Running 7 test(s).',
      '1: [ RUN      ] test_prefs_and_lookup',
      '2: [ RUN      ] Contacts.AddThenLookup',
      '2: [       OK ] Contacts.AddThenLookup (0 ms)',
      '1/2 Test #2: book_gtest .......................   Passed    0.01 sec',
      '1: [       OK ] test_prefs_and_lookup',
      '2/2 Test #1: book_cmocka ......................   Passed    0.02 sec',
    ]);
    expect(ev.filter((e) => e.type !== 'plan')).toEqual([
      { type: 'test-start', lane: '1', name: 'book_cmocka::test_prefs_and_lookup' },
      { type: 'test-start', lane: '2', name: 'book_gtest::Contacts.AddThenLookup' },
      { type: 'test-end', lane: '2', outcome: 'passed' },
      { type: 'lane-end', lane: '2' },
      { type: 'test-end', lane: '1', outcome: 'passed' },
      { type: 'lane-end', lane: '1' },
    ]);
    expect(ev.filter((e) => e.type === 'plan')).toEqual([
      { type: 'plan', count: 7 },
      { type: 'plan', count: 14 },
    ]);
  });

  it('a CTest test with no inner runner is one test named after it, with the status outcome', () => {
    const ev = feed(new CtestAdapter(), [
      '    Start 3: heap_selftest',
      '3: Test command: /build/heap_selftest',
      '3: ==MP init;0x0x5600;4096',
      '3/3 Test #3: heap_selftest ....................***Exception: SegFault  0.01 sec',
    ]);
    expect(ev).toEqual([
      { type: 'test-end', lane: '3', outcome: 'error', name: 'heap_selftest' },
      { type: 'lane-end', lane: '3' },
    ]);
  });

  it.each([
    ['   Passed    0.00 sec', 'passed'],
    ['***Failed    0.00 sec', 'failed'],
    ['***Skipped   0.00 sec', 'skipped'],
    ['***Not Run (Disabled)   0.00 sec', 'skipped'],
    ['***Timeout   1.50 sec', 'error'],
    ['***Exception: Child aborted  0.01 sec', 'error'],
  ])('status %s → %s', (status, outcome) => {
    const ev = feed(new CtestAdapter(), ['    Start 1: t', `1/1 Test #1: t ................................${status}`]);
    expect(ev[0]).toEqual({ type: 'test-end', lane: '1', outcome, name: 't' });
  });
});

describe('CTest --output-on-failure: the output after its status line', () => {
  it('belongs to that test, up to the next Start line or the summary', () => {
    const ev = feed(
      new CtestAdapter(),
      [
        'Test project /home/dev/addressbook/unit-tests/build',
        '    Start 1: book_cmocka',
        '1/2 Test #1: book_cmocka ......................***Failed    0.00 sec',
        '[==========] Running 7 test(s).',
        '[ RUN      ] test_prefs_and_lookup',
        '==MP init;0x0x556938312230;4096',
        '[       OK ] test_prefs_and_lookup',
        '',
        '    Start 2: book_gtest',
        '2/2 Test #2: book_gtest .......................***Failed    0.00 sec',
        '[==========] Running 7 tests from 3 test suites.',
        '',
        '0% tests passed, 2 tests failed out of 2',
        '',
        'Total Test time (real) =   0.01 sec',
        'The following tests FAILED:',
        '\t  1 - book_cmocka (Failed)',
      ],
      true,
    );
    expect(ev.filter((e) => e.type !== 'input')).toEqual([
      { type: 'plan', count: 7 },
      { type: 'test-start', lane: '1', name: 'book_cmocka::test_prefs_and_lookup' },
      { type: 'test-end', lane: '1', outcome: 'passed' },
      { type: 'lane-end', lane: '1' },
      { type: 'plan', count: 14 },
      { type: 'lane-end', lane: '2' },
    ]);
    expect(lanesOf(ev)).toContain('1|==MP init;0x0x556938312230;4096');
    expect(lanesOf(ev)).toContain('|Total Test time (real) =   0.01 sec');
  });

  it('a record line without a prefix goes to the lane whose output is being printed', () => {
    const a = new CtestAdapter();
    const out: HarnessEvent[] = [];
    a.line('    Start 1: book_cmocka', 1, out);
    expect(a.recordLine(out)).toBe('1'); // the only test running, with no prefix seen
    a.line('1/2 Test #1: book_cmocka ......................***Failed    0.00 sec', 2, out);
    expect(a.recordLine(out)).toBe('1');
    a.line('0% tests passed, 1 tests failed out of 1', 3, out);
    expect(a.recordLine(out)).toBe('');
  });
});
