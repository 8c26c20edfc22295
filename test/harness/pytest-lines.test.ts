import { describe, expect, it } from 'vitest';
import { parseLine, type LineEvent } from '../helpers/line-events.js';

function types(events: LineEvent[]): string[] {
  return events.map((e) => e.type);
}

describe('parseLine: records', () => {
  it('finds a record after the emulator prefix', () => {
    const [e] = parseLine('seproxyhal: printf: ==MP alloc;28;0xda7a0064;lib_standard_app/io.c:792', 7);
    expect(e).toEqual({
      type: 'record',
      line: 7,
      record: { kind: 'alloc', size: 28, address: 0xda7a0064, site: 'lib_standard_app/io.c:792' },
    });
  });

  it('finds a record anywhere in a line, after a timestamp or a progress dot', () => {
    expect(parseLine('[12:00:01.123] ==MP free;0xda7a0064;src/a.c:3', 1)).toEqual([
      { type: 'record', line: 1, record: { kind: 'free', address: 0xda7a0064, site: 'src/a.c:3' } },
    ]);
    const events = parseLine('.seproxyhal: printf: ==MP init;0xda7a0000;4096', 2);
    expect(types(events)).toEqual(['results', 'record']);
  });

  it('strips ANSI codes, CR and trailing white space', () => {
    const [e] = parseLine('\x1b[32mseproxyhal: printf: ==MP init;0xda7a0000;8192\x1b[0m  \r', 3);
    expect(e).toEqual({ type: 'record', line: 3, record: { kind: 'init', address: 0xda7a0000, size: 8192 } });
  });

  it('keeps `;` and `:` inside a call site', () => {
    const [e] = parseLine('==MP persist;64;0xda7a011c;C:/src/x;y.c:683', 1);
    expect(e).toMatchObject({ record: { kind: 'persist', site: 'C:/src/x;y.c:683' } });
  });

  it('reads the valground extensions', () => {
    expect(parseLine('==MP fail;300;src/big.c:12', 1)[0]).toMatchObject({ record: { kind: 'fail', size: 300, site: 'src/big.c:12' } });
    expect(parseLine('==MP test;suite::case one', 1)[0]).toMatchObject({ record: { kind: 'test', name: 'suite::case one' } });
  });

  it.each([
    ['==MP bogus;1;2;3', /unknown record kind/],
    ['==MP alloc;12;0xzz;a.c:1', /bad address/],
    ['==MP alloc;12', /needs SIZE;ADDR;FILE:LINE/],
    ['==MP free;0x10', /needs ADDR;FILE:LINE/],
    ['==MP init;0xda7a0000', /needs ADDR;SIZE/],
    ['==MP init;0xda7a0000;-5', /bad heap size/],
    ['==MP ;1;2', /unknown record kind/],
  ])('reports %s as a bad record, never throws', (line, message) => {
    const [e] = parseLine(line, 9);
    expect(e.type).toBe('bad-record');
    expect(e.type === 'bad-record' && e.message).toMatch(message);
    expect(e.line).toBe(9);
  });
});

describe('parseLine: pytest structure', () => {
  it('reads collected counts, deselection included', () => {
    expect(parseLine('collecting ... collected 6 items', 1)).toEqual([{ type: 'collected', line: 1, count: 6 }]);
    expect(parseLine('collected 1 item', 1)).toEqual([{ type: 'collected', line: 1, count: 1 }]);
    expect(parseLine('collected 8 items / 5 deselected / 3 selected', 1)).toEqual([{ type: 'collected', line: 1, count: 3 }]);
    expect(parseLine('collected 8 items / 5 deselected', 1)).toEqual([{ type: 'collected', line: 1, count: 3 }]);
  });

  it('reads node ids with the first record on the same line (pytest -v -s)', () => {
    const events = parseLine('tests/test_wallet.py::test_app_name[nanox] seproxyhal: printf: ==MP init;0xda7a0000;4096', 9);
    expect(events[0]).toEqual({ type: 'test-start', line: 9, name: 'tests/test_wallet.py::test_app_name[nanox]' });
    expect(events[1]).toMatchObject({ type: 'record', record: { kind: 'init', size: 4096 } });
  });

  it('reads class-based and unparametrised node ids, and params with spaces', () => {
    expect(parseLine('tests/test_a.py::TestSign::test_one', 1)).toEqual([
      { type: 'test-start', line: 1, name: 'tests/test_a.py::TestSign::test_one' },
    ]);
    expect(parseLine('tests/test_a.py::test_settings_leak ', 1)[0]).toMatchObject({ name: 'tests/test_a.py::test_settings_leak' });
    expect(parseLine('tests/test_a.py::test_x[a b] PASSED', 1)).toEqual([
      { type: 'test-start', line: 1, name: 'tests/test_a.py::test_x[a b]' },
      { type: 'outcome', line: 1, outcome: 'passed' },
    ]);
  });

  it('reads outcomes at the start of a line, and the summary form with a node id', () => {
    expect(parseLine('PASSED [ 25%]', 1)).toEqual([{ type: 'outcome', line: 1, outcome: 'passed' }]);
    expect(parseLine('XFAIL', 1)).toEqual([{ type: 'outcome', line: 1, outcome: 'xfail' }]);
    expect(parseLine('FAILED tests/t.py::test_b[x] - AssertionError', 1)).toEqual([
      { type: 'outcome', line: 1, outcome: 'failed', name: 'tests/t.py::test_b[x]' },
    ]);
    expect(parseLine('ERROR: not an outcome', 1)).toEqual([]);
  });

  it('reads plain-mode module lines and result characters', () => {
    expect(parseLine('tests/test_wallet.py seproxyhal: printf: ==MP init;0xda7a0000;4096', 1).map((e) => e.type)).toEqual([
      'module',
      'record',
    ]);
    expect(parseLine('tests/test_a.py ..F.s   [ 40%]', 1)).toEqual([
      { type: 'module', line: 1, path: 'tests/test_a.py' },
      { type: 'results', line: 1, chars: '..F.s' },
    ]);
    expect(parseLine('.', 1)).toEqual([{ type: 'results', line: 1, chars: '.' }]);
    expect(parseLine('sseproxyhal: printf: hello', 1)).toEqual([{ type: 'results', line: 1, chars: 's' }]);
  });

  it('does not take the emulator prefix or words for result characters', () => {
    expect(parseLine('seproxyhal: printf: hello', 1)).toEqual([]);
    expect(parseLine('Exchange done', 1)).toEqual([]);
    expect(parseLine('xxl buffer', 1)).toEqual([]);
  });

  it('reads pytest section lines', () => {
    expect(parseLine('============================= test session starts ==============================', 1)).toEqual([
      { type: 'session-start', line: 1 },
    ]);
    expect(parseLine('============================== 6 passed in 1.40s ===============================', 1)[0]).toMatchObject({
      type: 'session-end',
    });
    expect(parseLine('=== Summary ===', 1)).toEqual([]);
  });
});

describe('parseLine: several records on one line', () => {
  it('reads each record, none lost', () => {
    const events = parseLine('seproxyhal: printf: ==MP alloc;8;0xda7a0064;a.c:1 ==MP free;0xda7a0064;a.c:2', 4);
    expect(events).toEqual([
      { type: 'record', line: 4, record: { kind: 'alloc', size: 8, address: 0xda7a0064, site: 'a.c:1' } },
      { type: 'record', line: 4, record: { kind: 'free', address: 0xda7a0064, site: 'a.c:2' } },
    ]);
  });
});
