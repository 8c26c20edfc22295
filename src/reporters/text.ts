/**
 * The native text report (SPEC §5.1), for people reading a CI log: one line
 * per test as soon as it is final, details under the ones that need a look,
 * leaks grouped by site, a summary and the verdict.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { plural, testProblems } from '../analyzer/verdict.js';
import type { Block, FreeError, Report, TestResult } from '../analyzer/types.js';
import { formatAddress } from '../protocol/records.js';
import { registerReporter, type ReporterOptions } from './registry.js';

const BAR_CELLS = 10;
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A small usage bar: 10 cells with eighth-cell precision. */
export function usageBar(percent: number | null): string {
  if (percent === null) return ' '.repeat(BAR_CELLS);
  const eighths = Math.max(0, Math.min(BAR_CELLS * 8, Math.round((percent / 100) * BAR_CELLS * 8)));
  const full = Math.floor(eighths / 8);
  const part = PARTIAL[eighths % 8];
  return ('█'.repeat(full) + part).padEnd(BAR_CELLS, ' ');
}

function pct(p: number | null): string {
  return p === null ? 'n/a' : `${p.toFixed(2)}%`;
}

export function testLabel(t: TestResult): string {
  if (t.name === null) return '(outside any test)';
  return `[${t.index}/${t.total ?? '?'}] ${t.name}`;
}

function hasWarnings(t: TestResult): boolean {
  return t.reclaimed.length > 0 || t.persistent.length > 0 || t.failedAllocations.length > 0 || t.suppressed.length > 0 || t.suppressedFreeErrors.length > 0;
}

export class TextReporter {
  private readonly k: ChalkInstance;

  constructor(private readonly options: ReporterOptions) {
    this.k = new Chalk({ level: options.colors ? 1 : 0 });
  }

  private colourFor(p: number | null): ChalkInstance {
    const k = this.k;
    if (p === null) return k.dim;
    return p >= 90 ? k.red : p >= 70 ? k.yellow : k.green;
  }

  /** The test's line and, where it needs a look, its details. */
  test(t: TestResult): string {
    const k = this.k;
    const failing = !t.ok;
    if (this.options.quiet && !failing) return '';
    const warn = hasWarnings(t);
    const mark = failing ? k.red('✖') : warn ? k.yellow('⚠') : t.segments === 0 ? k.dim('·') : k.green('✔');
    const colour = this.colourFor(t.peakPercent);
    const usage =
      t.segments === 0
        ? k.dim('no heap activity'.padEnd(BAR_CELLS + 2 + 8 + 1 + 17))
        : `${colour('│' + usageBar(t.peakPercent) + '│')} ${colour(pct(t.peakPercent).padStart(7))} ${`${t.peakBytes} / ${t.heapSize ?? '?'} B`.padStart(17)}`;
    const outcome = t.outcome ? ' ' + (t.outcome === 'passed' ? k.dim(t.outcome) : k.magenta(t.outcome)) : '';
    const resets = t.segments > 1 ? k.dim(` (${t.segments} heap segments)`) : '';
    let out = `${mark} ${usage}  ${failing ? k.bold(testLabel(t)) : testLabel(t)}${outcome}${resets}\n`;
    if (failing || (warn && !this.options.quiet)) out += this.details(t);
    return out;
  }

  private details(t: TestResult): string {
    const k = this.k;
    const pad = '      ';
    let out = '';
    if (!t.ok) {
      const problems = testProblems(t, this.options.policy);
      // What the policy alone does not name is the baseline comparison, listed at the end.
      out += `${pad}${k.red(problems.length > 0 ? problems.join(', ') : 'peak over the baseline allowance (see the regressions below)')}\n`;
    }
    for (const b of t.leaks) out += `${pad}${k.red('leak')} ${blockText(b)}\n`;
    for (const e of t.freeErrors) out += `${pad}${k.red(e.kind.replace('-', ' '))} ${freeText(e)}\n`;
    for (const b of t.reclaimed) out += `${pad}${k.yellow('reclaimed')} ${blockText(b)} (heap reset within the test)\n`;
    for (const b of t.persistent) out += `${pad}${k.cyan('persistent')} ${blockText(b)}\n`;
    for (const f of t.failedAllocations) out += `${pad}${k.yellow('failed allocation')} of ${f.size} bytes at ${f.site} (log line ${f.line})\n`;
    for (const b of t.suppressed) out += `${pad}${k.dim('suppressed leak ' + blockText(b))}\n`;
    for (const e of t.suppressedFreeErrors) out += `${pad}${k.dim(`suppressed ${e.kind.replace('-', ' ')} ${freeText(e)}`)}\n`;
    return out;
  }

  /** Everything after the tests: leaks by site, diagnostics, summary, verdict. */
  end(report: Report): string {
    const k = this.k;
    const quiet = this.options.quiet;
    const tot = report.totals;
    let out = '';

    if (!report.recordsSeen) {
      out += '\n' + k.bgRed.white.bold(' NO MEMORY PROFILING DATA ') + '\n';
      out += k.red(`No memory-profiling record (==MP …) was found in ${plural(report.linesRead, 'line')} of input.\n`);
      out += k.red('Was the app built with memory profiling? A build without it must not look like a clean run.\n');
    }

    if (report.recordsSeen && report.tests.every((t) => t.name === null)) {
      out += '\n' + k.yellow('No test boundaries were found: everything is reported outside any test.') + '\n';
      out += k.dim('Run pytest with -v (or -s for result characters), or print `==MP test;NAME` records.') + '\n';
    }

    if (report.leakSites.length > 0 && !quiet) {
      out += '\n' + k.bold('Leaks by allocation site') + '\n';
      for (const s of report.leakSites) {
        const tests = s.tests.map((n) => n ?? '(outside any test)');
        const shown = tests.slice(0, 3).join(', ') + (tests.length > 3 ? `, +${tests.length - 3} more` : '');
        out += `  ${k.red(s.site)}  ${plural(s.count, 'leak')}, ${s.bytes} bytes  ${k.dim('in ' + shown)}\n`;
      }
    }

    if (report.regressions && report.regressions.length > 0) {
      out += '\n' + k.bold('Peak regressions against the baseline') + '\n';
      for (const r of report.regressions) {
        out += `  ${k.red(Number.isFinite(r.growthPercent) ? `+${r.growthPercent.toFixed(1)}%` : 'from 0')}  ${r.baselinePeakBytes} → ${r.peakBytes} bytes  ${r.test ?? '(outside any test)'}\n`;
      }
    }
    if (report.baselineChanges && !quiet) {
      const { added, removed } = report.baselineChanges;
      if (added.length > 0) out += `\n${k.bold('New since the baseline')}: ${added.join(', ')}\n`;
      if (removed.length > 0) out += `\n${k.bold('Gone since the baseline')}: ${removed.join(', ')}\n`;
    }
    if (report.suppressionCounts && report.suppressionCounts.length > 0) {
      out += '\n' + k.bold('Suppressions') + '\n';
      for (const s of report.suppressionCounts) out += `  ${s.kind}:${s.pattern}  matched ${s.count}\n`;
    }

    const diags = report.diagnostics.filter((d) => d.kind !== 'no-profiling');
    if (diags.length > 0) {
      out += '\n' + k.bold(`Diagnostics (${diags.length})`) + '\n';
      for (const d of diags.slice(0, quiet ? 5 : 20)) out += `  ${k.yellow(`line ${d.line}`)}: ${d.message}\n`;
      if (diags.length > (quiet ? 5 : 20)) out += k.dim(`  … ${diags.length - (quiet ? 5 : 20)} more (see --reporter json)\n`);
    }

    const failing = report.tests.filter((t) => !t.ok && t.name !== null).length;
    const outsideFails = report.tests.some((t) => !t.ok && t.name === null);
    const freeErrors = tot.doubleFrees + tot.invalidFrees;
    out += '\n' + k.bold('Summary') + '\n';
    const outside = outsideFails ? k.red(' + memory errors outside any test') : '';
    out += `  tests        ${tot.tests}${failing > 0 ? k.red(` (${failing} failing)`) : ''}${outside}, ${plural(tot.segments, 'heap segment')}\n`;
    out += `  allocations  ${tot.allocations} (${tot.totalBytes} bytes)\n`;
    out += `  leaks        ${tot.leaks > 0 ? k.red(`${tot.leaks} (${tot.leakedBytes} bytes)`) : '0'}\n`;
    out += `  free errors  ${freeErrors > 0 ? k.red(`${tot.doubleFrees} double, ${tot.invalidFrees} invalid`) : '0'}\n`;
    out += `  reclaimed    ${tot.reclaimed}   persistent ${tot.persistent} (${tot.persistentBytes} bytes)   failed allocations ${tot.failedAllocations}${tot.suppressed > 0 ? `   suppressed ${tot.suppressed}` : ''}\n`;
    out += `  highest peak ${tot.peakBytes} bytes${tot.peakPercent !== null ? ` (${pct(tot.peakPercent)} full)` : ''}\n`;

    const v = report.verdict;
    if (v.ok) {
      out += '\n' + (report.recordsSeen ? k.green.bold('PASS') + ' no memory errors' : k.yellow.bold('NO DATA') + ' nothing was checked (use --fail-on no-data to fail on this)');
    } else {
      out += '\n' + k.red.bold('FAIL') + ' ' + v.reasons.join('; ');
    }
    out += k.dim(` (exit ${v.exitCode})`) + '\n';
    return out;
  }
}

function blockText(b: Block): string {
  return `${b.size} bytes at ${formatAddress(b.address)} from ${b.site} (log line ${b.line})`;
}

function freeText(e: FreeError): string {
  let s = `of ${formatAddress(e.address)} at ${e.site} (log line ${e.line})`;
  if (e.kind === 'double-free') {
    s += `; first freed at ${e.firstFreeSite ?? '?'}, allocated at ${e.allocSite ?? '?'}`;
  } else {
    s += '; never allocated in this heap segment';
  }
  return s;
}

registerReporter('text', (options) => {
  const r = new TextReporter(options);
  return { test: (t) => r.test(t), end: (report) => r.end(report) };
});
