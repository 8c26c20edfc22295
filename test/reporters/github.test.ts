import { describe, expect, it } from 'vitest';
import { judge } from '../../src/judge/index.js';
import { annotation, escapeData, escapeProperty, renderGithub } from '../../src/reporters/github.js';
import { getReporter } from '../../src/reporters/registry.js';
import { block, doubleFree, invalidFree, makeReport, makeResult, makeTest, policy } from '../helpers/facts.js';

/**
 * The workflow-command grammar: `::LEVEL[ key=value(,key=value)*]::message`,
 * where values hold no raw `,` `:` CR LF and the message no raw CR LF.
 */
const COMMAND = /^::(error|warning|notice)(?: ((?:file|line|endLine|col|endColumn|title)=[^,:\r\n]*(?:,(?:file|line|endLine|col|endColumn|title)=[^,:\r\n]*)*))?::([^\r\n]*)$/;

interface Parsed {
  level: string;
  props: Record<string, string>;
  message: string;
}

/** What the runner does with a command: split, then unescape. */
function decode(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function parseLines(out: string): Parsed[] {
  expect(out.endsWith('\n')).toBe(true);
  return out
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const m = COMMAND.exec(line);
      expect(m, `not a workflow command: ${line}`).not.toBeNull();
      const props: Record<string, string> = {};
      for (const kv of m![2]?.split(',') ?? []) {
        const eq = kv.indexOf('=');
        props[kv.slice(0, eq)] = decode(kv.slice(eq + 1));
      }
      return { level: m![1], props, message: decode(m![3]) };
    });
}

describe('github reporter', () => {
  it('is registered', () => {
    expect(getReporter('github')).toBeDefined();
  });

  it('escapes data and properties per the runner rules', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('C:\\x,y%\n')).toBe('C%3A\\x%2Cy%25%0A');
    expect(annotation('error', 'm', { file: 'a.c', line: 3, title: 'T: x' })).toBe('::error file=a.c,line=3,title=T%3A x::m\n');
    expect(annotation('warning', 'only', {})).toBe('::warning::only\n');
  });

  it('annotates each leak at its allocation site and each bad free at its site', () => {
    const t = makeTest('tests/test_app.py::test_settings', {
      leaks: [block(40, 'src/settings.c:9', 120), block(8, 'lib/tlv.c:482', 121)],
      freeErrors: [doubleFree('src/nav.c:60'), invalidFree('src/nav.c:61')],
    });
    const lines = parseLines(renderGithub(makeReport([t])));
    const at = lines.filter((l) => l.props.file !== undefined);
    expect(at.map((l) => [l.level, l.props.file, l.props.line])).toEqual([
      ['error', 'src/settings.c', '9'],
      ['error', 'lib/tlv.c', '482'],
      ['error', 'src/nav.c', '60'],
      ['error', 'src/nav.c', '61'],
    ]);
    expect(at[0].props.title).toBe('Memory leak (40 bytes)');
    expect(at[0].message).toContain('40 bytes at 0xda7a0064 allocated at src/settings.c:9');
    expect(at[0].message).toContain('tests/test_app.py::test_settings');
    expect(at[2].props.title).toBe('Double free');
    expect(at[2].message).toContain('first freed at src/a.c:2');
    expect(at[3].props.title).toBe('Invalid free');
    // The run-level summary comes last, without a file.
    expect(lines.at(-1)!.level).toBe('error');
    expect(lines.at(-1)!.props.file).toBeUndefined();
  });

  it('warns for reclaimed blocks and failed allocations unless the policy fails on them', () => {
    const t = () =>
      makeTest('t.py::test_reset', {
        reclaimed: [block(16, 'src/r.c:5')],
        failedAllocations: [{ size: 9000, site: 'src/big.c:7', line: 3 }],
      });
    const warned = parseLines(renderGithub(makeReport([t()])));
    expect(warned.map((l) => l.level)).toEqual(['warning', 'warning']);
    const failed = parseLines(renderGithub(makeReport([t()], policy('reclaimed,failed-alloc'))));
    expect(failed.filter((l) => l.props.file).map((l) => l.level)).toEqual(['error', 'error']);
  });

  it('flags a test over the usage threshold and a baseline regression', () => {
    const t = makeTest('t.py::test_full', { peakBytes: 8000 });
    const report = makeReport([t], policy('leak,usage:90'), {
      regressions: [{ test: 't.py::test_full', baselinePeakBytes: 4000, peakBytes: 8000, growthPercent: 100 }],
    });
    const lines = parseLines(renderGithub(report));
    expect(lines.find((l) => l.props.title?.startsWith('Heap usage'))?.message).toContain('97.66%');
    expect(lines.find((l) => l.props.title === 'Heap peak regression')?.message).toContain('4000 → 8000');
  });

  it('keeps hostile sites and names inside the grammar', () => {
    const t = makeTest('t.py::test_[a,b:c]%0A\r', { leaks: [block(4, 'dir,with:colons/x%.c:12')] });
    const lines = parseLines(renderGithub(makeReport([t])));
    expect(lines[0].props.file).toBe('dir,with:colons/x%.c');
    expect(lines[0].props.line).toBe('12');
    expect(lines[0].message).toContain('t.py::test_[a,b:c]%0A\r');
  });

  it('omits line= when the site has no line number', () => {
    const lines = parseLines(renderGithub(makeReport([makeTest('t.py::x', { leaks: [block(4, 'unknown')] })])));
    expect(lines[0].props).toMatchObject({ file: 'unknown' });
    expect(lines[0].props.line).toBeUndefined();
  });

  it('says loudly when no record was found', () => {
    const out = renderGithub(judge(makeResult([], { recordsSeen: false }), policy('leak,no-data')));
    const lines = parseLines(out);
    expect(lines[0].level).toBe('error');
    expect(lines[0].message).toContain('No memory profiling record');
  });

  it('prints nothing for a clean run', () => {
    expect(renderGithub(makeReport([makeTest('t.py::ok')]))).toBe('');
  });
});
