/**
 * The analysis state machine (SPEC §4): fed line events in order, it keeps
 * the open heap segment's live blocks and the tests seen, and hands each test
 * to `onTest` as soon as nothing that happens later can change it. Memory
 * depends on live blocks and tests, never on log length: each test keeps a
 * fixed-size timeline.
 */
import { formatAddress, MARKER, newRecordFields, readRecord, recordSite, toFields, type MemRecord, type RecordFields } from '../protocol/records.js';
import type { LineEvent } from './parse-line.js';
import { contentEnd, parseLine, RECORD_LINE_PREFIX } from './parse-line.js';
import { copyString } from './intern.js';
import { TimelineSampler } from './timeline.js';
import { addTest, blankTest, emptyTotals, leakSites } from './totals.js';
import type {
  AnalysisResult,
  Block,
  Diagnostic,
  DiagnosticKind,
  Outcome,
  TestResult,
  Totals,
} from './types.js';

export interface AnalyzerOptions {
  /** Called once per test, in order, as soon as the test is final. */
  onTest?: (test: TestResult) => void;
  /** Points kept per test timeline: between N and 2N + 1 (default N = 60). */
  timelinePoints?: number;
}

/**
 * A block of the open segment: live, or freed (kept to name a double free).
 * Its sites stay positions in their log lines until a report needs them:
 * most blocks are freed in their test and their sites are never read.
 */
interface LiveBlock {
  /** The address as a map key (see `key`): a small integer, stored without boxing. */
  key: number;
  size: number;
  /** Log line of the alloc. */
  line: number;
  /** The alloc's site is `siteText[siteStart, siteEnd)`. */
  siteText: string;
  siteStart: number;
  siteEnd: number;
  /** Whether `siteText` is the site alone, copied flat (see copyString). */
  flat: boolean;
  test: TestState;
  persistent: boolean;
  freed: boolean;
  /** Once freed: the free's site, `freeText[freeStart, freeEnd)`. */
  freeText: string;
  freeStart: number;
  freeEnd: number;
}

/** The allocation site of a block, as a string safe to keep. */
function allocSite(b: LiveBlock): string {
  return b.flat ? b.siteText : copyString(b.siteText.slice(b.siteStart, b.siteEnd));
}

/** Makes a block's site a flat string of its own (it no longer pins its log line). */
function flatten(b: LiveBlock): void {
  if (b.flat) return;
  b.siteText = allocSite(b);
  b.siteStart = 0;
  b.siteEnd = b.siteText.length;
  b.flat = true;
}

interface Segment {
  /** Sequence number: tests remember segments by it, not by reference. */
  id: number;
  heapSize: number | null;
  /** The test current when the segment started (null: outside any test). */
  owner: TestState;
  /**
   * Blocks by address, live or freed: a freed one stays until its address is
   * reused, to tell a double free (named with its sites) from an invalid one.
   */
  blocks: Map<number, LiveBlock>;
  current: number;
  peak: number;
}

/** A test under analysis: its public result plus bookkeeping. */
interface TestState {
  result: TestResult;
  /** Non-persistent blocks of this test still live in the open segment. */
  liveBlocks: number;
  ended: boolean;
  /** Plain-mode test opened by a module line or result character, not yet seen doing anything. */
  tentative: boolean;
  /** Id of the last segment this test ran in (to count segments once each). */
  lastSegment: number;
  /** Highest live bytes seen while this test ran in that segment. */
  segmentPeak: number;
  /** Module of a plain-mode test (`PATH #k`), to give its number back if it is dropped. */
  plainPath: string | null;
  sampler: TimelineSampler;
}

/**
 * Map key for an address: 32-bit addresses (all of them on the SDK's
 * targets) become small integers, which V8 hashes without boxing; wider
 * ones stay as they are and cannot collide with those.
 */
function key(address: number): number {
  return address <= 0xffffffff ? address | 0 : address;
}

/** The address a key stands for. */
function addressOf(k: number): number {
  return k < 0 ? k + 0x100000000 : k;
}


function percentOf(bytes: number, heapSize: number | null): number | null {
  return heapSize === null || heapSize <= 0 ? null : (bytes / heapSize) * 100;
}

const MAX_DIAGNOSTICS = 1000;
/** Sampler of a finished test: takes nothing, holds nothing. */
const FINISHED = new TimelineSampler(0);
/** What sends a record line down the general path (searched in its free-text tail). */
const NOT_PLAIN = new RegExp(`[\x1b\x9b]|\r(?!$)|${MARKER}`, 'g');
/** The hot-path test (a compiled regexp beats startsWith on V8 here, 4× on sliced strings). */
const RECORD_LINE = new RegExp('^' + RECORD_LINE_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

export class Analyzer {
  private readonly onTest?: (test: TestResult) => void;
  private readonly timelinePoints: number;

  private readonly tests: TestState[] = [];
  private readonly byName = new Map<string, TestState>();
  /** Ended tests not yet handed out, in order. */
  private readonly queue: TestState[] = [];
  private current: TestState | null = null;
  private segment: Segment | null = null;
  private collected: number | null = null;
  private namedTests = 0;
  private readonly diagnostics: Diagnostic[] = [];
  private diagnosticsDropped = 0;
  private source: string | null = null;
  private recordsSeen = false;
  private noInitReported = false;
  private lastLine = 0;
  private readonly totals = emptyTotals();
  /** Scratch for the record being handled (records are read in place). */
  private readonly fields = newRecordFields();
  /** Plain (non -v) pytest: the module whose tests are numbered `PATH #k`. */
  private plainModule: string | null = null;
  private readonly plainCounters = new Map<string, number>();
  /** This session printed node ids (`pytest -v`): result characters are not boundaries. */
  private verbose = false;
  /**
   * pytest has closed its test phase (FAILURES, warnings summary, the tally):
   * node ids there name tests already run, they start none.
   */
  private afterTests = false;

  constructor(options: AnalyzerOptions = {}) {
    this.onTest = options.onTest;
    this.timelinePoints = options.timelinePoints ?? 60;
  }

  /** Feeds one raw line (without its newline). */
  line(raw: string, lineNo: number): void {
    // Hot path, same result as parseLine: most lines are one plain emulator
    // record. Its fixed fields parse only if they are clean, so only the
    // free-text tail (site or name) is searched for what needs the general
    // path: ANSI codes, a carriage return inside, a second record.
    if (RECORD_LINE.test(raw)) {
      const f = this.fields;
      if (readRecord(raw, RECORD_LINE_PREFIX.length, contentEnd(raw), f) === null) {
        NOT_PLAIN.lastIndex = f.kind === 'init' ? raw.length : f.kind === 'test' ? RECORD_LINE_PREFIX.length : f.siteStart;
        if (!NOT_PLAIN.test(raw)) {
          this.record(f, lineNo);
          this.lastLine = lineNo;
          return;
        }
      }
    }
    const events = parseLine(raw, lineNo);
    for (let i = 0; i < events.length; i++) this.event(events[i]);
    this.lastLine = lineNo;
  }

  event(e: LineEvent): void {
    switch (e.type) {
      case 'record':
        this.record(fieldsOf(e.record, this.fields), e.line);
        break;
      case 'bad-record':
        this.diagnostic(e.line, 'bad-record', `unparseable record "${truncate(e.text)}": ${e.message}`);
        break;
      case 'collected':
        this.collected = e.count;
        break;
      case 'test-start':
        if (this.afterTests) break;
        this.verbose = true;
        this.plainModule = null;
        // `path::test PASSED` then `path::test ERROR`: a teardown report, same test
        if (this.current?.result.name === e.name) break;
        this.startTest(e.name, e.line, false);
        break;
      case 'outcome':
        this.outcome(e.outcome, e.name);
        break;
      case 'module':
        if (this.afterTests || this.verbose) break;
        this.plainModule = e.path;
        this.startPlainTest(e.line);
        break;
      case 'results':
        if (!this.afterTests && !this.verbose) this.results(e.chars, e.line);
        break;
      case 'session-start':
        this.newSession();
        break;
      case 'session-end':
        this.closeTest();
        this.plainModule = null;
        this.afterTests = true;
        break;
    }
  }

  /**
   * Ends one input among several (log files): it is the end of input for its
   * heap segment and its tests, so the next file starts afresh.
   */
  endSource(): void {
    this.closeSegment(null);
    this.newSession();
  }

  /** A diagnostic found while reading the input rather than in a line (a line cut at --max-line-bytes). */
  note(line: number, kind: DiagnosticKind, message: string): void {
    this.diagnostic(line, kind, message);
  }

  /** Names the input being read, for diagnostics when there are several (line numbers are per input). */
  setSource(name: string | null): void {
    this.source = name;
  }

  /** A new pytest session (or input): numbering and pytest's mode start afresh. */
  private newSession(): void {
    this.closeTest();
    this.plainModule = null;
    this.plainCounters.clear();
    this.namedTests = 0;
    this.collected = null;
    this.verbose = false;
    this.afterTests = false;
  }

  /**
   * pytest without -v: each result character ends the current test and
   * starts the next, except past the announced count, where it is the same
   * test's teardown (`.E`) and what follows is that test's teardown output.
   */
  private results(chars: string, line: number): void {
    if (this.plainModule === null) {
      // `pytest -q`: no module line; what ran so far was the first test
      this.plainModule = '';
      const t = this.current;
      if (t && t.result.name === null) this.adoptAsPlainTest(t);
    }
    for (const ch of chars) {
      if (!this.current) this.startPlainTest(line);
      const t = this.current!;
      t.tentative = false;
      setOutcome(t, RESULT_OUTCOME[ch]);
      if (this.collected === null || this.namedTests < this.collected) this.startPlainTest(line);
    }
  }

  /** Ends the input: closes the open segment (live blocks leak) and every test. */
  finish(): AnalysisResult {
    this.closeSegment(null);
    this.source = null; // what is said from here is about the whole input
    this.closeTest();
    this.flush();
    if (!this.recordsSeen) {
      this.diagnostic(this.lastLine, 'no-profiling', 'no memory-profiling record (==MP …) was found in the input');
    }
    if (this.diagnosticsDropped > 0) {
      this.diagnostics.push({
        line: this.lastLine,
        kind: 'input',
        message: `${this.diagnosticsDropped} more diagnostics not listed`,
      });
    }
    return {
      tests: this.tests.map((t) => t.result),
      totals: this.finalTotals(),
      diagnostics: this.diagnostics,
      leakSites: leakSites(this.tests.map((t) => t.result)),
      recordsSeen: this.recordsSeen,
      linesRead: this.lastLine,
    };
  }

  // ── tests ────────────────────────────────────────────────────────────

  private startTest(name: string | null, line: number, tentative: boolean, plainPath: string | null = null): TestState {
    this.closeTest();
    const index = name === null ? 0 : ++this.namedTests;
    const result = blankTest(name, index, name === null ? null : this.collected, line);
    const t: TestState = {
      result,
      liveBlocks: 0,
      ended: false,
      tentative,
      lastSegment: 0,
      segmentPeak: 0,
      plainPath,
      sampler: new TimelineSampler(this.timelinePoints),
    };
    this.tests.push(t);
    if (name !== null && !this.byName.has(name)) this.byName.set(name, t);
    this.current = t;
    return t;
  }

  private startPlainTest(line: number): void {
    this.closeTest();
    const path = this.plainModule!;
    this.startTest(this.plainName(path), line, true, path);
  }

  /** `PATH #k`, k counting the module's tests (`#k` alone under `pytest -q`). */
  private plainName(path: string): string {
    const k = (this.plainCounters.get(path) ?? 0) + 1;
    this.plainCounters.set(path, k);
    return path === '' ? `#${k}` : `${path} #${k}`;
  }

  /** Activity seen before the first result character of `pytest -q` was its first test's. */
  private adoptAsPlainTest(t: TestState): void {
    const name = this.plainName('');
    t.result.name = name;
    t.result.index = ++this.namedTests;
    t.result.total = this.collected;
    t.plainPath = '';
    if (!this.byName.has(name)) this.byName.set(name, t);
  }

  /** Ends the current test; a tentative one that did nothing was never a test. */
  private closeTest(): void {
    const t = this.current;
    if (!t) return;
    this.current = null;
    if (t.tentative) {
      // Only the last test can be tentative: forget it and its number.
      this.tests.pop();
      this.namedTests--;
      const path = t.plainPath;
      if (path !== null) this.plainCounters.set(path, (this.plainCounters.get(path) ?? 1) - 1);
      if (t.result.name !== null && this.byName.get(t.result.name) === t) this.byName.delete(t.result.name);
      return;
    }
    t.ended = true;
    if (t.liveBlocks > 0) this.keepSites(t);
    this.queue.push(t);
    this.flush();
  }

  /**
   * Blocks that outlive their test get flat copies of their sites: a slice
   * would pin the chunk of log it was read from for as long as it lives.
   */
  private keepSites(t: TestState): void {
    const seg = this.segment;
    if (!seg) return;
    for (const block of seg.blocks.values()) {
      if (block.test === t && !block.freed) flatten(block);
    }
  }

  /** The test activity belongs to; activity outside any test gets an unnamed one. */
  private active(line: number): TestState {
    let t = this.current;
    if (!t) t = this.startTest(null, line, false);
    t.tentative = false;
    return t;
  }

  private outcome(outcome: Outcome, name: string | undefined): void {
    if (name !== undefined) {
      // the summary form names its test; it never changes which test runs
      const t = this.byName.get(name);
      if (t) setOutcome(t, outcome);
      return;
    }
    if (this.current) {
      this.current.tentative = false;
      setOutcome(this.current, outcome);
    }
  }

  /** Hands out ended tests, in order, once none of their blocks is still live. */
  private flush(): void {
    while (this.queue.length > 0) {
      const t = this.queue[0];
      if (t.liveBlocks > 0) return;
      this.queue.shift();
      this.finalizeTest(t);
    }
  }

  private finalizeTest(t: TestState): void {
    t.result.timeline.points = t.sampler.points();
    t.sampler = FINISHED; // its buffers are not needed any more
    this.onTest?.(t.result);
  }

  // ── records ──────────────────────────────────────────────────────────

  private record(r: RecordFields, line: number): void {
    this.recordsSeen = true;
    switch (r.kind) {
      case 'init': {
        const t = this.active(line);
        this.closeSegment(t);
        this.openSegment(t, r.size, line);
        break;
      }
      case 'alloc':
      case 'persist': {
        if (r.address === 0) return; // a NULL return is not a live block
        const t = this.active(line);
        const seg = this.ensureSegment(t, line);
        const k = key(r.address);
        const old = seg.blocks.get(k);
        if (old !== undefined && !old.freed) {
          // The allocator never hands out a live block: a free record was lost.
          this.diagnostic(
            line,
            'live-address',
            `${r.kind} at ${formatAddress(r.address)}, still live since log line ${old.line} (a free not logged?): the old block is dropped`,
          );
          this.release(seg, old);
        }
        const block: LiveBlock = {
          key: k,
          size: r.size,
          line,
          // a position in the line until the block outlives its test (see keepSites)
          siteText: r.text,
          siteStart: r.siteStart,
          siteEnd: r.siteEnd,
          flat: false,
          test: t,
          persistent: r.kind === 'persist',
          freed: false,
          freeText: '',
          freeStart: 0,
          freeEnd: 0,
        };
        seg.blocks.set(k, block);
        if (block.persistent) {
          flatten(block);
          t.result.persistent.push({ address: r.address, size: r.size, site: block.siteText, line });
        } else {
          t.liveBlocks++;
        }
        seg.current += r.size;
        if (seg.current > seg.peak) seg.peak = seg.current;
        const res = t.result;
        res.allocations++;
        res.totalBytes += r.size;
        this.notePeak(t, seg);
        t.sampler.add(line, seg.current);
        break;
      }
      case 'free': {
        if (r.address === 0) return; // free(NULL) is legal and not logged by the SDK
        const t = this.active(line);
        const seg = this.ensureSegment(t, line);
        this.notePeak(t, seg);
        const block = seg.blocks.get(key(r.address));
        if (block !== undefined && !block.freed) {
          this.release(seg, block);
          block.freed = true;
          block.freeText = r.text;
          block.freeStart = r.siteStart;
          block.freeEnd = r.siteEnd;
        } else {
          const prior = block;
          t.result.freeErrors.push(
            prior
              ? {
                  kind: 'double-free',
                  address: r.address,
                  site: copyString(recordSite(r)),
                  line,
                  allocSite: allocSite(prior),
                  firstFreeSite: copyString(prior.freeText.slice(prior.freeStart, prior.freeEnd)),
                }
              : { kind: 'invalid-free', address: r.address, site: copyString(recordSite(r)), line },
          );
        }
        t.sampler.add(line, seg.current);
        break;
      }
      case 'fail': {
        const t = this.active(line);
        t.result.failedAllocations.push({ size: r.size, site: copyString(recordSite(r)), line });
        break;
      }
      case 'test':
        this.plainModule = null;
        this.startTest(copyString(r.name), line, false);
        break;
    }
  }

  /** Takes a live block's bytes off the segment without judging it (freed, or overwritten). */
  private release(seg: Segment, block: LiveBlock): void {
    seg.current -= block.size;
    if (!block.persistent) {
      block.test.liveBlocks--;
      if (block.test.ended && block.test.liveBlocks === 0) this.flush();
    }
  }

  private notePeak(t: TestState, seg: Segment): void {
    const res = t.result;
    if (t.lastSegment !== seg.id) {
      t.lastSegment = seg.id;
      t.segmentPeak = -1;
      res.segments++;
      t.result.timeline.heapSize = seg.heapSize;
    }
    const current = seg.current;
    if (current <= t.segmentPeak) return;
    t.segmentPeak = current;
    // The test's peak is one segment's — the fullest heap, by percent when the
    // size is known — so its bytes, heap size and percent always agree.
    const pct = percentOf(current, seg.heapSize);
    const fuller = pct !== null ? res.peakPercent === null || pct > res.peakPercent : res.peakPercent === null && current > res.peakBytes;
    if (fuller) {
      res.peakBytes = current;
      res.peakPercent = pct;
      res.heapSize = seg.heapSize;
    }
  }

  private ensureSegment(t: TestState, line: number): Segment {
    if (this.segment) return this.segment;
    if (!this.noInitReported) {
      this.noInitReported = true;
      this.diagnostic(line, 'no-init', 'heap activity before any init record: heap size unknown until the next init');
    }
    return this.openSegment(t, null, line);
  }

  private openSegment(t: TestState, heapSize: number | null, line: number): Segment {
    const seg: Segment = {
      id: this.totals.segments + 1,
      heapSize,
      owner: t,
      blocks: new Map(),
      current: 0,
      peak: 0,
    };
    this.segment = seg;
    this.totals.segments++;
    this.notePeak(t, seg);
    t.sampler.add(line, 0);
    return seg;
  }

  /**
   * Closes the open segment. `at` is the test printing the new `init` (null
   * at the end of input): blocks still live are reclaimed when that is the
   * test that opened the segment, leaks otherwise.
   */
  private closeSegment(at: TestState | null): void {
    const seg = this.segment;
    if (!seg) return;
    this.segment = null;
    if (seg.peak > this.totals.peakBytes) this.totals.peakBytes = seg.peak;
    const pct = percentOf(seg.peak, seg.heapSize);
    if (pct !== null && (this.totals.peakPercent === null || pct > this.totals.peakPercent)) this.totals.peakPercent = pct;
    // Only a named test can reset its own heap: outside any test (no test
    // boundaries seen at all), a block alive at an init is a leak.
    const reclaimed = at !== null && at === seg.owner && seg.owner.result.name !== null;
    for (const block of seg.blocks.values()) {
      if (block.persistent || block.freed) continue;
      const b: Block = { address: addressOf(block.key), size: block.size, site: allocSite(block), line: block.line };
      if (reclaimed) block.test.result.reclaimed.push(b);
      else block.test.result.leaks.push(b);
      block.test.liveBlocks--;
    }
    seg.blocks.clear();
    this.flush();
  }

  private diagnostic(line: number, kind: DiagnosticKind, message: string): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.diagnosticsDropped++;
      return;
    }
    this.diagnostics.push({ line, kind, message: this.source === null ? message : `${this.source}: ${message}` });
  }

  private finalTotals(): Totals {
    for (const t of this.tests) addTest(this.totals, t.result);
    return this.totals;
  }

}

/** Copies a parsed record into the scratch fields. */
function fieldsOf(r: MemRecord, out: RecordFields): RecordFields {
  return toFields(r, out);
}

const RESULT_OUTCOME: Record<string, Outcome> = {
  '.': 'passed',
  F: 'failed',
  E: 'error',
  s: 'skipped',
  x: 'xfail',
  X: 'xpass',
};

/** A later, worse outcome wins: a teardown ERROR after PASSED stays visible. */
function setOutcome(t: TestState, outcome: Outcome): void {
  const prev = t.result.outcome;
  if (prev === null || prev === 'passed') t.result.outcome = outcome;
}

function truncate(text: string): string {
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}
