/** The analyzer's public API (`valground/analyzer`): test output → facts. */
export { Analyzer, type AnalyzerOptions } from './pipeline.js';
export { analyzeLines, analyzeStream, analyzeText } from './analyze.js';
export { Tracker, type TrackerOptions } from './tracker.js';
export { SiteTable } from './sites.js';
export { LayoutModel, sdkChunkSize, sdkHeadroom, fragmentation, type LayoutChoice } from './layout.js';
export { ReferenceModel, type ReferenceEvent } from './reference.js';
export * from './facts.js';
