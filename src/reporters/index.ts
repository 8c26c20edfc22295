/** Loads every built-in reporter into the registry. */
import { registerReporterModule } from './registry.js';
import './text.js';
import './json.js';

registerReporterModule('junit', () => import('./junit.js'));
registerReporterModule('github', () => import('./github.js'));
registerReporterModule('html', () => import('./html.js'));

export { getReporter, loadReporter, registerReporter, registerReporterModule, reporterNames } from './registry.js';
export type { ReporterFactory, ReporterInstance, ReporterOptions } from './registry.js';
