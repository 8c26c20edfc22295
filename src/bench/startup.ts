/**
 * Start-up (SPEC §7): `valground --version` and `-h` against `node -e 0`,
 * run in turn, so the ratio holds when the machine's speed drifts.
 */
import { loadNote, medianOf, paired, pairedRatio, seconds, valground, type Command } from './whole-process.js';

const ROUNDS = 15;

export function benchStartup(): void {
  const node: Command = { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] };
  console.log(`start-up   ${ROUNDS} runs each in turn after a warm-up, ${loadNote()}`);
  for (const args of [['--version'], ['-h']]) {
    const cli = valground(args);
    const [cliMs, nodeMs] = paired([cli, node], ROUNDS);
    console.log(
      `  ${cli.label.padEnd(30)} ${seconds(cliMs)}; ${node.label}: ${seconds(nodeMs)}; ` +
        `${pairedRatio(cliMs, nodeMs).toFixed(2)}× Node's, run by run (target ≤ 2×; ${(medianOf(cliMs) - medianOf(nodeMs)).toFixed(0)} ms more)`,
    );
  }
}
