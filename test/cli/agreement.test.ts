/**
 * The native analysis and `--compat` must find the same things in a log the
 * reference can read: the same leaks, reclaimed blocks, bad frees and peaks
 * per test, and the same exit status. Run on the SDK-made samples and on the
 * session our own heap writes in that shape — so the app heap's records read
 * the same way through both.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, runCli } from '../helpers/cli.js';

interface Found {
  leaks: string[];
  reclaimed: string[];
  freeErrors: string[];
  peak: number;
}

/** What the reference's output says, per test name. */
function readCompat(text: string): Map<string, Found> {
  const tests = new Map<string, Found>();
  let current: Found | null = null;
  let list: string[] | null = null;
  for (const line of text.split('\n')) {
    const header = /^\[\d+\/\d+\] - (.*)$/.exec(line);
    if (header) {
      current = { leaks: [], reclaimed: [], freeErrors: [], peak: 0 };
      tests.set(header[1], current);
      list = null;
    } else if (!current) continue;
    else if (line === 'Memory leaks:') list = current.leaks;
    else if (line === 'Memory leaks (warning, reclaimed by heap reset):') list = current.reclaimed;
    else if (line === 'Free without malloc, or double free detected:') list = current.freeErrors;
    else if (line.startsWith('- ') && list) {
      const block = /^- \[(0x[0-9a-f]+)\] (\d+) bytes from (.*)$/.exec(line);
      list.push(block ? `${block[1]} ${block[2]} ${block[3]}` : line.slice(2));
    } else {
      list = null;
      const peak = /^Max overtime = (\d+) bytes/.exec(line);
      if (peak) current.peak = Math.max(current.peak, Number(peak[1]));
    }
  }
  return tests;
}

interface JsonBlock {
  address: string;
  size: number;
  site: string;
}
interface JsonTest {
  name: string | null;
  peakBytes: number;
  leaks: JsonBlock[];
  reclaimed: JsonBlock[];
  freeErrors: Array<{ site: string }>;
}

const logs = [
  ...readdirSync(fixturePath('generated'))
    .filter((f) => f.endsWith('.log'))
    .map((f) => `generated/${f}`),
  'heap/demo-session-reference.log',
];

describe('native analysis and --compat agree', () => {
  for (const log of logs) {
    it(log, async () => {
      const [compat, native] = await Promise.all([runCli(['--compat', fixturePath(log)]), runCli(['--reporter', 'json', fixturePath(log)])]);
      expect(native.code).toBe(compat.code);
      const reference = readCompat(compat.stdout);
      const report = JSON.parse(native.stdout) as { tests: JsonTest[] };
      const named = report.tests.filter((t) => t.name !== null);
      expect(named.map((t) => t.name)).toEqual([...reference.keys()]);
      const block = (b: JsonBlock) => `${b.address} ${b.size} ${b.site}`;
      for (const t of named) {
        const r = reference.get(t.name!)!;
        expect(t.leaks.map(block).sort(), t.name!).toEqual([...r.leaks].sort());
        expect(t.reclaimed.map(block).sort(), t.name!).toEqual([...r.reclaimed].sort());
        expect(t.freeErrors.map((e) => e.site).sort(), t.name!).toEqual([...r.freeErrors].sort());
        expect(t.peakBytes, t.name!).toBe(r.peak);
      }
    });
  }
});
