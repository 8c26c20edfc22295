/**
 * `valground merge A.json B.json … [--reporter …]`: combines the JSON
 * reports of sharded CI jobs into one report, judged again under this
 * command's policy (so `--fail-on`, `--strict`, `--suppressions` and
 * `--baseline` work here as in an analysis; the shards' own suppression
 * patterns and baseline regressions come along), rendered by any reporter
 * (default: JSON on stdout). Exit status: the merged verdict; 2 when a file
 * is unreadable, not a valground report, or named twice.
 */
import { appendFileSync, statSync } from 'node:fs';
import { judgeRun } from '../judge/judge.js';
import { mergeReports } from '../report/merge.js';
import { ReportFileError, type ReadReport } from '../report/read.js';
import { loadReportFile } from './report-files.js';
import type { AnalyzeOptions, Io } from './analyze.js';
import { useColors } from './colors.js';
import { loadJudgeContext } from './judge-setup.js';
import { parseReporterSpecs, Reporters, UsageError } from './outputs.js';

/** Device and inode of a file, to tell the same file under two names. */
function identity(file: string): string | null {
  try {
    const s = statSync(file);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

export async function mergeCommand(files: string[], options: AnalyzeOptions, io: Io): Promise<number> {
  const specs = await parseReporterSpecs(options.reporter, 'json');
  const seen = new Map<string, string>();
  for (const file of files) {
    const id = identity(file);
    if (id === null) continue; // reported as unreadable below
    const first = seen.get(id);
    if (first !== undefined) throw new UsageError(`${file} is the same report as ${first}: merging it twice would count its tests twice`);
    seen.set(id, file);
  }
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

  const reporters = Reporters.open(
    specs,
    {
      quiet: options.quiet === true,
      census: options.census === true,
      env: io.env,
      colorsOnStdout: useColors(options.colors, io.env, io.stdout),
      colorsInFiles: options.colors === true,
    },
    io.stdout,
  );
  for (const t of report.tests) reporters.test(t);
  await reporters.end(report, (path, text) => appendFileSync(path, text));
  return report.verdict.exitCode;
}
