/**
 * `valground run [options] -- COMMAND ARGS…`: runs the test command itself,
 * so its exit status cannot be lost behind a pipe.
 *
 * - The command runs without a shell; its stdin is ours, its stdout and
 *   stderr are shown live on ours, unchanged.
 * - Both streams are analyzed, merged line by line (a line of one never cuts
 *   a line of the other), as `2>&1 | valground` would see them.
 * - Reports come after the command has ended: reporters without a path
 *   write to stdout then, so the analysis follows the command's output
 *   instead of being interleaved with it. Reporters with a path write files.
 * - Exit status: the command's when it failed (non-zero, or 128+N when
 *   killed by signal N, as shells report it), otherwise the analysis's
 *   (0, 1, or 2). A command that cannot be started: 127 (not found) or 126.
 * - SIGINT and SIGTERM received by valground are forwarded to the command;
 *   the analysis of what was printed so far is still reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { PassThrough, Transform, Writable, type Readable } from 'node:stream';
import { analyzeCommand, type AnalyzeOptions, type Io } from './analyze.js';

/** Output written by the command after it exited (a background process holding the pipe) is not waited for forever. */
const DRAIN_AFTER_EXIT_MS = 5000;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Passes on whole lines only, in blocks (a per-line chunk would cost the
 * analyzer 2–3×): merged with another stream, a line of one never cuts a
 * line of the other. A last line without newline gets one at the end.
 * `\n` never occurs inside a UTF-8 sequence, so bytes are cut safely.
 */
export function wholeLines(): Transform {
  let carry: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const nl = chunk.lastIndexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
      } else {
        this.push(carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, nl + 1)]) : chunk.subarray(0, nl + 1));
        carry = Buffer.from(chunk.subarray(nl + 1));
      }
      callback();
    },
    flush(callback) {
      if (carry.length > 0) this.push(Buffer.concat([carry, Buffer.from('\n')]));
      callback();
    },
  });
}

/** Collects the reports while the command runs. */
class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(readonly isTTY: boolean | undefined) {
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
  if (ended.signal !== null) return 128 + (constants.signals[ended.signal] ?? 0);
  return ended.code ?? 0;
}

export async function runCommand(command: string[], options: AnalyzeOptions, io: Io): Promise<number> {
  const [file, ...args] = command;
  const analyzed = new PassThrough();
  const capture = new Capture((io.stdout as { isTTY?: boolean }).isTTY);
  let child: ChildProcess | null = null;
  let ended!: Promise<Ended>;

  const start = () => {
    ended = new Promise<Ended>((resolve) => {
      const c = spawn(file, args, { stdio: ['inherit', 'pipe', 'pipe'] });
      child = c;
      let open = 2;
      let drainTimer: NodeJS.Timeout | undefined;
      const sources: Array<[Readable, Writable]> = [];
      const lineEnded = () => {
        if (--open > 0) return;
        clearTimeout(drainTimer);
        analyzed.end();
      };
      for (const [source, shown] of [
        [c.stdout!, io.stdout],
        [c.stderr!, io.stderr],
      ] as const) {
        const lines = wholeLines();
        source.on('data', (chunk: Buffer) => shown.write(chunk));
        source.pipe(lines).pipe(analyzed, { end: false });
        lines.once('end', lineEnded);
        sources.push([source, lines]);
      }

      const onSignal = (signal: NodeJS.Signals) => c.kill(signal);
      for (const s of FORWARDED_SIGNALS) process.on(s, onSignal);
      const stopForwarding = () => {
        for (const s of FORWARDED_SIGNALS) process.off(s, onSignal);
      };

      c.on('error', (error: NodeJS.ErrnoException) => {
        // Only a failed start ends here without an exit (kill errors come with a pid).
        if (c.pid !== undefined) return;
        stopForwarding();
        for (const [source, lines] of sources) {
          source.unpipe(lines);
          lines.end();
        }
        resolve({ code: null, signal: null, error });
      });
      c.once('exit', (code, signal) => {
        stopForwarding();
        if (open > 0) {
          drainTimer = setTimeout(() => {
            io.stderr.write(
              `valground: ${file} exited but its output is still open (a background process?); analyzing what it printed\n`,
            );
            for (const [source, lines] of sources) {
              if (lines.writableEnded) continue;
              source.unpipe(lines);
              source.destroy();
              lines.end();
            }
          }, DRAIN_AFTER_EXIT_MS);
        }
        resolve({ code, signal });
      });
    });
  };

  let analysisStatus: number;
  try {
    analysisStatus = await analyzeCommand(['-'], options, { ...io, stdin: analyzed, stdout: capture }, start);
  } catch (err) {
    // Setup errors come before the command starts; anything later must not leave it running.
    (child as ChildProcess | null)?.kill('SIGTERM');
    throw err;
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
