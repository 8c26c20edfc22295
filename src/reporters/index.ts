/**
 * The built-in reporters, by name. Each module loads on first use (it
 * registers itself): chalk, the report schema, the XML builder and the HTML
 * assets would otherwise slow every start of the CLI (SPEC §7, start-up).
 */
import { registerReporterModule } from './registry.js';

registerReporterModule('text', () => import('./text.js'));
registerReporterModule('json', () => import('./json.js'));
registerReporterModule('junit', () => import('./junit.js'));
registerReporterModule('github', () => import('./github.js'));
registerReporterModule('html', () => import('./html.js'));

export { getReporter, loadReporter, registerReporter, registerReporterModule, reporterNames } from './registry.js';
export type { ReporterFactory, ReporterInstance, ReporterOptions } from './registry.js';
