/**
 * The Unity adapter alone (SPEC §3.4), on real Unity 2.7.1 lines
 * (fixtures/harnesses/unity.log): lines in, test events out.
 */
import { describe, expect, it } from 'vitest';
import { UnityAdapter } from '../../src/harness/unity.js';
import { feed } from '../helpers/adapter-events.js';

const FILE = '/home/dev/addressbook/unit-tests/test_book_unity.c';

describe('Unity adapter on real output', () => {
  it('nothing announces a test: its result line names it FILE::NAME and ends it, after its records', () => {
    const a = new UnityAdapter();
    const ev = feed(a, [
      '==MP init;0x0x5624c2e49100;16384',
      '==MP alloc;32;0x0x5624c2e49164;/home/dev/addressbook/app/addressbook.c:177',
      `${FILE}:89:test_tlv_decode_roundtrip:PASS`,
    ]);
    expect(ev).toEqual([{ type: 'test-end', lane: '', outcome: 'passed', name: `${FILE}::test_tlv_decode_roundtrip` }]);
    expect(a.seen()).toEqual(['unity']);
  });

  it('FAIL with a message holding colons and quotes; IGNORE with a message', () => {
    const ev = feed(new UnityAdapter(), [
      `${FILE}:75:test_display_ticker_fails:FAIL: Expected 'Faythe (ETH) 0x424140' Was 'Faythe (ETH) 0x4241403f3e3d' Character 21 Expected '\\x00' Was '3':ticker line`,
      `${FILE}:82:test_ble_pairing_ignored:IGNORE: needs a BLE adapter`,
      `${FILE}:83:test_plain_ignore:IGNORE`,
    ]);
    expect(ev).toEqual([
      { type: 'test-end', lane: '', outcome: 'failed', name: `${FILE}::test_display_ticker_fails` },
      { type: 'test-end', lane: '', outcome: 'skipped', name: `${FILE}::test_ble_pairing_ignored` },
      { type: 'test-end', lane: '', outcome: 'skipped', name: `${FILE}::test_plain_ignore` },
    ]);
  });

  it('the summary (dashes, `6 Tests 1 Failures 1 Ignored ` with its trailing space, FAIL) closes the run', () => {
    const ev = feed(new UnityAdapter(), [`${FILE}:89:t:PASS`, '', '-----------------------', '6 Tests 1 Failures 1 Ignored ', 'FAIL']);
    expect(ev.slice(1)).toEqual([
      { type: 'test-end', lane: '', outcome: null },
      { type: 'test-end', lane: '', outcome: null },
    ]);
  });

  it('a result after the summary starts another run', () => {
    const ev = feed(new UnityAdapter(), [`${FILE}:89:t:PASS`, '-----------------------', '1 Tests 0 Failures 0 Ignored', 'OK', `b.c:3:u:PASS`]);
    expect(ev.map((e) => e.type)).toEqual(['test-end', 'test-end', 'test-end', 'session-start', 'test-end']);
  });

  it('dashes before any result, a gtest failure line and a Windows path are not results', () => {
    const ev = feed(new UnityAdapter(), [
      '-----------------------',
      '/home/dev/addressbook/unit-tests/test_book_gtest.cc:56: Failure',
      'C:\\src\\test_x.c:12:test_win:PASS',
    ]);
    expect(ev).toEqual([{ type: 'test-end', lane: '', outcome: 'passed', name: 'C:\\src\\test_x.c::test_win' }]);
  });
});
