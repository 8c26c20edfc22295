/**
 * The policy: what fails a run (SPEC §4). Leaks, free errors and corruption
 * fail by default; `--fail-on` adds more.
 */
import { FAIL_ON_KINDS, type FailOn, type Policy } from './types.js';

export { FAIL_ON_KINDS };

export const DEFAULT_FAIL_ON: readonly FailOn[] = ['leak', 'free-error', 'corruption'];

/** A `--fail-on` value that cannot be understood (a usage error). */
export class PolicyError extends Error {}

export function defaultPolicy(): Policy {
  return { failOn: new Set(DEFAULT_FAIL_ON), usageThreshold: null, headroomFloor: null, strict: false };
}

function threshold(item: string, prefix: string, what: string, example: string): number {
  const text = item.slice(prefix.length).trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0) throw new PolicyError(`--fail-on ${item}: ${what}, e.g. ${example}`);
  return n;
}

/**
 * Parses `--fail-on` values (comma-separated, repeatable): the kinds above,
 * `usage:N` and `headroom:N`. Throws a PolicyError for a usage error.
 */
export function parseFailOn(values: readonly string[]): Pick<Policy, 'failOn' | 'usageThreshold' | 'headroomFloor'> {
  const failOn = new Set<FailOn>();
  let usageThreshold: number | null = null;
  let headroomFloor: number | null = null;
  for (const value of values) {
    for (const raw of value.split(',')) {
      const item = raw.trim();
      if (item === '') continue;
      if (item.startsWith('usage:')) usageThreshold = threshold(item, 'usage:', 'usage threshold must be a percentage', 'usage:90');
      else if (item.startsWith('headroom:')) headroomFloor = threshold(item, 'headroom:', 'headroom floor must be a number of bytes', 'headroom:512');
      else if ((FAIL_ON_KINDS as readonly string[]).includes(item)) failOn.add(item as FailOn);
      else throw new PolicyError(`--fail-on: unknown kind "${item}" (expected ${FAIL_ON_KINDS.join(', ')}, usage:N, headroom:N)`);
    }
  }
  return { failOn, usageThreshold, headroomFloor };
}

/** The policy of the CLI options: the defaults plus `--fail-on`, and `--strict`. */
export function policyFrom(failOnValues: readonly string[], strict: boolean): Policy {
  return { ...parseFailOn([DEFAULT_FAIL_ON.join(','), ...failOnValues]), strict };
}
