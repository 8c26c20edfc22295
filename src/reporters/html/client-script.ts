/**
 * The page's script: the bundle scripts/build-client.mjs writes beside the
 * compiled reporter (dist/reporters/html/client.bundle.js). Read once, on
 * first use, so loading the reporter costs the CLI nothing. Run from the
 * source tree (the tests), the reporter reads the bundle in dist/, which the
 * test runners rebuild before they start.
 */
import { readFileSync } from 'node:fs';

const CANDIDATES = ['./client.bundle.js', '../../../dist/reporters/html/client.bundle.js'];

let script: string | null = null;

export function clientScript(): string {
  if (script !== null) return script;
  for (const candidate of CANDIDATES) {
    let text: string;
    try {
      text = readFileSync(new URL(candidate, import.meta.url), 'utf8');
    } catch {
      continue;
    }
    // The bundle goes inside <script>: it must not be able to end it.
    if (/<\/script|<!--/i.test(text)) throw new Error('html reporter: the client bundle cannot be inlined');
    return (script = text);
  }
  throw new Error('html reporter: the client bundle is missing; run `npm run build`');
}
