/**
 * Packaging from a fresh clone: `npm pack` builds on prepack and ships
 * dist/; the tarball installs into an empty project whose `npx valground`
 * and `import('valground/heap')` work.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the npm package', () => {
  it('packs dist/ and installs into an empty project: npx valground, valground/heap, valground/analyzer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-pack-'));
    // npm test built dist/ already; rebuilding here would rewrite it under the other tests' feet
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.prepack).toMatch(/npm run build/); // a fresh clone's `npm pack` builds first
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed[0].files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/heap/index.js');
    expect(files).toContain('bin/valground.js');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    npm(['install', join(dir, packed[0].filename)], app);
    const version = execFileSync('npx', ['--no-install', 'valground', '--version'], { cwd: app, encoding: 'utf8' }).trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    const probe = `const h = await import('valground/heap'); const a = await import('valground/analyzer'); const ctx = h.mem_init(new Uint8Array(8192)); console.log(h.mem_alloc(ctx, 100), typeof a.analyzeText);`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: app, encoding: 'utf8' }).trim()).toBe(`${0xda7a0064} function`);
    expect(readdirSync(join(app, 'node_modules', 'valground', 'dist')).length).toBeGreaterThan(0);
  }, 180_000);
});
