/**
 * The native text report (SPEC §5.1), for people reading a CI log: one line
 * per test as soon as it is judged, details under the ones that need a look,
 * leaks grouped by site, the census (`--census`), pool sizing lines, a
 * summary and the verdict. Marks and colours follow the judge's severities.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, JudgedReport, JudgedTest, Severity } from '../judge/types.js';
import {
  findingDetail,
  FINDING_LABEL,
  formatPercent,
  OUTSIDE_ANY_TEST,
  plural,
  poolSizingLine,
  printable,
  problemPhrases,
  regressionGrowth,
  testLabel,
  testName,
  usageLevel,
  USAGE_WARN,
} from './present.js';
import { registerReporter, type ReporterOptions } from './registry.js';

const BAR_CELLS = 10;
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const CENSUS_TOP = 20;
/** Findings listed under one test: a CI log is read by people (the JSON report has every one). */
const LISTED_PER_TEST = 50;

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

/** Findings listed under a test, marked by severity; a limit or a regression is named in the phrase above them instead. */
function listedFindings(j: JudgedTest): readonly Finding[] {
  return j.findings.filter((f) => f.kind !== 'usage' && f.kind !== 'headroom' && f.kind !== 'regression');
}

export class TextReporter {
  private readonly k: ChalkInstance;

  constructor(private readonly options: ReporterOptions) {
    this.k = new Chalk({ level: options.colors ? 1 : 0 });
  }

  private usageColour(p: number | null): ChalkInstance {
    const level = usageLevel(p);
    return level === 'unknown' ? this.k.dim : level === 'high' ? this.k.red : level === 'warn' ? this.k.yellow : this.k.green;
  }

  private severityColour(s: Severity): ChalkInstance {
    return s === 'error' ? this.k.red : s === 'warning' ? this.k.yellow : s === 'suppressed' ? this.k.dim : this.k.cyan;
  }

  /** The test's line and, where it needs a look, its details. */
  test(j: JudgedTest): string {
    const k = this.k;
    const t = j.facts;
    const failing = j.status === 'fail';
    if (this.options.quiet && !failing) return '';
    const mark = failing ? k.red('✖') : j.status === 'warn' ? k.yellow('⚠') : j.status === 'idle' ? k.dim('·') : k.green('✔');
    const colour = this.usageColour(t.peakPercent);
    const usage =
      t.segments === 0
        ? k.dim('no heap activity'.padEnd(BAR_CELLS + 2 + 8 + 1 + 17))
        : `${colour('│' + usageBar(t.peakPercent) + '│')} ${colour(pct(t.peakPercent).padStart(7))} ${`${t.peakBytes} / ${t.heapSize ?? '?'} B`.padStart(17)}`;
    const outcome = t.outcome ? ' ' + (t.outcome === 'passed' ? k.dim(t.outcome) : k.magenta(t.outcome)) : '';
    const resets = t.segments > 1 ? k.dim(` (${t.segments} heap segments)`) : '';
    const label = printable(testLabel(t));
    let out = `${mark} ${usage}  ${failing ? k.bold(label) : label}${outcome}${resets}\n`;
    const listed = listedFindings(j);
    if (failing || (!this.options.quiet && listed.length > 0)) out += this.details(j, listed);
    return out;
  }

  private details(j: JudgedTest, listed: readonly Finding[]): string {
    const k = this.k;
    const pad = '      ';
    let out = '';
    if (!j.ok) out += `${pad}${k.red(printable(problemPhrases(j).join(', ')))}\n`;
    let shown = 0;
    for (const f of listed) {
      if (shown++ === LISTED_PER_TEST) {
        out += `${pad}${k.dim(`… ${listed.length - LISTED_PER_TEST} more (see --reporter json)`)}\n`;
        break;
      }
      const word = f.severity === 'suppressed' ? `suppressed ${FINDING_LABEL[f.kind].word}` : FINDING_LABEL[f.kind].word;
      out += `${pad}${this.severityColour(f.severity)(word)} ${printable(findingDetail(f))}\n`;
    }
    return out;
  }

  /** Everything after the tests: leaks by site, census, pools, diagnostics, summary, verdict. */
  end(report: JudgedReport): string {
    const k = this.k;
    const quiet = this.options.quiet;
    const facts = report.facts;
    const tot = report.totals;
    let out = '';

    if (!facts.recordsSeen) {
      out += '\n' + k.bgRed.white.bold(' NO MEMORY PROFILING DATA ') + '\n';
      out += k.red(`No memory-profiling record (==MP …) was found in ${plural(facts.linesRead, 'line')} of input.\n`);
      out += k.red('Was the app built with memory profiling? A build without it must not look like a clean run.\n');
    }

    if (facts.recordsSeen && report.tests.every((t) => t.facts.name === null)) {
      out += '\n' + k.yellow('No test boundaries were found: everything is reported outside any test.') + '\n';
      out += k.dim('Pipe the test runner\'s own output (pytest -v, gtest, cmocka, ctest -V, Unity, TAP), or print `==MP test;NAME` records.') + '\n';
    }

    if (report.leakSites.length > 0 && !quiet) {
      out += '\n' + k.bold('Leaks by allocation site') + '\n';
      for (const s of report.leakSites) {
        const tests = s.tests.map((n) => printable(n ?? OUTSIDE_ANY_TEST));
        const shown = tests.slice(0, 3).join(', ') + (tests.length > 3 ? `, +${tests.length - 3} more` : '');
        out += `  ${k.red(printable(s.site))}  ${plural(s.count, 'leak')}, ${plural(s.bytes, 'byte')}  ${k.dim('in ' + shown)}\n`;
      }
    }

    if (this.options.census && facts.sites.length > 0) {
      out += '\n' + k.bold(`Allocation census (top ${Math.min(CENSUS_TOP, facts.sites.length)} of ${plural(facts.sites.length, 'site')})`) + '\n';
      out += k.dim('  allocs      bytes    min    max  live  temp  leaks  site') + '\n';
      for (const s of facts.sites.slice(0, CENSUS_TOP)) {
        const cells = [
          String(s.allocations).padStart(8),
          String(s.bytes).padStart(10),
          String(s.minSize).padStart(6),
          String(s.maxSize).padStart(6),
          String(s.maxLive).padStart(5),
          String(s.temporary).padStart(5),
          String(s.leaks).padStart(6),
        ];
        out += `${cells.join(' ')}  ${printable(s.site)}\n`;
      }
    }

    if (report.regressions && report.regressions.length > 0) {
      out += '\n' + k.bold('Peak regressions against the baseline') + '\n';
      for (const r of report.regressions) {
        out += `  ${k.red(regressionGrowth(r))}  ${r.baselinePeakBytes} → ${r.peakBytes} bytes  ${printable(r.test ?? OUTSIDE_ANY_TEST)}\n`;
      }
    }
    if (report.baselineChanges && !quiet) {
      const { added, removed } = report.baselineChanges;
      if (added.length > 0) out += `\n${k.bold("New since the baseline")}: ${added.map((n) => printable(n)).join(', ')}\n`;
      if (removed.length > 0) out += `\n${k.bold('Gone since the baseline')}: ${removed.map((n) => printable(n)).join(', ')}\n`;
    }
    if (report.suppressionCounts && report.suppressionCounts.length > 0) {
      out += '\n' + k.bold('Suppressions') + '\n';
      for (const s of report.suppressionCounts) out += `  ${s.kind}:${printable(s.pattern)}  matched ${s.count}\n`;
    }

    const diags = report.diagnostics;
    if (diags.length > 0) {
      const shown = quiet ? 5 : 20;
      out += '\n' + k.bold(`Diagnostics (${diags.length})`) + '\n';
      for (const d of diags.slice(0, shown)) out += `  ${k.yellow(`line ${d.line}`)}: ${printable(d.message)}\n`;
      if (diags.length > shown) out += k.dim(`  … ${diags.length - shown} more (see --reporter json)\n`);
    }

    // What the percent hides (§4.5), for the tests that fail or come near full.
    const needy = report.tests.filter((t) => t.facts.layout && (!t.ok || (t.facts.peakPercent !== null && t.facts.peakPercent >= USAGE_WARN)));
    if (needy.length > 0) {
      const shown = quiet ? 5 : 10;
      out += '\n' + k.bold('Headroom at the peak') + k.dim('  (the largest allocation that would still have succeeded)') + '\n';
      for (const t of [...needy].sort((a, b) => a.facts.layout!.headroom - b.facts.layout!.headroom).slice(0, shown)) {
        const l = t.facts.layout!;
        out += `  ${plural(l.headroom, 'byte').padStart(12)}  ${formatPercent(t.facts.peakPercent ?? 0).padStart(7)} full, largest free ${l.largestFree} of ${l.freeBytes} B in ${plural(l.freeBlocks, 'chunk')}  ${printable(testName(t.facts.name))}\n`;
      }
      if (needy.length > shown) out += k.dim(`  … ${needy.length - shown} more (see --reporter json: tests[].layout)\n`);
    }

    const failing = report.tests.filter((t) => !t.ok && t.facts.name !== null).length;
    const outsideFails = report.tests.some((t) => !t.ok && t.facts.name === null);
    const freeErrors = tot.doubleFrees + tot.invalidFrees;
    out += '\n' + k.bold('Summary') + '\n';
    const outside = outsideFails ? k.red(' + memory errors outside any test') : '';
    out += `  tests        ${tot.tests}${failing > 0 ? k.red(` (${failing} failing)`) : ''}${outside}, ${plural(tot.segments, 'heap segment')}\n`;
    out += `  allocations  ${tot.allocations} (${plural(tot.totalBytes, 'byte')})\n`;
    out += `  leaks        ${tot.leaks > 0 ? k.red(`${tot.leaks} (${plural(tot.leakedBytes, 'byte')})`) : '0'}\n`;
    out += `  free errors  ${freeErrors > 0 ? k.red(`${tot.doubleFrees} double, ${tot.invalidFrees} invalid`) : '0'}\n`;
    if (tot.corruption > 0) out += `  corruption   ${k.red(String(tot.corruption))}\n`;
    out += `  reclaimed    ${tot.reclaimed}   persistent ${tot.persistent} (${plural(tot.persistentBytes, 'byte')})   failed allocations ${tot.failedAllocations}${tot.carried > 0 ? `   carried ${tot.carried}` : ''}${tot.suppressed > 0 ? `   suppressed ${tot.suppressed}` : ''}\n`;
    out += `  highest peak ${plural(tot.peakBytes, 'byte')}${tot.peakPercent !== null ? ` (${pct(tot.peakPercent)} full)` : ''}\n`;
    for (const p of facts.pools) out += `  ${poolSizingLine(p)}\n`;
    const v = report.verdict;
    for (const note of v.notes) out += '\n' + k.yellow('Note: ') + note;
    if (v.notes.length > 0) out += '\n';
    if (v.ok) {
      out += '\n' + (facts.recordsSeen ? k.green.bold('PASS') + ' no memory errors' : k.yellow.bold('NO DATA') + ' nothing was checked (use --fail-on no-data to fail on this)');
    } else {
      out += '\n' + k.red.bold('FAIL') + ' ' + v.reasons.join('; ');
    }
    out += k.dim(` (exit ${v.exitCode})`) + '\n';
    return out;
  }
}

registerReporter(
  'text',
  (options) => {
    const r = new TextReporter(options);
    return { test: (t) => r.test(t), end: (report) => r.end(report) };
  },
  { showsDiagnostics: true },
);
