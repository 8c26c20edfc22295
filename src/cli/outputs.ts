/**
 * `--reporter NAME[:PATH]` destinations: stdout, or a file whose missing
 * directories are created.
 */
import { createWriteStream, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
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

/**
 * Opens a report file for writing, creating its directories. Opened at once,
 * before any input is read: a path that cannot be written is a usage error
 * (exit 2), not a crash halfway through the run.
 */
export function openOutput(path: string): Writable {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot write report ${path}: ${e.code ?? e.message}`);
  }
  const stream = createWriteStream(path, { fd });
  // A later failure (disk full…) is reported by close(), not thrown here.
  stream.on('error', () => undefined);
  return stream;
}

/** Ends a stream and waits until its data is flushed; a failed write is an input/output error (exit 2). */
export async function close(stream: Writable): Promise<void> {
  stream.end();
  try {
    await finished(stream);
  } catch (err) {
    throw new UsageError(`cannot write report: ${(err as Error).message}`);
  }
}
