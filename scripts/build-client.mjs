#!/usr/bin/env node
// Bundles the HTML report's script (src/reporters/html/client/main.ts) into
// one minified file beside the compiled reporter, which inlines it in every
// page: `npm run build` runs it after tsc; the tests run it before they start.
//   node scripts/build-client.mjs [OUT]   (default dist/reporters/html/client.bundle.js)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLIENT_ENTRY = join(ROOT, 'src/reporters/html/client/main.ts');
export const CLIENT_BUNDLE = join(ROOT, 'dist/reporters/html/client.bundle.js');

/** The minified script, checked to be safe inside a `<script>` element. */
export async function bundleClient() {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    // DecompressionStream (large reports) arrived in these versions.
    target: ['chrome100', 'firefox113', 'safari16.4'],
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text.trim();
  if (/<\/script|<!--/i.test(code)) throw new Error('client bundle contains </script or <!--: it cannot be inlined');
  return code;
}

export async function writeClientBundle(out = CLIENT_BUNDLE) {
  const code = await bundleClient();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  return { out, bytes: Buffer.byteLength(code) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { out, bytes } = await writeClientBundle(process.argv[2] ? resolve(process.argv[2]) : undefined);
  if (process.env.npm_lifecycle_event !== 'build') console.log(`wrote ${out} (${bytes} bytes)`);
}
