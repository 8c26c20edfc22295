/**
 * The default command: stream the inputs through the analyzer (or the compat
 * engine), write every reporter, return the exit code.
 */
import type { Readable, Writable } from 'node:stream';
import { longLineMessage } from '../analyzer/frame.js';
import { Analyzer } from '../analyzer/analyzer.js';
import type { Diagnostic, Policy, Report, TestResult } from '../analyzer/types.js';
import { DEFAULT_FAIL_ON, judge, judgeTest, parseFailOn } from '../analyzer/verdict.js';
import { CompatEngine } from '../reporters/compat.js';
import type { ReporterInstance } from '../reporters/registry.js';
import { CiGate, type CiOptions } from './ci-gate.js';
import { useColors } from './colors.js';
import { checkDestinations } from './destinations.js';
import { checkInputs, parseMaxLineBytes, readInput, type LineSink } from './input.js';
import { parseReporterSpecs, UsageError } from './outputs.js';
import { openDestination, type ReportDestination } from './report-files.js';

export interface Io {
  stdin: Readable & { fd?: number };
  /** `fd`: the descriptor behind it, to tell a report path that is standard output. */
  stdout: Writable & { isTTY?: boolean; fd?: number };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export interface AnalyzeOptions extends CiOptions {
  quiet?: boolean;
  compat?: boolean;
  reporter: string[];
  failOn: string[];
  strict?: boolean;
  colors?: boolean;
  maxLineBytes?: string;
}

interface Output {
  reporter: ReporterInstance;
  to: ReportDestination;
}

export interface AnalyzeHooks {
  /** Reads the input in place of the named files (`valground run` frames its command's output). */
  read?: (sink: LineSink, maxLineBytes: number) => Promise<void>;
  /** Fires on SIGINT/SIGTERM: reading stops, the reports of what was read are written. */
  stop?: AbortSignal;
  /** The input ended early all the same (an interrupted command). */
  interrupted?: () => boolean;
}

/** The policy: leaks and free errors always fail (SPEC §4); `--fail-on` adds kinds. */
export function policyFrom(options: Pick<AnalyzeOptions, 'failOn' | 'strict'>): Policy {
  const parsed = parseFailOn([DEFAULT_FAIL_ON.join(','), ...options.failOn]);
  return { ...parsed, strict: options.strict === true };
}

function describeDiagnostic(d: Diagnostic): string {
  return `line ${d.line}: ${d.message}`;
}

export async function analyzeCommand(files: string[], options: AnalyzeOptions, io: Io, hooks: AnalyzeHooks = {}): Promise<number> {
  const inputs = files.length > 0 ? files : ['-'];
  const policy = policyFrom(options);
  const quiet = options.quiet === true;
  const compat = options.compat === true;
  const specs = await parseReporterSpecs(options.reporter, 'text');
  if (compat && options.reporter.length > 0 && specs.some((s) => s.path === null)) {
    throw new UsageError('--compat writes the reference output to standard output; send other reporters to files (--reporter NAME:PATH)');
  }
  const maxLineBytes = parseMaxLineBytes(options.maxLineBytes);
  const used = compat && options.reporter.length === 0 ? [] : specs;
  checkDestinations({
    reporters: used,
    compat,
    inputs: hooks.read ? [] : inputs,
    stdinFd: io.stdin.fd,
    stdoutFd: io.stdout.fd,
  });
  if (!hooks.read) await checkInputs(inputs);
  const gate = await CiGate.load(options);
  if (!hooks.read && inputs.includes('-') && (io.stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write('valground: reading test output from standard input (pipe it in, or name a log file; --help for more)\n');
  }

  const colorsOnStdout = useColors(options.colors, io.env, io.stdout);
  const outputs: Output[] = used.map((spec) => ({
    reporter: spec.factory({ colors: spec.path !== null ? options.colors === true : colorsOnStdout, quiet, policy }),
    to: openDestination(spec.path, io.stdout),
  }));
  const streaming = outputs.filter((o) => o.reporter.test !== undefined);

  const analyzer = new Analyzer({
    // Timelines cost memory per test; only the HTML report draws them.
    timelinePoints: specs.some((s) => s.name === 'html') ? undefined : 0,
    onTest(t: TestResult) {
      gate.suppress(t);
      judgeTest(t, policy);
      gate.checkRegression(t);
      for (const o of streaming) o.to.write(o.reporter.test!(t));
    },
  });

  const engine = compat ? new CompatEngine({ quiet, colors: options.colors === true }) : null;
  const needAnalysis = outputs.length > 0;
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
          if (needAnalysis) analyzer.line(line, n);
        }
      : (line, n) => analyzer.line(line, n),
    cut: (n, dropped) => {
      const message = longLineMessage(maxLineBytes, dropped);
      if (engine) io.stderr.write(`valground --compat: line ${n}: ${message}\n`);
      analyzer.note(n, 'long-line', message);
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

  const result = analyzer.finish();
  const report: Report = judge(result, policy, gate.finish(result));
  if (!complete) report.complete = false;
  // A report left uncommitted by an error on the way is discarded by main() (discardPendingReports).
  for (const o of outputs) {
    o.to.write(o.reporter.end(report));
    o.to.commit();
  }

  if (engine) {
    io.stdout.write(engine.finish());
    reportCompatDiagnostics();
    if (options.strict && engine.diagnostics.length > 0) return 2;
    return engine.exitCode;
  }

  // The text report on stdout already shows these; anything else gets them on stderr.
  const textOnStdout = specs.some((s) => s.name === 'text' && s.path === null);
  if (!textOnStdout) {
    const diags = report.diagnostics.filter((d) => d.kind !== 'no-profiling');
    for (const d of diags.slice(0, 10)) io.stderr.write(`valground: ${describeDiagnostic(d)}\n`);
    if (diags.length > 10) io.stderr.write(`valground: … ${diags.length - 10} more diagnostics\n`);
    if (!report.recordsSeen) {
      io.stderr.write('valground: WARNING: no memory-profiling record (==MP …) was found: was the app built with memory profiling?\n');
    }
  }
  return report.verdict.exitCode;
}
