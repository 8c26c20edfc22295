/**
 * The `[ RUN ]` family adapter alone (SPEC §3.2), on real GoogleTest 1.12
 * and cmocka 1.1.5 lines (fixtures/harnesses/gtest.log, cmocka.log): lines
 * in, test events out.
 */
import { describe, expect, it } from 'vitest';
import { RunFamilyAdapter } from '../../src/harness/run-family.js';
import { feed, lineEvents } from '../helpers/adapter-events.js';

const input = (text: string) => ({ type: 'input', lane: '', text });

describe('[ RUN ] family: GoogleTest', () => {
  it('the plan, a test per [ RUN ], its result after its records, with the duration dropped', () => {
    const a = new RunFamilyAdapter();
    expect(
      feed(a, [
        '[==========] Running 7 tests from 3 test suites.',
        '[----------] Global test environment set-up.',
        '[----------] 4 tests from Contacts',
        '[ RUN      ] Contacts.AddThenLookup',
        '==MP init;0x0x55eca415f7d0;4096',
        '[       OK ] Contacts.AddThenLookup (0 ms)',
      ]),
    ).toEqual([
      { type: 'plan', count: 7 },
      { type: 'test-start', lane: '', name: 'Contacts.AddThenLookup' },
      { type: 'test-end', lane: '', outcome: 'passed' },
    ]);
    expect(a.seen()).toEqual(['gtest']);
  });

  it('a failed EXPECT prints its message in the middle of the records: output, the test goes on', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '[ RUN      ] Contacts.LookupIgnoresCase',
      '==MP alloc;16;0x0x55eca415f834;/home/dev/addressbook/app/addressbook.c:11',
      '/home/dev/addressbook/unit-tests/test_book_gtest.cc:56: Failure',
      'Expected: (book_lookup(book_, "sybil")) != (nullptr), actual: NULL vs (nullptr)',
      'lookup should ignore case',
      '==MP free;0x0x55eca415f834;/home/dev/addressbook/app/addressbook.c:37',
      '[  FAILED  ] Contacts.LookupIgnoresCase (0 ms)',
    ]);
    expect(ev).toEqual([
      { type: 'test-start', lane: '', name: 'Contacts.LookupIgnoresCase' },
      { type: 'test-end', lane: '', outcome: 'failed' },
    ]);
  });

  it('GTEST_SKIP: `FILE:LINE: Skipped`, its message, then [  SKIPPED ]', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '[ RUN      ] Storage.NfcBackup',
      '/home/dev/addressbook/unit-tests/test_book_gtest.cc:94: Skipped',
      'no NFC reader on the host',
      '[  SKIPPED ] Storage.NfcBackup (0 ms)',
    ]);
    expect(ev.at(-1)).toEqual({ type: 'test-end', lane: '', outcome: 'skipped' });
  });

  it('suite banners between tests and the summary lists name no new test', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '[----------] 4 tests from Contacts (0 ms total)',
      '',
      '[----------] Global test environment tear-down',
      '[==========] 7 tests from 3 test suites ran. (1 ms total)',
      '[  PASSED  ] 5 tests.',
      '[  SKIPPED ] 1 test, listed below:',
      '[  SKIPPED ] Storage.NfcBackup',
      '[  FAILED  ] 1 test, listed below:',
      '[  FAILED  ] Contacts.LookupIgnoresCase',
      '',
      ' 1 FAILED TEST',
    ]);
    expect(ev).toEqual([
      { type: 'outcome-of', name: 'Storage.NfcBackup', outcome: 'skipped' },
      { type: 'outcome-of', name: 'Contacts.LookupIgnoresCase', outcome: 'failed' },
    ]);
  });

  it('parameterised names keep their /N and lose `, where GetParam() = …`', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '[ RUN      ] Sizes/AllocTest.Grows/3',
      '[  FAILED  ] Sizes/AllocTest.Grows/3, where GetParam() = 64 (0 ms)',
    ]);
    expect(ev).toEqual([
      { type: 'test-start', lane: '', name: 'Sizes/AllocTest.Grows/3' },
      { type: 'test-end', lane: '', outcome: 'failed' },
    ]);
  });

  it('--gtest_brief=1: a failure with no [ RUN ] before it is a test of its own, what ran before is not its', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '==MP alloc;16;0x0x55eca415f834;/home/dev/addressbook/app/addressbook.c:11',
      '/home/dev/addressbook/unit-tests/test_book_gtest.cc:56: Failure',
      '[  FAILED  ] Contacts.LookupIgnoresCase (0 ms)',
      '[==========] 7 tests from 3 test suites ran. (1 ms total)',
      '[  PASSED  ] 6 tests.',
    ]);
    expect(ev).toEqual([
      { type: 'test-start', lane: '', name: 'Contacts.LookupIgnoresCase' },
      { type: 'test-end', lane: '', outcome: 'failed' },
    ]);
  });

  it('a second run (another binary, --gtest_repeat) numbers its tests afresh', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '[==========] Running 1 test from 1 test suite.',
      '[ RUN      ] A.B',
      '[       OK ] A.B (0 ms)',
      '[==========] 1 test from 1 test suite ran. (0 ms total)',
      '[==========] Running 1 test from 1 test suite.',
    ]);
    expect(ev.map((e) => e.type)).toEqual(['plan', 'test-start', 'test-end', 'session-start', 'plan']);
  });

  it('a test that never printed its result ends at the end of the run', () => {
    const ev = feed(new RunFamilyAdapter(), ['[ RUN      ] A.Crash', '[==========] 1 test from 1 test suite ran. (0 ms total)']);
    expect(ev.at(-1)).toEqual({ type: 'test-end', lane: '', outcome: null });
  });

  it('passes every line on as input, its own lines included', () => {
    expect(lineEvents(new RunFamilyAdapter(), '[ RUN      ] A.B')).toEqual([{ type: 'test-start', lane: '', name: 'A.B' }, input('[ RUN      ] A.B')]);
    expect(lineEvents(new RunFamilyAdapter(), '==MP init;0x0x55eca415f7d0;4096')).toEqual([input('==MP init;0x0x55eca415f7d0;4096')]);
  });
});

describe('[ RUN ] family: cmocka', () => {
  it('`Running N test(s)` is cmocka; results carry no duration', () => {
    const a = new RunFamilyAdapter();
    const ev = feed(a, ['[==========] Running 7 test(s).', '[ RUN      ] test_prefs_and_lookup', '[       OK ] test_prefs_and_lookup']);
    expect(ev).toEqual([
      { type: 'plan', count: 7 },
      { type: 'test-start', lane: '', name: 'test_prefs_and_lookup' },
      { type: 'test-end', lane: '', outcome: 'passed' },
    ]);
    expect(a.seen()).toEqual(['cmocka']);
  });

  it('the assertion messages on stderr ([  ERROR   ] --- …, [   LINE   ] --- …) are output, before the result', () => {
    const a = new RunFamilyAdapter();
    const ev = feed(a, [
      '[ RUN      ] test_decode_shows_ticker',
      '[  ERROR   ] --- "Dana (SOL) 0x9a8b7c6d5e4f30211203f4e5" != "Dana (SOL) 0x9a8b...0321"',
      '[   LINE   ] --- /home/dev/addressbook/unit-tests/test_book_cmocka.c:96: error: Failure!',
      '[  FAILED  ] test_decode_shows_ticker',
    ]);
    expect(ev).toEqual([
      { type: 'test-start', lane: '', name: 'test_decode_shows_ticker' },
      { type: 'test-end', lane: '', outcome: 'failed' },
    ]);
    expect(a.seen()).toEqual(['cmocka']);
  });

  it('[  ERROR   ] NAME (a failed setup or teardown) ends the test as an error', () => {
    const ev = feed(new RunFamilyAdapter(), ['[ RUN      ] test_x', '[  ERROR   ] test_x']);
    expect(ev.at(-1)).toEqual({ type: 'test-end', lane: '', outcome: 'error' });
  });

  it('a skipped test with no record, then the summary naming skipped and failed tests again', () => {
    const ev = feed(new RunFamilyAdapter(), [
      '[ RUN      ] test_sync_over_bluetooth',
      '[  SKIPPED ] test_sync_over_bluetooth',
      '[==========] 7 test(s) run.',
      '[  PASSED  ] 5 test(s).',
      '[  SKIPPED ] 1 test(s), listed below:',
      '[  SKIPPED ] test_sync_over_bluetooth',
      '',
      ' 1 SKIPPED TEST(S)',
      '[  FAILED  ] 1 test(s), listed below:',
      '[  FAILED  ] test_decode_shows_ticker',
    ]);
    expect(ev).toEqual([
      { type: 'test-start', lane: '', name: 'test_sync_over_bluetooth' },
      { type: 'test-end', lane: '', outcome: 'skipped' },
      { type: 'outcome-of', name: 'test_sync_over_bluetooth', outcome: 'skipped' },
      { type: 'outcome-of', name: 'test_decode_shows_ticker', outcome: 'failed' },
    ]);
  });

  it('newer cmocka prefixes the group name: `tests: Running 3 test(s).`', () => {
    const ev = feed(new RunFamilyAdapter(), ['[==========] tests: Running 3 test(s).', '[==========] tests: 3 test(s) run.', '[  FAILED  ] tests: 1 test(s), listed below:']);
    expect(ev).toEqual([{ type: 'plan', count: 3 }]);
  });

  it('--harness cmocka names it so from the first line', () => {
    const a = new RunFamilyAdapter('cmocka');
    feed(a, ['[ RUN      ] t', '[       OK ] t']);
    expect(a.seen()).toEqual(['cmocka']);
  });
});
