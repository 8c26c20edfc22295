// The closing line of `npm test`: vitest's and Playwright's JSON results added up.
import { readFileSync } from 'node:fs';

const vitest = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
const playwright = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
const passed = vitest.numPassedTests + playwright.stats.expected;
const failed = vitest.numFailedTests + playwright.stats.unexpected + playwright.stats.flaky;
const skipped = vitest.numPendingTests + vitest.numTodoTests + playwright.stats.skipped;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
