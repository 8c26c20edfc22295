/**
 * A flat copy of `s`. Strings the analysis keeps (call sites, test names)
 * must not be substrings of input lines: V8 substrings point into the whole
 * chunk they were cut from, so one kept site would pin 64 KB of log.
 */
export function copyString(s: string): string {
  return (' ' + s).slice(1);
}
