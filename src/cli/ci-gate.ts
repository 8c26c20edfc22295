/**
 * The CI gate options shared by the analyzing commands (`valground`,
 * `valground run`, `valground merge`): `--suppressions FILE` and
 * `--baseline FILE [--max-growth PERCENT]`. Their files are read before any
 * input is, so a typo is a usage error (exit 2) and not a half-done run.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { compareBaseline, loadBaseline, parseMaxGrowth, type BaselinePeaks } from '../analyzer/baseline.js';
import { ReportFileError } from '../analyzer/report-file.js';
import {
  applySuppressions,
  countSuppressed,
  parseSuppressions,
  SuppressionSyntaxError,
  Suppressor,
  type SuppressionRule,
} from '../analyzer/suppressions.js';
import type { AnalysisResult, Report, TestResult } from '../analyzer/types.js';
import { UsageError } from './outputs.js';

export interface CiOptions {
  suppressions?: string[];
  baseline?: string;
  maxGrowth?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addCiOptions(cmd: Command): Command {
  return cmd
    .option('--suppressions <file>', 'ignore leaks (leak:GLOB) and bad frees (free:GLOB) matching a site, repeatable', collect, [])
    .option('--baseline <report.json>', "a previous JSON report: fail tests whose peak bytes grew")
    .option('--max-growth <percent>', 'peak growth allowed over the baseline, in percent (default 0)');
}

export class CiGate {
  private readonly suppressor: Suppressor;

  private constructor(
    rules: SuppressionRule[],
    private readonly baseline: BaselinePeaks | null,
    private readonly maxGrowth: number,
  ) {
    this.suppressor = new Suppressor(rules);
  }

  /** Reads the suppression and baseline files; bad ones are usage errors. */
  static async load(options: CiOptions): Promise<CiGate> {
    if (options.maxGrowth !== undefined && options.baseline === undefined) {
      throw new UsageError('--max-growth needs --baseline PREVIOUS.json');
    }
    let maxGrowth = 0;
    if (options.maxGrowth !== undefined) {
      const parsed = parseMaxGrowth(options.maxGrowth);
      if (parsed === undefined) throw new UsageError(`--max-growth ${options.maxGrowth}: expected a percentage ≥ 0, e.g. 5`);
      maxGrowth = parsed;
    }
    const rules: SuppressionRule[] = [];
    for (const file of options.suppressions ?? []) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read suppressions ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      try {
        rules.push(...parseSuppressions(text, file));
      } catch (err) {
        if (err instanceof SuppressionSyntaxError) throw new UsageError(`bad suppression at ${err.message}`);
        throw err;
      }
    }
    let baseline: BaselinePeaks | null = null;
    if (options.baseline !== undefined) {
      try {
        baseline = await loadBaseline(options.baseline);
      } catch (err) {
        if (err instanceof ReportFileError) throw new UsageError(`bad baseline: ${err.message}`);
        throw err;
      }
    }
    return new CiGate(rules, baseline, maxGrowth);
  }

  /** Streaming: suppress one completed test in place, before it is judged. */
  suppress(t: TestResult): void {
    this.suppressor.suppressTest(t);
  }

  /** Streaming: after `judgeTest`, a test over its baseline allowance fails too. */
  checkRegression(t: TestResult): void {
    if (this.baseline && compareBaseline(this.baseline.peaks, [t], this.maxGrowth).regressions.length > 0) t.ok = false;
  }

  /**
   * After the analyzer finished (every test went through `suppress`): sets
   * `totals.suppressed` and returns the report fields for `judge`.
   */
  finish(result: AnalysisResult): Partial<Report> {
    result.totals.suppressed = countSuppressed(result.tests);
    return this.extras(result);
  }

  /** Whole-result form (merge): suppresses what is left, then compares. */
  apply(result: AnalysisResult, previousCounts: Report['suppressionCounts'] = []): { result: AnalysisResult; extras: Partial<Report> } {
    const applied = applySuppressions(result, this.suppressor.rules);
    const extras = this.extras(applied.result, applied.counts);
    // Counts already made by the shards add up with what this pass matched.
    const counts = [...(previousCounts ?? [])].map((c) => ({ ...c }));
    for (const c of applied.counts) {
      const same = counts.find((p) => p.kind === c.kind && p.pattern === c.pattern);
      if (same) same.count += c.count;
      else counts.push(c);
    }
    if (counts.length > 0) extras.suppressionCounts = counts;
    else delete extras.suppressionCounts;
    return { result: applied.result, extras };
  }

  private extras(result: AnalysisResult, counts = this.suppressor.counts): Partial<Report> {
    const extras: Partial<Report> = {};
    if (this.suppressor.rules.length > 0) extras.suppressionCounts = counts.map((c) => ({ ...c }));
    if (this.baseline) {
      const c = compareBaseline(this.baseline.peaks, result.tests, this.maxGrowth);
      extras.regressions = c.regressions;
      extras.baselineChanges = { added: c.added, removed: c.removed };
    }
    return extras;
  }
}
