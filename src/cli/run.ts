/**
 * `valground run [options] -- COMMAND ARGS…`: runs the test command itself,
 * so its exit status cannot be lost behind a pipe.
 *
 * - The command runs without a shell, in a process group of its own; its
 *   stdin is ours, its stdout and stderr are shown live on ours, unchanged.
 * - Both streams are analyzed, merged line by line (a line of one never cuts
 *   a line of the other), as `2>&1 | valground` would see them.
 * - Output is read with back-pressure: while our stdout (or stderr) cannot
 *   take more, the command's pipe is not read, so the command waits instead
 *   of our memory growing.
 * - Reports come after the command has ended: reporters without a path
 *   write to stdout then, so the analysis follows the command's output
 *   instead of being interleaved with it. Reporters with a path write files.
 * - Exit status: the command's when it failed (non-zero, or 128+N when
 *   killed by signal N, as shells report it), otherwise the analysis's
 *   (0, 1, or 2). A command that cannot be started: 127 (not found) or 126.
 * - SIGINT, SIGTERM and SIGHUP received by valground go to the command's
 *   whole process group (background processes it started included); the
 *   analysis of what was printed is still reported, marked incomplete.
 * - A background process still holding the output pipes after the command
 *   exited is waited for at most 5 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable, type Readable } from 'node:stream';
import { LineFramer } from '../analyzer/frame.js';
import { analyzeCommand, type AnalyzeOptions, type Io } from './analyze.js';
import type { LineSink } from './input.js';
import { signalStatus } from './interrupt.js';

/** Output written by the command after it exited (a background process holding the pipe) is not waited for forever. */
export const DRAIN_AFTER_EXIT_MS = 5000;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Collects the reports while the command runs. */
class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(
    readonly isTTY: boolean | undefined,
    /** The real stdout's descriptor, so a report path that is stdout is still recognised. */
    readonly fd: number | undefined,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started. */
  error?: NodeJS.ErrnoException;
}

/** Shell convention for a command's status: its exit code, or 128 + signal number. */
export function statusOf(ended: Ended): number {
  if (ended.signal !== null) return signalStatus(ended.signal);
  return ended.code ?? 0;
}

/** Sends a signal to a process group; one already gone is not an error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: every member has exited
  }
}

/**
 * Shows `source` on `shown` and frames it into `sink`, one line number
 * sequence shared with the other stream (`next`). While `shown` is full the
 * source is paused: the command then blocks on its own writes.
 */
function follow(
  source: Readable,
  shown: Writable,
  sink: LineSink,
  maxLineBytes: number,
  next: () => number,
  fail: (err: unknown) => void,
): LineFramer {
  let last = 0;
  const framer = new LineFramer({
    maxLineBytes,
    onLine: (text) => sink.line(text, (last = next())),
    onCut: (_n, dropped) => sink.cut(last, dropped),
  });
  const resume = () => {
    shown.off('drain', resume);
    shown.off('close', resume);
    source.resume();
  };
  source.on('data', (chunk: Buffer) => {
    try {
      framer.push(chunk);
    } catch (err) {
      fail(err);
      return;
    }
    // A destroyed stream (its reader gone) never drains: the output is then only analyzed.
    if (!shown.write(chunk) && !shown.destroyed && !source.isPaused()) {
      source.pause();
      shown.on('drain', resume);
      shown.on('close', resume);
    }
  });
  return framer;
}

export async function runCommand(command: string[], options: AnalyzeOptions, io: Io): Promise<number> {
  const [file, ...args] = command;
  const capture = new Capture(io.stdout.isTTY, io.stdout.fd);
  let child: ChildProcess | null = null;
  let ended: Promise<Ended> = Promise.resolve({ code: null, signal: null });
  let forwarded: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    forwarded ??= signal;
    if (child?.pid !== undefined) signalGroup(child.pid, signal);
  };

  /** Starts the command once the options are checked, and frames its output until both pipes close. */
  const read = (sink: LineSink, maxLineBytes: number) =>
    new Promise<void>((readDone, readFailed) => {
      // detached: the command leads a process group of its own, so a signal reaches what it started too.
      const c = spawn(file, args, { stdio: ['inherit', 'pipe', 'pipe'], detached: true });
      child = c;
      for (const s of FORWARDED_SIGNALS) process.on(s, onSignal);
      let lineNo = 0;
      const next = () => ++lineNo;
      let open = 2;
      let drainTimer: NodeJS.Timeout | undefined;
      const streams: Array<[Readable, LineFramer]> = [];
      const finish = () => {
        clearTimeout(drainTimer);
        readDone();
      };
      const fail = (err: unknown) => {
        clearTimeout(drainTimer);
        for (const [source] of streams) source.destroy();
        signalGroup(c.pid!, 'SIGTERM');
        readFailed(err);
      };
      for (const [source, shown] of [
        [c.stdout!, io.stdout],
        [c.stderr!, io.stderr],
      ] as const) {
        const framer = follow(source, shown, sink, maxLineBytes, next, fail);
        streams.push([source, framer]);
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          try {
            framer.end();
          } catch (err) {
            fail(err);
            return;
          }
          if (--open === 0) finish();
        };
        source.once('end', close);
        source.once('close', close);
        source.on('error', close); // a read error ends this stream's output
      }

      ended = new Promise<Ended>((resolve) => {
        c.on('error', (error: NodeJS.ErrnoException) => {
          // Only a failed start ends here without an exit (kill errors come with a pid).
          if (c.pid !== undefined) return;
          for (const [source] of streams) source.destroy();
          resolve({ code: null, signal: null, error });
        });
        c.once('exit', (code, signal) => {
          resolve({ code, signal });
          if (open === 0) return;
          drainTimer = setTimeout(() => {
            io.stderr.write(
              `valground: ${file} exited but its output is still open (a background process?); analyzing what it printed\n`,
            );
            for (const [source] of streams) source.destroy(); // 'close' ends each framer
          }, DRAIN_AFTER_EXIT_MS);
        });
      });
    });

  let analysisStatus: number;
  try {
    analysisStatus = await analyzeCommand(['-'], options, { ...io, stdout: capture }, { read, interrupted: () => forwarded !== null });
  } catch (err) {
    // Setup errors come before the command starts; anything later must not leave it running.
    if ((child as ChildProcess | null)?.pid !== undefined) signalGroup(child!.pid!, 'SIGTERM');
    throw err;
  } finally {
    for (const s of FORWARDED_SIGNALS) process.off(s, onSignal);
  }
  const result = await ended;
  if (result.error) {
    const why = result.error.code === 'ENOENT' ? 'command not found' : result.error.message;
    io.stderr.write(`valground: cannot run ${file}: ${why}\n`);
    return result.error.code === 'ENOENT' ? 127 : 126;
  }
  for (const chunk of capture.chunks) io.stdout.write(chunk);
  const status = statusOf(result);
  if (status !== 0) {
    io.stderr.write(
      `valground: ${file} ${result.signal !== null ? `was killed by ${result.signal}` : `exited with status ${status}`}; exiting with its status (the memory analysis alone: exit ${analysisStatus})\n`,
    );
    return status;
  }
  return analysisStatus;
}
