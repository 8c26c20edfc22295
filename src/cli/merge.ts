/**
 * `valground merge A.json B.json … [--reporter …]`: combines the JSON
 * reports of sharded CI jobs into one report, judged again under this
 * command's policy (so `--fail-on`, `--strict`, `--suppressions` and
 * `--baseline` work here as in an analysis; the shards' own suppression
 * patterns and baseline regressions come along), rendered by any reporter
 * (default: JSON on stdout). Exit status: the merged verdict; 2 when a file
 * is unreadable, not a valground report, or named twice.
 */
import { judgeRun } from '../judge/judge.js';
import { mergeReports } from '../report/merge.js';
import { ReportFileError, type ReadReport } from '../report/read.js';
import { loadReportFile } from './report-load.js';
import { checkDestinations, fileIdentity } from './destinations.js';
import type { AnalyzeOptions, Io } from './analyze.js';
import { loadJudgeContext } from './judge-setup.js';
import { parseReporterSpecs, Reporters } from './outputs.js';
import { UsageError } from './system-error.js';

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
  checkDestinations({ reporters: specs, inputs: files, stdoutFd: io.stdout.fd });
  const shards: ReadReport[] = [];
  for (const file of files) {
    try {
      shards.push(await loadReportFile(file));
    } catch (err) {
      if (err instanceof ReportFileError) throw new UsageError(`cannot merge ${err.message}`);
      throw err;
    }
  }
  const merged = mergeReports(shards);
  const rules = merged.suppressions.map((s) => ({ kind: s.kind, pattern: s.pattern, origin: 'a merged report' }));
  const ctx = await loadJudgeContext(options, rules, merged.regressions);
  const judged = judgeRun(merged.facts, ctx);
  // Without a new baseline, the shards' own comparisons stand (reconciled across shards).
  const report = ctx.baseline === null && merged.baselineChanges !== undefined ? { ...judged, baselineChanges: merged.baselineChanges } : judged;

  const reporters = Reporters.open(specs, { quiet: options.quiet === true, census: options.census === true, env: io.env, colors: options.colors }, io.stdout);
  for (const t of report.tests) reporters.test(t);
  reporters.end(report);
  return report.verdict.exitCode;
}
