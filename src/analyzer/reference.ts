/**
 * The reference Python script's analysis, as it really behaves (SPEC §5.2),
 * for `--compat`: its own small model, not a view of the native analysis.
 * It reads lines differently (only lines that start with the emulator
 * prefix, node ids only when they hold `test_`, `::` and `[`), keeps one
 * segment at a time and closes it at each `init`; scripts parsing its output
 * depend on exactly that. Where the reference would crash, a diagnostic is
 * collected and the line is skipped. What it prints is the compat
 * reporter's (`src/reporters/compat.ts`).
 */
import type { Diagnostic } from './facts.js';
import { EMULATOR_PREFIX, MARKER } from '../protocol/records.js';

/** Python's `str.isspace()` characters, for `rstrip()`/`strip()`. */
const PY_SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_RSTRIP = new RegExp(PY_SPACE + '+$');
const PY_STRIP = new RegExp('^' + PY_SPACE + '+|' + PY_SPACE + '+$', 'g');
const PY_INT10 = /^[+-]?[0-9](?:_?[0-9])*$/;
const PY_INT0 = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)$/;

/** Python's `int(text)`; undefined where Python raises ValueError. */
function pyInt10(text: string): number | undefined {
  const s = text.replace(PY_STRIP, '');
  return PY_INT10.test(s) ? Number(s.replace(/_/g, '')) : undefined;
}

/** Python's `int(text, base=0)`; undefined where Python raises ValueError. */
function pyInt0(text: string): number | undefined {
  const s = text.replace(PY_STRIP, '').replace(/_/g, '');
  if (!PY_INT0.test(text.replace(PY_STRIP, ''))) return undefined;
  const negative = s.startsWith('-');
  const body = s.replace(/^[+-]/, '');
  const n = /^0[0-9]/.test(body) ? 0 : Number(body);
  return negative ? -n : n;
}

export interface Allocation {
  size: number;
  site: string;
}

/** The reference's per-segment state. */
export class Memory {
  readonly allocs = new Map<number, Allocation>();
  readonly persists = new Map<number, Allocation>();
  readonly freeErrors: string[] = [];
  overtime = 0;
  max = 0;
  current = 0;
  count = 0;

  constructor(
    readonly size: number,
    readonly testName: string,
  ) {}

  alloc(ptr: number, size: number, site: string, persist: boolean): void {
    if (ptr === 0) return; // a NULL return is no block: the reference skips it (§2)
    (persist ? this.persists : this.allocs).set(ptr, { size, site });
    this.current += size;
    this.max = Math.max(this.max, this.current);
    this.overtime += size;
    this.count++;
  }

  free(ptr: number, site: string): void {
    const a = this.allocs.get(ptr);
    if (a) {
      this.current -= a.size;
      this.allocs.delete(ptr);
      return;
    }
    const p = this.persists.get(ptr);
    if (p) {
      this.current -= p.size;
      this.persists.delete(ptr);
      return;
    }
    this.freeErrors.push(site);
  }
}

/** What the reference prints, as events for the compat reporter. */
export type ReferenceEvent =
  /** A line it echoes (`collected N items`). */
  | { kind: 'echo'; text: string }
  /** A segment closed; `reclaimed`: by an init within the test that opened it. */
  | { kind: 'segment'; memory: Memory; reclaimed: boolean }
  /** The end: no init at all. */
  | { kind: 'none' }
  /** The end: the highest segment peak. */
  | { kind: 'global'; max: number };

export class ReferenceModel {
  private mem: Memory | null = null;
  private nbTests: number | undefined;
  private testNb = 0;
  private testName = '';
  private globalMax = 0;
  readonly diagnostics: Diagnostic[] = [];

  /** Feeds one raw line; pushes what it makes the reference print. */
  line(raw: string, lineNo: number, out: ReferenceEvent[]): void {
    // Python's text mode ends lines at \r\n, and at a lone \r too (universal newlines).
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\r')) {
      for (const part of raw.split('\r')) this.one(part, lineNo, out);
      return;
    }
    this.one(raw, lineNo, out);
  }

  private one(raw: string, lineNo: number, out: ReferenceEvent[]): void {
    let line = raw.replace(PY_RSTRIP, '');
    if (line.startsWith('collecting')) line = line.replaceAll('collecting ... ', '');
    if (line.startsWith('collected')) {
      const words = line.split(' ');
      const n = words.length >= 2 ? pyInt10(words[words.length - 2]) : undefined;
      if (n === undefined) this.crash(lineNo, `cannot read the test count in "${line}"`);
      else this.nbTests = n;
      out.push({ kind: 'echo', text: line });
      return;
    }
    if (line.includes('test_') && line.includes('::') && line.includes('[')) {
      this.testNb++;
      if (this.nbTests === undefined) this.crash(lineNo, 'test line before any "collected N items" line');
      this.testName = `[${this.testNb}/${this.nbTests ?? '?'}] - ${line.split(' ')[0]}`;
      return;
    }
    if (!line.startsWith(EMULATOR_PREFIX) || !line.startsWith(MARKER, EMULATOR_PREFIX.length)) return;
    const words = line.slice(EMULATOR_PREFIX.length + MARKER.length).split(';');
    if (words.length <= 2) {
      this.crash(lineNo, `record with fewer than 3 fields: "${words.join(';')}"`);
      return;
    }
    switch (words[0]) {
      case 'init': {
        const addr = pyInt0(words[1]);
        const size = pyInt0(words[2]);
        if (addr === undefined || size === undefined) {
          this.crash(lineNo, 'init record with a number Python cannot read');
          return;
        }
        if (this.mem) this.close(this.mem, this.testName === this.mem.testName, out);
        this.mem = new Memory(size, this.testName);
        return;
      }
      case 'alloc':
      case 'persist': {
        const mem = this.mem;
        if (!mem) return this.crash(lineNo, `${words[0]} record before any init`);
        if (words.length < 4) return this.crash(lineNo, `${words[0]} record without a call site`);
        const ptr = pyInt0(words[2]);
        const size = pyInt0(words[1]);
        if (ptr === undefined || size === undefined) return this.crash(lineNo, `${words[0]} record with a number Python cannot read`);
        mem.alloc(ptr, size, words[3], words[0] === 'persist');
        return;
      }
      case 'free': {
        const mem = this.mem;
        if (!mem) return this.crash(lineNo, 'free record before any init');
        const ptr = pyInt0(words[1]);
        if (ptr === undefined) return this.crash(lineNo, 'free record with a number Python cannot read');
        mem.free(ptr, words[2]);
        return;
      }
      default:
        return this.crash(lineNo, `unknown record kind "${words[0]}"`);
    }
  }

  private close(mem: Memory, reclaimed: boolean, out: ReferenceEvent[]): void {
    this.globalMax = Math.max(this.globalMax, mem.max);
    out.push({ kind: 'segment', memory: mem, reclaimed });
  }

  /** The end of input: the last segment and the global summary. */
  finish(out: ReferenceEvent[]): void {
    if (!this.mem) {
      out.push({ kind: 'none' });
      return;
    }
    this.close(this.mem, false, out);
    out.push({ kind: 'global', max: this.globalMax });
  }

  /** Where the reference would crash (also when printing a summary: a 0-byte heap). */
  crash(line: number, message: string): void {
    this.diagnostics.push({ line, kind: 'compat', message: `${message} (the reference crashes here; line skipped)` });
  }
}
