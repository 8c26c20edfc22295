/** The judge's public API: policy, suppressions, baseline comparison, judging. */
export * from './types.js';
export { judgeTest, judgeRun, judgeContext, leakSitesOf, type JudgeContext } from './judge.js';
export { defaultPolicy, parseFailOn, policyFrom, PolicyError, DEFAULT_FAIL_ON, FAIL_ON_KINDS } from './policy.js';
export { parseSuppressions, compileRules, SuppressionSyntaxError, type SuppressionRule, type SuppressionKind } from './suppressions.js';
export { peaksByName, regressionOf, baselineChanges, compareBaseline, growthPercent, parseMaxGrowth, type Baseline } from './baseline.js';
export { compileGlob } from './glob.js';
export { OUTSIDE_ANY_TEST, plural } from './words.js';

import type { AnalysisFacts } from '../analyzer/facts.js';
import { judgeContext, judgeRun } from './judge.js';
import type { JudgedReport, Policy } from './types.js';

/** The run judged under `policy` (default: leaks, free errors and corruption fail), without suppressions or baseline. */
export function judge(facts: AnalysisFacts, policy?: Policy): JudgedReport {
  return judgeRun(facts, judgeContext(policy));
}
