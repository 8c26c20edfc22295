/**
 * The harnesses (SPEC §3): one adapter per test runner, and the choice of
 * which one owns the test boundaries.
 */
import { PytestAdapter } from './pytest.js';
import { RecordsAdapter } from './records-only.js';
import { MAIN_LANE, type Adapter, type Harness, type HarnessEvent, type HarnessName, type Lane } from './types.js';

export * from './types.js';
export { cleanLine, contentEnd, lineParts } from './clean.js';
export { PytestAdapter, pytestTokens, nodeIdLength, RECORD_LINE_PREFIX } from './pytest.js';

export const HARNESS_NAMES: readonly HarnessName[] = ['pytest', 'gtest', 'cmocka', 'ctest', 'unity', 'tap', 'records'];

/** A harness listening to one adapter alone. */
class SingleHarness implements Harness {
  constructor(private readonly adapter: Adapter & { structureSeen?: boolean }) {}
  get name(): HarnessName {
    return this.adapter.name;
  }
  line(text: string, lineNo: number, out: HarnessEvent[]): void {
    this.adapter.line(text, lineNo, out);
  }
  activity(lane: Lane, out: HarnessEvent[]): void {
    this.adapter.activity(lane, out);
  }
  recordLine(out: HarnessEvent[]): Lane | null {
    this.adapter.activity(MAIN_LANE, out);
    return MAIN_LANE;
  }
  end(out: HarnessEvent[]): void {
    this.adapter.end(out);
  }
  seen(): HarnessName[] {
    return this.adapter.structureSeen ? [this.adapter.name] : [];
  }
}

/** The harness for `--harness NAME`, or `auto` (every adapter listens). */
export function createHarness(name: HarnessName | 'auto' = 'auto'): Harness {
  switch (name) {
    case 'records':
      return new SingleHarness(new RecordsAdapter());
    case 'auto':
    case 'pytest':
      return new SingleHarness(new PytestAdapter());
    default:
      throw new Error(`harness ${name} is not available yet`);
  }
}
