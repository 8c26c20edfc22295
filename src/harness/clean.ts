/**
 * What real output leaves around a line, removed before anything is matched
 * (SPEC §3): ANSI escape sequences, trailing white space, carriage returns.
 */
import stripAnsi from 'strip-ansi';

/** Removes ANSI codes and trailing white space (a CRLF's `\r` included). */
export function cleanLine(raw: string): string {
  const text = raw.includes('\x1b') || raw.includes('\x9b') ? stripAnsi(raw) : raw;
  return text.trimEnd();
}

/**
 * A cleaned line split at carriage returns left inside it (a terminal
 * rewriting the line, as pytest's `collecting …` counter does): each part
 * is a line of its own.
 */
export function lineParts(clean: string): string[] {
  return clean.includes('\r') ? clean.split('\r') : [clean];
}

/** Where a line's content ends once trailing white space (and `\r`) is dropped. */
export function contentEnd(line: string): number {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) end--;
    else if (c > 0x7f && /\s/.test(line[end - 1])) end--;
    else break;
  }
  return end;
}
