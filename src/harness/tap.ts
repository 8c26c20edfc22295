/**
 * TAP (SPEC §3.5): cmocka's `CMOCKA_MESSAGE_OUTPUT=TAP`, node:test, prove…
 *
 * - `ok N - NAME` / `not ok N - NAME` ends a test after its output: the
 *   analyzer keeps that output in an unnamed test, which the result line
 *   names and ends. `# SKIP` → skipped; `# TODO` → xfail (not ok) or xpass
 *   (ok). With no description the directive's text names the test (cmocka:
 *   `not ok 6 # SKIP test_name`), else `#N`.
 * - `1..N` is the plan, first or last; a plan or `TAP version` after a
 *   finished stream, or a result after a trailing plan or `Bail out!`,
 *   starts another stream (numbering afresh).
 * - Indented results are subtests, named `PARENT::CHILD` after the
 *   `# Subtest: PARENT` comments (node:test prints them at the parent's
 *   indentation, TAP 14 at the child's). A parent's own result line names a
 *   test only if something happened after its last subtest.
 * - `# …` lines and YAML blocks (`---` … `...`) are output.
 */
import { MAIN_LANE, type Adapter, type HarnessEvent, type Outcome } from './types.js';

const RESULT = /^( *)(not ok|ok)(?:\s+(\d+))?(?:\s+(.*))?$/;
const DIRECTIVE = /(?:^|\s)#\s*(skip|todo)\S*\s*(.*)$/i;
const PLAN = /^( *)1\.\.(\d+)(?:\s*#.*)?$/;
const SUBTEST = /^( *)# Subtest(?::\s*(.*))?$/;
const VERSION = /^TAP version \d+$/i;
const BAIL_OUT = /^\s*Bail out!/;
/** Nesting kept for subtest names (the input chooses it: a bound). */
const MAX_DEPTH = 64;

interface Announced {
  indent: number;
  name: string;
}

/** A result line read: its indentation, name parts and outcome. */
export interface TapResult {
  indent: number;
  number: number | null;
  description: string;
  outcome: Outcome;
  /** The directive's text (`# SKIP text`), '' when none. */
  directiveText: string;
}

/** Reads `ok 3 - name # SKIP why`; null when the line is no result. */
export function tapResult(text: string): TapResult | null {
  const m = RESULT.exec(text);
  if (m === null) return null;
  const ok = m[2] === 'ok';
  let rest = m[4] ?? '';
  let outcome: Outcome = ok ? 'passed' : 'failed';
  let directiveText = '';
  const d = DIRECTIVE.exec(rest);
  if (d !== null) {
    const skip = d[1].toLowerCase() === 'skip';
    outcome = skip ? 'skipped' : ok ? 'xpass' : 'xfail';
    directiveText = d[2].trim();
    rest = rest.slice(0, d.index);
  }
  const description = rest.replace(/^-\s*/, '').trim();
  return { indent: m[1].length, number: m[3] === undefined ? null : Number(m[3]), description, outcome, directiveText };
}

export class TapAdapter implements Adapter {
  readonly name = 'tap' as const;
  private structureSeen = false;
  /** The stream has a plan, results, or is over (trailing plan, bail out). */
  private planned = false;
  private results = 0;
  private closed = false;
  private announced: Announced[] = [];
  /** Indentations of the results since a shallower one, increasing: a deeper top means subtests ran. */
  private levels: number[] = [];
  /** Inside a YAML block: the indentation of its `---`. */
  private yaml: number | null = null;
  /** Records were read since the last result line. */
  private active = false;

  line(text: string, _lineNo: number, out: HarnessEvent[]): void {
    this.read(text, out);
    out.push({ type: 'input', lane: MAIN_LANE, text });
  }

  private read(text: string, out: HarnessEvent[]): void {
    const c = text.charCodeAt(0);
    if (this.yaml !== null) {
      if (text.trim() === '...') this.yaml = null;
      return;
    }
    if (c === 0x6f /* o */ || c === 0x6e /* n */ || c === 0x20) {
      const r = tapResult(text);
      // a numberless `ok` counts only inside a stream already recognised
      if (r !== null && (r.number !== null || this.structureSeen)) return this.result(r, out);
    }
    if (c === 0x31 /* 1 */ || c === 0x20) {
      const p = PLAN.exec(text);
      if (p !== null) return this.plan(p[1].length, Number(p[2]), out);
    }
    if (c === 0x23 /* # */ || c === 0x20) {
      const s = SUBTEST.exec(text);
      if (s !== null) {
        if (this.announced.length < MAX_DEPTH) this.announced.push({ indent: s[1].length, name: (s[2] ?? '').trim() });
        return;
      }
    }
    if (c === 0x20 && this.structureSeen && text.trim() === '---') {
      this.yaml = text.length - 3;
      return;
    }
    if (c === 0x54 /* T */ && VERSION.test(text)) {
      this.structureSeen = true;
      if (this.planned || this.results > 0 || this.closed) this.newStream(out);
      return;
    }
    if (c === 0x42 /* B */ || c === 0x20) {
      if (this.structureSeen && BAIL_OUT.test(text)) {
        this.closed = true;
        this.active = false;
        out.push({ type: 'test-end', lane: MAIN_LANE, outcome: null });
      }
    }
  }

  private plan(indent: number, count: number, out: HarnessEvent[]): void {
    if (indent > 0) return; // a subtest's plan
    this.structureSeen = true;
    if (this.closed || this.planned) this.newStream(out);
    if (this.results > 0) this.closed = true; // a trailing plan ends its stream
    else this.planned = true;
    out.push({ type: 'plan', count });
  }

  private result(r: TapResult, out: HarnessEvent[]): void {
    this.structureSeen = true;
    if (r.indent === 0 && (this.closed || (r.number === 1 && this.results > 0 && !this.planned))) this.newStream(out);
    if (r.indent === 0) this.results++;
    const ownName = r.description || r.directiveText || `#${r.number ?? this.results}`;
    const levels = this.levels;
    const hadSubtests = levels.length > 0 && levels[levels.length - 1] > r.indent;
    while (levels.length > 0 && levels[levels.length - 1] >= r.indent) levels.pop();
    levels.push(r.indent);
    // announcements deeper than this line belong to subtests that are over
    while (this.announced.length > 0 && this.announced[this.announced.length - 1].indent > r.indent) this.announced.pop();
    const top = this.announced[this.announced.length - 1];
    if (top !== undefined && top.indent === r.indent && top.name === ownName) this.announced.pop(); // node:test announces each test
    const name = [...this.announced.map((a) => a.name).filter((n) => n !== ''), ownName].join('::');
    if (hadSubtests && !this.active) return; // its subtests were the tests
    this.active = false;
    out.push({ type: 'test-end', lane: MAIN_LANE, outcome: r.outcome, name });
  }

  private newStream(out: HarnessEvent[]): void {
    out.push({ type: 'session-start' });
    this.planned = false;
    this.results = 0;
    this.closed = false;
    this.announced = [];
    this.levels = [];
    this.active = false;
  }

  /** `NAME:` is no result (`ok`/`not ok` and a space), plan, comment, version or bail-out; inside YAML only `...` counts. */
  quiet(): boolean {
    return true;
  }

  activity(): void {
    this.active = true;
  }

  end(): void {}

  seen(): 'tap'[] {
    return this.structureSeen ? [this.name] : [];
  }
}
