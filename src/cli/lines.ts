/**
 * The streaming edge: bytes in, numbered lines out. split2 frames the lines
 * and the per-line work runs inside its mapper (no async iterator, no event
 * per line). Memory stays bounded by the longest line.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import split2 from 'split2';

export type LineHandler = (line: string, lineNo: number) => void;

/** Feeds every line of `source` to `onLine`; resolves at the end of input. */
export async function forEachLine(source: Readable, onLine: LineHandler): Promise<number> {
  let n = 0;
  const splitter = split2('\n', (line: string) => {
    onLine(line, ++n);
    return undefined; // nothing to pass downstream
  }, { writableHighWaterMark: 1 << 20 }); // room for the next chunks while this one is analyzed
  splitter.resume();
  await pipeline(source, splitter);
  return n;
}

/** An input named on the command line: `-` is standard input. */
export function openInput(name: string, stdin: Readable): Readable {
  return name === '-' ? stdin : createReadStream(name, { highWaterMark: 1 << 16 });
}
