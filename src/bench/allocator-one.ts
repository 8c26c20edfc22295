/**
 * One allocator configuration of the interface benchmark, in a process of
 * its own: `node dist/bench/allocator-one.js NAME` prints `{ name, opsPerSec }`.
 */
import { measureInterface } from './allocator.js';

process.stdout.write(JSON.stringify(measureInterface(process.argv[2] ?? 'sdk')) + '\n');
