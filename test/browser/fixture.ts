/**
 * The browser tests' page fixtures: they open an HTML report from file://
 * like a CI artifact. Every test fails on page errors, console errors,
 * dialogs, non-file requests, or a hostile payload having run
 * (`window.__pwned`). `open` waits for one drawn row per test; `load`, for
 * large (windowed) tables, waits for the first row.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';

type Open = (page: string, tests: number) => Promise<void>;
type Load = (page: string) => Promise<void>;

/** Runs `body` while watching the page for anything a report must never do. */
async function guarded(page: Page, body: () => Promise<void>): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) problems.push(`request: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await body();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(problems).toEqual([]);
}

async function visit(page: Page, testInfo: TestInfo, html: string): Promise<void> {
  expect(html).not.toMatch(/https?:/i);
  const file = testInfo.outputPath('report.html');
  writeFileSync(file, html);
  await page.goto(pathToFileURL(file).href);
}

export const test = base.extend<{ open: Open; load: Load }>({
  open: async ({ page }, use, testInfo) => {
    await guarded(page, () =>
      use(async (html, tests) => {
        await visit(page, testInfo, html);
        await expect(page.getByTestId('test-row')).toHaveCount(tests);
      }),
    );
  },
  load: async ({ page }, use, testInfo) => {
    await guarded(page, () =>
      use(async (html) => {
        await visit(page, testInfo, html);
        await expect(page.getByTestId('test-row').first()).toBeVisible();
      }),
    );
  },
});
