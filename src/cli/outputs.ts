/**
 * `--reporter NAME[:PATH]`: which reporters, set up once for every command
 * that reports (analysis, `run`, `merge`), each writing standard output or
 * its report file (report-files.ts: never half-written; destinations.ts:
 * checked before anything is opened).
 */
import type { Writable } from 'node:stream';
import type { JudgedReport, JudgedTest } from '../judge/types.js';
import { loadReporter, reporterNames, type ReporterFactory, type ReporterInstance, type ReporterNeeds, type ReporterOptions } from '../reporters/registry.js';
import { appendFileSync } from 'node:fs';
import { useColors } from './colors.js';
import { discardPendingReports, openDestination, type ReportDestination } from './report-files.js';
import { describeSystemError, UsageError } from './system-error.js';



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
    const { name, path } = splitReporterSpec(value);
    const factory = await loadReporter(name);
    if (!factory) throw new UsageError(`unknown reporter "${name}" (available: ${reporterNames().join(', ')})`);
    specs.push({ name, path, factory });
  }
  checkOneOnStdout(specs);
  return specs;
}

/** `NAME[:PATH]` (`-` or no path: standard output, null); an empty path is a usage error. */
export function splitReporterSpec(value: string): { name: string; path: string | null } {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const path = colon < 0 ? null : value.slice(colon + 1);
  if (path === '') throw new UsageError(`--reporter ${value}: empty file path`);
  return { name, path: path === '-' ? null : path };
}

export function checkOneOnStdout(specs: ReadonlyArray<{ path: string | null }>): void {
  if (specs.filter((s) => s.path === null).length > 1) {
    throw new UsageError('only one reporter can write to standard output; give the others a file: --reporter NAME:PATH');
  }
}

/** Appends to a side file (GitHub's job summary); a failure is an error naming it. */
function appendSide(path: string, text: string): void {
  try {
    appendFileSync(path, text);
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${describeSystemError(err)}`);
  }
}

/** What every reporting command tells its reporters: colours from `--colors`, the environment and stdout. */
export interface OpenOptions extends Omit<ReporterOptions, 'colors'> {
  /** `--colors` / `--no-colors`; undefined: NO_COLOR, FORCE_COLOR, then whether stdout is a terminal. */
  colors: boolean | undefined;
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
  static open(specs: readonly ReporterSpec[], options: OpenOptions, stdout: Writable & { fd?: number; isTTY?: boolean }): Reporters {
    const { colors, ...shared } = options;
    const colorsOnStdout = useColors(colors, options.env ?? {}, stdout);
    const colorsInFiles = colors === true;
    const outputs: Output[] = [];
    const needs: Required<ReporterNeeds> = { timelines: false, heapMaps: false, showsDiagnostics: false };
    let diagnosticsShown = false;
    try {
      for (const spec of specs) {
        const toFile = spec.path !== null;
        const reporter = spec.factory({ ...shared, colors: toFile ? colorsInFiles : colorsOnStdout });
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
  end(report: JudgedReport): void {
    for (const o of this.outputs) {
      o.to.write(o.reporter.end(report));
      for (const side of o.reporter.sideOutputs?.(report) ?? []) appendSide(side.path, side.text);
    }
    for (const o of this.outputs) o.to.commit();
  }
}
