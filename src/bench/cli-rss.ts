/**
 * Child process of the benchmarks: runs the CLI exactly as `valground ARGS`
 * would, its output on the real stdout (so a slow reader slows it), then
 * prints its peak resident memory as JSON on stderr.
 */
import { main } from '../cli/main.js';

process.on('exit', () => {
  process.stderr.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\n');
});
process.exitCode = await main(process.argv.slice(2));
