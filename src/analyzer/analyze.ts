/** Convenience entry points over the analyzer (lines → facts). */
import type { Readable } from 'node:stream';
import { Analyzer, type AnalyzerOptions } from './pipeline.js';
import type { AnalysisFacts } from './facts.js';
import { forEachLine } from './lines.js';

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

/**
 * Analyzes a stream of test output, line by line, without holding it in
 * memory. Rejects on a stream error; never throws past its promise.
 */
export async function analyzeStream(source: Readable, options: AnalyzerOptions = {}): Promise<AnalysisFacts> {
  const analyzer = new Analyzer(options);
  await forEachLine(source, (line, n) => analyzer.line(line, n));
  return analyzer.finish();
}
