/**
 * The TAP adapter alone (SPEC §3.5), on real lines: cmocka's
 * `CMOCKA_MESSAGE_OUTPUT=TAP` (fixtures/harnesses/cmocka-tap.log), node:test
 * and TAP 14 subtests: lines in, test events out.
 */
import { describe, expect, it } from 'vitest';
import { TapAdapter, tapResult } from '../../src/harness/tap.js';
import { feed } from '../helpers/adapter-events.js';

const end = (name: string, outcome: string) => ({ type: 'test-end', lane: '', outcome, name });

describe('TAP adapter: cmocka', () => {
  it('plan first; a verdict after its records names and ends the test', () => {
    const a = new TapAdapter();
    const ev = feed(a, [
      '1..7',
      '==MP init;0x0x556938312230;4096',
      'ok 1 - test_prefs_and_lookup',
      'not ok 5 - test_decode_shows_ticker',
      '# "Dana (SOL) 0x9a8b7c6d5e4f30211203f4e5" != "Dana (SOL) 0x9a8b...0321"',
      '# /home/dev/addressbook/unit-tests/test_book_cmocka.c:96: error: Failure!',
    ]);
    expect(ev).toEqual([{ type: 'plan', count: 7 }, end('test_prefs_and_lookup', 'passed'), end('test_decode_shows_ticker', 'failed')]);
    expect(a.seen()).toEqual(['tap']);
  });

  it('cmocka prints a skip as `not ok 6 # SKIP name`: the directive text names it', () => {
    expect(feed(new TapAdapter(), ['not ok 6 # SKIP test_sync_over_bluetooth'])).toEqual([end('test_sync_over_bluetooth', 'skipped')]);
  });

  it('the closing `# not ok - tests` is a comment', () => {
    expect(feed(new TapAdapter(), ['1..1', 'ok 1 - a', '# not ok - tests'])).toHaveLength(2);
  });
});

describe('TAP adapter: directives, plans, streams', () => {
  it('reads SKIP and TODO directives', () => {
    expect(tapResult('ok 2 - slow path # SKIP no hardware')).toMatchObject({ description: 'slow path', outcome: 'skipped', directiveText: 'no hardware' });
    expect(tapResult('not ok 3 - grow in place # TODO not yet')).toMatchObject({ description: 'grow in place', outcome: 'xfail' });
    expect(tapResult('ok 4 - fixed by accident # todo')).toMatchObject({ outcome: 'xpass' });
    expect(tapResult('ok 5 # skipped: reason')).toMatchObject({ description: '', outcome: 'skipped', directiveText: 'reason' });
    expect(tapResult('okay then')).toBeNull();
  });

  it('a test with no description and no directive text is #N', () => {
    expect(feed(new TapAdapter(), ['ok 3'])).toEqual([end('#3', 'passed')]);
  });

  it('a trailing plan ends its stream: the next result starts another, numbered afresh', () => {
    const ev = feed(new TapAdapter(), ['ok 1 - a', 'ok 2 - b', '1..2', 'ok 1 - c', '1..1']);
    expect(ev.map((e) => e.type)).toEqual(['test-end', 'test-end', 'plan', 'session-start', 'test-end', 'plan']);
  });

  it('a new leading plan or TAP version after a stream restarts numbering', () => {
    expect(feed(new TapAdapter(), ['TAP version 13', '1..1', 'ok 1 - a', '1..1', 'ok 1 - b']).map((e) => e.type)).toEqual([
      'plan',
      'test-end',
      'session-start',
      'plan',
      'test-end',
    ]);
    expect(feed(new TapAdapter(), ['1..1', 'ok 1 - a', 'TAP version 14']).map((e) => e.type)).toEqual(['plan', 'test-end', 'session-start']);
  });

  it('Bail out! ends the stream', () => {
    const ev = feed(new TapAdapter(), ['1..3', 'ok 1 - a', 'Bail out! the heap is gone', 'ok 1 - again']);
    expect(ev.map((e) => e.type)).toEqual(['plan', 'test-end', 'test-end', 'session-start', 'test-end']);
    expect(ev[2]).toEqual({ type: 'test-end', lane: '', outcome: null });
  });

  it('numberless `ok` lines count only in a stream already seen', () => {
    expect(feed(new TapAdapter(), ['ok'])).toEqual([]);
    expect(feed(new TapAdapter(), ['1..1', 'ok'])).toEqual([{ type: 'plan', count: 1 }, end('#1', 'passed')]);
  });
});

describe('TAP adapter: subtests named PARENT::CHILD', () => {
  it('node:test announces each test at its own level; the parent is no test when nothing ran outside its subtests', () => {
    const ev = feed(new TapAdapter(), [
      'TAP version 13',
      '# Subtest: heap',
      '    # Subtest: grows',
      '    ok 1 - grows',
      '      ---',
      "      duration_ms: 0.61",
      '      ...',
      '    # Subtest: shrinks',
      '    not ok 2 - shrinks',
      '      ---',
      "      error: 'ok 3 - not a result'",
      '      ...',
      '    1..2',
      'not ok 1 - heap',
      '1..1',
    ]);
    expect(ev).toEqual([end('heap::grows', 'passed'), end('heap::shrinks', 'failed'), { type: 'plan', count: 1 }]);
  });

  it('a parent with activity after its last subtest is a test of its own', () => {
    const ev = feed(new TapAdapter(), ['# Subtest: suite', '    ok 1 - a', '==MP alloc;8;0xda7a0064;after.c:1', 'ok 1 - suite']);
    expect(ev).toEqual([end('suite::a', 'passed'), end('suite', 'passed')]);
  });

  it('TAP 14 announces the subtest block inside it, and nests deeper', () => {
    const ev = feed(new TapAdapter(), [
      'TAP version 14',
      '1..2',
      '    # Subtest: foo.tap',
      '    1..2',
      '    ok 1',
      '        # Subtest: inner',
      '        ok 1 - deep',
      '    ok 2 - inner',
      'ok 1 - foo.tap',
      'ok 2 - bar',
    ]);
    expect(ev).toEqual([{ type: 'plan', count: 2 }, end('foo.tap::#1', 'passed'), end('foo.tap::inner::deep', 'passed'), end('bar', 'passed')]);
  });
});
