/**
 * Where the reports go, checked before any file is opened or any input
 * read (SPEC §9): each reporter has a destination of its own, and no report
 * overwrites an input or writes into standard output while another
 * reporter does. Files are compared by device and inode when they exist
 * (another path to the same file, /dev/stdout, /proc/self/fd/1), by
 * absolute path when they do not yet. A report path that is standard
 * output is written as standard output (it may be a socket, which has no
 * path to open).
 */
import { fstatSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './system-error.js';

/** A file's identity: `dev:ino` when it exists, its absolute path when not. */
export function fileIdentity(path: string): string {
  try {
    return statIdentity(statSync(path));
  } catch {
    return resolve(path);
  }
}

function statIdentity(s: Stats): string {
  return `${s.dev}:${s.ino}`;
}

function fdIdentity(fd: number | undefined): string | null {
  if (typeof fd !== 'number') return null;
  try {
    return statIdentity(fstatSync(fd));
  } catch {
    return null;
  }
}

/** Whether `path` names the file open as `fd` (standard output by another name). */
export function isOpenAs(path: string, fd: number | undefined): boolean {
  const id = fdIdentity(fd);
  return id !== null && fileIdentity(path) === id;
}

export interface Destinations {
  /** Each reporter's name and file path (null: standard output). */
  reporters: ReadonlyArray<{ name: string; path: string | null }>;
  /** --compat writes the reference output to standard output. */
  compat?: boolean;
  /** The files read; `-` is standard input. */
  inputs: readonly string[];
  stdinFd?: number;
  stdoutFd?: number;
}

/** Throws a UsageError (exit 2) naming the clash. */
export function checkDestinations(d: Destinations): void {
  const inputs = new Map<string, string>();
  for (const input of d.inputs) {
    const id = input === '-' ? fdIdentity(d.stdinFd) : fileIdentity(input);
    if (id !== null) inputs.set(id, input === '-' ? 'standard input' : input);
  }
  const stdout = fdIdentity(d.stdoutFd);
  const stdoutTaken = d.compat === true || d.reporters.some((r) => r.path === null);
  const seen = new Map<string, string>();
  for (const { name, path } of d.reporters) {
    if (path === null) continue;
    const id = fileIdentity(path);
    const spec = `--reporter ${name}:${path}`;
    const input = inputs.get(id);
    if (input !== undefined) {
      throw new UsageError(`${spec} would overwrite ${input === path ? 'an input' : `the input ${input}`} before it is read; write the report elsewhere`);
    }
    const other = seen.get(id);
    if (other !== undefined) throw new UsageError(`${other} and ${spec} write to the same file; give each reporter its own path`);
    seen.set(id, spec);
    if (stdoutTaken && id === stdout) {
      throw new UsageError(`${spec} is standard output, which another reporter already writes; give one of them a file`);
    }
  }
}
