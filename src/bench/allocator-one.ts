/**
 * One allocator configuration of the interface benchmark, in a process of
 * its own: `node dist/bench/allocator-one.js NAME` prints `{ name, opsPerSec }`
 * (for a decorator over sdk, `sdkOpsPerSec` too, measured alongside).
 */
import { measureInterface, measureOverhead } from './allocator.js';

const name = process.argv[2] ?? 'sdk';
const result = name.includes('(') ? measureOverhead(name) : measureInterface(name);
process.stdout.write(JSON.stringify(result) + '\n');
