/** Convenience entry points over the analyzer (lines → facts). */
import type { Readable } from 'node:stream';
import { Analyzer, type AnalyzerOptions } from './pipeline.js';
import type { AnalysisFacts } from './facts.js';
import type { LineFramer } from './frame.js';
import { frameStream, readFileLines } from './read-lines.js';

/** Analyzes lines already in memory (tests, small logs). */
export function analyzeLines(lines: Iterable<string>, options: AnalyzerOptions = {}): AnalysisFacts {
  const analyzer = new Analyzer(options);
  let n = 0;
  for (const line of lines) analyzer.line(line, ++n);
  return analyzer.finish();
}

/** Analyzes text (split on \n; a trailing newline ends the last line). */
export function analyzeText(text: string, options: AnalyzerOptions = {}): AnalysisFacts {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return analyzeLines(lines, options);
}

export interface StreamOptions extends AnalyzerOptions {
  /** Longer lines are cut there with a `long-line` diagnostic (default 16 MiB). */
  maxLineBytes?: number;
}

function framed(options: StreamOptions): { analyzer: Analyzer; framer: LineFramer } {
  const analyzer = new Analyzer(options);
  return { analyzer, framer: analyzer.framer(options.maxLineBytes) };
}

/**
 * Analyzes a stream of test output, line by line, without holding it in
 * memory. Rejects on a stream error; never throws outside the promise.
 */
export async function analyzeStream(source: Readable, options: StreamOptions = {}): Promise<AnalysisFacts> {
  const { analyzer, framer } = framed(options);
  await frameStream(source, framer);
  return analyzer.finish();
}

/** Analyzes a log file (read in place, in blocks: the fastest way in). */
export async function analyzeFile(path: string, options: StreamOptions = {}): Promise<AnalysisFacts> {
  const { analyzer, framer } = framed(options);
  await readFileLines(path, framer);
  return analyzer.finish();
}
