/**
 * `valground merge A.json B.json … [--reporter …]`: combines the JSON
 * reports of sharded CI jobs into one report, re-judged under this
 * command's policy (so `--fail-on`, `--strict`, `--suppressions` and
 * `--baseline` work here as in an analysis), rendered by any reporter
 * (default: JSON on stdout). Exit status: the merged verdict; 2 when a file
 * is unreadable or not a valground report.
 */
import { mergeReports } from '../analyzer/merge.js';
import { loadReportFile, ReportFileError, type LoadedReport } from '../analyzer/report-file.js';
import { judge } from '../analyzer/verdict.js';
import { policyFrom, type AnalyzeOptions, type Io } from './analyze.js';
import { CiGate } from './ci-gate.js';
import { useColors } from './colors.js';
import { close, openOutput, parseReporterSpecs, UsageError } from './outputs.js';

export async function mergeCommand(files: string[], options: AnalyzeOptions, io: Io): Promise<number> {
  const specs = await parseReporterSpecs(options.reporter, 'json');
  const policy = policyFrom(options);
  const gate = await CiGate.load(options);
  const shards: LoadedReport[] = [];
  for (const file of files) {
    try {
      shards.push(await loadReportFile(file));
    } catch (err) {
      if (err instanceof ReportFileError) throw new UsageError(`cannot merge ${err.message}`);
      throw err;
    }
  }

  const merged = mergeReports(shards);
  const { result, extras } = gate.apply(merged.result, merged.suppressionCounts);
  // A baseline given here replaces the shards' own comparisons.
  const report = judge(result, policy, {
    ...(merged.regressions.length > 0 ? { regressions: merged.regressions } : {}),
    ...(merged.baselineChanges ? { baselineChanges: merged.baselineChanges } : {}),
    ...extras,
  });

  const colorsOnStdout = useColors(options.colors, io.env, io.stdout);
  for (const spec of specs) {
    const toFile = spec.path !== null;
    const reporter = spec.factory({ colors: toFile ? options.colors === true : colorsOnStdout, quiet: options.quiet === true, policy });
    const stream = toFile ? openOutput(spec.path!) : io.stdout;
    // Streaming reporters (text) print tests one by one, then the rest.
    for (const t of report.tests) {
      const text = reporter.test?.(t);
      if (text) stream.write(text);
    }
    const text = reporter.end(report);
    if (text) stream.write(text);
    if (toFile) await close(stream);
  }
  return report.verdict.exitCode;
}
