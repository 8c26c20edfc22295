/**
 * `--reporter html[:PATH]`: one self-contained page (SPEC §5.3, §5.4). The
 * report becomes the view model (html/from-report.ts), the model becomes the
 * page (html/page.ts).
 */
import { registerReporter, type ReporterInstance } from './registry.js';
import { fromReport, type HtmlSource } from './html/from-report.js';
import { renderPage } from './html/page.js';

export function renderHtml(report: HtmlSource): string {
  return renderPage(fromReport(report));
}

registerReporter('html', (): ReporterInstance => ({ end: (report) => renderHtml(report) }), { timelines: true, heapMaps: true, showsDiagnostics: true });
