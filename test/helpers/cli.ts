/** Spawns the built binary (`npm run build` first: bin/valground.js imports dist/). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/valground.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading everything (usage errors)
    child.stdin.end(options.input ?? '');
  });
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

export interface Started {
  child: ChildProcess;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout (or stderr) holds `text`. */
  waitFor(text: string, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** The exit: valground itself must always exit with a status, never die of a signal. */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the built binary with the given stdio (stdin and stdout default to pipes) to talk to it while it runs. */
export function startCli(args: string[], options: { stdout?: number | 'pipe'; stdin?: 'pipe' | 'ignore'; cwd?: string } = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    stdio: [options.stdin ?? 'pipe', options.stdout ?? 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  child.stdout?.setEncoding('utf8').on('data', (d: string) => ((out.stdout += d), wake()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((out.stderr += d), wake()));
  child.stdin?.on('error', () => {}); // it may exit before reading everything
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      closed = true;
      wake();
      resolve({ code, signal, ...out });
    });
  });
  const waitFor = (text: string, stream: 'stdout' | 'stderr' = 'stdout') =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out[stream].includes(text)) resolve();
        else if (closed) reject(new Error(`exited before printing ${JSON.stringify(text)}: ${out.stderr}`));
        else waiters.push(check);
      };
      check();
    });
  return { child, waitFor, done, output: () => ({ ...out }) };
}
