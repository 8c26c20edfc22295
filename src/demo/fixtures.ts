/**
 * `npm run fixtures`: regenerates `fixtures/heap/*.log` from scenario scripts
 * run on this heap, so the analyzer's tests read logs whose records come from
 * the byte-faithful allocator. Deterministic: the same sources give the same
 * files. Call sites are `src/...ts:LINE` positions, so editing the demo app
 * moves them; run this again and review the diff.
 *
 * Other fixture directories (fixtures/generated, fixtures/real-pytest) are not
 * touched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Fixture {
  file: string;
  what: string;
  make(): Promise<string>;
}

async function fixtures(): Promise<Fixture[]> {
  const { DEMO_TESTS, runSession } = await import('./session.js');
  const { AppHeap } = await import('../heap/app-heap.js');
  const pick = (...names: string[]) => DEMO_TESTS.filter((t) => names.includes(t.name));
  const session = async (options: Parameters<typeof runSession>[1]): Promise<string> => {
    let text = '';
    await runSession((chunk) => {
      text += chunk;
    }, options);
    return text;
  };

  return [
    { file: 'demo-session.log', what: 'the npm start session, pytest -v -s', make: () => session({}) },
    { file: 'demo-session-plain.log', what: 'the same, pytest -s (result characters)', make: () => session({ style: 'plain' }) },
    {
      file: 'demo-session-reference.log',
      what: 'the same, node ids on their own lines (readable by the reference script)',
      make: () => session({ style: 'separate', poolRecords: false }),
    },
    {
      file: 'clean.log',
      what: 'no memory error',
      make: () => session({ tests: pick('test_app_version', 'test_get_public_key', 'test_sign_tx'), device: 'flex' }),
    },
    { file: 'leak.log', what: 'one leaked memo copy', make: () => session({ tests: pick('test_sign_tx', 'test_sign_tx_with_memo', 'test_app_version') }) },
    { file: 'double-free.log', what: 'a double free on rejection', make: () => session({ tests: pick('test_sign_tx_reject') }) },
    { file: 'persistent.log', what: 'a permanent settings buffer', make: () => session({ tests: pick('test_settings', 'test_app_version') }) },
    { file: 'heap-reset.log', what: 'an in-test heap reset (reclaimed blocks)', make: () => session({ tests: pick('test_sign_tx_malformed', 'test_app_version') }) },
    { file: 'near-full.log', what: 'a peak near 90% of the heap', make: () => session({ tests: pick('test_sign_tx_many_outputs') }) },
    {
      file: 'extensions.log',
      what: "valground's own records: test boundaries and failed allocations, bare lines",
      async make() {
        // A harness other than pytest: explicit `test;NAME` records, `fail`
        // records for NULL returns, no emulator prefix.
        const lines: string[] = [];
        const heap = new AppHeap(1024, { log: (line) => lines.push(line), prefix: '', failRecords: true, testRecords: true });
        heap.test('parser::accepts_short_input');
        const a = heap.APP_MEM_ALLOC(100, 'src/parser.c:10');
        heap.APP_MEM_FREE(a, 'src/parser.c:30');
        heap.test('parser::rejects_huge_input');
        const big = heap.APP_MEM_ALLOC(600, 'src/parser.c:10');
        heap.APP_MEM_ALLOC(600, 'src/parser.c:12'); // does not fit: fail
        heap.APP_MEM_FREE(big, 'src/parser.c:30');
        heap.test('parser::keeps_cache');
        const cache = { ptr: null as number | null };
        heap.APP_MEM_PERMANENT(cache, 32, 'src/cache.c:5');
        heap.APP_MEM_STRDUP('leaked label', 'src/cache.c:9');
        return lines.join('\n') + '\n';
      },
    },
  ];
}

async function main(): Promise<void> {
  // Sites are relative to the working directory: make it the package root.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  process.chdir(root);
  // TypeScript positions in call sites when running the compiled code.
  process.setSourceMapsEnabled(true);
  const outDir = path.join(root, 'fixtures', 'heap');
  mkdirSync(outDir, { recursive: true });
  for (const f of await fixtures()) {
    const text = await f.make();
    writeFileSync(path.join(outDir, f.file), text);
    const records = text.split('\n').filter((l) => l.includes('==MP ')).length;
    console.log(`fixtures/heap/${f.file.padEnd(24)} ${String(records).padStart(4)} records  ${f.what}`);
  }
}

await main();
