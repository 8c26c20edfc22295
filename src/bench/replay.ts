/**
 * Replay throughput (SPEC §7: at least 5 M records/s per allocator): the
 * bench log (generate-log.ts) is read once, then its operations are
 * replayed through each strategy, timed alone — the one-time parse is
 * reported apart. Best of `rounds` per allocator (the machine is shared).
 */
import { readReplayLog } from '../analyzer/replay-read.js';
import { replayStream } from '../analyzer/replay.js';
import { STRATEGIES, type StrategyName } from '../heap/create.js';

export interface ReplayBenchResult {
  /** Heap records replayed per pass (a moved realloc's free and alloc count two). */
  records: number;
  /** Seconds to read the log into operations (once). */
  parseSeconds: number;
  perAllocator: Array<{ allocator: StrategyName; recordsPerSec: number }>;
}

export async function benchReplay(logPath: string, options: { rounds?: number; allocators?: readonly StrategyName[] } = {}): Promise<ReplayBenchResult> {
  const rounds = options.rounds ?? 5;
  const start = performance.now();
  const log = await readReplayLog(logPath);
  const parseSeconds = (performance.now() - start) / 1000;
  const records = log.streams.reduce((sum, s) => sum + s.records, 0);
  const perAllocator: ReplayBenchResult['perAllocator'] = [];
  for (const allocator of options.allocators ?? STRATEGIES) {
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (const stream of log.streams) replayStream(log, stream, allocator, null);
      best = Math.min(best, performance.now() - t0);
    }
    perAllocator.push({ allocator, recordsPerSec: records / (best / 1000) });
  }
  return { records, parseSeconds, perAllocator };
}
