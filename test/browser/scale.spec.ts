/**
 * A 200,000-test report (generated here, through the model → page path) in
 * Chromium: it paints, sorts and filters with only the rows in view drawn.
 * Assertions are on the page, never on time (`npm run bench` times it).
 */
import { expect, type Page } from '@playwright/test';
import { syntheticModel } from '../../src/bench/html-model.js';
import { renderPage } from '../../src/reporters/html/page.js';
import { test } from './fixture.js';

const TESTS = 200_000;
const model = syntheticModel(TESTS, { mapEvery: 1000 });
const rounded = (p: number | null) => (p === null ? null : Math.round(p * 100) / 100);
const label = (name: string | null) => name ?? '(outside any test)';

/** Indices (#) of the drawn rows, top to bottom. */
function drawnIndices(page: Page): Promise<number[]> {
  return page.getByTestId('test-row').evaluateAll((rows) => rows.map((r) => Number(r.id.slice('test-'.length))));
}

/** Whether the drawn rows cover the window from the table's top (or the window's top) to its bottom. */
function rowsCoverWindow(page: Page): Promise<boolean> {
  return page.getByTestId('test-row').evaluateAll((rows) => {
    const boxes = rows.map((r) => r.getBoundingClientRect());
    const top = Math.max(0, document.getElementById('rows')!.getBoundingClientRect().top);
    return boxes[0].top <= top + 1 && boxes[boxes.length - 1].bottom >= Math.min(window.innerHeight, document.getElementById('rows')!.getBoundingClientRect().bottom) - 1;
  });
}

test.describe('a 200,000-test report', () => {
  test.describe.configure({ timeout: 180_000 });
  let html = '';
  test.beforeAll(() => {
    html = renderPage(model);
  });

  test('paints only the rows in view, and scrolls through all of them', async ({ page, load }, testInfo) => {
    await load(html);
    await expect(page.getByTestId('count')).toHaveText('200,000 tests');
    const drawn = await page.getByTestId('test-row').count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(120);
    expect(await drawnIndices(page)).toEqual(Array.from({ length: drawn }, (_, k) => k + 1));
    const shot = testInfo.outputPath('scale-200k.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('200k report', { path: shot, contentType: 'image/png' });

    // The spacers stand for every row: the bottom of the page shows the last test.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(page.getByTestId('test-row').last()).toHaveAttribute('id', `test-${TESTS}`);
    expect(await page.getByTestId('test-row').count()).toBeLessThan(120);
    expect(await rowsCoverWindow(page)).toBe(true);

    // Halfway down, open a row: the rows after its details follow on without a gap.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await expect.poll(() => rowsCoverWindow(page)).toBe(true);
    const middle = page.getByTestId('test-row').nth(12);
    const index = Number((await middle.getAttribute('id'))!.slice('test-'.length));
    await middle.click();
    await expect(middle).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('test-details').getByTestId('timeline').locator('svg')).toBeVisible();
    await expect(page.getByTestId('test-details').getByTestId('layout')).toContainText('Headroom');
    for (const step of [300, 900, 2000]) {
      await page.evaluate((dy) => window.scrollBy(0, dy), step);
      await expect.poll(() => rowsCoverWindow(page)).toBe(true);
      const ids = await drawnIndices(page);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => ids[0] + k));
      expect(ids[0]).toBeGreaterThan(index - 40);
    }
  });

  test('sorts by peak percent and by name', async ({ page, load }) => {
    await load(html);
    await page.getByTestId('sort-peak').click();
    await expect(page.getByTestId('sort-peak')).toHaveAttribute('aria-sort', 'descending');
    const order = model.tests.map((t, k) => k).sort((a, b) => (rounded(model.tests[b].peakPercent)! - rounded(model.tests[a].peakPercent)!) || a - b);
    const top = model.tests[order[0]];
    const first = page.getByTestId('test-row').first();
    await expect(first).toHaveAttribute('id', `test-${top.index}`);
    await expect(first.getByTestId('peak-percent')).toHaveAttribute('data-value', String(rounded(top.peakPercent)));
    await expect(page.getByTestId('test-row').nth(1)).toHaveAttribute('id', `test-${model.tests[order[1]].index}`);

    await page.locator('[data-key="name"]').click();
    const byName = model.tests.map((t, k) => k).sort((a, b) => {
      const x = label(model.tests[a].name).toLowerCase();
      const y = label(model.tests[b].name).toLowerCase();
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    await expect(page.getByTestId('test-row').first()).toHaveAttribute('id', `test-${model.tests[byName[0]].index}`);
    await expect(page.getByTestId('test-row').first().locator('.name')).toHaveText(label(model.tests[byName[0]].name));
  });

  test('filters by name and by failing tests', async ({ page, load }) => {
    await load(html);
    const query = 'test_case_1234[';
    const matching = model.tests.filter((t) => label(t.name).includes(query));
    await page.getByTestId('filter').fill(query);
    await expect(page.getByTestId('count')).toHaveText(`Showing ${matching.length} of 200,000 tests`);
    await expect(page.getByTestId('test-row')).toHaveCount(matching.length);
    expect(await drawnIndices(page)).toEqual(matching.map((t) => t.index));

    await page.getByTestId('filter').fill('');
    await page.getByTestId('failing-only').click();
    const failing = model.tests.filter((t) => !t.ok);
    await expect(page.getByTestId('count')).toHaveText(`Showing ${failing.length.toLocaleString('en-US')} of 200,000 tests`);
    await expect(page.getByTestId('test-row').first()).toHaveAttribute('id', `test-${failing[0].index}`);
    await expect(page.getByTestId('test-row').first().locator('.pill')).toHaveText('FAIL');
  });

  test('a leak site links to its test, drawn, opened and in view', async ({ page, load }) => {
    await load(html);
    // The last test listed for the first site: far below the rows drawn at first.
    const link = page.getByTestId('leak-sites').getByTestId('leak-site').first().getByRole('link').last();
    const index = Number((await link.getAttribute('href'))!.slice('#test-'.length));
    const target = model.tests.find((t) => t.index === index)!;
    expect(target.index).toBeGreaterThan(1000);
    expect(model.leakSites[0].tests).toContain(target.name);
    await link.click();
    const r = page.locator(`#test-${target.index}`);
    await expect(r).toHaveAttribute('aria-expanded', 'true');
    await expect(r).toBeInViewport();
    await expect(r).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.locator(`#test-${target.index + 1}`)).toBeFocused();
  });

  test('a test with a heap map shows it, its chunks tiling the heap', async ({ page, load }) => {
    await load(html);
    const t = model.tests.find((x) => x.heapMap)!;
    await page.getByTestId('filter').fill(t.name!);
    await expect(page.getByTestId('count')).toHaveText('Showing 1 of 200,000 tests');
    await page.getByTestId('test-row').click();
    const chunks = page.getByTestId('heap-map').getByTestId('heap-chunk');
    await expect(chunks).toHaveCount(t.heapMap!.chunks.length);
    const spans = await chunks.evaluateAll((list) => list.map((c) => [Number(c.getAttribute('data-offset')), Number(c.getAttribute('data-size'))]));
    expect(spans.reduce((n, [, size]) => n + size, 0)).toBe(t.heapMap!.heapSize);
  });
});
