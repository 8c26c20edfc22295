/** Convenience entry points over the Analyzer state machine. */
import type { Readable } from 'node:stream';
import { forEachLine } from '../cli/lines.js';
import { Analyzer, type AnalyzerOptions } from './analyzer.js';
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

/** Analyzes a stream of test output, line by line, without holding it in memory. */
export async function analyzeStream(source: Readable, options: AnalyzerOptions = {}): Promise<AnalysisResult> {
  const analyzer = new Analyzer(options);
  await forEachLine(source, (line, n) => analyzer.line(line, n));
  return analyzer.finish();
}
