/**
 * `--compat`: the reference Python script's output and exit status, byte for
 * byte (SPEC §5.2), formatted from the reference model's events
 * (`src/analyzer/reference.ts`) as they stream.
 */
import { ReferenceModel, type Memory, type ReferenceEvent } from '../analyzer/reference.js';

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

export interface CompatOptions {
  quiet: boolean;
  colors: boolean;
}

/** The reference's output, line by line, and its exit status. */
export class CompatEngine {
  private readonly c: typeof COLORAMA;
  private readonly quiet: boolean;
  private readonly model = new ReferenceModel();
  private readonly events: ReferenceEvent[] = [];
  private lastPrintedName = '';
  private failed = false;

  constructor(options: CompatOptions) {
    this.c = options.colors ? COLORAMA : NO_COLORS;
    this.quiet = options.quiet;
  }

  get diagnostics() {
    return this.model.diagnostics;
  }

  /** The reference's exit status so far. */
  get exitCode(): 0 | 1 {
    return this.failed ? 1 : 0;
  }

  /** Feeds one raw line; returns what the reference prints for it. */
  line(raw: string, lineNo: number): string {
    this.events.length = 0;
    this.model.line(raw, lineNo, this.events);
    return this.print();
  }

  /** The end of input: the last summary and the global one. */
  finish(): string {
    this.events.length = 0;
    this.model.finish(this.events);
    return this.print();
  }

  private print(): string {
    const c = this.c;
    let out = '';
    for (const e of this.events) {
      switch (e.kind) {
        case 'echo':
          out += e.text + '\n';
          break;
        case 'segment':
          out += this.summary(e.memory, e.reclaimed);
          break;
        case 'none':
          out += `${c.fg_red}No memory profiling was found.${c.all_reset}\n`;
          break;
        case 'global':
          out += `\n${c.fg_red}${c.bg_white}=== Global ===${c.all_reset}\n`;
          out += `${c.fg_yellow}Higher Max overtime = ${e.max} bytes${c.all_reset}\n\n`;
          break;
      }
    }
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
    if (!quiet) {
      out += '=== Summary ===\n';
      out += `Total overtime = ${mem.overtime} bytes\n`;
      const pct = mem.size === 0 ? Number.NaN : (mem.max / mem.size) * 100;
      if (mem.size === 0) this.model.crash(0, 'heap size 0: the reference divides by zero here');
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
}
