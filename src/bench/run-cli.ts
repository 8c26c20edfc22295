/**
 * Child process of the analyzer benchmark: runs the CLI on a file exactly as
 * `valground FILE` would, output discarded, then prints its own time and
 * peak resident memory as JSON on stderr.
 */
import { Writable } from 'node:stream';
import { main } from '../cli/main.js';

const sink = new Writable({ write: (_chunk, _enc, done) => done() });
const start = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const code = await main(process.argv.slice(2), { stdout: sink as never });
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpu0);
process.stderr.write(JSON.stringify({ code, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
