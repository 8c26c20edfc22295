#!/usr/bin/env node
// Thin edge: all logic lives in src/cli; main() resolves to the exit code.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
