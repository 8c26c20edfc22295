/**
 * Lines in, facts out: each line is cleaned, read by the harness (the test
 * runner's adapters, §3) into test events, and the records in its input are
 * read (§2) and fed with those events, in order, to the heap tracker (§4).
 *
 *   raw line ─ clean ─▶ harness ─▶ events ──────────────────────▶ tracker
 *                                    └ input ─ records (§2) ──────▶ tracker
 *
 * Hot paths: most lines of a real log are one plain record (`seproxyhal:
 * printf: ==MP alloc;…`). Framed from a file or stream, such a line is read
 * from its bytes (`lineBytes`, byte-front.ts) and a logger's line the
 * harness calls quiet is skipped; given as a string (`line`), its fixed
 * fields are read in place and only its free-text tail is searched for
 * what needs the general path (ANSI codes, a carriage return inside, a
 * second record). Either way the harness is only asked which lane the
 * record belongs to. Same result as the general path, which property tests
 * check.
 */
import { createHarness, type Harness, type HarnessEvent, type HarnessName, type Lane } from '../harness/index.js';
import { cleanLine, lineParts } from '../harness/clean.js';
import { contentEnd, MARKER, newRecordFields, RECORD_LINE_PREFIX, readRecord, sdkErrorRecord, toFields, type RecordFields } from '../protocol/records.js';
import type { AnalysisFacts, TestFacts } from './facts.js';
import { SiteTable } from './sites.js';
import { Tracker, type TrackerOptions } from './tracker.js';
import type { LayoutChoice } from './layout.js';
import { DEFAULT_MAX_LINE_BYTES, LineFramer, longLineMessage } from './frame.js';
import { ByteFront, NO_RECORD, RECORD } from './byte-front.js';

export interface AnalyzerOptions {
  /** Called once per test, in order, as soon as the test is final. */
  onTest?: (test: TestFacts) => void;
  /** Points kept per test timeline (default 60; 0: none). */
  timelinePoints?: number;
  /** The harness to listen to (default `auto`: every adapter, §3.6). */
  harness?: HarnessName | 'auto';
  /** Sites under this directory are reported relative to it (§2.1). */
  root?: string | null;
  /** Layout model (§4.5): `auto` (default), `sdk`, `plain`. */
  layout?: LayoutChoice;
  /** Keep each test's heap map at its peak (the HTML report draws it). */
  heapMaps?: boolean;
  /** Sees every record with its lane and current test (see `TrackerOptions.onRecord`). */
  onRecord?: TrackerOptions['onRecord'];
  /**
   * Read the usual lines from their bytes (`lineBytes`, byte-front.ts;
   * default true). False: every line is a string and takes the general
   * path — the same analysis, which the tests hold the two to.
   */
  byteFrontEnd?: boolean;
}

/** What sends a record line down the general path (searched in its free-text tail). */
const NOT_PLAIN = new RegExp(`[\x1b\x9b]|\r(?!$)|${MARKER}`, 'g');
/** The hot-path tests (a compiled regexp's test beats startsWith on V8 here, 4× on sliced strings; exec would allocate). */
const EMULATOR_RECORD_LINE = new RegExp(`^${RECORD_LINE_PREFIX}`);
const BARE_RECORD_LINE = new RegExp(`^${MARKER}`);
const EMULATOR_RECORD_START = RECORD_LINE_PREFIX.length;

/** The analyzer as a line reader's sink (`Analyzer.sink`). */
export interface AnalyzerSink {
  line(text: string, lineNo: number): void;
  cut(lineNo: number, droppedBytes: number): void;
  bytes: ((buf: Buffer, start: number, end: number, lineNo: number) => boolean) | undefined;
}

export class Analyzer {
  private readonly tracker: Tracker;
  private harness: Harness;
  private readonly harnessName: HarnessName | 'auto';
  private readonly events: HarnessEvent[] = [];
  private readonly pre: HarnessEvent[] = [];
  /** Scratch for the record being handled (records are read in place). */
  private readonly fields: RecordFields = newRecordFields();
  private readonly harnessesSeen: HarnessName[] = [];
  private readonly front: ByteFront | null;
  private lastLine = 0;
  private finished = false;

  constructor(options: AnalyzerOptions = {}) {
    this.harnessName = options.harness ?? 'auto';
    this.harness = createHarness(this.harnessName);
    const sites = new SiteTable(options.root ?? null);
    this.tracker = new Tracker({
      onTest: options.onTest,
      timelinePoints: options.timelinePoints,
      sites,
      layout: options.layout,
      heapMaps: options.heapMaps,
      onRecord: options.onRecord,
    });
    this.front = options.byteFrontEnd === false ? null : new ByteFront(sites);
  }

  /** Whether to give the framer `lineBytes` as its `onBytes` hook (see `byteFrontEnd`). */
  get readsBytes(): boolean {
    return this.front !== null;
  }

  /** What a reader feeds: lines, lines cut at `maxLineBytes`, and — while `readsBytes` — the usual lines as bytes. */
  sink(maxLineBytes: number): AnalyzerSink {
    return {
      line: (text, n) => this.line(text, n),
      cut: (n, dropped) => this.lineCut(n, dropped, maxLineBytes),
      bytes: this.readsBytes ? this.lineBytes.bind(this) : undefined, // bound, not wrapped: a closure per hop cost 2 % on the bench log
    };
  }

  /** A framer feeding this analyzer (see `sink`). */
  framer(maxLineBytes = DEFAULT_MAX_LINE_BYTES): LineFramer {
    const s = this.sink(maxLineBytes);
    return new LineFramer({ maxLineBytes, onLine: s.line, onCut: s.cut, onBytes: s.bytes });
  }

  /**
   * The framer's `onBytes` hook: feeds one line from its bytes when it is a
   * usual record line, or skips it when the harness says it cannot matter;
   * returns false for every other line, which then comes to `line` as a
   * string. Only while `readsBytes`.
   */
  lineBytes(buf: Buffer, start: number, end: number, lineNo: number): boolean {
    const front = this.front!;
    const what = front.read(buf, start, end);
    if (what === RECORD) {
      this.lastLine = lineNo;
      const ev = this.events;
      if (ev.length !== 0) ev.length = 0;
      const lane = this.harness.recordLine(ev);
      for (let i = 0; i < ev.length; i++) this.tracker.event(ev[i], lineNo);
      this.tracker.record(lane, front.fields, lineNo, front.site);
      return true;
    }
    if (what === NO_RECORD && this.harness.quietBytes(buf, start, end)) {
      this.lastLine = lineNo;
      return true;
    }
    return false;
  }

  /** Feeds one raw line (without its newline). */
  line(raw: string, lineNo: number): void {
    this.lastLine = lineNo;
    const c0 = raw.charCodeAt(0);
    const start = c0 === 0x73 /* s */ && EMULATOR_RECORD_LINE.test(raw) ? EMULATOR_RECORD_START : c0 === 0x3d /* = */ && BARE_RECORD_LINE.test(raw) ? MARKER.length : 0;
    if (start !== 0) {
      const f = this.fields;
      if (readRecord(raw, start, contentEnd(raw), f) === null) {
        NOT_PLAIN.lastIndex = f.kind === 'init' || f.kind === 'pool' ? raw.length : f.kind === 'test' ? start : f.siteStart;
        if (f.kind !== 'test' && !NOT_PLAIN.test(raw)) {
          const ev = this.events;
          if (ev.length !== 0) ev.length = 0;
          const lane = this.harness.recordLine(ev);
          for (let i = 0; i < ev.length; i++) this.tracker.event(ev[i], lineNo);
          this.tracker.record(lane, f, lineNo);
          return;
        }
      }
    }
    this.general(raw, lineNo);
  }

  /** The general path: the line cleaned, read by the harness, its records read from its input. */
  private general(raw: string, lineNo: number): void {
    const clean = cleanLine(raw);
    if (clean === '') return;
    for (const part of lineParts(clean)) this.part(part, lineNo);
  }

  private part(text: string, lineNo: number): void {
    const ev = this.events;
    ev.length = 0;
    this.harness.line(text, lineNo, ev);
    // `input` events read records, whose activity may add events: copy first
    const events = ev.slice();
    for (const e of events) {
      if (e.type === 'input') this.input(e.lane, e.text, lineNo);
      else this.tracker.event(e, lineNo);
    }
  }

  /** The records in a lane's output text; several can share a line (printf without a newline). */
  private input(lane: Lane, text: string, lineNo: number): void {
    let at = text.indexOf(MARKER);
    if (at < 0) {
      const c = sdkErrorRecord(text);
      if (c !== null) this.apply(lane, toFields(c, this.fields), lineNo);
      return;
    }
    while (at >= 0) {
      const next = text.indexOf(MARKER, at + MARKER.length);
      const start = at + MARKER.length;
      const end = contentEnd(text, next < 0 ? text.length : next);
      const problem = readRecord(text, start, end, this.fields);
      if (problem !== null) this.tracker.badRecord(lineNo, text.slice(start, Math.min(end, start + 200)), problem);
      else this.apply(lane, this.fields, lineNo);
      at = next;
    }
  }

  private apply(lane: Lane, f: RecordFields, lineNo: number): void {
    if (f.kind !== 'test') {
      const pre = this.pre;
      pre.length = 0;
      this.harness.activity(lane, pre);
      for (let i = 0; i < pre.length; i++) this.tracker.event(pre[i], lineNo);
    }
    this.tracker.record(lane, f, lineNo);
  }

  /** Ends one input among several (log files): the next one starts afresh. */
  endSource(): void {
    this.endHarness();
    this.tracker.endInput();
    this.harness = createHarness(this.harnessName);
  }

  private endHarness(): void {
    const ev: HarnessEvent[] = [];
    this.harness.end(ev);
    for (const e of ev) if (e.type !== 'input') this.tracker.event(e, this.lastLine);
    for (const h of this.harness.seen()) if (!this.harnessesSeen.includes(h)) this.harnessesSeen.push(h);
  }

  /** Names the input being read, for diagnostics when there are several. */
  setSource(name: string | null): void {
    this.tracker.setSource(name);
  }

  /** A line was cut at `--max-line-bytes`: the records before the cut were read. */
  lineCut(lineNo: number, droppedBytes: number, maxLineBytes: number): void {
    this.tracker.diagnostic(lineNo, 'long-line', longLineMessage(maxLineBytes, droppedBytes));
  }

  /** The input ended early (interrupted): the facts say so. */
  interrupted(): void {
    this.tracker.markIncomplete();
  }

  /** Ends the input and returns the facts. Call once: a second call throws. */
  finish(): AnalysisFacts {
    if (this.finished) throw new Error('Analyzer.finish() was already called: the facts are final');
    this.finished = true;
    this.endHarness();
    return this.tracker.finish(this.harnessesSeen, this.lastLine);
  }
}
