/**
 * SPEC §10: imports go one way, a lint rule keeps it so (and can fail),
 * and the package root and its subpaths load no CLI code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function lint(file: string, code: string) {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return result.messages.map((m) => m.message);
}

/** Every module reachable from `entry` through relative imports (static and dynamic; `runtime`: type-only imports left out). */
function graph(entry: string, runtime = false): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const text = runtime ? source.replace(/^(?:import|export) type [^;]*;/gms, '') : source;
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
      visit(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
    }
  };
  visit(join(ROOT, entry));
  return seen;
}

describe('layering (SPEC §10)', () => {
  it('the lint rule rejects an import that goes the wrong way', async () => {
    expect(await lint('src/analyzer/x.ts', "import { main } from '../cli/main.js';\n")).toEqual([expect.stringMatching(/src\/analyzer may import only from/)]);
    expect(await lint('src/protocol/x.ts', "import { Heap } from '../heap/heap.js';\n")).toHaveLength(1);
    expect(await lint('src/reporters/html/x.ts', "import { x } from '../../cli/outputs.js';\n")).toHaveLength(1);
    expect(await lint('src/index.ts', "export * from './cli/main.js';\n")).toHaveLength(1);
  });

  it('the lint rule lets the right way through', async () => {
    expect(await lint('src/cli/x.ts', "import { judge } from '../judge/index.js';\nimport { Heap } from '../heap/heap.js';\n")).toEqual([]);
    expect(await lint('src/analyzer/x.ts', "import { Heap } from '../heap/heap.js';\nimport type { Lane } from '../harness/types.js';\n")).toEqual([]);
    expect(await lint('src/demo/x.ts', "import { main } from '../cli/main.js';\n")).toEqual([]);
  });

  it.each(['src/index.ts', 'src/heap/index.ts', 'src/analyzer/index.ts'])('%s loads no CLI code', (entry) => {
    const files = [...graph(entry)].map((f) => f.slice(ROOT.length));
    expect(files.filter((f) => f.startsWith('src/cli/'))).toEqual([]);
    if (entry === 'src/heap/index.ts') expect(files.every((f) => f.startsWith('src/heap/') || f.startsWith('src/protocol/'))).toBe(true);
  });

  it.each(['src/reporters/json.ts', 'src/reporters/replay.ts', 'src/reporters/text.ts'])('%s loads no validator: zod only when a report is read back', (entry) => {
    const withZod = [...graph(entry, true)].filter((f) => /from '(zod)'/.test(readFileSync(f, 'utf8')));
    expect(withZod.map((f) => f.slice(ROOT.length))).toEqual([]);
  });
});
