import { defineConfig } from '@playwright/test';

// Browser tests of the HTML report, on Debian's Chromium (no browser download).
export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/artifacts',
  // The HTML reporter inlines the bundled page script: bundle the current source first.
  globalSetup: './test/setup/client-bundle.ts',
  workers: 2,
  fullyParallel: true,
  // list for people; json for the closing tally of scripts/test.sh
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  forbidOnly: !!process.env.CI,
  use: { headless: true },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-gpu',
            '--no-first-run',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
