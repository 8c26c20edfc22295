/** Loads every built-in reporter into the registry. */
import './text.js';
import './json.js';
import './junit.js';
import './github.js';
import './html.js';
export { getReporter, registerReporter, reporterNames } from './registry.js';
export type { ReporterFactory, ReporterInstance, ReporterOptions } from './registry.js';
