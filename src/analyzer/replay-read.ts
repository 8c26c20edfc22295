/**
 * Reading a log for `valground replay`: the analyzer's pipeline (harnesses,
 * lanes, tests) with its `onRecord` hook feeding a ReplayLogBuilder. The
 * analysis itself runs light (no timelines, no layout): only its tests and
 * lanes are wanted here.
 */
import type { AnalysisFacts } from './facts.js';
import { Analyzer, type AnalyzerOptions } from './pipeline.js';
import { readFileLines } from './read-lines.js';
import { ReplayLogBuilder, type ReplayLog } from './replay-log.js';

export interface ReplayReader {
  analyzer: Analyzer;
  builder: ReplayLogBuilder;
}

/** An analyzer wired to a replay log builder; feed it lines, then `finishReplayReader`. */
export function replayReader(options: Pick<AnalyzerOptions, 'harness' | 'root'> = {}): ReplayReader {
  const builder = new ReplayLogBuilder();
  const analyzer = new Analyzer({ ...options, timelinePoints: 0, layout: 'none', onRecord: builder.onRecord });
  return { analyzer, builder };
}

export function finishReplayReader(r: ReplayReader): { log: ReplayLog; facts: AnalysisFacts } {
  const facts = r.analyzer.finish();
  return { log: r.builder.finish(), facts };
}

/** The replay log of text in memory (tests, small logs). */
export function replayLogOfText(text: string): ReplayLog {
  const r = replayReader();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) r.analyzer.line(lines[i], i + 1);
  return finishReplayReader(r).log;
}

/** The replay log of a file (rejects with the system error when it cannot be read). */
export async function readReplayLog(path: string): Promise<ReplayLog> {
  const r = replayReader();
  await readFileLines(path, r.analyzer.framer());
  return finishReplayReader(r).log;
}
