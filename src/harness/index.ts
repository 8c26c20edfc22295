/**
 * The harnesses (SPEC §3): one adapter per test runner, and the choice of
 * which one owns the test boundaries.
 */
import { AutoHarness } from './auto.js';
import { CtestAdapter } from './ctest.js';
import { PytestAdapter } from './pytest.js';
import { RecordsAdapter } from './records-only.js';
import { RunFamilyAdapter } from './run-family.js';
import { SingleHarness } from './single.js';
import { TapAdapter } from './tap.js';
import { UnityAdapter } from './unity.js';
import type { Harness, HarnessName } from './types.js';

export * from './types.js';
export { cleanLine, contentEnd, lineParts } from './clean.js';
export { PytestAdapter, pytestTokens, nodeIdLength } from './pytest.js';
export { RunFamilyAdapter } from './run-family.js';
export { CtestAdapter } from './ctest.js';
export { UnityAdapter } from './unity.js';
export { TapAdapter, tapResult } from './tap.js';

export { HARNESS_NAMES } from './types.js';

/** The harness for `--harness NAME`, or `auto` (every adapter listens, §3.6). */
export function createHarness(name: HarnessName | 'auto' = 'auto'): Harness {
  switch (name) {
    case 'auto':
      return new AutoHarness();
    case 'pytest':
      return new SingleHarness(new PytestAdapter());
    case 'gtest':
    case 'cmocka':
      return new SingleHarness(new RunFamilyAdapter(name));
    case 'ctest':
      return new SingleHarness(new CtestAdapter());
    case 'unity':
      return new SingleHarness(new UnityAdapter());
    case 'tap':
      return new SingleHarness(new TapAdapter());
    case 'records':
      return new SingleHarness(new RecordsAdapter());
  }
}
