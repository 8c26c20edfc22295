/**
 * The default command: stream the inputs through the analyzer (and the
 * compat engine with `--compat`), judge each test as it completes, write
 * every reporter, return the exit code.
 */
import { appendFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { Analyzer } from '../analyzer/pipeline.js';
import { forEachLine, openInput } from '../analyzer/lines.js';
import type { Diagnostic } from '../analyzer/facts.js';
import type { LayoutChoice } from '../analyzer/layout.js';
import type { HarnessName } from '../harness/types.js';
import { judgeRun, judgeTest } from '../judge/judge.js';
import type { JudgedTest } from '../judge/types.js';
import { CompatEngine } from '../reporters/compat.js';
import { useColors } from './colors.js';
import { loadJudgeContext, type JudgeOptions } from './judge-setup.js';
import { parseReporterSpecs, Reporters, UsageError } from './outputs.js';
import { sourceRoot } from './root.js';

export interface Io {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd?: string;
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
}

/** Checks every named input before reading any, so a typo fails fast with exit 2. */
async function checkInputs(files: string[]): Promise<void> {
  for (const f of files) {
    if (f === '-') continue;
    let why: string | null = null;
    try {
      const s = await stat(f);
      if (s.isDirectory()) why = 'is a directory';
    } catch (err) {
      why = (err as NodeJS.ErrnoException).code ?? String(err);
    }
    if (why !== null) throw new UsageError(`cannot read ${f}: ${why}`);
  }
}

function describeDiagnostic(d: Diagnostic): string {
  return `line ${d.line}: ${d.message}`;
}

/** Appends to a side file (GitHub's job summary); a failure is an error naming it. */
function appendSide(path: string, text: string): void {
  try {
    appendFileSync(path, text);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** `onInputReady`: called once everything is validated, just before input is read (`valground run` starts its command there). */
export async function analyzeCommand(
  files: string[],
  options: AnalyzeOptions,
  io: Io,
  onInputReady?: () => void,
): Promise<number> {
  const inputs = files.length > 0 ? files : ['-'];
  const quiet = options.quiet === true;
  const compat = options.compat === true;
  const specs = await parseReporterSpecs(options.reporter, 'text');
  if (compat && options.reporter.length > 0 && specs.some((s) => s.path === null)) {
    throw new UsageError('--compat writes the reference output to standard output; send other reporters to files (--reporter NAME:PATH)');
  }
  await checkInputs(inputs);
  const ctx = await loadJudgeContext(options);
  if (inputs.includes('-') && (io.stdin as { isTTY?: boolean }).isTTY) {
    io.stderr.write('valground: reading test output from standard input (pipe it in, or name a log file; --help for more)\n');
  }

  const reporters = Reporters.open(
    compat && options.reporter.length === 0 ? [] : specs,
    {
      quiet,
      census: options.census === true,
      env: io.env,
      colorsOnStdout: useColors(options.colors, io.env, io.stdout),
      colorsInFiles: options.colors === true,
    },
    io.stdout,
  );
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

  try {
    onInputReady?.();
    for (const input of inputs) {
      if (inputs.length > 1) analyzer.setSource(input === '-' ? '(stdin)' : input);
      const source = openInput(input, io.stdin);
      if (engine) {
        await forEachLine(source, (line, n) => {
          const text = engine.line(line, n);
          if (text !== '') io.stdout.write(text);
          if (engine.diagnostics.length > reported) reportCompatDiagnostics();
          analyzer.line(line, n);
        });
      } else {
        await forEachLine(source, (line, n) => analyzer.line(line, n));
      }
      analyzer.endSource();
    }
  } catch (err) {
    reporters.discard();
    throw err;
  }

  const facts = analyzer.finish();
  const report = judgeRun(facts, ctx, judged);
  await reporters.end(report, appendSide);

  if (engine) {
    io.stdout.write(engine.finish());
    reportCompatDiagnostics();
    if (options.strict && engine.diagnostics.length > 0) return 2;
    return engine.exitCode;
  }

  // A reporter on stdout already shows these; otherwise they go to stderr.
  if (!reporters.diagnosticsShown) {
    const diags = facts.diagnostics.filter((d) => d.kind !== 'no-profiling');
    for (const d of diags.slice(0, 10)) io.stderr.write(`valground: ${describeDiagnostic(d)}\n`);
    if (diags.length > 10) io.stderr.write(`valground: … ${diags.length - 10} more diagnostics\n`);
    if (!facts.recordsSeen) {
      io.stderr.write('valground: WARNING: no memory-profiling record (==MP …) was found: was the app built with memory profiling?\n');
    }
  }
  return report.verdict.exitCode;
}
