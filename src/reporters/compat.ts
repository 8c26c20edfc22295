/**
 * `--compat`: the reference Python script's output and exit status, byte for
 * byte (SPEC §5.2). This is its own small engine, not a view of the native
 * analysis: the reference reads lines differently (only lines that start with
 * the emulator prefix, node ids only when they hold `test_`, `::` and `[`),
 * and scripts parsing its output depend on exactly that. Where the reference
 * would crash, a diagnostic is collected and the line is skipped.
 */
import type { Diagnostic } from '../analyzer/types.js';
import { EMULATOR_PREFIX, MARKER } from '../protocol/records.js';

/** colorama's codes, as the reference prints them with `--colors`. */
const COLORAMA = {
  fg_green: '\x1b[32m',
  fg_red: '\x1b[31m',
  all_reset: '\x1b[39m\x1b[49m',
  fg_yellow: '\x1b[33m',
  fg_blue: '\x1b[34m',
  bg_white: '\x1b[47m',
};
const NO_COLORS: typeof COLORAMA = {
  fg_green: '',
  fg_red: '',
  all_reset: '',
  fg_yellow: '',
  fg_blue: '',
  bg_white: '',
};

/** Python's `str.isspace()` characters, for `rstrip()`/`strip()`. */
const PY_SPACE = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_RSTRIP = new RegExp(PY_SPACE + '+$');
const PY_STRIP = new RegExp('^' + PY_SPACE + '+|' + PY_SPACE + '+$', 'g');
const PY_INT10 = /^[+-]?[0-9](?:_?[0-9])*$/;
const PY_INT0 = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)$/;

/** Python's `int(text)`; undefined where Python raises ValueError. */
export function pyInt10(text: string): number | undefined {
  const s = text.replace(PY_STRIP, '');
  return PY_INT10.test(s) ? Number(s.replace(/_/g, '')) : undefined;
}

/** Python's `int(text, base=0)`; undefined where Python raises ValueError. */
export function pyInt0(text: string): number | undefined {
  const s = text.replace(PY_STRIP, '').replace(/_/g, '');
  if (!PY_INT0.test(text.replace(PY_STRIP, ''))) return undefined;
  const negative = s.startsWith('-');
  const body = s.replace(/^[+-]/, '');
  const n = /^0[0-9]/.test(body) ? 0 : Number(body);
  return negative ? -n : n;
}

/**
 * Python's `format(x, '.2f')`: the exact binary value rounded half to even.
 * `toFixed` rounds exact ties away from zero; the only ties at two decimals
 * are values whose 8× is an odd integer (x = k/8), handled here.
 */
export function pyFormat2f(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const mag = Math.abs(x);
  const eighths = mag * 8;
  let text: string;
  if (Number.isInteger(eighths) && eighths % 2 === 1 && mag < 1e15) {
    const hundredths = mag * 100; // exactly k + 0.5
    const down = Math.floor(hundredths);
    const even = down % 2 === 0 ? down : down + 1;
    const s = String(even).padStart(3, '0');
    text = `${s.slice(0, -2)}.${s.slice(-2)}`;
  } else {
    text = mag.toFixed(2);
  }
  return x < 0 || Object.is(x, -0) ? '-' + text : text;
}

/** Python's `'%.08x' % n`. */
function pyHex8(n: number): string {
  const hex = Math.abs(n).toString(16).padStart(8, '0');
  return n < 0 ? '-' + hex : hex;
}

interface Allocation {
  size: number;
  site: string;
}

/** The reference's per-segment state. */
class Memory {
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

export interface CompatOptions {
  quiet: boolean;
  colors: boolean;
}

export class CompatEngine {
  private readonly c: typeof COLORAMA;
  private readonly quiet: boolean;
  private mem: Memory | null = null;
  private nbTests: number | undefined;
  private testNb = 0;
  private testName = '';
  private lastPrintedName = '';
  private globalMax = 0;
  private failed = false;
  readonly diagnostics: Diagnostic[] = [];

  constructor(options: CompatOptions) {
    this.c = options.colors ? COLORAMA : NO_COLORS;
    this.quiet = options.quiet;
  }

  /** The reference's exit status so far. */
  get exitCode(): 0 | 1 {
    return this.failed ? 1 : 0;
  }

  /** Feeds one raw line; returns what the reference prints for it. */
  line(raw: string, lineNo: number): string {
    // Python's text mode ends lines at \r\n, and at a lone \r too (universal newlines).
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\r')) {
      let out = '';
      for (const part of raw.split('\r')) out += this.one(part, lineNo);
      return out;
    }
    return this.one(raw, lineNo);
  }

  private one(raw: string, lineNo: number): string {
    let line = raw.replace(PY_RSTRIP, '');
    if (line.startsWith('collecting')) line = line.replaceAll('collecting ... ', '');
    if (line.startsWith('collected')) {
      const words = line.split(' ');
      const n = words.length >= 2 ? pyInt10(words[words.length - 2]) : undefined;
      if (n === undefined) this.crash(lineNo, `cannot read the test count in "${line}"`);
      else this.nbTests = n;
      return line + '\n';
    }
    if (line.includes('test_') && line.includes('::') && line.includes('[')) {
      this.testNb++;
      if (this.nbTests === undefined) this.crash(lineNo, 'test line before any "collected N items" line');
      this.testName = `[${this.testNb}/${this.nbTests ?? '?'}] - ${line.split(' ')[0]}`;
      return '';
    }
    if (!line.startsWith(EMULATOR_PREFIX) || !line.startsWith(MARKER, EMULATOR_PREFIX.length)) return '';
    const words = line.slice(EMULATOR_PREFIX.length + MARKER.length).split(';');
    if (words.length <= 2) {
      this.crash(lineNo, `record with fewer than 3 fields: "${words.join(';')}"`);
      return '';
    }
    switch (words[0]) {
      case 'init': {
        const addr = pyInt0(words[1]);
        const size = pyInt0(words[2]);
        if (addr === undefined || size === undefined) {
          this.crash(lineNo, 'init record with a number Python cannot read');
          return '';
        }
        const out = this.mem ? this.summary(this.mem, this.testName === this.mem.testName) : '';
        this.mem = new Memory(size, this.testName);
        return out;
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
        return '';
      }
      case 'free': {
        const mem = this.mem;
        if (!mem) return this.crash(lineNo, 'free record before any init');
        const ptr = pyInt0(words[1]);
        if (ptr === undefined) return this.crash(lineNo, 'free record with a number Python cannot read');
        mem.free(ptr, words[2]);
        return '';
      }
      default:
        return this.crash(lineNo, `unknown record kind "${words[0]}"`);
    }
  }

  /** The end of input: the last summary and the global one. */
  finish(): string {
    const c = this.c;
    if (!this.mem) return `${c.fg_red}No memory profiling was found.${c.all_reset}\n`;
    let out = this.summary(this.mem, false);
    out += `\n${c.fg_red}${c.bg_white}=== Global ===${c.all_reset}\n`;
    out += `${c.fg_yellow}Higher Max overtime = ${this.globalMax} bytes${c.all_reset}\n\n`;
    return out;
  }

  private summary(mem: Memory, reclaimed: boolean): string {
    const c = this.c;
    const quiet = this.quiet;
    const name = mem.testName !== '' && mem.testName !== this.lastPrintedName ? mem.testName : '';
    let out = '';
    if (!quiet || name !== '' || mem.freeErrors.length > 0 || mem.allocs.size > 0) out += '\n';
    if (name !== '') {
      out += `${c.fg_blue}${c.bg_white}${name}${c.all_reset}\n`;
      this.lastPrintedName = name;
    }
    if (mem.freeErrors.length === 0) {
      if (!quiet) out += `${c.fg_green}No memory free errors detected, congrats!${c.all_reset}\n`;
    } else {
      out += `${c.fg_red}Free without malloc, or double free detected:\n`;
      for (const site of mem.freeErrors) out += `- ${site}\n`;
      out += c.all_reset;
    }
    if (mem.allocs.size === 0) {
      if (!quiet) out += `${c.fg_green}No memory leak detected, congrats!${c.all_reset}\n`;
    } else {
      out += reclaimed
        ? `${c.fg_yellow}Memory leaks (warning, reclaimed by heap reset):\n`
        : `${c.fg_red}Memory leaks:\n`;
      for (const [addr, a] of mem.allocs) out += `- [0x${pyHex8(addr)}] ${a.size} bytes from ${a.site}\n`;
      out += c.all_reset;
    }
    this.globalMax = Math.max(this.globalMax, mem.max);
    if (!quiet) {
      out += '=== Summary ===\n';
      out += `Total overtime = ${mem.overtime} bytes\n`;
      const pct = mem.size === 0 ? Number.NaN : (mem.max / mem.size) * 100;
      if (mem.size === 0) this.crash(0, 'heap size 0: the reference divides by zero here');
      const info = `Max overtime = ${mem.max} bytes (${pyFormat2f(pct)}% full)`;
      out += pct > 90 ? `${c.fg_yellow}${info}${c.all_reset}\n` : `${info}\n`;
      out += `Allocations = ${mem.count}\n`;
      if (mem.persists.size > 0) {
        out += `${c.fg_yellow}Persistent memory allocations:\n`;
        for (const p of mem.persists.values()) out += `- ${p.size} bytes from ${p.site}\n`;
        out += c.all_reset;
      }
    }
    if ((reclaimed ? 0 : mem.allocs.size) + mem.freeErrors.length > 0) this.failed = true;
    return out;
  }

  private crash(line: number, message: string): string {
    this.diagnostics.push({ line, kind: 'compat', message: `${message} (the reference crashes here; line skipped)` });
    return '';
  }
}
