/**
 * `--reporter NAME[:PATH]`: which reporter, and whether it writes stdout or
 * a file (see report-files.ts for writing, destinations.ts for the checks).
 */
import { loadReporter, reporterNames, type ReporterFactory } from '../reporters/registry.js';

export class UsageError extends Error {}

export interface ReporterSpec {
  name: string;
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
