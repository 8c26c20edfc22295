/** The JSON report: one schema for writing, reading and the types. */
export * from './schema.js';
export { toJson, renderJson } from './write.js';
export { parseReport, readReport, testFacts, ReportFileError, type ReadReport } from './read.js';
export { mergeReports, type MergedReports } from './merge.js';
