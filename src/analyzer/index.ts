/** The analyzer's public API. */
export { Analyzer, type AnalyzerOptions } from './analyzer.js';
export { analyzeLines, analyzeStream, analyzeText, type StreamOptions } from './analyze.js';
export { LineFramer, DEFAULT_MAX_LINE_BYTES, type LineFramerOptions } from './frame.js';
export { readFileLines, frameStream } from './read-lines.js';
export { parseLine, cleanLine, type LineEvent } from './parse-line.js';
export { judge, judgeTest, parseFailOn, defaultPolicy, DEFAULT_FAIL_ON, FAIL_ON_KINDS } from './verdict.js';
export * from './types.js';
export * from '../protocol/records.js';
export { toJson, REPORT_SCHEMA } from '../reporters/json.js';
export { CompatEngine } from '../reporters/compat.js';
export { main } from '../cli/main.js';
