/**
 * Preloaded into a benchmarked Node process (`node --import
 * dist/bench/cli-rss.js bin/valground.js …`): prints its peak resident
 * memory as JSON on stderr as it exits — process.resourceUsage(), what
 * `/usr/bin/time -v` calls "Maximum resident set size". The command itself
 * runs as a user runs it.
 */
process.on('exit', () => {
  process.stderr.write('\n' + JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\n');
});
