/**
 * The HTML report in real Chromium, opened from file:// like a CI artifact.
 * Every test fails on page errors, console errors, dialogs, non-file
 * requests, or a hostile payload having run (`window.__pwned`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { test } from './fixture.js';
import { analyzeText } from '../../src/analyzer/analyze.js';
import { judge } from '../../src/judge/index.js';
import { renderHtml } from '../../src/reporters/html.js';
import { demoReport, flat, HOSTILE, hostileReport, syntheticReport } from './make-report.js';

type Report = ReturnType<typeof flat>;
import { formatAddress } from '../../src/protocol/records.js';

const ROOT = join(import.meta.dirname, '..', '..');

function reportFromLog(path: string): Report {
  return flat(judge(analyzeText(readFileSync(path, 'utf8'))));
}

/** Peak percents of the visible rows, top to bottom (null when unknown). */
async function visiblePercents(page: Page): Promise<Array<number | null>> {
  return page.getByTestId('test-row').evaluateAll((rows) =>
    rows
      .filter((r) => !(r as HTMLElement).hidden)
      .map((r) => {
        const v = r.querySelector('[data-testid="peak-percent"]')!.getAttribute('data-value');
        return v === '' ? null : Number(v);
      }),
  );
}

/** A cell of the details' tables (not the SVG tooltips) showing exactly `text`. */
function cell(scope: ReturnType<Page['getByTestId']>, text: string) {
  return scope.getByRole('cell', { name: text, exact: true }).first();
}

function row(page: Page, name: string) {
  return page.getByTestId('test-row').filter({ has: page.getByText(name, { exact: true }) });
}

test.describe('demo report', () => {
  const report = flat(demoReport());

  test('opens from file:// with header, totals and a row per test', async ({ page, open }, testInfo) => {
    await open(renderHtml(report.judged), report.tests.length);
    await expect(page.getByTestId('verdict')).toContainText('FAIL');
    await expect(page.getByTestId('totals')).toContainText('95.76 %');
    await expect(page.getByTestId('tests-table')).toBeVisible();
    await expect(page.locator('#count')).toHaveText('12 tests');
    await expect(page.locator('#nojs')).toBeHidden();
    const shot = testInfo.outputPath('report.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('report', { path: shot, contentType: 'image/png' });
  });

  test('sort-peak toggles descending then ascending', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const sort = page.getByTestId('sort-peak');
    await sort.click();
    await expect(sort).toHaveAttribute('aria-sort', 'descending');
    const desc = await visiblePercents(page);
    const known = report.tests.map((t) => t.peakPercent).filter((p): p is number => p !== null);
    expect(desc.filter((p) => p !== null)).toEqual(
      known.map((p) => Math.round(p * 100) / 100).sort((a, b) => b - a),
    );
    await sort.click();
    await expect(sort).toHaveAttribute('aria-sort', 'ascending');
    const asc = (await visiblePercents(page)).filter((p): p is number => p !== null);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(asc[0]).toBeLessThan(asc.at(-1)!);
  });

  test('the filter box narrows rows by name', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const visible = page.getByTestId('test-row').filter({ visible: true });
    await page.getByTestId('filter').fill('EIP712');
    await expect(visible).toHaveCount(report.tests.filter((t) => t.name!.includes('eip712')).length);
    await expect(page.locator('#count')).toHaveText('Showing 2 of 12 tests');
    await page.getByTestId('filter').fill('no such test');
    await expect(visible).toHaveCount(0);
    await expect(page.getByText('No test matches the filter.')).toBeVisible();
    await page.getByTestId('filter').fill('');
    await expect(visible).toHaveCount(report.tests.length);
  });

  test('the failing-only switch keeps failing tests', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const visible = page.getByTestId('test-row').filter({ visible: true });
    const failing = report.tests.filter((t) => !t.ok);
    await page.getByTestId('failing-only').click();
    await expect(page.getByTestId('failing-only')).toBeChecked();
    await expect(visible).toHaveCount(failing.length);
    for (const t of failing) await expect(row(page, t.name!)).toBeVisible();
    await page.getByTestId('failing-only').click();
    await expect(visible).toHaveCount(report.tests.length);
  });

  test('clicking a row expands its leaks, sites and timeline', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const leaky = report.tests.find((t) => t.leaks.length === 2)!;
    const r = row(page, leaky.name!);
    await r.click();
    await expect(r).toHaveAttribute('aria-expanded', 'true');
    const details = page.getByTestId('test-details');
    await expect(details).toHaveCount(1);
    for (const b of leaky.leaks) await expect(cell(details, b.site)).toBeVisible();
    await expect(details.getByTestId('why')).toHaveText(`Fails the policy: 2 leaks (${leaky.leaks[0].size + leaky.leaks[1].size} bytes).`);
    await expect(details.getByTestId('timeline').locator('svg')).toBeVisible();
    // One marker per leaked block, at its allocation line.
    await expect(details.getByTestId('leak-marker')).toHaveCount(leaky.leaks.length);
    await r.click();
    await expect(details).toBeHidden();
  });

  test('free errors show the alloc and first-free sites', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const t = report.tests.find((x) => x.freeErrors.some((f) => f.kind === 'double-free'))!;
    const f = t.freeErrors[0];
    await row(page, t.name!).click();
    const details = page.getByTestId('test-details');
    await expect(details).toContainText('double free');
    for (const s of [f.site, f.allocSite!, f.firstFreeSite!]) await expect(cell(details, s)).toBeVisible();
  });

  test('every test has a timeline; Enter opens a row from the keyboard', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const rows = page.getByTestId('test-row');
    await rows.first().focus();
    await page.keyboard.press('Enter');
    await expect(rows.first()).toHaveAttribute('aria-expanded', 'true');
    for (let i = 1; i < report.tests.length; i++) await rows.nth(i).click();
    await expect(page.getByTestId('timeline')).toHaveCount(report.tests.length);
    const withPoints = report.tests.filter((t) => t.timeline.points.length > 0).length;
    await expect(page.getByTestId('timeline').locator('svg')).toHaveCount(withPoints);
  });

  test('details list reclaimed, persistent, failed and suppressed blocks', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const cases: Array<[string, string, string]> = [];
    for (const t of report.tests) {
      for (const b of t.reclaimed) cases.push([t.name!, 'Reclaimed by an in-test heap reset', b.site]);
      for (const b of t.persistent) cases.push([t.name!, 'Persistent blocks', b.site]);
      for (const f of t.failedAllocations) cases.push([t.name!, 'Failed allocations', f.site]);
      for (const b of t.suppressed) cases.push([t.name!, 'Suppressed', b.site]);
    }
    expect(new Set(cases.map((c) => c[1])).size).toBe(4);
    for (const [name, heading, site] of cases) {
      const r = row(page, name);
      if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
      const details = page.getByTestId('test-details').filter({ hasText: heading });
      await expect(cell(details, site)).toBeVisible();
    }
  });

  test('leaks are grouped by site, and a site links to its test', async ({ page, open }) => {
    await open(renderHtml(report.judged), report.tests.length);
    const sites = page.getByTestId('leak-sites').getByTestId('leak-site');
    await expect(sites).toHaveCount(report.leakSites.length);
    const first = report.leakSites[0];
    await expect(sites.first()).toContainText(first.site);
    await sites.first().getByRole('link').first().click();
    await expect(row(page, first.tests[0]!)).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('diagnostics').getByTestId('diagnostic')).toHaveCount(report.diagnostics.length);
  });
});

test('baseline regressions and suppression counts are shown', async ({ page, open }) => {
  const plain = flat(demoReport());
  const name = plain.tests[4].name;
  // as a baseline comparison finds it: the judge marks the test failing, with the same words
  const report = flat(
    demoReport({
      regressions: [{ test: name, baselinePeakBytes: 6000, peakBytes: plain.tests[4].peakBytes, growthPercent: 30.75 }],
      baselineChanges: { added: ['tests/test_new.py::test_fresh'], removed: [] },
    }),
  );
  expect(report.tests[4].ok).toBe(false);
  await open(renderHtml(report.judged), report.tests.length);
  const regressions = page.getByTestId('regressions');
  await expect(cell(regressions, name!)).toBeVisible();
  await expect(regressions).toContainText('+30.8%');
  await expect(regressions).toContainText('tests/test_new.py::test_fresh');
  await row(page, name!).click();
  await expect(page.getByTestId('why')).toContainText('peak grew 30.75% over the baseline (6000 →');
  await expect(cell(page.getByTestId('suppressions'), 'vendor/nbgl/*')).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the verdict, failing tests and leak sites still read', async ({ page, open }) => {
    const report = flat(demoReport());
    await open(renderHtml(report.judged), 0);
    await expect(page.getByTestId('verdict')).toContainText('FAIL');
    await expect(page.getByText('The interactive table needs JavaScript.')).toBeVisible();
    for (const t of report.tests.filter((x) => !x.ok)) await expect(page.getByText(t.name!, { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId('tests-table')).toBeHidden();
    await expect(page.getByTestId('leak-sites').getByTestId('leak-site')).toHaveCount(report.leakSites.length);
  });
});

test('a 3,000-test report opens, sorts and filters', async ({ page, open }) => {
  const report = flat(syntheticReport(3000));
  const html = renderHtml(report.judged);
  expect(Buffer.byteLength(html)).toBeLessThan(300 * 1024);
  await open(html, 3000);
  await page.getByTestId('sort-peak').click();
  const top = Math.max(...report.tests.map((t) => t.peakPercent ?? 0));
  expect((await visiblePercents(page))[0]).toBe(Math.round(top * 100) / 100);
  await page.getByTestId('failing-only').click();
  await expect(page.getByTestId('test-row').filter({ visible: true })).toHaveCount(report.tests.filter((t) => !t.ok).length);
  await page.getByTestId('test-row').filter({ visible: true }).first().click();
  await expect(page.getByTestId('timeline').locator('svg')).toBeVisible();
});

test.describe('hostile input is shown as text and never runs', () => {
  const cases: Array<[string, () => Report]> = [
    ['fixtures/hostile/hostile.log', () => reportFromLog(join(ROOT, 'fixtures/hostile/hostile.log'))],
    ['hand-built hostile report', () => flat(hostileReport())],
  ];
  for (const [title, make] of cases) {
    test(title, async ({ page, open }) => {
      const report = make();
      await open(renderHtml(report.judged), report.tests.length);
      for (const t of report.tests) {
        const r = row(page, t.name!);
        await expect(r).toHaveCount(1);
        await r.click();
      }
      const details = page.getByTestId('test-details');
      for (const t of report.tests)
        for (const b of [...t.leaks, ...t.persistent]) await expect(cell(details, b.site)).toBeVisible();
      for (const s of report.leakSites) await expect(cell(page.getByTestId('leak-sites'), s.site)).toBeVisible();
      await expect(page.locator('img, iframe, body script:not(#report-data):not(:last-of-type)')).toHaveCount(0);
      await expect(page.locator('script')).toHaveCount(2);
    });
  }

  test('hostile strings reach the page verbatim', async ({ page, open }) => {
    const report = flat(hostileReport());
    await open(renderHtml(report.judged), report.tests.length);
    await expect(page.getByTestId('test-row').first().locator('.name')).toHaveText(HOSTILE.script);
  });
});

test.describe('fixture logs', () => {
  const logs = ['generated', 'real-pytest', 'harnesses'].flatMap((dir) =>
    readdirSync(join(ROOT, 'fixtures', dir))
      .filter((f) => f.endsWith('.log'))
      .map((f) => join('fixtures', dir, f)),
  );
  for (const log of logs) {
    test(log, async ({ page, open }) => {
      const report = reportFromLog(join(ROOT, log));
      await open(renderHtml(report.judged), report.tests.length);
      await expect(page.getByTestId('verdict')).toHaveText(new RegExp(report.verdict.ok ? '^PASS' : '^(FAIL|ERROR)'));
      const leaky = report.tests.find((t) => t.leaks.length > 0);
      if (leaky) {
        // by name: the table lists tests by number, activity outside any test (number 0) first
        await row(page, leaky.name ?? '(outside any test)').first().click();
        await expect(cell(page.getByTestId('test-details'), leaky.leaks[0].site)).toBeVisible();
        // host builds: 64-bit addresses in full (SPEC §2.1)
        await expect(cell(page.getByTestId('test-details'), formatAddress(leaky.leaks[0].address))).toBeVisible();
        await expect(page.getByTestId('leak-marker')).toHaveCount(leaky.leaks.length);
      }
    });
  }
});

test('the CLI writes the same report with --reporter html:PATH', async ({ page, open }, testInfo) => {
  const bin = join(ROOT, 'bin', 'valground.js');
  expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
  const out = testInfo.outputPath('cli.html');
  const json = testInfo.outputPath('cli.json');
  const log = join(ROOT, 'fixtures', 'generated', 'mixed.log');
  try {
    execFileSync(process.execPath, [bin, log, '--reporter', `html:${out}`, '--reporter', `json:${json}`], { stdio: 'pipe' });
  } catch (err) {
    // Exit 1 = memory errors found, which mixed.log has; anything else is a failure.
    if ((err as { status?: number }).status !== 1) throw err;
  }
  const tests = (JSON.parse(readFileSync(json, 'utf8')) as { tests: unknown[] }).tests.length;
  await open(readFileSync(out, 'utf8'), tests);
  await expect(page.getByTestId('verdict')).toContainText('FAIL');
});

test('the demo session through the CLI: census, pools and a heap map at the peak that tiles the heap', async ({ page, open }, testInfo) => {
  const bin = join(ROOT, 'bin', 'valground.js');
  const out = testInfo.outputPath('demo.html');
  const json = testInfo.outputPath('demo.json');
  const log = join(ROOT, 'fixtures', 'heap', 'demo-session.log');
  try {
    execFileSync(process.execPath, [bin, log, '--reporter', `html:${out}`, '--reporter', `json:${json}`], { stdio: 'pipe' });
  } catch (err) {
    if ((err as { status?: number }).status !== 1) throw err; // the demo's bugs fail the run
  }
  const report = JSON.parse(readFileSync(json, 'utf8')) as { tests: Array<{ name: string; heapSize: number }>; sites: unknown[] };
  await open(readFileSync(out, 'utf8'), report.tests.length);
  await expect(page.getByTestId('census-table')).toBeVisible();
  await expect(page.getByTestId('census-row')).toHaveCount(Math.min(report.sites.length, await page.getByTestId('census-row').count()));
  await expect(page.getByTestId('pool-sizing').first()).toContainText('app.outputs');
  const full = report.tests.find((t) => t.name.includes('many_outputs'))!;
  await row(page, full.name).click();
  const map = page.getByTestId('heap-map').first();
  await expect(map).toBeVisible();
  const sizes = await map.getByTestId('heap-chunk').evaluateAll((list) => list.map((c) => Number(c.getAttribute('data-size'))));
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(full.heapSize);
  const shot = testInfo.outputPath('demo-heap-map.png');
  await map.screenshot({ path: shot });
  await testInfo.attach('demo heap map', { path: shot, contentType: 'image/png' });
});
