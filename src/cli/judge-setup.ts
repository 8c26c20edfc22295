/**
 * What the judge weighs facts against, read from the command line before
 * any input is: `--fail-on`, `--strict`, `--suppressions FILE` (leak:GLOB /
 * free:GLOB lines) and `--baseline FILE [--max-growth PERCENT]`. A bad file
 * or value is a usage error (exit 2), not a half-done run.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { judgeContext, type JudgeContext } from '../judge/judge.js';
import { parseMaxGrowth, type Baseline } from '../judge/baseline.js';
import { policyFrom } from '../judge/policy.js';
import { parseSuppressions, SuppressionSyntaxError, type SuppressionRule } from '../judge/suppressions.js';
import type { Regression } from '../judge/types.js';
import { describeSystemError, UsageError } from './system-error.js';

export interface JudgeOptions {
  failOn: string[];
  strict?: boolean;
  suppressions?: string[];
  baseline?: string;
  maxGrowth?: string;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addJudgeOptions(cmd: Command, failOnKinds: readonly string[]): Command {
  return cmd
    .option(
      '--fail-on <kinds>',
      `more that fails the run (leaks, free errors and corruption always do), comma-separated, repeatable: ${failOnKinds.join(', ')}, usage:N, headroom:N`,
      collect,
      [],
    )
    .option('--strict', 'treat input diagnostics (unparseable records…) as errors: exit 2')
    .option('--suppressions <file>', 'ignore leaks (leak:GLOB) and bad frees (free:GLOB) matching a site, repeatable', collect, [])
    .option('--baseline <report.json>', 'a previous JSON report: fail tests whose peak bytes grew')
    .option('--max-growth <percent>', 'peak growth allowed over the baseline, in percent (default 0)');
}

/** Reads a text file for an option; an unreadable one is a usage error naming it. */
export async function readOptionFile(what: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${file}: ${describeSystemError(err)}`);
  }
}

async function baselineOf(file: string, maxGrowth: number): Promise<Baseline> {
  // The report schema loads only when a baseline is asked for (start-up time).
  const [{ loadBaseline }, { ReportFileError }] = await Promise.all([import('./report-load.js'), import('../report/read.js')]);
  try {
    return await loadBaseline(file, maxGrowth);
  } catch (err) {
    if (err instanceof ReportFileError) throw new UsageError(`bad baseline: ${err.message}`);
    throw err;
  }
}

/**
 * The judge context of the options. `extraRules` and `priorRegressions`
 * come from merged reports (their own suppressions and baseline verdicts).
 */
export async function loadJudgeContext(
  options: JudgeOptions,
  extraRules: readonly SuppressionRule[] = [],
  priorRegressions: readonly Regression[] = [],
): Promise<JudgeContext> {
  const policy = policyFrom(options.failOn, options.strict === true);
  if (options.maxGrowth !== undefined && options.baseline === undefined) {
    throw new UsageError('--max-growth needs --baseline PREVIOUS.json');
  }
  let maxGrowth = 0;
  if (options.maxGrowth !== undefined) {
    const parsed = parseMaxGrowth(options.maxGrowth);
    if (parsed === undefined) throw new UsageError(`--max-growth ${options.maxGrowth}: expected a percentage ≥ 0, e.g. 5`);
    maxGrowth = parsed;
  }
  const rules: SuppressionRule[] = [...extraRules];
  for (const file of options.suppressions ?? []) {
    const text = await readOptionFile('suppressions', file);
    try {
      for (const r of parseSuppressions(text, file)) {
        if (!rules.some((p) => p.kind === r.kind && p.pattern === r.pattern)) rules.push(r);
      }
    } catch (err) {
      if (err instanceof SuppressionSyntaxError) throw new UsageError(`bad suppression at ${err.message}`);
      throw err;
    }
  }
  const baseline = options.baseline === undefined ? null : await baselineOf(options.baseline, maxGrowth);
  return judgeContext(policy, rules, baseline, baseline === null ? priorRegressions : []);
}
