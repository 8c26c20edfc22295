/**
 * `npm run bench`: the SPEC §7 figures. The analyzer runs in a child process
 * (the real CLI path, from a file) on a generated 3,000-test log and on one
 * twice as long, to show throughput and that memory stays flat; then the
 * allocator loop with and without profiling, and through the Allocator
 * interface for every strategy and decorator; then `valground replay`'s
 * engine on the bench log. `npm run bench -- analyzer`, `-- allocators` or
 * `-- replay` runs one section.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAllocator, benchStrategies } from './allocator.js';
import { generateLog } from './generate-log.js';
import { benchReplay } from './replay.js';

const runner = fileURLToPath(new URL('./run-cli.js', import.meta.url));

interface CliRun {
  /** The CLI's own run, from main() to its exit code. */
  ms: number;
  /** The whole process, Node's start-up included. */
  processMs: number;
  maxRssKb: number;
}

function runCli(file: string): CliRun {
  // Best time of three (the machine may be busy); the worst memory of the three.
  const runs: CliRun[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [runner, file, '--reporter', 'json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const processMs = performance.now() - start;
    runs.push({ ...(JSON.parse(result.stderr.trim().split('\n').pop()!) as CliRun), processMs });
  }
  return {
    ms: Math.min(...runs.map((r) => r.ms)),
    processMs: Math.min(...runs.map((r) => r.processMs)),
    maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)),
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

const sections = process.argv.slice(2);
const wants = (name: string) => sections.length === 0 || sections.includes(name);
const dir = mkdtempSync(join(tmpdir(), 'valground-bench-'));
try {
  console.log('valground benchmark (SPEC §7)\n');
  for (const tests of wants('analyzer') ? [3000, 6000] : []) {
    const file = join(dir, `session-${tests}.log`);
    const log = await generateLog(file, tests);
    const r = runCli(file);
    const rate = log.bytes / 1e6 / (r.ms / 1000);
    console.log(
      `analyzer  ${tests} tests, ${log.lines.toLocaleString('en')} lines, ${mb(log.bytes)} MB: ` +
        `${rate.toFixed(0)} MB/s (${(r.ms / 1000).toFixed(2)} s; whole process with Node's start-up ${(r.processMs / 1000).toFixed(2)} s, ` +
        `${(log.bytes / 1e6 / (r.processMs / 1000)).toFixed(0)} MB/s), peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`,
    );
  }
  if (wants('allocators')) {
    const command = '(npm run bench -- allocators)';
    const a = await benchAllocator();
    console.log(`allocator ${a.ops.toLocaleString('en')} ops, no profiling:          ${(a.plainOpsPerSec / 1e6).toFixed(1)} M ops/s`);
    console.log(`allocator ${a.ops.toLocaleString('en')} ops, profiling to a function: ${(a.profiledOpsPerSec / 1e6).toFixed(1)} M ops/s`);
    console.log(`allocator, profiling, call sites read from the stack:    ${(a.stackSiteOpsPerSec / 1e6).toFixed(2)} M ops/s`);
    console.log(`\nthrough the Allocator interface, 32856-byte heap ${command}:`);
    const results = benchStrategies();
    for (const r of results) {
      const overhead = r.sdkOpsPerSec === undefined ? '' : `  (sdk alongside ${(r.sdkOpsPerSec / 1e6).toFixed(1)} M: ${((r.sdkOpsPerSec / r.opsPerSec - 1) * 100).toFixed(0)} % overhead)`;
      console.log(`  ${r.name.padEnd(28)} ${(r.opsPerSec / 1e6).toFixed(1).padStart(5)} M ops/s${overhead}`);
    }
  }
  if (wants('replay')) {
    const file = join(dir, 'replay-3000.log');
    const log = await generateLog(file, 3000);
    const r = await benchReplay(file);
    console.log(
      `\nreplay ${r.records.toLocaleString('en')} heap records (bench log, ${log.lines.toLocaleString('en')} lines), ` +
        `best of 5 per allocator (npm run bench -- replay); read once in ${r.parseSeconds.toFixed(2)} s:`,
    );
    for (const a of r.perAllocator) console.log(`  ${a.allocator.padEnd(10)} ${(a.recordsPerSec / 1e6).toFixed(1).padStart(5)} M records/s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
