/**
 * `npm run bench`: the SPEC §7 figures in one run, each with the command
 * that gives it. `npm run bench -- NAME…` runs some sections:
 *
 *   analyzer     MB/s as a whole process on the bench log, next to `grep -c`
 *                and the reference (VALGROUND_REFERENCE=…); peak RSS at 1×, 2×
 *                and with a million blocks live
 *   startup      `valground --version` and `-h` against `node -e 0`
 *   long-lines   a 10 MB against a 40 MB line (linear time), `valground run`'s
 *                RSS behind a slow reader
 *   allocators   ops/s on the §7 loop, per strategy and decorator
 *   html         a 200,000-test report in Chromium (skipped without one)
 *
 * Each section is one entry of SECTIONS: a new one (`replay`) is a line there.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAllocator, benchStrategies } from './allocator.js';
import { benchAnalyzer } from './analyzer.js';
import { generateLog } from './generate-log.js';
import { benchReplay } from './replay.js';
import { benchLongLines } from './long-line.js';
import { benchStartup } from './startup.js';

type Section = (dir: string) => Promise<void> | void;

async function allocators(): Promise<void> {
  const command = '(npm run bench -- allocators)';
  const a = await benchAllocator();
  console.log(`allocator  ${a.ops.toLocaleString('en')} ops, no profiling:          ${(a.plainOpsPerSec / 1e6).toFixed(1)} M ops/s`);
  console.log(`allocator  ${a.ops.toLocaleString('en')} ops, profiling to a function: ${(a.profiledOpsPerSec / 1e6).toFixed(1)} M ops/s`);
  console.log(`allocator  profiling, call sites read from the stack:    ${(a.stackSiteOpsPerSec / 1e6).toFixed(2)} M ops/s`);
  console.log(`\nthrough the Allocator interface, 32856-byte heap ${command}:`);
  for (const r of benchStrategies()) {
    const overhead = r.sdkOpsPerSec === undefined ? '' : `  (sdk alongside ${(r.sdkOpsPerSec / 1e6).toFixed(1)} M: ${((r.sdkOpsPerSec / r.opsPerSec - 1) * 100).toFixed(0)} % overhead)`;
    console.log(`  ${r.name.padEnd(28)} ${(r.opsPerSec / 1e6).toFixed(1).padStart(5)} M ops/s${overhead}`);
  }
}

async function html(): Promise<void> {
  const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.log(`html       skipped: no Chromium at ${chromium} (install Debian's chromium, or set CHROMIUM=path)`);
    return;
  }
  const { benchHtml } = await import('./html.js'); // playwright-core loads only here
  await benchHtml();
}

async function replay(dir: string): Promise<void> {
  const file = join(dir, 'replay-3000.log');
  const log = await generateLog(file, 3000);
  const r = await benchReplay(file);
  console.log(
    `replay ${r.records.toLocaleString('en')} heap records (bench log, ${log.lines.toLocaleString('en')} lines), ` +
      `best of 5 per allocator (npm run bench -- replay); read once in ${r.parseSeconds.toFixed(2)} s:`,
  );
  for (const a of r.perAllocator) console.log(`  ${a.allocator.padEnd(10)} ${(a.recordsPerSec / 1e6).toFixed(1).padStart(5)} M records/s`);
}

const SECTIONS: ReadonlyArray<[string, Section]> = [
  ['analyzer', benchAnalyzer],
  ['startup', benchStartup],
  ['long-lines', async (dir) => void (await benchLongLines(dir))],
  ['allocators', allocators],
  ['html', html],
  ['replay', replay],
];

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !SECTIONS.some(([n]) => n === name));
if (unknown.length > 0) {
  console.error(`no bench section ${unknown.join(', ')} (sections: ${SECTIONS.map(([n]) => n).join(', ')})`);
  process.exitCode = 2;
} else {
  const dir = mkdtempSync(join(tmpdir(), 'valground-bench-'));
  try {
    console.log('valground benchmark (SPEC §7)\n');
    for (const [name, run] of SECTIONS) {
      if (asked.length > 0 && !asked.includes(name)) continue;
      await run(dir);
      console.log('');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
