/**
 * Global set-up of vitest and Playwright: the HTML reporter inlines the
 * bundled client script, so bundle the current source before any test renders
 * a page (tens of milliseconds).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function bundleClient(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build-client.mjs')], { stdio: 'pipe' });
}
