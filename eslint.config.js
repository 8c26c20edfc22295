// Lint: the layering of SPEC §10. Each folder of src/ imports only from the
// folders above it in this list (and itself); demo and bench sit on top and
// may use anything; the package root never loads the CLI. Types and style
// are the compiler's business (tsc -p tsconfig.test.json runs in npm test).
import tseslint from 'typescript-eslint';

const LAYERS = ['protocol', 'heap', 'harness', 'analyzer', 'judge', 'report', 'reporters', 'cli'];

function layerRule(layer) {
  const below = LAYERS.slice(LAYERS.indexOf(layer) + 1);
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${below.join('|')}|demo|bench)/`,
              message: `src/${layer} may import only from ${LAYERS.slice(0, LAYERS.indexOf(layer) + 1).join(', ')} (SPEC §10: imports go one way)`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.base],
  },
  ...LAYERS.filter((l) => l !== 'cli').map(layerRule),
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(demo|bench)/', message: 'the CLI does not depend on the demo or the bench' }] }],
    },
  },
  {
    files: ['src/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\./(cli|demo|bench)/', message: 'the package root never loads the CLI (valground/cli does)' }] }],
    },
  },
);
