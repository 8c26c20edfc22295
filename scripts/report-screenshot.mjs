#!/usr/bin/env node
// Screenshots an HTML report for the README:
//   node scripts/report-screenshot.mjs REPORT.html docs/report.png
// Opens the report from file:// in Debian's Chromium (CHROMIUM to override),
// expands the first failing test with leaks so its timeline shows, and saves
// the top of the page.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [input, output = 'docs/report.png'] = process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/report-screenshot.mjs REPORT.html [OUT.png]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, deviceScaleFactor: 1, colorScheme: 'light' });
  await page.goto(pathToFileURL(resolve(input)).href);
  const rows = page.getByTestId('test-row');
  await rows.first().waitFor();
  // Worst first, then open the first failing test that leaked.
  await page.getByTestId('sort-peak').click();
  const leaky = rows.filter({ has: page.locator('.pill.fail') }).filter({ has: page.locator('.hot') }).first();
  if (await leaky.count()) await leaky.click();
  await page.getByTestId('timeline').first().waitFor({ state: 'visible' }).catch(() => {});
  await page.screenshot({ path: output, fullPage: false });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
