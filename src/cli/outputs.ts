/**
 * `--reporter NAME[:PATH]` destinations, set up once for every command that
 * reports (analysis, `run`, `merge`): stdout, or a file whose missing
 * directories are created. A file is written to a temporary file in the
 * same directory and renamed into place once complete, so a report is never
 * half-written and two runs writing one path leave a valid file.
 */
import { createWriteStream, mkdirSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { JudgedReport, JudgedTest } from '../judge/types.js';
import { loadReporter, reporterNames, type ReporterFactory, type ReporterInstance, type ReporterNeeds, type ReporterOptions } from '../reporters/registry.js';

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

/** Whether `path` exists and is something else than a regular file (a device, a FIFO, /dev/stdout). */
function isSpecial(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A report file being written: a temporary file beside it, renamed into
 * place by `commit`. A destination that is not a regular file (a FIFO,
 * `/dev/stderr`) is written directly: it cannot be half-written, and
 * renaming over a device node would replace it.
 */
export class ReportFile {
  readonly stream: WriteStream;
  private readonly temp: string | null;
  private failure: Error | null = null;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new UsageError(`cannot write report ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    this.temp = isSpecial(path) ? null : join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
    this.stream = createWriteStream(this.temp ?? path, { flags: this.temp === null ? 'w' : 'wx' });
    this.stream.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Flushes, then renames into place; a failed write or rename is an error naming the path. */
  async commit(): Promise<void> {
    this.stream.end();
    try {
      await finished(this.stream);
      if (this.failure) throw this.failure;
      if (this.temp !== null) renameSync(this.temp, this.path);
    } catch (err) {
      this.discard();
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(`cannot write report ${this.path}: ${e.code ?? e.message}`);
    }
  }

  /** Removes the temporary file (the destination stays as it was). */
  discard(): void {
    this.stream.destroy();
    if (this.temp === null) return;
    try {
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
  }
}

interface Output {
  reporter: ReporterInstance;
  /** null: stdout. */
  file: ReportFile | null;
}

/** The reporters of a command, opened once, fed the judged tests and the final report. */
export class Reporters {
  private constructor(
    private readonly outputs: Output[],
    private readonly stdout: Writable,
    readonly needs: Required<ReporterNeeds>,
    /** Whether a reporter on stdout already shows the diagnostics (else the CLI prints them on stderr). */
    readonly diagnosticsShown: boolean,
  ) {}

  /**
   * Opens every reporter. Files are created (as temporary files) now, before
   * any input is read: a path that cannot be written is a usage error.
   */
  static open(specs: readonly ReporterSpec[], options: Omit<ReporterOptions, 'colors'> & { colorsOnStdout: boolean; colorsInFiles: boolean }, stdout: Writable): Reporters {
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
        outputs.push({ reporter, file: toFile ? new ReportFile(spec.path!) : null });
      }
    } catch (err) {
      for (const o of outputs) o.file?.discard();
      throw err;
    }
    return new Reporters(outputs, stdout, needs, diagnosticsShown);
  }

  private write(o: Output, text: string): void {
    if (text === '') return;
    (o.file?.stream ?? this.stdout).write(text);
  }

  /** A test just judged: the streaming reporters write it now. */
  test(t: JudgedTest): void {
    for (const o of this.outputs) if (o.reporter.test) this.write(o, o.reporter.test(t));
  }

  /** The final report: everything else, side outputs, then the files are committed. */
  async end(report: JudgedReport, appendFile: (path: string, text: string) => void): Promise<void> {
    try {
      for (const o of this.outputs) {
        this.write(o, o.reporter.end(report));
        for (const side of o.reporter.sideOutputs?.(report) ?? []) appendFile(side.path, side.text);
      }
      for (const o of this.outputs) await o.file?.commit();
    } finally {
      this.discard();
    }
  }

  /** Drops what was not committed (an error or an interruption before the end). */
  discard(): void {
    for (const o of this.outputs) o.file?.discard();
  }
}
