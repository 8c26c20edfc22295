/**
 * GitHub Actions (SPEC §5.3, §5.4): workflow-command annotations, one per
 * kind of finding and call site — `::error file=…,line=…::3 leaks (120
 * bytes) allocated here, in 2 tests: …` — errors first, since GitHub shows
 * only the first few of a step. Severity is the judge's: an `error` finding
 * is an `::error`, a warning a `::warning`; what is there by design is not
 * annotated. When `$GITHUB_STEP_SUMMARY` is set, the per-test table, leaks
 * by site and the census top 10 are appended to it as Markdown.
 */
import type { Finding, FindingKind, JudgedReport, Severity } from '../judge/types.js';
import { siteFile, siteLine } from '../protocol/records.js';
import {
  bytes,
  describeFinding,
  FINDING_LABEL,
  findingSite,
  formatPercent,
  OUTSIDE_ANY_TEST,
  plural,
  poolSizingLine,
  printable,
  problemPhrases,
  testName,
} from './present.js';
import { registerReporter, type ReporterInstance } from './registry.js';

type Level = 'error' | 'warning' | 'notice';

/** Message escaping of the workflow-command grammar. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally cannot hold the `:` and `,` separators. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotation(level: Level, message: string, props: { file?: string; line?: number; title?: string }): string {
  const parts: string[] = [];
  if (props.file !== undefined && props.file !== '') parts.push(`file=${escapeProperty(printable(props.file))}`);
  if (props.line !== undefined) parts.push(`line=${props.line}`);
  if (props.title !== undefined) parts.push(`title=${escapeProperty(printable(props.title))}`);
  return `::${level}${parts.length > 0 ? ' ' + parts.join(',') : ''}::${escapeData(printable(message, true))}\n`;
}

/** `file=`/`line=` of a `file:line` site (line omitted when the site has none). */
function at(site: string | null): { file?: string; line?: number } {
  if (site === null) return {};
  const line = siteLine(site);
  return line === null ? { file: siteFile(site) } : { file: siteFile(site), line };
}

/** Findings of one kind at one site, across tests. */
interface Group {
  kind: FindingKind;
  level: Level;
  site: string | null;
  count: number;
  bytes: number;
  tests: Array<string | null>;
  first: Finding;
}

const VERB: Partial<Record<FindingKind, string>> = {
  leak: 'allocated here, never freed',
  'pool-leak': 'taken here, never released',
  'double-free': 'freed again here',
  'invalid-free': 'freed here, never allocated',
  corruption: 'found here',
  reclaimed: 'allocated here, still live when the test reset its heap',
  carried: 'allocated here, left live for the next test',
  'failed-alloc': 'failed here',
  persistent: 'allocated here and kept on purpose',
};

function levelOf(s: Severity): Level | null {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : null;
}

function groups(report: JudgedReport): Group[] {
  const by = new Map<string, Group>();
  const list: Group[] = [];
  for (const j of report.tests) {
    for (const f of j.findings) {
      const level = levelOf(f.severity);
      if (level === null) continue;
      const site = findingSite(f);
      const key = `${level}\0${f.kind}\0${site ?? ''}${site === null ? `\0${j.facts.name}` : ''}`;
      let g = by.get(key);
      if (g === undefined) {
        g = { kind: f.kind, level, site, count: 0, bytes: 0, tests: [], first: f };
        by.set(key, g);
        list.push(g);
      }
      g.count++;
      g.bytes += f.block?.size ?? f.carried?.size ?? f.failed?.size ?? 0;
      if (!g.tests.includes(j.facts.name)) g.tests.push(j.facts.name);
    }
  }
  // errors first (GitHub shows only the first few), then most occurrences
  return list.sort((a, b) => (a.level === b.level ? b.count - a.count : a.level === 'error' ? -1 : 1));
}

function testList(tests: Array<string | null>): string {
  const names = tests.map((n) => testName(n));
  return names.slice(0, 5).join(', ') + (names.length > 5 ? `, +${names.length - 5} more` : '');
}

/** What is counted, one and many. */
const NOUN: Partial<Record<FindingKind, [string, string]>> = {
  reclaimed: ['reclaimed block', 'reclaimed blocks'],
  carried: ['carried block', 'carried blocks'],
  persistent: ['persistent block', 'persistent blocks'],
  corruption: ['corruption', 'corruptions'],
};

function groupMessage(g: Group): string {
  const word = FINDING_LABEL[g.kind].word;
  const [one, many] = NOUN[g.kind] ?? [word, `${word}s`];
  const counted = `${g.count} ${g.count === 1 ? one : many}`;
  const size = g.bytes > 0 ? ` (${bytes(g.bytes)})` : '';
  const verb = VERB[g.kind];
  const where = `in ${plural(g.tests.length, 'test')}: ${testList(g.tests)}`;
  if (verb === undefined || g.site === null) return `${describeFinding(g.first)} — ${where}`;
  const example = g.count === 1 ? `. ${describeFinding(g.first)}` : `. First: ${describeFinding(g.first)}`;
  return `${counted}${size} ${verb}, ${where}${example}`;
}

/** `Memory leak (40 bytes)`, `Memory leak ×3 (120 bytes)`. */
function groupTitle(g: Group): string {
  return `${FINDING_LABEL[g.kind].title}${g.count > 1 ? ` ×${g.count}` : ''}${g.bytes > 0 ? ` (${bytes(g.bytes)})` : ''}`;
}

export function renderGithub(report: JudgedReport): string {
  let out = '';
  for (const g of groups(report)) {
    out += annotation(g.level, groupMessage(g), { ...at(g.site), title: groupTitle(g) });
  }
  if (report.noData !== null) {
    out += annotation(report.noData, 'No memory profiling record was found: is the app built with memory profiling on?', {
      title: 'valground: no profiling data',
    });
  }
  const diags = report.diagnostics;
  if (diags.length > 0) {
    const shown = diags.slice(0, 10).map((d) => `log line ${d.line}: ${d.message}`);
    if (diags.length > 10) shown.push(`… ${diags.length - 10} more (see the JSON report)`);
    out += annotation(report.diagnosticSeverity, shown.join('\n'), { title: `valground: ${plural(diags.length, 'diagnostic')} in the input` });
  }
  for (const note of report.verdict.notes) out += annotation('warning', note, { title: 'valground: incomplete results' });
  if (!report.verdict.ok) {
    out += annotation('error', report.verdict.reasons.join('\n') || 'the run fails the memory policy', {
      title: `valground: memory check failed (exit ${report.verdict.exitCode})`,
    });
  }
  return out;
}

/** Markdown table cell text. */
function cell(s: string): string {
  return printable(s).replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** The job summary (`$GITHUB_STEP_SUMMARY`): per-test table, leaks by site, census top 10. */
export function renderStepSummary(report: JudgedReport): string {
  const v = report.verdict;
  const t = report.totals;
  let md = `## valground: ${v.ok ? '✅ memory clean' : `❌ ${cell(v.reasons.join('; '))}`}\n\n`;
  md += `${plural(t.tests, 'test')}, ${plural(t.leaks, 'leak')} (${bytes(t.leakedBytes)}), ${t.doubleFrees} double and ${t.invalidFrees} invalid frees, highest peak ${bytes(t.peakBytes)}${t.peakPercent === null ? '' : ` (${formatPercent(t.peakPercent)})`}\n\n`;
  for (const n of v.notes) md += `> ${cell(n)}\n\n`;
  md += '| | test | outcome | peak | heap | % | problems |\n|---|---|---|---:|---:|---:|---|\n';
  for (const j of report.tests) {
    const f = j.facts;
    const mark = j.status === 'fail' ? '❌' : j.status === 'warn' ? '⚠️' : j.status === 'idle' ? '·' : '✅';
    md += `| ${mark} | ${cell(f.name ?? OUTSIDE_ANY_TEST)} | ${f.outcome ?? ''} | ${f.peakBytes} | ${f.heapSize ?? '?'} | ${f.peakPercent === null ? '' : formatPercent(f.peakPercent)} | ${cell(problemPhrases(j).join(', '))} |\n`;
  }
  if (report.leakSites.length > 0) {
    md += '\n### Leaks by allocation site\n\n| site | leaks | bytes | tests |\n|---|---:|---:|---|\n';
    for (const s of report.leakSites) md += `| \`${cell(s.site)}\` | ${s.count} | ${s.bytes} | ${cell(testList(s.tests))} |\n`;
  }
  const sites = report.facts.sites.slice(0, 10);
  if (sites.length > 0) {
    md += '\n### Allocation census (top 10)\n\n| site | allocations | bytes | min | max | most live | temporary | leaks |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
    for (const s of sites) md += `| \`${cell(s.site)}\` | ${s.allocations} | ${s.bytes} | ${s.minSize} | ${s.maxSize} | ${s.maxLive} | ${s.temporary} | ${s.leaks} |\n`;
  }
  if (report.facts.pools.length > 0) {
    md += '\n### Pools\n\n';
    for (const p of report.facts.pools) md += `- ${cell(poolSizingLine(p))}\n`;
  }
  return md + '\n';
}

registerReporter(
  'github',
  (options): ReporterInstance => ({
    end: renderGithub,
    sideOutputs: (report) => {
      const path = options.env?.GITHUB_STEP_SUMMARY;
      return path ? [{ path, text: renderStepSummary(report), append: true }] : [];
    },
  }),
  { showsDiagnostics: true },
);
