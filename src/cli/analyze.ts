/**
 * The default command: stream the inputs through the analyzer (or the compat
 * engine), write every reporter, return the exit code.
 */
import { access, constants } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { Analyzer } from '../analyzer/analyzer.js';
import type { Diagnostic, Policy, Report, TestResult } from '../analyzer/types.js';
import { DEFAULT_FAIL_ON, judge, judgeTest, parseFailOn } from '../analyzer/verdict.js';
import { CompatEngine } from '../reporters/compat.js';
import type { ReporterInstance } from '../reporters/registry.js';
import { CiGate, type CiOptions } from './ci-gate.js';
import { useColors } from './colors.js';
import { forEachLine, openInput } from './lines.js';
import { close, openOutput, parseReporterSpecs, UsageError } from './outputs.js';

export interface Io {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
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
}

interface Output {
  reporter: ReporterInstance;
  stream: Writable;
  toFile: boolean;
}

/** The policy: leaks and free errors always fail (SPEC §4); `--fail-on` adds kinds. */
export function policyFrom(options: Pick<AnalyzeOptions, 'failOn' | 'strict'>): Policy {
  const parsed = parseFailOn([DEFAULT_FAIL_ON.join(','), ...options.failOn]);
  return { ...parsed, strict: options.strict === true };
}

/** Checks every named input before reading any, so a typo fails fast with exit 2. */
async function checkInputs(files: string[]): Promise<void> {
  for (const f of files) {
    if (f === '-') continue;
    try {
      await access(f, constants.R_OK);
    } catch (err) {
      throw new UsageError(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
}

function describeDiagnostic(d: Diagnostic): string {
  return `line ${d.line}: ${d.message}`;
}

/** `onInputReady`: called once everything is validated, just before input is read (`valground run` starts its command there). */
export async function analyzeCommand(
  files: string[],
  options: AnalyzeOptions,
  io: Io,
  onInputReady?: () => void,
): Promise<number> {
  const inputs = files.length > 0 ? files : ['-'];
  const policy = policyFrom(options);
  const quiet = options.quiet === true;
  const compat = options.compat === true;
  const specs = await parseReporterSpecs(options.reporter, 'text');
  if (compat && options.reporter.length > 0 && specs.some((s) => s.path === null)) {
    throw new UsageError('--compat writes the reference output to standard output; send other reporters to files (--reporter NAME:PATH)');
  }
  await checkInputs(inputs);
  const gate = await CiGate.load(options);
  if (inputs.includes('-') && (io.stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write('valground: reading test output from standard input (pipe it in, or name a log file; --help for more)\n');
  }

  const colorsOnStdout = useColors(options.colors, io.env, io.stdout);
  const outputs: Output[] = (compat && options.reporter.length === 0 ? [] : specs).map((spec) => {
    const toFile = spec.path !== null;
    return {
      reporter: spec.factory({ colors: toFile ? options.colors === true : colorsOnStdout, quiet, policy }),
      stream: toFile ? openOutput(spec.path!) : io.stdout,
      toFile,
    };
  });
  const streaming = outputs.filter((o) => o.reporter.test !== undefined);

  const analyzer = new Analyzer({
    // Timelines cost memory per test; only the HTML report draws them.
    timelinePoints: specs.some((s) => s.name === 'html') ? undefined : 0,
    onTest(t: TestResult) {
      gate.suppress(t);
      judgeTest(t, policy);
      gate.checkRegression(t);
      for (const o of streaming) {
        const text = o.reporter.test!(t);
        if (text) o.stream.write(text);
      }
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

  onInputReady?.();
  for (const input of inputs) {
    if (inputs.length > 1) analyzer.setSource(input === '-' ? '(stdin)' : input);
    const source = openInput(input, io.stdin);
    if (engine) {
      await forEachLine(source, (line, n) => {
        const text = engine.line(line, n);
        if (text !== '') io.stdout.write(text);
        if (engine.diagnostics.length > reported) reportCompatDiagnostics();
        if (needAnalysis) analyzer.line(line, n);
      });
    } else {
      await forEachLine(source, (line, n) => analyzer.line(line, n));
    }
    analyzer.endSource();
  }

  const result = analyzer.finish();
  const report: Report = judge(result, policy, gate.finish(result));
  for (const o of outputs) {
    const text = o.reporter.end(report);
    if (text) o.stream.write(text);
  }
  await Promise.all(outputs.filter((o) => o.toFile).map((o) => close(o.stream)));

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
