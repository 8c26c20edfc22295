/**
 * The `[ RUN      ]` family (SPEC §3.2): GoogleTest and cmocka print the
 * same ten-column tags.
 *
 * - `[ RUN      ] NAME` starts a test; `[       OK ]`, `[  FAILED  ]`,
 *   `[  SKIPPED ]` and cmocka's `[  ERROR   ] NAME` end it after its
 *   output (failure messages come before the result line).
 * - `[==========] Running N …` is the plan; after `… N tests … ran.` the
 *   repeated result lines name tests already run.
 * - A result with no `[ RUN ]` before it (`--gtest_brief=1`) is a test of
 *   its own: the output before it cannot be told apart, it stays outside.
 * - Records between a result line and the next `[ RUN ]` belong to no test.
 */
import { MAIN_LANE, type Adapter, type HarnessEvent, type Outcome } from './types.js';

export type RunFlavor = 'gtest' | 'cmocka';

const TAG = /^\[([ A-Z=-]{10})\] ?(.*)$/;
const RUNNING = /^(?:.*: )?Running (\d+) tests?(\(s\))?/;
const RAN = /^(?:.*: )?\d+ tests?(?:\(s\))?(?: from \d+ test (?:suites?|cases?))? (?:ran|run)\b/;
const LISTED = /\d+ tests?(?:\(s\))?, listed below:$/;
const DURATION = / \(\d+ ms\)$/;

const RESULT_TAGS: Record<string, Outcome> = {
  OK: 'passed',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  ERROR: 'error',
};

/** The test name on a result line: no duration, no `, where GetParam() = …`. */
function resultName(rest: string): string {
  const name = rest.replace(DURATION, '');
  const where = name.indexOf(', where ');
  return (where >= 0 ? name.slice(0, where) : name).trim();
}

export class RunFamilyAdapter implements Adapter {
  private flavor: RunFlavor | null;
  private current: string | null = null;
  /** After `N tests ran.`: result lines repeat names of tests already run. */
  private summary = false;
  private tests = 0;
  private structureSeen = false;

  /** `flavor`: what `--harness` said; otherwise told by what the lines show. */
  constructor(flavor: RunFlavor | null = null) {
    this.flavor = flavor;
  }

  get name(): RunFlavor {
    return this.flavor ?? 'gtest';
  }

  line(text: string, _lineNo: number, out: HarnessEvent[]): void {
    const m = text.charCodeAt(0) === 0x5b /* [ */ ? TAG.exec(text) : null;
    if (m !== null) this.tag(m[1].trim(), m[2], out);
    out.push({ type: 'input', lane: MAIN_LANE, text });
  }

  private tag(tag: string, rest: string, out: HarnessEvent[]): void {
    switch (tag) {
      case 'RUN': {
        const name = rest.trim();
        if (name === '') return; // names no test: output
        this.mark();
        this.summary = false;
        this.current = name;
        this.tests++;
        out.push({ type: 'test-start', lane: MAIN_LANE, name: this.current });
        return;
      }
      case '==========':
        this.banner(rest, out);
        return;
      case '----------':
        if (rest.startsWith('Global test environment')) this.tell('gtest');
        this.mark();
        return;
      case 'PASSED':
        this.mark();
        this.summary = true;
        return;
      case 'LINE':
        this.tell('cmocka');
        return;
      case 'ERROR':
        this.tell('cmocka');
        if (rest.startsWith('---')) return; // an assertion's message, before the result line
        break;
    }
    const outcome = RESULT_TAGS[tag];
    if (outcome === undefined || rest === '' || LISTED.test(rest)) return;
    this.mark();
    if (DURATION.test(rest)) this.tell('gtest');
    const name = resultName(rest);
    if (this.summary) {
      out.push({ type: 'outcome-of', name, outcome });
      return;
    }
    if (this.current !== name) {
      // --gtest_brief: no [ RUN ] line; what ran before is not this test's
      out.push({ type: 'test-start', lane: MAIN_LANE, name });
      this.tests++;
    }
    this.current = null;
    out.push({ type: 'test-end', lane: MAIN_LANE, outcome });
  }

  /** `[==========]` lines: the plan, or the end of the run. */
  private banner(rest: string, out: HarnessEvent[]): void {
    const running = RUNNING.exec(rest);
    if (running !== null) {
      this.tell(running[2] !== undefined ? 'cmocka' : 'gtest');
      // another binary, group or repetition: numbering starts afresh
      if (this.tests > 0) out.push({ type: 'session-start' });
      this.mark();
      this.tests = 0;
      this.summary = false;
      this.current = null;
      out.push({ type: 'plan', count: Number(running[1]) });
    } else if (RAN.test(rest)) {
      this.mark();
      this.summary = true;
      if (this.current !== null) {
        // the test never printed its result (it crashed): it ends here
        this.current = null;
        out.push({ type: 'test-end', lane: MAIN_LANE, outcome: null });
      }
    }
  }

  private mark(): void {
    this.structureSeen = true;
  }

  /** The first sure sign of which runner prints decides the name reported. */
  private tell(flavor: RunFlavor): void {
    this.flavor ??= flavor;
  }

  /** Its lines start with `[`, a logger's with a letter. */
  quiet(): boolean {
    return true;
  }

  activity(): void {}

  end(): void {}

  seen(): RunFlavor[] {
    return this.structureSeen ? [this.name] : [];
  }
}
