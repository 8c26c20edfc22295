/** The analyzer's public API (`valground/analyzer`): test output → facts. */
export { Analyzer, type AnalyzerOptions } from './pipeline.js';
export { analyzeFile, analyzeLines, analyzeStream, analyzeText, type StreamOptions } from './analyze.js';
export { LineFramer, DEFAULT_MAX_LINE_BYTES, type LineFramerOptions } from './frame.js';
export { readFileLines, frameStream } from './read-lines.js';
export { Tracker, type TrackerOptions } from './tracker.js';
export { SiteTable } from './sites.js';
export { LayoutModel, sdkChunkSize, sdkHeadroom, fragmentation, type LayoutChoice } from './layout.js';
export { ReferenceModel, type ReferenceEvent } from './reference.js';
export * from './facts.js';
export { replayLog, replayStream, type ReplayOptions } from './replay.js';
export { readReplayLog, replayLogOfText } from './replay-read.js';
export { ReplayLogBuilder, type ReplayLog, type ReplayStream } from './replay-log.js';
export type * from './replay-facts.js';
