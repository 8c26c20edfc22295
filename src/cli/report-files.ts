/**
 * Report files that are never half-written (SPEC §9): a report is written
 * to a temporary file next to its destination and renamed over it once
 * complete, so readers see the old file or the new one, and of two runs
 * writing one path the last to finish wins with a whole file. A path that
 * is not a regular file (a device such as /dev/full, a FIFO) is written in
 * place: it cannot be renamed over.
 * Every failure — creating, writing, flushing, renaming — is an error
 * naming the path; the destination is then left as it was.
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { isOpenAs } from './destinations.js';
import { describeSystemError, UsageError } from './system-error.js';

/** Text is written in blocks of about this size (a per-test write would be a system call per test). */
const FLUSH_BYTES = 1 << 20;

/** Report files opened and neither committed nor discarded. */
const open = new Set<ReportFile>();
let exitHookInstalled = false;

/**
 * Discards every report not committed: called when a command ends (an
 * error on the way leaves its destinations as they were), and at exit.
 */
export function discardPendingReports(): void {
  for (const file of open) file.discard();
}

/** Where one reporter's text goes. */
export interface ReportDestination {
  /** Writes `text` ('' writes nothing: a reporter's way of saying so). */
  write(text: string): void;
  /** The report is complete: a file is put in place (stdout has nothing to do). */
  commit(): void;
}

/**
 * A reporter's destination: standard output when it has no path, or when
 * its path is standard output by another name (/dev/stdout may be a
 * socket, which cannot be opened by path); its report file otherwise.
 */
export function openDestination(path: string | null, stdout: Writable & { fd?: number }): ReportDestination {
  if (path !== null && !isOpenAs(path, stdout.fd)) return new ReportFile(path);
  return new StdoutDestination(stdout);
}

/**
 * Standard output, a block at a time: what reporters say while a chunk of
 * input is read goes out in one write at the next turn of the event loop
 * (the reader yields after each chunk), so lines still appear as tests
 * end. A write per test was a system call per test: 3,000 on the bench log,
 * 3 % of the whole run.
 */
class StdoutDestination implements ReportDestination {
  private chunks: string[] = [];
  private scheduled = false;

  constructor(private readonly stdout: Writable) {}

  write(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  commit(): void {
    this.flush();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.chunks.length === 0) return;
    const text = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join('');
    this.chunks = [];
    this.stdout.write(text);
  }
}

export class ReportFile implements ReportDestination {
  private readonly fd: number;
  /** Set when writing through a temporary file, renamed to `target` on commit. */
  private readonly temp: string | null;
  private readonly target: string;
  private chunks: string[] = [];
  private buffered = 0;
  private closed = false;

  /**
   * Creates the destination's directories and the file to write, so that a
   * path that cannot be written fails before any input is read.
   */
  constructor(readonly path: string) {
    const fail = (err: unknown): never => {
      throw new UsageError(`cannot write report ${path}: ${describeSystemError(err)}`);
    };
    let existing: Stats | null = null;
    try {
      mkdirSync(dirname(path), { recursive: true });
      existing = statSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // mkdir says EEXIST when the folder is a file
      if (code === 'EEXIST') fail(Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
      if (code !== 'ENOENT') fail(err);
    }
    if (existing?.isDirectory()) fail(Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    const inPlace = existing !== null && !existing.isFile();
    this.target = existing !== null && !inPlace ? realpathSync(path) : path; // a symlink stays one: its target is replaced
    let temp: string | null = null;
    let fd = -1;
    if (!inPlace) {
      temp = join(dirname(this.target), `.${basename(this.target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      try {
        fd = openSync(temp, 'wx', 0o666);
        if (existing !== null) fchmodSync(fd, existing.mode & 0o7777);
      } catch (err) {
        if (fd >= 0) {
          closeSync(fd);
          unlinkSync(temp);
        }
        const code = (err as NodeJS.ErrnoException).code;
        // A file we may write in a folder we may not: write it in place.
        if (existing === null || (code !== 'EACCES' && code !== 'EPERM')) fail(err);
        fd = -1;
        temp = null;
      }
    }
    if (temp === null) {
      try {
        fd = openSync(path, 'w');
      } catch (err) {
        fail(err);
      }
    }
    this.fd = fd;
    this.temp = temp;
    open.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', discardPendingReports);
    }
  }

  write(text: string): void {
    if (text === '') return;
    this.chunks.push(text);
    this.buffered += text.length;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  /** Writes what is buffered and puts the complete file in place. */
  commit(): void {
    this.flush();
    this.attempt(() => {
      if (this.temp !== null) fsyncSync(this.fd); // the rename must not publish a file whose data is not on disk
      this.closed = true;
      closeSync(this.fd);
      if (this.temp !== null) renameSync(this.temp, this.target);
      open.delete(this);
    });
  }

  /** Gives up: the destination stays as it was (a device or FIFO keeps what was written). */
  discard(): void {
    if (!open.delete(this)) return; // committed or discarded already
    if (!this.closed) {
      this.closed = true;
      ignoreFailure(() => closeSync(this.fd));
    }
    if (this.temp !== null) ignoreFailure(() => unlinkSync(this.temp!));
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const data = Buffer.from(this.chunks.length === 1 ? this.chunks[0] : this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.buffered = 0;
    this.attempt(() => {
      // A device or FIFO may take less than asked.
      for (let at = 0; at < data.length; ) at += writeSync(this.fd, data, at, data.length - at);
    });
  }

  /** Runs an operation on the file; a failure discards it and is an error naming the path. */
  private attempt(op: () => void): void {
    try {
      op();
    } catch (err) {
      this.discard();
      throw new UsageError(`cannot write report ${this.path}: ${describeSystemError(err)}`);
    }
  }
}

/** Undoing is best effort: what fails there (a file gone already) changes nothing for the user. */
function ignoreFailure(op: () => void): void {
  try {
    op();
  } catch {
    // nothing more to undo
  }
}
