/**
 * Reporters are a registry: name → factory. A reporter may write test by
 * test as the judge completes them (`test`), and writes the rest once the
 * final report is known (`end`); both return text for the caller to write
 * to stdout or to the file of `--reporter NAME:PATH`. A reporter declares
 * what it needs from the analysis (`needs`), so the CLI never decides by a
 * reporter's name.
 */
import type { JudgedReport, JudgedTest } from '../judge/types.js';

export interface ReporterOptions {
  /** ANSI colour allowed (only meaningful for terminal reporters). */
  colors: boolean;
  /** Only failing tests and the summary. */
  quiet: boolean;
  /** `--census`: the census top 20 in the text report. */
  census?: boolean;
  /** The environment (GitHub's `$GITHUB_STEP_SUMMARY`, …). */
  env?: NodeJS.ProcessEnv;
}

export interface ReporterInstance {
  /** Called as soon as a test is judged; returns text to write now. */
  test?(test: JudgedTest): string;
  /** Called once with the final report; returns the remaining text. */
  end(report: JudgedReport): string;
  /** Other files the reporter adds to (GitHub's job summary), written by the CLI. */
  sideOutputs?(report: JudgedReport): Array<{ path: string; text: string; append: boolean }>;
}

/** What a reporter needs the analysis to keep. */
export interface ReporterNeeds {
  /** Per-test heap-usage timelines (they cost memory per test). */
  timelines?: boolean;
  /** Per-test heap maps at the peak. */
  heapMaps?: boolean;
  /** The reporter prints the diagnostics itself (else the CLI shows them on stderr). */
  showsDiagnostics?: boolean;
}

export interface ReporterFactory {
  (options: ReporterOptions): ReporterInstance;
  needs?: ReporterNeeds;
}

const registry = new Map<string, ReporterFactory>();
/** Reporters whose module is imported only when asked for (it registers itself). */
const modules = new Map<string, () => Promise<unknown>>();

export function registerReporter(name: string, factory: ReporterFactory, needs: ReporterNeeds = {}): void {
  factory.needs = needs;
  registry.set(name, factory);
}

/**
 * Names a reporter whose module is loaded on first use: the XML builder and
 * the HTML assets would otherwise slow every start of the CLI.
 */
export function registerReporterModule(name: string, load: () => Promise<unknown>): void {
  modules.set(name, load);
}

/** A reporter already loaded. */
export function getReporter(name: string): ReporterFactory | undefined {
  return registry.get(name);
}

/** A reporter, loading its module if needed; undefined for an unknown name. */
export async function loadReporter(name: string): Promise<ReporterFactory | undefined> {
  const load = modules.get(name);
  if (!registry.has(name) && load) await load();
  return registry.get(name);
}

export function reporterNames(): string[] {
  return [...new Set([...registry.keys(), ...modules.keys()])].sort();
}
