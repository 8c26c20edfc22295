/**
 * The CLI's inputs: log files named on the command line, or standard input
 * (`-`), framed into lines by the analyzer's LineFramer. A file that cannot
 * be read is an input error (exit 2) naming it and the reason.
 */
import { statSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DEFAULT_MAX_LINE_BYTES, LineFramer, MAX_LINE_BYTES_LIMIT } from '../analyzer/frame.js';
import { frameStream, readFileLines, type ReadOutcome } from '../analyzer/read-lines.js';
import { describeSystemError, UsageError } from './system-error.js';

/** Where framed lines go: the analysis (and the compat engine). */
export interface LineSink {
  line(text: string, lineNo: number): void;
  /** Line `lineNo` was longer than the cap: its first bytes were passed to `line`, `droppedBytes` more skipped. */
  cut(lineNo: number, droppedBytes: number): void;
  /** The analyzer's byte front end (`Analyzer.lineBytes`): true when it consumed the line, which then never comes to `line`. */
  bytes?(buf: Buffer, start: number, end: number, lineNo: number): boolean;
}

function inputName(name: string): string {
  return name === '-' ? 'standard input' : name;
}

/** Checks every named input before reading any, so a typo fails fast with exit 2. */
export async function checkInputs(files: readonly string[]): Promise<void> {
  for (const f of files) {
    if (f === '-') continue;
    try {
      await access(f, constants.R_OK);
      if (statSync(f).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (err) {
      throw new UsageError(`cannot read ${f}: ${describeSystemError(err)}`);
    }
  }
}

/** Frames one input into `sink`; stops early (`aborted`) when `stop` fires. */
export async function readInput(
  name: string,
  stdin: Readable,
  sink: LineSink,
  maxLineBytes: number,
  stop?: AbortSignal,
): Promise<ReadOutcome> {
  const framer = new LineFramer({
    maxLineBytes,
    onLine: (text, n) => sink.line(text, n),
    onCut: (n, dropped) => sink.cut(n, dropped),
    onBytes: sink.bytes?.bind(sink), // bound, not wrapped: a closure per hop cost 2 % on the bench log
  });
  try {
    const outcome = name === '-' ? await frameStream(stdin, framer, stop) : await readFileLines(name, framer, stop);
    if (outcome.aborted && name === '-') stdin.destroy(); // a paused pipe would keep the process waiting for its writer
    return outcome;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).syscall !== undefined) {
      throw new UsageError(`cannot read ${inputName(name)}: ${describeSystemError(err)}`);
    }
    throw err;
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `--max-line-bytes N`: bytes, or with a K, M or G suffix (powers of 1024). */
export function parseMaxLineBytes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_LINE_BYTES;
  const m = /^(\d+)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  const n = m ? Number(m[1]) * UNITS[m[2].toLowerCase()] : NaN;
  if (!Number.isSafeInteger(n) || n < 4 || n > MAX_LINE_BYTES_LIMIT) {
    throw new UsageError(`--max-line-bytes ${value}: expected a size from 4 bytes to 511M, e.g. 16777216 or 16M`);
  }
  return n;
}
