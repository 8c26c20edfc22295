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

export { contentEnd } from '../protocol/records.js';
