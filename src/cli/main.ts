/**
 * The CLI: parses arguments, runs a command, returns the exit code
 * (0 = clean, 1 = memory errors under the policy, 2 = usage or input error).
 * Never calls process.exit: bin/valground.js sets the exit code.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import '../reporters/index.js';
import { HARNESS_NAMES } from '../harness/types.js';
import { STRATEGIES } from '../heap/strategies.js';
import { FAIL_ON_KINDS, PolicyError } from '../judge/policy.js';
import { reporterNames } from '../reporters/registry.js';
import type { AnalyzeOptions, Io } from './analyze.js';
import { Interrupt } from './interrupt.js';
import { addJudgeOptions, collect } from './judge-setup.js';
import type { ReplayCommandOptions } from './replay.js';
import { discardPendingReports } from './report-files.js';
import { StdoutWatch } from './stdout-watch.js';
import { describeSystemError, UsageError } from './system-error.js';

const EXAMPLES = `
Examples:
  pytest -v -s 2>&1 | valground                    analyze test output from a pipe
  valground session.log                           analyze a saved log
  valground session.log -q                        only failing tests and the summary
  valground session.log --reporter text --reporter json:out/mem.json
  valground session.log --fail-on leak,free-error,usage:90
  pytest -s 2>&1 | valground --compat             the reference script's exact output
  valground run --reporter junit:out/mem.xml -- pytest -v -s   run the tests, keep their exit status
  valground run --suppressions known.supp --baseline main.json --max-growth 5 -- pytest -s
  valground merge shard1.json shard2.json --reporter junit:out/mem.xml
  valground replay session.log --allocator sdk,best-fit,tlsf   the same heap traffic through other allocators

Exit status: 0 clean, 1 memory errors under the policy, 2 usage or input error.`;

const RUN_HELP = `
The command's stdout and stderr are shown live; both are analyzed. Reports
are written after the command ends (to stdout, or to the --reporter files).
Exit status: the command's when it fails (128+N when killed by signal N),
otherwise the analysis's. SIGINT, SIGTERM and SIGHUP are sent to the
command's whole process group; what it printed is still reported.

Example:
  valground run --reporter text --reporter junit:out/mem.xml -- pytest -v -s tests/`;

const REPLAY_HELP = `
Columns: peak bytes (chunk sizes, headers included, at the fullest moment),
headroom (the largest request that would still have succeeded, smallest at
any test's peak), fragmentation at the peak, allocations that would have
failed; for sdk, whether every replayed address is the logged one, or the
line where the replay parts from the log and the likely cause.
Exit status: 0, or 2 for a usage error or an unreadable log.

Example:
  valground replay session.log --allocator sdk,best-fit,tlsf --per-test`;

/** Options of every command that judges and reports. */
function addReportOptions(cmd: Command): Command {
  return addJudgeOptions(cmd, FAIL_ON_KINDS)
    .option('-q, --quiet', 'print only failing tests and the summary')
    .option('-r, --reporter <name[:path]>', `reporter, repeatable; PATH writes to a file (${reporterNames().join(', ')})`, collect, [])
    .option('--census', 'text report: the allocation census (top 20 call sites)')
    .option('-c, --colors', 'force colours')
    .addOption(new Option('--no-colors', 'never colour'));
}

/** Options of the commands that read test output. */
export function addAnalysisOptions(cmd: Command): Command {
  return addReportOptions(cmd)
    .addOption(new Option('--harness <name>', 'listen to one test runner only (default: every one, §3.6)').choices([...HARNESS_NAMES]))
    .option('--root <dir>', 'source root: sites under it are reported relative to it (default $GITHUB_WORKSPACE, $CI_PROJECT_DIR or the working directory)')
    .addOption(new Option('--allocator <model>', 'heap layout model for headroom and fragmentation (default: sdk for SDK-shaped addresses, else plain)').choices(['sdk', 'plain']))
    .option('--max-line-bytes <n>', 'cut longer lines there, with a diagnostic (K, M, G suffixes; default 16M)');
}

/** The package's version, read from package.json next to dist/ (or src/). */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function defaultIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export async function main(argv: string[], partialIo: Partial<Io> = {}): Promise<number> {
  const io: Io = { ...defaultIo(), ...partialIo };
  const stdout = new StdoutWatch(io.stdout);
  let code: number;
  try {
    code = await parseAndRun(argv, io);
  } finally {
    discardPendingReports(); // a command that failed on the way leaves its report destinations as they were
  }
  const failed = await stdout.settle();
  if (failed === null) return code; // a reader that went away (`| head`) is not an error of ours
  io.stderr.write(`valground: cannot write to stdout: ${describeSystemError(failed)}\n`);
  return 2;
}

async function parseAndRun(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command('valground')
    .description('Find memory leaks, double and invalid frees, kept buffers and heap peaks in test output.')
    .argument('[files...]', 'logs to read (default, or -: standard input)')
    .version(version(), '-V, --version')
    .option('--compat', "print exactly what the reference Python script prints (and exit like it)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError()
    .addHelpText('after', EXAMPLES);
  addAnalysisOptions(program).action(async (files: string[], options: AnalyzeOptions) => {
    const interrupt = new Interrupt(['SIGINT', 'SIGTERM'], discardPendingReports);
    try {
      // Commands load when they run: `valground --version` and `--help` start fast.
      const { analyzeCommand } = await import('./analyze.js');
      exitCode = await analyzeCommand(files, options, io, { stop: interrupt.signal });
    } finally {
      interrupt.dispose();
    }
    if (interrupt.received !== null) {
      io.stderr.write(`valground: interrupted by ${interrupt.received}: the reports cover the input read until then\n`);
      exitCode = interrupt.status;
    }
  });
  // Subcommands inherit the output and exit settings above. Options after
  // `run`'s COMMAND belong to the command (`valground run pytest -v`).
  program.enablePositionalOptions();
  addAnalysisOptions(
    program
      .command('run')
      .description("run a test command, show its output live, analyze it, exit with its status when it fails")
      .argument('<command...>', 'the command and its arguments (after --)')
      .passThroughOptions()
      .addHelpText('after', RUN_HELP),
  ).action(async (command: string[], options: AnalyzeOptions) => {
    const { runCommand } = await import('./run.js');
    exitCode = await runCommand(command, options, io);
  });
  addReportOptions(
    program
      .command('merge')
      .description('combine JSON reports from sharded jobs, re-judge them, and report (default: JSON on stdout)')
      .argument('<reports...>', 'JSON reports written with --reporter json:PATH'),
  ).action(async (reports: string[], options: AnalyzeOptions) => {
    const { mergeCommand } = await import('./merge.js');
    exitCode = await mergeCommand(reports, options, io);
  });

  program
    .command('replay')
    .description("replay each heap segment of a log through the toolkit's allocators: peak, headroom, fragmentation, failures; for sdk, whether the addresses are the logged ones")
    .argument('<log>', 'the log to replay (-: standard input)')
    .option('-a, --allocator <list>', `allocators, comma-separated (default: all of ${STRATEGIES.join(',')})`)
    .option('--heap-size <n>', 'replay every segment on a heap of N bytes (segments before any init need it)')
    .option('--per-test', 'text report: a row per test and allocator too')
    .option('-r, --reporter <name[:path]>', 'text (default) or json; PATH writes to a file; repeatable', collect, [])
    .option('--max-line-bytes <n>', 'cut longer lines there, with a diagnostic (K, M, G suffixes; default 16M)')
    .addHelpText('after', REPLAY_HELP)
    .action(async (log: string, options: ReplayCommandOptions) => {
      const { replayCommand } = await import('./replay.js');
      exitCode = await replayCommand(log, options, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version print and succeed; everything else is a usage error
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError || err instanceof PolicyError) {
      io.stderr.write(`valground: ${err.message}\n`);
      return 2;
    }
    // Node's own message already starts with the code (`ENOENT: no such file …`).
    io.stderr.write(`valground: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
