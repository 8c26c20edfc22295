/**
 * Analysis as the tests read it: the facts plus the totals and leak sites
 * the judge gives under the default policy (or the one given).
 */
import * as analyzer from '../../src/analyzer/analyze.js';
import type { AnalysisFacts } from '../../src/analyzer/facts.js';
import type { AnalyzerOptions } from '../../src/analyzer/pipeline.js';
import { judge } from '../../src/judge/index.js';
import type { JudgedReport, Policy } from '../../src/judge/types.js';

export type Analysis = AnalysisFacts & { totals: JudgedReport['totals']; leakSites: JudgedReport['leakSites']; report: JudgedReport };

export function withJudgment(facts: AnalysisFacts, policy?: Policy): Analysis {
  const report = judge(facts, policy);
  return { ...facts, totals: report.totals, leakSites: report.leakSites, report };
}

export function analyzeLines(lines: Iterable<string>, options: AnalyzerOptions = {}): Analysis {
  return withJudgment(analyzer.analyzeLines(lines, options));
}

export function analyzeText(text: string, options: AnalyzerOptions = {}): Analysis {
  return withJudgment(analyzer.analyzeText(text, options));
}
