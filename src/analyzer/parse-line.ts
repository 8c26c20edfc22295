/**
 * One line of test output → the events it carries (SPEC §2–§3). Pure: no
 * state, no I/O. The analyzer decides what an event means in context (for
 * instance, result characters only count while pytest runs without `-v`).
 *
 * A single line can carry several events: a node id and the test's first
 * record (`pytest -v -s`), or result characters and the next test's first
 * record (`pytest -s`).
 */
import stripAnsi from 'strip-ansi';
import { EMULATOR_PREFIX, MARKER, parseRecordAt, type MemRecord } from '../protocol/records.js';
import { copyString } from './intern.js';
import type { Outcome } from './types.js';

export type LineEvent =
  | { type: 'session-start'; line: number }
  /** A pytest section that ends the test phase (FAILURES, the final tally…). */
  | { type: 'session-end'; line: number; title: string }
  | { type: 'collected'; line: number; count: number }
  | { type: 'test-start'; line: number; name: string }
  /** pytest without -v: `PATH ` starts the module's first test. */
  | { type: 'module'; line: number; path: string }
  /** pytest without -v: one character per finished test. */
  | { type: 'results'; line: number; chars: string }
  /** `name` is set for the summary form `FAILED path::test - reason`. */
  | { type: 'outcome'; line: number; outcome: Outcome; name?: string }
  | { type: 'record'; line: number; record: MemRecord }
  | { type: 'bad-record'; line: number; message: string; text: string };

const NO_EVENTS: LineEvent[] = [];

const OUTCOMES: Record<string, Outcome> = {
  PASSED: 'passed',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  XFAIL: 'xfail',
  XPASS: 'xpass',
  ERROR: 'error',
};
const OUTCOME_WORD = /^(PASSED|FAILED|SKIPPED|XFAIL|XPASS|ERROR)/;
const COLLECTED = /^(?:collecting \.\.\. )?collected (\d+) items?(.*)$/;
const DESELECTED = /\/ (\d+) deselected/;
const SELECTED = /\/ (\d+) selected/;
const SECTION = /^=+ (.+?) =+$/;
const SESSION_END_TITLE =
  /^(FAILURES|ERRORS|PASSES|XFAILURES|XPASSES|short test summary info|warnings summary|.*durations|no tests ran.*|.* in \d[\d.]*s\b.*|.*coverage.*)$/i;
/** The path part of a node id or module line: a file with an extension. */
const TEST_PATH = /^[^\s:]+\.[A-Za-z0-9]+$/;
const RESULT_CHARS = /^[.FEsxX]+/;
const MAX_RESULT_RUN = 400;
/**
 * What may follow a run of result characters for the run to count: output
 * that starts a recognised line (the emulator, a record, a logging prefix).
 */
const RECOGNISED_OUTPUT = /^(?:seproxyhal|==MP |[A-Z][A-Z]+:[\w.]*:|werkzeug|\[\s*\d+%\]|\[gw\d+\])/;

/** Removes what real output leaves around a line: ANSI codes, trailing white space, `\r`. */
export function cleanLine(raw: string): string {
  const text = raw.includes('\x1b') || raw.includes('\x9b') ? stripAnsi(raw) : raw;
  return text.trimEnd();
}

/**
 * A node id at the start of `text`: `PATH::NAME`, `PATH::CLASS::NAME`,
 * optionally `[PARAMS]` (which may contain spaces). Returns its length.
 */
function nodeIdLength(text: string): number {
  const sep = text.indexOf('::');
  if (sep <= 0) return 0;
  const path = text.slice(0, sep);
  if (!TEST_PATH.test(path)) return 0;
  let end = text.length;
  for (let i = sep + 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      end = i;
      break;
    }
  }
  let id = text.slice(0, end);
  const open = id.indexOf('[');
  if (open >= 0 && !id.endsWith(']')) {
    // parameters with spaces: extend to the `]` that ends a word
    const close = text.slice(open).search(/\](?=\s|$)/);
    if (close < 0) return 0;
    end = open + close + 1;
    id = text.slice(0, end);
  }
  const names = (open >= 0 ? id.slice(0, open) : id).slice(sep + 2).split('::');
  for (const n of names) if (n === '' || n.includes(':')) return 0;
  return end;
}

/**
 * An outcome word at the start of `text`, if it is pytest's: alone, before
 * `[ 40%]` or `(reason)`, before the node id it reports (summary form), or
 * glued to the next output line. `ERROR    name:file.py:12 …` is a log line.
 */
function outcomeAt(text: string, lineNo: number, out: LineEvent[]): boolean {
  const m = OUTCOME_WORD.exec(text);
  if (!m) return false;
  const outcome = OUTCOMES[m[1]];
  const after = text.slice(m[1].length);
  const rest = after.trimStart();
  if (after === '' || RECOGNISED_OUTPUT.test(after)) {
    out.push({ type: 'outcome', line: lineNo, outcome });
    return true;
  }
  if (rest === after) return false; // glued to something else: a word, not an outcome
  const c = rest.charCodeAt(0);
  if (rest === '' || c === 0x5b /* [ */ || c === 0x28 /* ( */ || RECOGNISED_OUTPUT.test(rest)) {
    out.push({ type: 'outcome', line: lineNo, outcome });
    return true;
  }
  const idLen = nodeIdLength(rest);
  if (idLen === 0) return false;
  out.push({ type: 'outcome', line: lineNo, outcome, name: copyString(rest.slice(0, idLen)) });
  return true;
}

/** Where a run of result characters counts: the length of the run, or 0. */
function resultRunLength(text: string): number {
  const m = RESULT_CHARS.exec(text);
  // pytest wraps its result lines at the terminal's width: a longer run is text
  if (!m || m[0].length > MAX_RESULT_RUN) return 0;
  for (let i = m[0].length; i > 0; i--) {
    const rest = text.slice(i);
    if (rest === '' || rest.charCodeAt(0) === 0x20 || rest.charCodeAt(0) === 0x09) return i;
    if (RECOGNISED_OUTPUT.test(rest)) return i;
  }
  return 0;
}

function parseCollected(m: RegExpExecArray): number {
  const count = Number(m[1]);
  const tail = m[2];
  const selected = SELECTED.exec(tail);
  if (selected) return Number(selected[1]);
  const deselected = DESELECTED.exec(tail);
  return deselected ? Math.max(0, count - Number(deselected[1])) : count;
}

/** Structural events found in the part of a line before any record. */
function structure(head: string, lineNo: number, out: LineEvent[]): void {
  if (head === '') return;
  const c0 = head.charCodeAt(0);
  // Emulator output is never pytest structure (a result character would come first).
  if (c0 === 0x73 /* s */ && head.startsWith('seproxyhal')) return;

  if (c0 === 0x3d /* = */) {
    const m = SECTION.exec(head);
    if (m) {
      const title = m[1];
      if (title === 'test session starts') out.push({ type: 'session-start', line: lineNo });
      else if (SESSION_END_TITLE.test(title)) out.push({ type: 'session-end', line: lineNo, title });
    }
    return;
  }
  if (c0 === 0x63 /* c */) {
    const m = COLLECTED.exec(head);
    if (m) {
      out.push({ type: 'collected', line: lineNo, count: parseCollected(m) });
      return;
    }
  }
  if (outcomeAt(head, lineNo, out)) return;

  const idLen = nodeIdLength(head);
  if (idLen > 0) {
    out.push({ type: 'test-start', line: lineNo, name: copyString(head.slice(0, idLen)) });
    let after = head.slice(idLen).trimStart();
    // an inherited test: `path::Class::test <- base.py PASSED`
    if (after.startsWith('<- ')) after = after.slice(after.indexOf(' ', 3) + 1 || after.length).trimStart();
    outcomeAt(after, lineNo, out);
    return;
  }

  let rest = head;
  const space = head.indexOf(' ');
  const token = space < 0 ? head : head.slice(0, space);
  if (token.endsWith('.py') && TEST_PATH.test(token)) {
    out.push({ type: 'module', line: lineNo, path: copyString(token) });
    if (space < 0) return;
    rest = head.slice(space + 1);
  }
  const run = resultRunLength(rest);
  if (run > 0) out.push({ type: 'results', line: lineNo, chars: rest.slice(0, run) });
}

/** The usual record line: the emulator's prefix, then the record. */
export const RECORD_LINE_PREFIX = EMULATOR_PREFIX + MARKER;

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

/**
 * The events of one line. `raw` may still carry ANSI codes and `\r`.
 * Never throws: a malformed record becomes a `bad-record` event.
 */
export function parseLine(raw: string, lineNo: number): LineEvent[] {
  const line = cleanLine(raw);
  if (line === '') return NO_EVENTS;
  // A carriage return inside a line (a terminal rewriting it, as pytest's
  // `collecting …` counter does) separates lines too: read each part.
  if (line.includes('\r')) return line.split('\r').flatMap((part) => parseLine(part, lineNo));
  const m = line.indexOf(MARKER);
  const out: LineEvent[] = [];
  if (m !== EMULATOR_PREFIX.length || !line.startsWith(RECORD_LINE_PREFIX)) structure(m >= 0 ? line.slice(0, m) : line, lineNo, out);
  // Several records can share a line (printf without a newline): each one
  // ends where the next marker starts.
  for (let at = m; at >= 0; ) {
    const next = line.indexOf(MARKER, at + MARKER.length);
    out.push(recordEvent(line, at + MARKER.length, next < 0 ? line.length : contentEnd(line.slice(0, next)), lineNo));
    at = next;
  }
  return out.length === 0 ? NO_EVENTS : out;
}

function recordEvent(line: string, start: number, end: number, lineNo: number): LineEvent {
  const r = parseRecordAt(line, start, end);
  return typeof r === 'string' ? badRecordEvent(line, start, end, lineNo, r) : { type: 'record', line: lineNo, record: r };
}

function badRecordEvent(line: string, start: number, end: number, lineNo: number, message: string): LineEvent {
  return { type: 'bad-record', line: lineNo, message, text: copyString(line.slice(start, Math.min(end, start + 200))) };
}
