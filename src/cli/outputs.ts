/**
 * `--reporter NAME[:PATH]`: which reporters, set up once for every command
 * that reports (analysis, `run`, `merge`), each writing standard output or
 * its report file (report-files.ts: never half-written; destinations.ts:
 * checked before anything is opened).
 */
import type { Writable } from 'node:stream';
import type { JudgedReport, JudgedTest } from '../judge/types.js';
import { loadReporter, reporterNames, type ReporterFactory, type ReporterInstance, type ReporterNeeds, type ReporterOptions } from '../reporters/registry.js';
import { discardPendingReports, openDestination, type ReportDestination } from './report-files.js';

/** A usage or input/output error: exit 2 with its message. */
export class UsageError extends Error {}

export interface ReporterSpec {
  name: string;
  /** null: standard output. */
  path: string | null;
  factory: ReporterFactory;
}

export async function parseReporterSpecs(values: readonly string[], fallback: string): Promise<ReporterSpec[]> {
  const list = values.length > 0 ? values : [fallback];
  const specs: ReporterSpec[] = [];
  for (const value of list) {
    const colon = value.indexOf(':');
    const name = colon < 0 ? value : value.slice(0, colon);
    const path = colon < 0 ? null : value.slice(colon + 1);
    const factory = await loadReporter(name);
    if (!factory) throw new UsageError(`unknown reporter "${name}" (available: ${reporterNames().join(', ')})`);
    if (path === '') throw new UsageError(`--reporter ${value}: empty file path`);
    specs.push({ name, path: path === '-' ? null : path, factory });
  }
  if (specs.filter((s) => s.path === null).length > 1) {
    throw new UsageError('only one reporter can write to standard output; give the others a file: --reporter NAME:PATH');
  }
  return specs;
}

interface Output {
  reporter: ReporterInstance;
  to: ReportDestination;
}

/** The reporters of a command, opened once, fed the judged tests and the final report. */
export class Reporters {
  private constructor(
    private readonly outputs: Output[],
    readonly needs: Required<ReporterNeeds>,
    /** Whether a reporter on stdout already shows the diagnostics (else the CLI prints them on stderr). */
    readonly diagnosticsShown: boolean,
  ) {}

  /**
   * Opens every reporter. Files are created (as temporary files) now, before
   * any input is read: a path that cannot be written is a usage error.
   */
  static open(
    specs: readonly ReporterSpec[],
    options: Omit<ReporterOptions, 'colors'> & { colorsOnStdout: boolean; colorsInFiles: boolean },
    stdout: Writable & { fd?: number },
  ): Reporters {
    const outputs: Output[] = [];
    const needs: Required<ReporterNeeds> = { timelines: false, heapMaps: false, showsDiagnostics: false };
    let diagnosticsShown = false;
    try {
      for (const spec of specs) {
        const toFile = spec.path !== null;
        const reporter = spec.factory({ ...options, colors: toFile ? options.colorsInFiles : options.colorsOnStdout });
        const n = spec.factory.needs ?? {};
        needs.timelines ||= n.timelines === true;
        needs.heapMaps ||= n.heapMaps === true;
        if (!toFile && n.showsDiagnostics) diagnosticsShown = true;
        outputs.push({ reporter, to: openDestination(spec.path, stdout) });
      }
    } catch (err) {
      discardPendingReports();
      throw err;
    }
    return new Reporters(outputs, needs, diagnosticsShown);
  }

  /** A test just judged: the streaming reporters write it now. */
  test(t: JudgedTest): void {
    for (const o of this.outputs) if (o.reporter.test) o.to.write(o.reporter.test(t));
  }

  /**
   * The final report: everything else and the side outputs, then each file
   * is put in place. A report left uncommitted by an error on the way is
   * discarded by main() (discardPendingReports).
   */
  end(report: JudgedReport, appendFile: (path: string, text: string) => void): void {
    for (const o of this.outputs) {
      o.to.write(o.reporter.end(report));
      for (const side of o.reporter.sideOutputs?.(report) ?? []) appendFile(side.path, side.text);
    }
    for (const o of this.outputs) o.to.commit();
  }
}
