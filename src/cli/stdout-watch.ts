/**
 * Standard output's fate (SPEC §9): a failed write (ENOSPC, EIO, EACCES) is
 * an error the CLI reports and exits 2 for; a reader that went away (EPIPE,
 * `| head`) is not: the run ends quietly with the analysis status.
 */
import type { Writable } from 'node:stream';

export class StdoutWatch {
  private failure: NodeJS.ErrnoException | null = null;

  constructor(private readonly stream: Writable) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.failure ??= err;
    });
  }

  /** Whether nothing written can reach a reader any more. */
  get gone(): boolean {
    return this.failure !== null || this.stream.destroyed;
  }

  /**
   * Waits until what was written is flushed or has failed, and returns the
   * failure to report: null when all went out or the reader left (EPIPE).
   */
  async settle(): Promise<NodeJS.ErrnoException | null> {
    // A synchronous stream (file, device) reports a failed write on the next tick.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const s = this.stream;
    if (this.failure === null && !s.destroyed && s.writableLength > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          s.off('drain', done);
          s.off('error', done);
          s.off('close', done);
          resolve();
        };
        s.on('drain', done);
        s.on('error', done);
        s.on('close', done);
      });
    }
    return this.failure !== null && this.failure.code !== 'EPIPE' ? this.failure : null;
  }
}
