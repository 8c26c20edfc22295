/**
 * Suppression files (`--suppressions FILE`, repeatable):
 *
 *   # known leak in the vendored TLV parser
 *   leak:lib/tlv/*.c:*
 *   free:src/nav.c:60          # trailing comments after white space
 *
 * `leak:GLOB` matches a leak by its allocation site, `free:GLOB` a double or
 * invalid free by the site of the offending free; GLOB is matched against
 * the whole `file:line` site, `*` standing for any run of characters,
 * case-sensitively. Suppressed items stop failing the run but stay in the
 * report (`suppressed`, `suppressedFreeErrors`), and each rule counts what
 * it matched (the first matching rule, in file order, gets the item).
 *
 * Everything here is pure; reading the files is the CLI's job. Apply before
 * `judge`, which then sees only what is left.
 */
import { isMatch } from 'matcher';
import { leakSites } from './totals.js';
import type { AnalysisResult, Block, FreeError, TestResult } from './types.js';

export type SuppressionKind = 'leak' | 'free';

export interface SuppressionRule {
  kind: SuppressionKind;
  pattern: string;
  /** `FILE:LINE` of the rule, for messages. */
  origin: string;
}

/** A malformed suppression line: a usage error (exit 2) naming `file:line`. */
export class SuppressionSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'SuppressionSyntaxError';
  }
}

/** Parses one suppression file's text; `file` names it in errors. */
export function parseSuppressions(text: string, file: string): SuppressionRule[] {
  const rules: SuppressionRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    // A `#` starts a comment at the start of a line or after white space
    // (sites never contain " #", so a pattern cannot be cut short).
    const content = lines[i].replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;
    const colon = content.indexOf(':');
    const kind = colon < 0 ? '' : content.slice(0, colon).trim();
    const pattern = colon < 0 ? '' : content.slice(colon + 1).trim();
    if (kind !== 'leak' && kind !== 'free') {
      throw new SuppressionSyntaxError(file, i + 1, `expected "leak:GLOB" or "free:GLOB", got "${content}"`);
    }
    if (pattern === '') throw new SuppressionSyntaxError(file, i + 1, `empty pattern after "${kind}:"`);
    // matcher reads a leading "!" as negation, which has no meaning for a single rule.
    if (pattern.startsWith('!')) {
      throw new SuppressionSyntaxError(file, i + 1, `a pattern cannot start with "!" (negation is not supported)`);
    }
    rules.push({ kind, pattern, origin: `${file}:${i + 1}` });
  }
  return rules;
}

export function siteMatches(site: string, pattern: string): boolean {
  // Only `*` is special in a suppression: a backslash (a Windows __FILE__) is itself.
  return isMatch(site, pattern.replaceAll('\\', '\\\\'), { caseSensitive: true });
}

export interface SuppressionCount {
  pattern: string;
  kind: SuppressionKind;
  count: number;
}

/**
 * The rules plus what each matched so far. `suppressTest` works on one test
 * at a time so the CLI can suppress each test as the analyzer completes it,
 * before it is judged and printed.
 */
export class Suppressor {
  /** One entry per rule, in rule order (the shape of `Report.suppressionCounts`). */
  readonly counts: SuppressionCount[];

  constructor(readonly rules: readonly SuppressionRule[]) {
    this.counts = rules.map((r) => ({ pattern: r.pattern, kind: r.kind, count: 0 }));
  }

  private firstMatch(kind: SuppressionKind, site: string): number {
    return this.rules.findIndex((r) => r.kind === kind && siteMatches(site, r.pattern));
  }

  /**
   * Moves the test's matched leaks to `suppressed` and matched free errors
   * to `suppressedFreeErrors`, in place; returns how many items moved.
   */
  suppressTest(t: TestResult): number {
    if (this.rules.length === 0) return 0;
    let moved = 0;
    const leaks: Block[] = [];
    for (const b of t.leaks) {
      const k = this.firstMatch('leak', b.site);
      if (k < 0) leaks.push(b);
      else {
        this.counts[k].count++;
        t.suppressed.push(b);
        moved++;
      }
    }
    const freeErrors: FreeError[] = [];
    for (const e of t.freeErrors) {
      const k = this.firstMatch('free', e.site);
      if (k < 0) freeErrors.push(e);
      else {
        this.counts[k].count++;
        t.suppressedFreeErrors.push(e);
        moved++;
      }
    }
    t.leaks = leaks;
    t.freeErrors = freeErrors;
    return moved;
  }
}

export interface SuppressionOutcome {
  result: AnalysisResult;
  counts: SuppressionCount[];
}

/**
 * Whole-result form, pure: returns a new result with matched items moved,
 * totals adjusted (`leaks`, `leakedBytes`, `doubleFrees`, `invalidFrees`,
 * `suppressed`) and leak sites recounted. The input is not modified.
 */
export function applySuppressions(result: AnalysisResult, rules: readonly SuppressionRule[]): SuppressionOutcome {
  const suppressor = new Suppressor(rules);
  if (rules.length === 0) return { result, counts: suppressor.counts };
  const tests = result.tests.map((t) => {
    const copy = { ...t, suppressed: [...t.suppressed], suppressedFreeErrors: [...t.suppressedFreeErrors] };
    suppressor.suppressTest(copy);
    return copy;
  });
  const totals = { ...result.totals };
  for (let i = 0; i < tests.length; i++) {
    const kept = new Set<Block | FreeError>([...tests[i].leaks, ...tests[i].freeErrors]);
    for (const b of result.tests[i].leaks) {
      if (kept.has(b)) continue;
      totals.leaks--;
      totals.leakedBytes -= b.size;
    }
    for (const e of result.tests[i].freeErrors) {
      if (kept.has(e)) continue;
      if (e.kind === 'double-free') totals.doubleFrees--;
      else totals.invalidFrees--;
    }
  }
  totals.suppressed = countSuppressed(tests);
  return { result: { ...result, tests, totals, leakSites: leakSites(tests) }, counts: suppressor.counts };
}

/** `totals.suppressed`: every suppressed leak and free error. */
export function countSuppressed(tests: readonly TestResult[]): number {
  return tests.reduce((n, t) => n + t.suppressed.length + t.suppressedFreeErrors.length, 0);
}
