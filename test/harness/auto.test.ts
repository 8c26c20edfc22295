/**
 * Which harness (SPEC §3.6): with no flag every adapter listens and the
 * outermost harness that names tests owns the boundaries; `--harness NAME`
 * listens to one alone. Through the analyzer, on real lines.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHarness, HARNESS_NAMES } from '../../src/harness/index.js';
import type { HarnessEvent } from '../../src/harness/types.js';
import { analyzeText } from '../helpers/analysis.js';
import { fixturePath } from '../helpers/cli.js';

const log = (name: string) => readFileSync(fixturePath(`harnesses/${name}.log`), 'utf8');
const names = (text: string, harness?: Parameters<typeof createHarness>[0]) => analyzeText(text, { harness }).tests.map((t) => t.name);

describe('no flag: the outermost harness that names tests owns the boundaries', () => {
  it.each([
    ['gtest', ['gtest']],
    ['cmocka', ['cmocka']],
    ['cmocka-tap', ['tap']],
    ['unity', ['unity']],
    ['ctest-verbose', ['ctest', 'cmocka', 'gtest']],
    ['ctest-output-on-failure', ['ctest', 'cmocka', 'gtest']],
    ['pytest-v-s', ['pytest']],
    ['pytest-q', ['pytest']],
  ])('%s.log: harnesses %j, outermost first', (name, seen) => {
    expect(analyzeText(log(name)).harnesses).toEqual(seen);
  });

  it('inside a pytest test, lines of other harnesses are output', () => {
    const text = [
      '============================= test session starts ==============================',
      'collected 1 item',
      'tests/t.py::test_native seproxyhal: printf: ==MP init;0xda7a0000;4096',
      '[ RUN      ] Contacts.AddThenLookup',
      'ok 1 - from a subprocess',
      'seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1',
      '/x/test.c:3:test_inner:PASS',
      'PASSED',
    ].join('\n');
    const r = analyzeText(text);
    expect(r.tests.map((t) => t.name)).toEqual(['tests/t.py::test_native']);
    expect(r.tests[0].leaks).toHaveLength(1);
    expect(r.harnesses).toEqual(['pytest']);
  });

  it('CTest owns the run, and its inner runners name tests CTESTNAME::INNER', () => {
    const r = analyzeText(log('ctest-verbose'));
    const cmocka = ['test_prefs_and_lookup', 'test_rename_leaks_old_name', 'test_remove_noted_contact', 'test_display_release_interior'];
    cmocka.push('test_decode_shows_ticker', 'test_sync_over_bluetooth', 'test_restore_resets_heap');
    const gtest = ['Contacts.AddThenLookup', 'Contacts.LookupIgnoresCase', 'Contacts.RenameDropsOldName', 'Contacts.RemoveContactWithNote'];
    gtest.push('Display.ReleaseAfterFormat', 'Storage.PrefsArePermanent', 'Storage.NfcBackup');
    expect(r.tests.map((t) => t.name)).toEqual([...cmocka.map((n) => `book_cmocka::${n}`), ...gtest.map((n) => `book_gtest::${n}`)]);
    // each CTest test a lane: its own heaps
    expect(new Set(r.tests.map((t) => t.lane))).toEqual(new Set(['1', '2']));
  });

  it('unit-test output before a pytest session: pytest takes the boundaries at its header', () => {
    const text = ['[ RUN      ] A.B', '==MP init;0x0x5600;4096', '[       OK ] A.B (0 ms)', log('pytest-v-s')].join('\n');
    const r = analyzeText(text);
    expect(r.tests[0].name).toBe('A.B');
    expect(r.tests.filter((t) => t.name?.startsWith('tests/'))).toHaveLength(22);
    expect(r.harnesses).toEqual(['pytest', 'gtest']);
  });

  it('unit-test output that looks like pytest result characters does not make it pytest', () => {
    const text = ['[==========] Running 1 test(s).', '[ RUN      ] test_a', '.', 'x = 5', '==MP init;0x0x5600;4096', '[       OK ] test_a'].join('\n');
    expect(names(text)).toEqual(['test_a']);
    // nor before any runner spoke: `x = 5` is not a skip
    expect(analyzeText(['x = 5', '==MP init;0x0x5600;4096'].join('\n')).harnesses).toEqual([]);
  });

  it('test;NAME records are boundaries whatever the harness', () => {
    const text = ['[==========] Running 1 test(s).', '==MP test;setup_fixture', '==MP init;0x0x5600;4096', '[ RUN      ] test_a', '[       OK ] test_a'].join('\n');
    expect(names(text)).toEqual(['setup_fixture', 'test_a']);
    expect(names(text, 'records')).toEqual(['setup_fixture']);
  });
});

describe('--harness NAME listens to one alone', () => {
  it('accepts every name of §3.6', () => {
    expect(HARNESS_NAMES).toEqual(['pytest', 'gtest', 'cmocka', 'ctest', 'unity', 'tap', 'records']);
    for (const n of HARNESS_NAMES) {
      const out: HarnessEvent[] = [];
      expect(() => createHarness(n).line('ok 1 - x', 1, out)).not.toThrow();
    }
  });

  it('a TAP-looking line in a GoogleTest run is output with --harness gtest', () => {
    const text = ['[ RUN      ] Sign.Ok', '==MP init;0x0x5600;4096', 'ok 1 - message from the device', '==MP alloc;8;0x0x5664;a.c:1', '[       OK ] Sign.Ok (0 ms)'].join('\n');
    expect(names(text, 'gtest')).toEqual(['Sign.Ok']);
    expect(analyzeText(text, { harness: 'gtest' }).tests[0].leaks).toHaveLength(1);
  });

  it('each runner alone reads only its own lines', () => {
    expect(names(log('gtest'), 'unity')).toEqual([null]);
    expect(names(log('cmocka-tap'), 'gtest')).toEqual([null]);
    expect(analyzeText(log('cmocka'), { harness: 'gtest' }).harnesses).toEqual(['gtest']);
    expect(analyzeText(log('cmocka'), { harness: 'cmocka' }).harnesses).toEqual(['cmocka']);
  });
});
