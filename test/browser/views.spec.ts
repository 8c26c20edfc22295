/**
 * The census, pools, layout, heap map, carried-block and corruption views,
 * drawn from a view model that has them (make-model.ts).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { HtmlModel } from '../../src/reporters/html/model.js';
import { renderPage } from '../../src/reporters/html/page.js';
import { test } from './fixture.js';
import { CARRIED_BY, viewsModel } from './make-model.js';
import { HOSTILE } from './make-report.js';

function row(page: Page, name: string): Locator {
  return page.getByTestId('test-row').filter({ has: page.getByText(name, { exact: true }) });
}

function cell(scope: Locator, text: string): Locator {
  return scope.getByRole('cell', { name: text, exact: true }).first();
}

async function openTest(page: Page, model: HtmlModel, k: number): Promise<Locator> {
  await row(page, model.tests[k].name!).click();
  return page.getByTestId('test-details').filter({ hasText: `Test ${model.tests[k].index} of` });
}

test.describe('views from a model that has them', () => {
  const model = viewsModel();
  const page_ = () => renderPage(model);

  test('the heap map at the peak tiles the heap, marks the largest free chunk and names sites', async ({ page, open }, testInfo) => {
    await open(page_(), model.tests.length);
    const details = await openTest(page, model, 0);
    const map = details.getByTestId('heap-map');
    await expect(map).toBeVisible();
    const heap = model.tests[0].heapMap!;
    const chunks = map.getByTestId('heap-chunk');
    await expect(chunks).toHaveCount(heap.chunks.length);
    const spans = await chunks.evaluateAll((list) =>
      list.map((c) => ({ offset: Number(c.getAttribute('data-offset')), size: Number(c.getAttribute('data-size')), kind: c.getAttribute('data-kind') })),
    );
    // The chunks tile [0, heapSize): each starts where the one before ended.
    let end = 0;
    for (const s of spans) {
      expect(s.offset).toBe(end);
      end += s.size;
    }
    expect(end).toBe(heap.heapSize);
    expect(spans.reduce((n, s) => n + s.size, 0)).toBe(heap.heapSize);
    expect(spans.map((s) => s.kind)).toEqual(heap.chunks.map((c) => c.kind));
    const largest = Math.max(...heap.chunks.filter((c) => c.kind === 'free').map((c) => c.size));
    await expect(map.locator('[data-largest="true"]')).toHaveAttribute('data-size', String(largest));
    // Hover text: the site of a live chunk, as text (the hostile site never runs).
    await expect(map.locator('[data-kind="used"] title').first()).toContainText(HOSTILE.site);
    await expect(details.getByTestId('layout')).toContainText('Headroom');
    await expect(details.getByTestId('layout')).toContainText(`${model.tests[0].layout!.headroom.toLocaleString('en-US')} B`);
    const shot = testInfo.outputPath('heap-map.png');
    await details.locator('.at-peak').screenshot({ path: shot });
    await testInfo.attach('heap map', { path: shot, contentType: 'image/png' });
  });

  test('the census lists every site and sorts by any column', async ({ page, open }, testInfo) => {
    await open(page_(), model.tests.length);
    const census = page.getByTestId('census');
    const rows = census.getByTestId('census-row');
    await expect(rows).toHaveCount(model.sites!.length);
    await expect(rows.first()).toContainText(model.sites![0].site);
    await expect(page.getByTestId('census-sort-allocations')).toHaveAttribute('aria-sort', 'descending');
    await page.getByTestId('census-sort-bytes').click();
    await expect(page.getByTestId('census-sort-bytes')).toHaveAttribute('aria-sort', 'descending');
    await expect(cell(rows.first(), HOSTILE.site)).toBeVisible();
    await page.getByTestId('census-sort-bytes').click();
    await expect(cell(rows.first(), 'src/ui/review.c:174')).toBeVisible();
    await page.getByTestId('census-sort-temporary').click();
    await expect(cell(rows.first(), 'src/crypto/hash.c:176')).toBeVisible();
    await expect(rows.first()).toContainText('690');
    const shot = testInfo.outputPath('census-pools.png');
    await page.locator('#census, #pools').first().screenshot({ path: shot });
    await testInfo.attach('census', { path: shot, contentType: 'image/png' });
  });

  test('pools show their sizing lines', async ({ page, open }) => {
    await open(page_(), model.tests.length);
    await expect(page.getByTestId('pools').getByTestId('pool-row')).toHaveCount(model.pools!.length);
    await expect(page.getByTestId('pool-sizing')).toHaveText(model.pools!.map((p) => p.sizing));
  });

  test('carried blocks name the test that freed them', async ({ page, open }) => {
    await open(page_(), model.tests.length);
    const details = (await openTest(page, model, 1)).filter({ hasText: 'Carried to a later test' });
    await expect(cell(details, CARRIED_BY)).toBeVisible();
    await expect(cell(details, '(outside any test)')).toBeVisible();
    await expect(details).toContainText('Carried to a later test — 72 B (2)');
  });

  test('corruption, pool leaks, heaps and pools of a test', async ({ page, open }) => {
    await open(page_(), model.tests.length);
    const details = await openTest(page, model, 2);
    await expect(details).toContainText('Corruption (1)');
    await expect(cell(details, 'header overwritten')).toBeVisible();
    // A pool leak names its pool and the site of its last reference.
    await expect(cell(details, 'app.tx')).toBeVisible();
    await expect(cell(details, 'src/net/tx.c:120')).toBeVisible();
    await expect(details.getByTestId('test-pools')).toContainText('app.tx');
    await expect(details.getByTestId('test-heaps').getByRole('row')).toHaveCount(3);
    await expect(page.getByTestId('totals')).toContainText('corruption findings');
  });

  test('the headroom column sorts the tightest test first', async ({ page, open }) => {
    await open(page_(), model.tests.length);
    await page.getByTestId('sort-headroom').click();
    await expect(page.getByTestId('sort-headroom')).toHaveAttribute('aria-sort', 'ascending');
    const tightest = model.tests.reduce((a, b) => (b.layout!.headroom < a.layout!.headroom ? b : a));
    await expect(page.getByTestId('test-row').first().locator('.name')).toHaveText(tightest.name!);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the census top and the pools still read', async ({ page, open }) => {
    const model = viewsModel();
    await open(renderPage(model), 0);
    await expect(page.getByTestId('census').getByTestId('census-row')).toHaveCount(model.sites!.length);
    await expect(page.getByTestId('pool-sizing')).toHaveText(model.pools!.map((p) => p.sizing));
  });
});
