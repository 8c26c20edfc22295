#!/usr/bin/env node
// Thin edge: all logic lives in src/cli; main() resolves to the exit code.
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/cli/main.js';

// The young generation keeps its first size (docs/performance.md: peak RSS 70 → 62 MB on
// the bench log, 77 → 65 MB on one twice as long, as fast). --max-semi-space-size would do
// the same but is read only as Node starts; this flag is read when the space would grow.
setFlagsFromString('--semi-space-growth-factor=1');

process.exitCode = await main(process.argv.slice(2));
