/**
 * Suppression globs, compiled once: `*` stands for any run of characters
 * (slashes included), every other character is itself — a backslash in a
 * Windows `__FILE__`, `!`, brackets. The whole site must match.
 */
export function compileGlob(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${body}$`);
}
