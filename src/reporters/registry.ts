/**
 * Reporters are a registry: name → factory. A reporter instance may write
 * test by test as the analysis completes them (`test`), and writes the rest
 * once the final report is known (`end`). Both return text for the caller
 * to write to stdout or to the file named with `--reporter NAME:PATH`.
 */
import type { Policy, Report, TestResult } from '../analyzer/types.js';

export interface ReporterOptions {
  /** ANSI colour allowed (only meaningful for terminal reporters). */
  colors: boolean;
  /** Only failing tests and the summary. */
  quiet: boolean;
  policy: Policy;
}

export interface ReporterInstance {
  /** Called as soon as a test is complete; returns text to write now. */
  test?(test: TestResult): string;
  /** Called once with the final report; returns the remaining text. */
  end(report: Report): string;
}

export type ReporterFactory = (options: ReporterOptions) => ReporterInstance;

const registry = new Map<string, ReporterFactory>();
/** Reporters whose module is imported only when asked for (it registers itself). */
const modules = new Map<string, () => Promise<unknown>>();

export function registerReporter(name: string, factory: ReporterFactory): void {
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
