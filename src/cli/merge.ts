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
import { checkDestinations, fileIdentity } from './destinations.js';
import { parseReporterSpecs, UsageError } from './outputs.js';
import { openDestination } from './report-files.js';

/** The same report given twice (by any path) would count its tests twice. */
function checkDistinct(files: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const id = fileIdentity(file);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new UsageError(`cannot merge ${file}: ${first === file ? 'given twice' : `the same file as ${first}`}; each shard counts once`);
    }
    seen.set(id, file);
  }
}

export async function mergeCommand(files: string[], options: AnalyzeOptions, io: Io): Promise<number> {
  const specs = await parseReporterSpecs(options.reporter, 'json');
  checkDistinct(files);
  checkDestinations({
    reporters: specs,
    inputs: files,
    stdoutFd: io.stdout.fd,
  });
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
    const to = openDestination(spec.path, io.stdout);
    const reporter = spec.factory({ colors: spec.path !== null ? options.colors === true : colorsOnStdout, quiet: options.quiet === true, policy });
    // Streaming reporters (text) print tests one by one, then the rest.
    if (reporter.test) for (const t of report.tests) to.write(reporter.test(t));
    to.write(reporter.end(report));
    to.commit();
  }
  return report.verdict.exitCode;
}
