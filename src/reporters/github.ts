/**
 * GitHub Actions workflow-command reporter (SPEC §5.3): annotations at the
 * allocation site of each leak and at the site of each bad free, so they
 * show up on the diff. Severity follows the policy: what fails the run is an
 * `::error`, what is only worth a look (reclaimed blocks, failed
 * allocations, …, when the policy does not fail on them) a `::warning`.
 * Sites are printed by the firmware build relative to its own directory;
 * GitHub resolves `file=` against the repository root.
 */
import type { Report, TestResult } from '../analyzer/types.js';
import { siteFile, siteLine } from '../protocol/records.js';
import {
  describeBlock,
  describeFailedAllocation,
  describeFreeError,
  describeRegression,
  formatPercent,
  testLabel,
  usageExceeded,
} from './describe.js';
import { registerReporter } from './registry.js';

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
  if (props.file !== undefined && props.file !== '') parts.push(`file=${escapeProperty(props.file)}`);
  if (props.line !== undefined) parts.push(`line=${props.line}`);
  if (props.title !== undefined) parts.push(`title=${escapeProperty(props.title)}`);
  return `::${level}${parts.length > 0 ? ' ' + parts.join(',') : ''}::${escapeData(message)}\n`;
}

/** `file=`/`line=` of a `file:line` site (line omitted when the site has none). */
function at(site: string): { file: string; line?: number } {
  const line = siteLine(site);
  return line === null ? { file: siteFile(site) } : { file: siteFile(site), line };
}

function testAnnotations(t: TestResult, report: Report): string {
  const failOn = report.policy.failOn;
  const name = testLabel(t.name);
  const level = (fails: boolean): Level => (fails ? 'error' : 'warning');
  let out = '';
  for (const b of t.leaks) {
    out += annotation(level(failOn.has('leak')), `${describeBlock(b)}, never freed in ${name}`, {
      ...at(b.site),
      title: `Memory leak (${b.size} bytes)`,
    });
  }
  for (const e of t.freeErrors) {
    out += annotation(level(failOn.has('free-error')), `${describeFreeError(e)} in ${name}`, {
      ...at(e.site),
      title: e.kind === 'double-free' ? 'Double free' : 'Invalid free',
    });
  }
  for (const b of t.reclaimed) {
    out += annotation(level(failOn.has('reclaimed')), `${describeBlock(b)}, still live when ${name} reset its heap`, {
      ...at(b.site),
      title: `Reclaimed by heap reset (${b.size} bytes)`,
    });
  }
  // Persistent blocks are intended: only worth an annotation when the policy forbids them.
  if (failOn.has('persistent')) {
    for (const b of t.persistent) {
      out += annotation('error', `${describeBlock(b)}, kept on purpose in ${name}`, {
        ...at(b.site),
        title: `Persistent allocation (${b.size} bytes)`,
      });
    }
  }
  for (const f of t.failedAllocations) {
    out += annotation(level(failOn.has('failed-alloc')), `${describeFailedAllocation(f)} in ${name}`, {
      ...at(f.site),
      title: 'Failed allocation',
    });
  }
  if (usageExceeded(t, report.policy)) {
    out += annotation('error', `${name}: peak ${t.peakBytes} of ${t.heapSize} heap bytes (${formatPercent(t.peakPercent!)})`, {
      title: `Heap usage at or above ${report.policy.usageThreshold}%`,
    });
  }
  return out;
}

export function renderGithub(report: Report): string {
  let out = '';
  for (const t of report.tests) out += testAnnotations(t, report);
  for (const r of report.regressions ?? []) {
    out += annotation('error', `${testLabel(r.test)}: ${describeRegression(r)}`, { title: 'Heap peak regression' });
  }
  if (!report.recordsSeen) {
    out += annotation(report.policy.failOn.has('no-data') ? 'error' : 'warning', 'No memory profiling record was found: is the app built with memory profiling on?', {
      title: 'valground: no profiling data',
    });
  }
  const diagLevel: Level = report.policy.strict ? 'error' : 'warning';
  for (const d of report.diagnostics) {
    if (d.kind === 'no-profiling') continue; // already said above
    out += annotation(diagLevel, `log line ${d.line}: ${d.message}`, { title: `valground: ${d.kind}` });
  }
  if (!report.verdict.ok) {
    out += annotation('error', report.verdict.reasons.join('\n') || 'the run fails the memory policy', {
      title: `valground: memory check failed (exit ${report.verdict.exitCode})`,
    });
  }
  return out;
}

registerReporter('github', () => ({ end: renderGithub }));
