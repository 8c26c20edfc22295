/**
 * The default command: stream the inputs through the analyzer (and the
 * compat engine with `--compat`), judge each test as it completes, write
 * every reporter, return the exit code.
 */
import type { Readable, Writable } from 'node:stream';
import { Analyzer } from '../analyzer/pipeline.js';
import type { Diagnostic } from '../analyzer/facts.js';
import type { LayoutChoice } from '../analyzer/layout.js';
import type { HarnessName } from '../harness/types.js';
import { judgeRun, judgeTest } from '../judge/judge.js';
import type { JudgedTest } from '../judge/types.js';
import { CompatEngine } from '../reporters/compat.js';
import { longLineMessage } from '../analyzer/frame.js';
import { checkDestinations } from './destinations.js';
import { checkInputs, parseMaxLineBytes, readInput, type LineSink } from './input.js';
import { loadJudgeContext, type JudgeOptions } from './judge-setup.js';
import { parseReporterSpecs, Reporters } from './outputs.js';
import { UsageError } from './system-error.js';
import { sourceRoot } from './root.js';

export interface Io {
  stdin: Readable & { fd?: number };
  /** `fd`: the descriptor behind it, to tell a report path that is standard output. */
  stdout: Writable & { isTTY?: boolean; fd?: number };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface AnalyzeHooks {
  /** Reads the input in place of the named files (`valground run` frames its command's output). */
  read?: (sink: LineSink, maxLineBytes: number) => Promise<void>;
  /** Fires on SIGINT/SIGTERM: reading stops, the reports of what was read are written. */
  stop?: AbortSignal;
  /** The input ended early all the same (an interrupted command). */
  interrupted?: () => boolean;
}

export interface AnalyzeOptions extends JudgeOptions {
  quiet?: boolean;
  compat?: boolean;
  reporter: string[];
  colors?: boolean;
  census?: boolean;
  harness?: HarnessName | 'auto';
  root?: string;
  allocator?: LayoutChoice;
  maxLineBytes?: string;
}

function describeDiagnostic(d: Diagnostic): string {
  return `line ${d.line}: ${d.message}`;
}

export async function analyzeCommand(files: string[], options: AnalyzeOptions, io: Io, hooks: AnalyzeHooks = {}): Promise<number> {
  const inputs = files.length > 0 ? files : ['-'];
  const quiet = options.quiet === true;
  const compat = options.compat === true;
  const specs = await parseReporterSpecs(options.reporter, 'text');
  if (compat && options.reporter.length > 0 && specs.some((s) => s.path === null)) {
    throw new UsageError('--compat writes the reference output to standard output; send other reporters to files (--reporter NAME:PATH)');
  }
  const maxLineBytes = parseMaxLineBytes(options.maxLineBytes);
  const used = compat && options.reporter.length === 0 ? [] : specs;
  // Before anything is opened or read: no report may overwrite an input or stdout's other writer (§9).
  checkDestinations({ reporters: used, compat, inputs: hooks.read ? [] : inputs, stdinFd: io.stdin.fd, stdoutFd: io.stdout.fd });
  if (!hooks.read) await checkInputs(inputs);
  const ctx = await loadJudgeContext(options);
  if (!hooks.read && inputs.includes('-') && (io.stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write('valground: reading test output from standard input (pipe it in, or name a log file; --help for more)\n');
  }

  const reporters = Reporters.open(used, { quiet, census: options.census === true, env: io.env, colors: options.colors }, io.stdout);
  const judged: JudgedTest[] = [];
  const analyzer = new Analyzer({
    // Timelines and heap maps cost memory per test: kept only for a reporter that draws them.
    timelinePoints: reporters.needs.timelines ? undefined : 0,
    heapMaps: reporters.needs.heapMaps,
    harness: options.harness,
    root: sourceRoot(options.root, io.env, io.cwd),
    layout: options.allocator,
    onTest(t) {
      const j = judgeTest(t, ctx);
      judged.push(j);
      reporters.test(j);
    },
  });

  const engine = compat ? new CompatEngine({ quiet, colors: options.colors === true }) : null;
  let reported = 0;
  const reportCompatDiagnostics = () => {
    if (!engine) return;
    for (; reported < engine.diagnostics.length; reported++) {
      io.stderr.write(`valground --compat: ${describeDiagnostic(engine.diagnostics[reported])}\n`);
    }
  };
  const sink: LineSink = {
    line: engine
      ? (line, n) => {
          const text = engine.line(line, n);
          if (text !== '') io.stdout.write(text);
          if (engine.diagnostics.length > reported) reportCompatDiagnostics();
          analyzer.line(line, n);
        }
      : (line, n) => analyzer.line(line, n),
    // --compat needs every line as text; otherwise the usual lines stay bytes
    bytes: engine || !analyzer.readsBytes ? undefined : analyzer.lineBytes.bind(analyzer),
    cut: (n, dropped) => {
      if (engine) io.stderr.write(`valground --compat: line ${n}: ${longLineMessage(maxLineBytes, dropped)}\n`);
      analyzer.lineCut(n, dropped, maxLineBytes);
    },
  };

  let complete = true;
  if (hooks.read) {
    await hooks.read(sink, maxLineBytes);
  } else {
    for (const input of inputs) {
      if (inputs.length > 1) analyzer.setSource(input === '-' ? '(stdin)' : input);
      if ((await readInput(input, io.stdin, sink, maxLineBytes, hooks.stop)).aborted) {
        complete = false;
        break;
      }
      analyzer.endSource();
    }
  }
  if (hooks.interrupted?.()) complete = false;
  if (!complete) analyzer.interrupted();

  const facts = analyzer.finish();
  const report = judgeRun(facts, ctx, judged);
  reporters.end(report);

  if (engine) {
    io.stdout.write(engine.finish());
    reportCompatDiagnostics();
    if (options.strict && engine.diagnostics.length > 0) return 2;
    return engine.exitCode;
  }

  // A reporter on stdout already shows these; otherwise they go to stderr.
  if (!reporters.diagnosticsShown) {
    const diags = report.diagnostics;
    for (const d of diags.slice(0, 10)) io.stderr.write(`valground: ${describeDiagnostic(d)}\n`);
    if (diags.length > 10) io.stderr.write(`valground: … ${diags.length - 10} more diagnostics\n`);
    if (report.noData !== null) {
      io.stderr.write('valground: WARNING: no memory-profiling record (==MP …) was found: was the app built with memory profiling?\n');
    }
  }
  return report.verdict.exitCode;
}
