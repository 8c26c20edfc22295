/** The words the judge's verdicts and every reporter share, written once. */

/** Display name of activity outside any named test (also its name in baseline comparisons). */
export const OUTSIDE_ANY_TEST = '(outside any test)';

/** `1 test`, `2 tests`, `1 entry`/`3 entries` with `many` given. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
