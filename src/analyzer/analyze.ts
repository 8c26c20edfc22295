/** Convenience entry points over the Analyzer state machine. */
import type { Readable } from 'node:stream';
import { Analyzer, type AnalyzerOptions } from './analyzer.js';
import { DEFAULT_MAX_LINE_BYTES, LineFramer, longLineMessage } from './frame.js';
import { frameStream } from './read-lines.js';
import type { AnalysisResult } from './types.js';

/** Analyzes lines already in memory (tests, small logs). */
export function analyzeLines(lines: Iterable<string>, options: AnalyzerOptions = {}): AnalysisResult {
  const analyzer = new Analyzer(options);
  let n = 0;
  for (const line of lines) analyzer.line(line, ++n);
  return analyzer.finish();
}

/** Analyzes text (split on \n; a trailing newline ends the last line). */
export function analyzeText(text: string, options: AnalyzerOptions = {}): AnalysisResult {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return analyzeLines(lines, options);
}

export interface StreamOptions extends AnalyzerOptions {
  /** Longer lines are cut there with a `long-line` diagnostic (default 16 MiB). */
  maxLineBytes?: number;
}

/**
 * Analyzes a stream of test output, line by line, without holding it in
 * memory. Rejects on a stream error; never throws outside the promise.
 */
export async function analyzeStream(source: Readable, options: StreamOptions = {}): Promise<AnalysisResult> {
  const analyzer = new Analyzer(options);
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const framer = new LineFramer({
    maxLineBytes,
    onLine: (line, n) => analyzer.line(line, n),
    onCut: (n, dropped) => analyzer.note(n, 'long-line', longLineMessage(maxLineBytes, dropped)),
  });
  await frameStream(source, framer);
  return analyzer.finish();
}
