/**
 * SIGINT or SIGTERM while the analysis reads (SPEC §9): reading stops, the
 * reports of what was read are written (marked `complete: false`), and the
 * CLI exits 128 + N as a shell would report the signal. A second signal
 * does not wait for the reports: it ends the process at once (temporary
 * report files removed first).
 */
import { constants } from 'node:os';

/** The shell's status for a process ended by `signal`: 128 + its number. */
export function signalStatus(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export class Interrupt {
  private readonly controller = new AbortController();
  private first: NodeJS.Signals | null = null;

  constructor(
    private readonly signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
    private readonly beforeDying: () => void = () => undefined,
  ) {
    for (const s of signals) process.on(s, this.onSignal);
  }

  /** Fires on the first signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first signal received, or null. */
  get received(): NodeJS.Signals | null {
    return this.first;
  }

  /** 128 + the first signal's number. */
  get status(): number {
    return this.first === null ? 128 : signalStatus(this.first);
  }

  dispose(): void {
    for (const s of this.signals) process.off(s, this.onSignal);
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.first === null) {
      this.first = signal;
      this.controller.abort();
      return;
    }
    this.dispose();
    this.beforeDying();
    process.kill(process.pid, signal); // no handler left: the default action ends the process
  };
}
