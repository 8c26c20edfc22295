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
 * Everything here is pure; reading the files is the CLI's job. The judge
 * applies the rules: a matched item becomes a `suppressed` finding.
 */
import { compileGlob } from './glob.js';
export type SuppressionKind = 'leak' | 'free';

export interface SuppressionRule {
  kind: SuppressionKind;
  pattern: string;
  /** `FILE:LINE` of the rule, for messages. */
  origin: string;
}

/** A rule ready to match. */
export interface CompiledRule extends SuppressionRule {
  regexp: RegExp;
}

export function compileRules(rules: readonly SuppressionRule[]): CompiledRule[] {
  return rules.map((r) => ({ ...r, regexp: compileGlob(r.pattern) }));
}

/** The first rule of `kind` matching `site`, in rule order; -1 when none does. */
export function firstMatch(rules: readonly CompiledRule[], kind: SuppressionKind, site: string): number {
  for (let i = 0; i < rules.length; i++) if (rules[i].kind === kind && rules[i].regexp.test(site)) return i;
  return -1;
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
    rules.push({ kind, pattern, origin: `${file}:${i + 1}` });
  }
  return rules;
}

export function siteMatches(site: string, pattern: string): boolean {
  return compileGlob(pattern).test(site);
}
