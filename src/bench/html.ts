/**
 * The HTML-at-scale figure (SPEC §7): a 200,000-test page built through the
 * model → page path, opened from file:// in Debian's Chromium (playwright-core,
 * no browser download), timed for first paint, a sort by peak percent, a sort
 * by name, a text filter and the failing-only switch, best of three tabs.
 * Each time runs from the user's action to the frame that shows its result
 * (paint: from navigation to the frame that shows the first rows).
 *   node dist/bench/html.js [TESTS]   (CHROMIUM=path to override the browser)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderPage } from '../reporters/html/page.js';
import { syntheticModel } from './html-model.js';

export interface HtmlBench {
  tests: number;
  pageBytes: number;
  buildMs: number;
  paintMs: number;
  sortPeakMs: number;
  sortNameMs: number;
  filterMs: number;
  failingOnlyMs: number;
}

const COMMAND = 'node dist/bench/html.js';

/** Runs `act` in the page and resolves after the next frame: the time from the action to its result on screen. */
const TIMED = `(act) => new Promise((done) => {
  const t0 = performance.now();
  act();
  requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
})`;

export async function benchHtml(tests = 200_000, log: (line: string) => void = console.log): Promise<HtmlBench> {
  const dir = mkdtempSync(join(tmpdir(), 'valground-html-bench-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    let t0 = performance.now();
    const page = renderPage(syntheticModel(tests, { mapEvery: 1000 }));
    const buildMs = performance.now() - t0;
    const file = join(dir, 'report.html');
    writeFileSync(file, page);
    // Best of three fresh tabs (the machine may be busy).
    const runs: Array<Omit<HtmlBench, 'tests' | 'pageBytes' | 'buildMs'>> = [];
    for (let run = 0; run < 3; run++) {
      const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await tab.goto(pathToFileURL(file).href);
      await tab.waitForFunction(() => performance.getEntriesByName('valground:painted').length > 0, null, { timeout: 60_000 });
      const paintMs = await tab.evaluate(() => performance.getEntriesByName('valground:painted')[0].startTime);
      const timed = (act: string) => tab.evaluate(`(${TIMED})(() => { ${act} })`) as Promise<number>;
      const click = (selector: string) => `document.querySelector('${selector}').click()`;
      const input = (text: string) => `const f = document.getElementById('filter'); f.value = '${text}'; f.dispatchEvent(new Event('input'))`;
      const sortPeakMs = await timed(click('[data-testid="sort-peak"]'));
      const sortNameMs = await timed(click('[data-key="name"]'));
      const filterMs = await timed(input('test_case_1234'));
      await timed(input(''));
      const failingOnlyMs = await timed(click('[data-testid="failing-only"]'));
      runs.push({ paintMs, sortPeakMs, sortNameMs, filterMs, failingOnlyMs });
      await tab.close();
    }
    const best = (key: keyof (typeof runs)[number]) => Math.min(...runs.map((r) => r[key]));
    const [paintMs, sortPeakMs, sortNameMs, filterMs, failingOnlyMs] = (['paintMs', 'sortPeakMs', 'sortNameMs', 'filterMs', 'failingOnlyMs'] as const).map(best);
    const result: HtmlBench = { tests, pageBytes: Buffer.byteLength(page), buildMs, paintMs, sortPeakMs, sortNameMs, filterMs, failingOnlyMs };
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    log(`html      ${tests.toLocaleString('en')} tests, ${(result.pageBytes / 1e6).toFixed(1)} MB page (built in ${ms(buildMs)}), Chromium: ` +
      `first paint ${ms(paintMs)}, sort by peak % ${ms(sortPeakMs)}, by name ${ms(sortNameMs)}, ` +
      `filter by text ${ms(filterMs)}, failing only ${ms(failingOnlyMs)}   (${COMMAND} ${tests})`);
    return result;
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchHtml(process.argv[2] ? Number(process.argv[2]) : undefined);
}
