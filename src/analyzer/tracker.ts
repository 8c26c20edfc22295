/**
 * The heap tracker (SPEC §4): fed test events (from a harness) and records,
 * in log order, it keeps each heap's open segment, its live blocks and the
 * tests, and hands each test's facts to `onTest` as soon as nothing that
 * happens later can change them. Facts only: what fails is the judge's.
 *
 * Heaps: each lane (a process: the main one, or a CTest test's) has its own
 * heaps — the default one and any named with `@HEAP` — each with its own
 * segments, blocks and peaks; attribution to tests is per lane. Memory
 * depends on live blocks, tests and distinct sites, never on log length.
 */
import { formatAddress, type RecordFields } from '../protocol/records.js';
import type { HarnessEvent, Lane, Outcome } from '../harness/types.js';
import { copyString } from './intern.js';
import { countAlloc, SiteTable, type Site } from './sites.js';
import { TimelineSampler } from './timeline.js';
import { blankTest, type AnalysisFacts, type Block, type Diagnostic, type DiagnosticKind, type HeapUsage, type TestFacts } from './facts.js';
import { PoolTracker } from './pools.js';
import { LayoutModel, type LayoutChoice } from './layout.js';
import { BlockTable, NONE, small } from './block-table.js';

export interface TrackerOptions {
  /** Called once per test, in order, as soon as the test is final. Its facts never change after. */
  onTest?: (test: TestFacts) => void;
  /** Points kept per test timeline: between N and 2N + 1 (0: no timelines). */
  timelinePoints?: number;
  /** Interned call sites (and the census). */
  sites?: SiteTable;
  /** Layout model for §4.5 (default: `auto`, SDK for SDK-shaped addresses). */
  layout?: LayoutChoice;
  /** Keep a heap map of each test's peak (the HTML report draws them). */
  heapMaps?: boolean;
  /**
   * Sees every record as it is read, with the lane's current test (null:
   * outside any test) — for tools that follow the heap traffic themselves
   * (`valground replay`). The fields are reused for the next record.
   */
  onRecord?: (lane: Lane, record: RecordFields, line: number, test: TestFacts | null) => void;
}

/**
 * The blocks of an open segment, live or freed (a freed one is kept to name
 * a double free): per slot its address, size, alloc line, site, the test
 * waiting for it (NONE: persistent) and, once freed, the free's site, by number.
 */
export type Blocks = BlockTable;

export interface HeapState {
  lane: LaneState;
  /** null: the lane's default heap. */
  name: string | null;
  segment: Segment | null;
  /** The slot of this heap's last alloc if no other alloc/free followed it, else -1 (census: temporary allocations). */
  lastAlloc: number;
  layout: LayoutModel | null;
}

export interface Segment {
  /** Sequence number: tests remember segments by it, not by reference. */
  id: number;
  heap: HeapState;
  heapSize: number | null;
  /** Heap start address (from the init record; 0 when unknown). */
  base: number;
  /** The test current when the segment started. */
  owner: TestState;
  /** Blocks by address, live or freed: a freed one stays until its address is reused. */
  blocks: Blocks;
  current: number;
  peak: number;
}

interface LaneState {
  lane: Lane;
  current: TestState | null;
  heaps: Map<string, HeapState>;
  /** `heaps.get('')`, kept at hand. */
  defaultHeap: HeapState | null;
}

/** A test's use of one heap while it runs. */
interface Usage {
  heap: HeapState;
  lastSegment: number;
  /** Highest live bytes seen while the test ran in that segment. */
  segmentPeak: number;
  facts: HeapUsage;
}

export interface TestState {
  /** Its place in the tracker's list of tests (block tables keep tests by number). */
  id: number;
  facts: TestFacts;
  lane: LaneState;
  /** Non-persistent blocks of this test still live. */
  liveBlocks: number;
  ended: boolean;
  handedOut: boolean;
  /** An outcome said after the facts were handed out (summary lines): applied to a copy at the end. */
  lateOutcome: Outcome | null;
  usages: Map<HeapState, Usage>;
  lastUsage: Usage | null;
  sampler: TimelineSampler;
  /** Session the test belongs to (names are looked up per session). */
  session: number;
  /**
   * Blocks live at a heap reset the test printed while it had no name yet:
   * reclaimed once a result line names it (Unity, TAP and `pytest -q` name a
   * test after its output), leaks if it ends unnamed (outside any test).
   */
  pendingReclaim: { block: Block; site: Site }[] | null;
}

const MAX_DIAGNOSTICS = 1000;
/** Sampler of a finished test: takes nothing, holds nothing. */
const FINISHED = new TimelineSampler(0);

function percentOf(bytes: number, heapSize: number | null): number | null {
  return heapSize === null || heapSize <= 0 ? null : (bytes / heapSize) * 100;
}

/** A later, worse outcome wins: a teardown ERROR after PASSED stays visible. */
function worse(prev: Outcome | null, next: Outcome): Outcome {
  return prev === null || prev === 'passed' ? next : prev;
}

function truncate(text: string): string {
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}

export class Tracker {
  private readonly onTest?: (test: TestFacts) => void;
  private readonly timelinePoints: number;
  readonly sites: SiteTable;
  readonly pools: PoolTracker;
  private readonly layoutChoice: LayoutChoice;
  private readonly heapMaps: boolean;
  private readonly onRecord?: TrackerOptions['onRecord'];

  private readonly tests: TestState[] = [];
  /** Ended tests not yet handed out, in order. */
  private readonly queue: TestState[] = [];
  private readonly lanes = new Map<Lane, LaneState>();
  /** Block tables of closed segments, emptied, for the next ones (no table is made per test). */
  private readonly spareBlocks: Blocks[] = [];
  private lastLane: LaneState | null = null;
  private byName = new Map<string, TestState>();
  private session = 0;
  private plan: number | null = null;
  private namedTests = 0;
  private segments = 0;
  private peakBytes = 0;
  private peakPercent: number | null = null;
  private readonly diagnostics: Diagnostic[] = [];
  private diagnosticsDropped = 0;
  private source: string | null = null;
  private recordsSeen = false;
  private unreadRecords = 0;
  private noInitReported = false;
  private finished = false;
  private complete = true;

  constructor(options: TrackerOptions = {}) {
    this.onTest = options.onTest;
    this.timelinePoints = options.timelinePoints ?? 60;
    this.sites = options.sites ?? new SiteTable();
    this.layoutChoice = options.layout ?? 'auto';
    this.heapMaps = options.heapMaps ?? false;
    this.onRecord = options.onRecord;
    this.pools = new PoolTracker(this);
  }

  // ── test events ──────────────────────────────────────────────────────

  /** A harness event other than `input` (that one carries records, see `record`). */
  event(e: HarnessEvent, line: number): void {
    switch (e.type) {
      case 'session-start':
        for (const l of this.lanes.values()) this.endCurrent(l);
        this.session++;
        this.byName = new Map();
        this.namedTests = 0;
        this.plan = null;
        break;
      case 'session-end':
        for (const l of this.lanes.values()) this.endCurrent(l);
        break;
      case 'plan':
        this.plan = e.count;
        break;
      case 'test-start':
        this.startTest(this.lane(e.lane), e.name, line);
        break;
      case 'test-name': {
        const t = this.lane(e.lane).current;
        if (t !== null && t.facts.name === null) this.nameTest(t, e.name);
        break;
      }
      case 'outcome': {
        const t = this.lane(e.lane).current;
        if (t !== null) this.setOutcome(t, e.outcome);
        break;
      }
      case 'outcome-of': {
        const t = this.byName.get(e.name);
        if (t !== undefined) this.setOutcome(t, e.outcome);
        break;
      }
      case 'test-end': {
        const l = this.lane(e.lane);
        let t = l.current;
        if (t === null && (e.name !== undefined || e.outcome !== null)) t = this.startTest(l, e.name ?? null, line);
        if (t === null) break;
        if (e.name !== undefined && t.facts.name === null) this.nameTest(t, e.name);
        if (e.outcome !== null) this.setOutcome(t, e.outcome);
        this.endCurrent(l);
        break;
      }
      case 'lane-end':
        this.endLane(this.lane(e.lane));
        break;
      case 'input':
        break;
    }
  }

  private lane(id: Lane): LaneState {
    // Nearly every record is of the lane before it: skip the map then.
    const last = this.lastLane;
    if (last !== null && last.lane === id) return last;
    let l = this.lanes.get(id);
    if (l === undefined) {
      l = { lane: id, current: null, heaps: new Map(), defaultHeap: null };
      this.lanes.set(id, l);
    }
    this.lastLane = l;
    return l;
  }

  private startTest(l: LaneState, name: string | null, line: number): TestState {
    this.endCurrent(l);
    const facts: TestFacts = blankTest(null, 0, null, line);
    if (l.lane !== '') facts.lane = l.lane;
    const t: TestState = {
      id: this.tests.length,
      facts,
      lane: l,
      liveBlocks: 0,
      ended: false,
      handedOut: false,
      lateOutcome: null,
      usages: new Map(),
      lastUsage: null,
      sampler: this.timelinePoints > 0 ? new TimelineSampler(this.timelinePoints) : FINISHED,
      session: this.session,
      pendingReclaim: null,
    };
    if (name !== null) this.nameTest(t, name);
    this.tests.push(t);
    l.current = t;
    return t;
  }

  private nameTest(t: TestState, name: string): void {
    const own = copyString(name);
    t.facts.name = own;
    t.facts.index = ++this.namedTests;
    t.facts.total = this.plan;
    if (!this.byName.has(own)) this.byName.set(own, t);
    if (t.pendingReclaim !== null) {
      for (const p of t.pendingReclaim) t.facts.reclaimed.push(p.block);
      t.pendingReclaim = null;
    }
  }

  private setOutcome(t: TestState, outcome: Outcome): void {
    if (t.handedOut) t.lateOutcome = worse(t.lateOutcome ?? t.facts.outcome, outcome);
    else t.facts.outcome = worse(t.facts.outcome, outcome);
  }

  /** Ends the lane's current test. */
  private endCurrent(l: LaneState): void {
    const t = l.current;
    if (t === null) return;
    l.current = null;
    if (t.pendingReclaim !== null) {
      // never named: it was activity outside any test, where a reset cannot reclaim
      for (const p of t.pendingReclaim) this.leak(t, p.block, p.site);
      t.pendingReclaim = null;
    }
    t.ended = true;
    this.queue.push(t);
    this.flush();
  }

  /** The test activity in lane `l` belongs to; activity outside any test gets an unnamed one. */
  private active(l: LaneState, line: number): TestState {
    return l.current ?? this.startTest(l, null, line);
  }

  /** Hands out ended tests, in order, once none of their blocks is still live. */
  private flush(): void {
    while (this.queue.length > 0) {
      const t = this.queue[0];
      if (t.liveBlocks > 0) return;
      this.queue.shift();
      this.handOut(t);
    }
  }

  private handOut(t: TestState): void {
    const f = t.facts;
    for (const u of t.usages.values()) u.heap.layout?.settle();
    this.summarize(t);
    f.timeline.points = t.sampler.points();
    t.sampler = FINISHED; // its buffers are not needed any more
    this.pools.finishTest(t);
    t.handedOut = true;
    t.usages = new Map(); // per-heap bookkeeping is done
    t.lastUsage = null;
    this.onTest?.(f);
  }

  /** The test's top-level figures: the default heap, or the only (else the fullest) heap it used. */
  private summarize(t: TestState): void {
    const f = t.facts;
    let top: HeapUsage | null = null;
    const list: HeapUsage[] = [];
    let named = false;
    for (const u of t.usages.values()) {
      const h = u.facts;
      list.push(h);
      if (h.heap !== null) named = true;
      f.segments += h.segments;
      f.allocations += h.allocations;
      f.totalBytes += h.totalBytes;
      if (h.heap === null) top = h;
    }
    if (top === null) {
      for (const h of list) if (top === null || fuller(h, top)) top = h;
    }
    if (top !== null) {
      f.heapSize = top.heapSize;
      f.peakBytes = top.peakBytes;
      f.peakPercent = top.peakPercent;
      f.timeline.heapSize = top.heapSize;
      if (top.layout !== null || this.layoutChoice !== 'none') f.layout = top.layout;
    }
    if (named) f.heaps = list;
  }

  // ── records ──────────────────────────────────────────────────────────

  /**
   * A record read from lane `laneId`'s output at log line `line` (fields
   * read in place). `site`: its call site already interned (the byte front
   * end's), else it is interned from the fields.
   */
  record(laneId: Lane, r: RecordFields, line: number, site: Site | null = null): void {
    this.recordsSeen = true;
    const l = this.lane(laneId);
    if (this.onRecord !== undefined) this.onRecord(laneId, r, line, r.kind === 'test' ? null : (l.current?.facts ?? null));
    if (r.heap !== null && this.pools.isPool(l, r.heap, r.kind)) {
      this.pools.record(l, r, line);
      return;
    }
    switch (r.kind) {
      case 'init': {
        const t = this.active(l, line);
        const h = this.heap(l, r.heap);
        this.closeSegment(h, t);
        this.openSegment(h, t, r.size, r.address, line);
        break;
      }
      case 'alloc':
      case 'persist':
        if (r.address === 0) return; // a NULL return is not a live block
        this.alloc(l, r, line, site ?? this.sites.intern(r.text, r.siteStart, r.siteEnd));
        break;
      case 'free':
        if (r.address === 0) return; // free(NULL) is legal and not logged by the SDK
        this.free(l, r, line, site);
        break;
      case 'resize':
        this.resize(l, r, line);
        break;
      case 'fail': {
        const t = this.active(l, line);
        const f = { size: r.size, site: (site ?? this.sites.intern(r.text, r.siteStart, r.siteEnd)).text, line };
        t.facts.failedAllocations.push(r.heap === null ? f : { ...f, heap: r.heap });
        break;
      }
      case 'corrupt': {
        const t = this.active(l, line);
        t.facts.corruption.push({
          address: r.noAddress ? null : r.address,
          what: r.what,
          site: r.noSite ? null : this.sites.intern(r.text, r.siteStart, r.siteEnd).text,
          line,
          heap: r.heap,
        });
        break;
      }
      case 'test':
        this.startTest(l, r.name, line);
        break;
      case 'pool':
      case 'overflow':
      case 'drop':
      case 'ref':
        this.pools.record(l, r, line);
        break;
    }
  }

  /** A record that could not be read: a diagnostic, and it counts as seen. */
  badRecord(line: number, text: string, message: string): void {
    this.recordsSeen = true;
    this.unreadRecords++;
    this.diagnostic(line, 'bad-record', `unparseable record "${truncate(text)}": ${message}`);
  }

  private heap(l: LaneState, name: string | null): HeapState {
    if (name === null && l.defaultHeap !== null) return l.defaultHeap;
    const key = name ?? '';
    let h = l.heaps.get(key);
    if (h === undefined) {
      h = { lane: l, name, segment: null, lastAlloc: -1, layout: null };
      l.heaps.set(key, h);
    }
    if (name === null) l.defaultHeap = h;
    return h;
  }

  private alloc(l: LaneState, r: RecordFields, line: number, site: Site): void {
    const t = this.active(l, line);
    const h = this.heap(l, r.heap);
    const seg = this.ensureSegment(h, t, line);
    const b = seg.blocks;
    let s = b.find(r);
    if (s < 0) {
      s = b.insert(r);
    } else if (b.freeSite[s] === NONE) {
      // The allocator never hands out a live block: a free record was lost.
      this.diagnostic(
        line,
        'live-address',
        `${r.kind} at ${formatAddress(r.address)}, still live since log line ${b.line(s)} (a free not logged?): the old block is dropped`,
      );
      this.release(seg, s);
    }
    const persistent = r.kind === 'persist';
    b.setSize(s, r.size);
    b.setLine(s, line);
    b.site[s] = site.id;
    b.test[s] = persistent ? NONE : t.id;
    b.freeSite[s] = NONE;
    b.live++;
    countAlloc(site, r.size);
    h.lastAlloc = s;
    if (persistent) t.facts.persistent.push(this.blockFacts(b, s, h));
    else t.liveBlocks++;
    const u = this.usage(t, h, seg);
    h.layout?.alloc(s, u.facts);
    seg.current += r.size;
    if (seg.current > seg.peak) seg.peak = seg.current;
    u.facts.allocations++;
    u.facts.totalBytes += r.size;
    this.notePeak(t, u, seg);
    if (h.name === null) t.sampler.add(line, seg.current);
  }

  private free(l: LaneState, r: RecordFields, line: number, freeSite: Site | null): void {
    const t = this.active(l, line);
    const h = this.heap(l, r.heap);
    const seg = this.ensureSegment(h, t, line);
    const u = this.usage(t, h, seg);
    this.notePeak(t, u, seg);
    const b = seg.blocks;
    const s = b.find(r);
    if (s >= 0 && b.freeSite[s] === NONE) {
      if (h.lastAlloc === s) this.sites.byId(b.site[s]).temporary++;
      h.lastAlloc = -1;
      const owner = b.test[s] === NONE ? null : this.tests[b.test[s]];
      if (owner !== null && owner !== t && owner.ended) {
        // left live by its test and freed by another: carried (§4.2)
        owner.facts.carried.push({ ...this.blockFacts(b, s, h), freedBy: t.facts.name, freeLine: line });
      }
      this.release(seg, s);
      b.freeSite[s] = (freeSite ?? this.sites.intern(r.text, r.siteStart, r.siteEnd)).id;
    } else {
      h.lastAlloc = -1;
      const site = (freeSite ?? this.sites.intern(r.text, r.siteStart, r.siteEnd)).text;
      const e =
        s >= 0
          ? {
              kind: 'double-free' as const,
              address: r.address,
              site,
              line,
              allocSite: this.sites.byId(b.site[s]).text,
              firstFreeSite: this.sites.byId(b.freeSite[s]).text,
            }
          : { kind: 'invalid-free' as const, address: r.address, site, line };
      t.facts.freeErrors.push(h.name === null ? e : { ...e, heap: h.name });
    }
    if (h.name === null) t.sampler.add(line, seg.current);
  }

  private resize(l: LaneState, r: RecordFields, line: number): void {
    const t = this.active(l, line);
    const h = this.heap(l, r.heap);
    const seg = this.ensureSegment(h, t, line);
    const b = seg.blocks;
    const s = b.find(r);
    if (s < 0 || b.freeSite[s] !== NONE) {
      this.diagnostic(line, 'input', `resize of ${formatAddress(r.address)}, which is not live: ignored`);
      return;
    }
    h.lastAlloc = -1;
    const grow = r.n3 - b.size(s);
    h.layout?.resize();
    b.setSize(s, r.n3);
    seg.current += grow;
    if (seg.current > seg.peak) seg.peak = seg.current;
    const u = this.usage(t, h, seg);
    this.notePeak(t, u, seg);
    if (h.name === null) t.sampler.add(line, seg.current);
  }

  /** Takes slot `s`'s live block's bytes off the segment without judging it (freed, or overwritten). */
  private release(seg: Segment, s: number): void {
    const b = seg.blocks;
    b.live--;
    seg.current -= b.size(s);
    this.sites.byId(b.site[s]).live--;
    seg.heap.layout?.free(s);
    if (b.test[s] !== NONE) this.unhold(this.tests[b.test[s]]);
  }

  /** The test's usage of heap `h`, opened at its first record there. */
  private usage(t: TestState, h: HeapState, seg: Segment): Usage {
    const last = t.lastUsage;
    if (last !== null && last.heap === h) return last;
    let u = t.usages.get(h);
    if (u === undefined) {
      u = {
        heap: h,
        lastSegment: 0,
        segmentPeak: -1,
        facts: {
          heap: h.name,
          heapSize: seg.heapSize,
          segments: 0,
          allocations: 0,
          totalBytes: 0,
          peakBytes: 0,
          peakPercent: null,
          layout: null,
        },
      };
      t.usages.set(h, u);
    }
    t.lastUsage = u;
    return u;
  }

  private notePeak(t: TestState, u: Usage, seg: Segment): void {
    const f = u.facts;
    if (u.lastSegment !== seg.id) {
      u.lastSegment = seg.id;
      u.segmentPeak = -1;
      f.segments++;
    }
    const current = seg.current;
    if (current <= u.segmentPeak) return;
    u.segmentPeak = current;
    // The test's peak is one segment's — the fullest heap, by percent when the
    // size is known — so its bytes, heap size and percent always agree.
    const pct = percentOf(current, seg.heapSize);
    if (fullerThan(pct, current, f.peakPercent, f.peakBytes)) {
      f.peakBytes = current;
      f.peakPercent = pct;
      f.heapSize = seg.heapSize;
      seg.heap.layout?.markPeak(f, t.facts, this.heapMaps && seg.heap.name === null);
    }
  }

  private ensureSegment(h: HeapState, t: TestState, line: number): Segment {
    if (h.segment !== null) return h.segment;
    if (!this.noInitReported) {
      this.noInitReported = true;
      this.diagnostic(line, 'no-init', 'heap activity before any init record: heap size unknown until the next init');
    }
    return this.openSegment(h, t, null, 0, line);
  }

  private openSegment(h: HeapState, t: TestState, heapSize: number | null, base: number, line: number): Segment {
    const seg: Segment = {
      id: ++this.segments,
      heap: h,
      heapSize,
      base,
      owner: t,
      blocks: this.spareBlocks.pop() ?? new BlockTable(),
      current: 0,
      peak: 0,
    };
    h.segment = seg;
    h.lastAlloc = -1;
    h.layout = LayoutModel.create(this.layoutChoice, base, heapSize, seg.blocks, this.sites);
    const u = this.usage(t, h, seg);
    this.notePeak(t, u, seg);
    if (h.name === null) t.sampler.add(line, 0);
    return seg;
  }

  /**
   * Closes heap `h`'s open segment. `at` is the test printing the new `init`
   * (null at the end of input): blocks still live are reclaimed when that is
   * the test that opened the segment, leaks otherwise.
   */
  private closeSegment(h: HeapState, at: TestState | null): void {
    const seg = h.segment;
    if (seg === null) return;
    h.layout?.settle();
    h.segment = null;
    if (seg.peak > this.peakBytes) this.peakBytes = seg.peak;
    const pct = percentOf(seg.peak, seg.heapSize);
    if (pct !== null && (this.peakPercent === null || pct > this.peakPercent)) this.peakPercent = pct;
    // Only a test can reset its own heap: outside any test, a block alive at an init is a leak.
    // An unnamed test may still be named by its result line: its blocks wait for that.
    const own = at !== null && at === seg.owner;
    const reclaimed = own && seg.owner.facts.name !== null;
    const blocks = seg.blocks;
    if (blocks.live > 0) {
      for (let s = 0; s < blocks.count; s++) {
        if (blocks.freeSite[s] !== NONE) continue;
        const site = this.sites.byId(blocks.site[s]);
        site.live--;
        if (blocks.test[s] === NONE) continue; // persistent
        const t = this.tests[blocks.test[s]];
        const b = this.blockFacts(blocks, s, h);
        if (reclaimed) t.facts.reclaimed.push(b);
        else if (own) (t.pendingReclaim ??= []).push({ block: b, site });
        else this.leak(t, b, site);
        t.liveBlocks--;
      }
    }
    h.layout = null;
    blocks.reset();
    if (this.spareBlocks.length < 4) this.spareBlocks.push(blocks);
    this.flush();
  }

  private leak(t: TestState, b: Block, site: Site): void {
    t.facts.leaks.push(b);
    site.leaks++;
  }

  private blockFacts(blocks: Blocks, s: number, h: HeapState): Block {
    const b: Block = {
      address: small(blocks.address[s]),
      size: blocks.size(s),
      site: this.sites.byId(blocks.site[s]).text,
      line: blocks.line(s),
    };
    if (h.name !== null) b.heap = h.name;
    return b;
  }

  /** A lane's process ended: its heaps end as at the end of input, its test ends. */
  private endLane(l: LaneState): void {
    for (const h of l.heaps.values()) this.closeSegment(h, null);
    this.pools.endLane(l);
    this.endCurrent(l);
  }

  // ── inputs, diagnostics, the end ─────────────────────────────────────

  /** Ends one input among several (log files): the end of input for its segments and tests. */
  endInput(): void {
    for (const l of this.lanes.values()) this.endLane(l);
    this.session++;
    this.byName = new Map();
    this.namedTests = 0;
    this.plan = null;
  }

  /** Names the input being read, for diagnostics when there are several (line numbers are per input). */
  setSource(name: string | null): void {
    this.source = name;
  }

  /** The input ended early (interrupted): the facts say so. */
  markIncomplete(): void {
    this.complete = false;
  }

  diagnostic(line: number, kind: DiagnosticKind, message: string): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.diagnosticsDropped++;
      return;
    }
    this.diagnostics.push({ line, kind, message: this.source === null ? message : `${this.source}: ${message}` });
  }

  /** Ends the input: closes every segment (live blocks leak) and every test. Call once. */
  finish(harnesses: AnalysisFacts['harnesses'], linesRead: number): AnalysisFacts {
    if (this.finished) throw new Error('Tracker.finish() was already called: the facts are final');
    this.finished = true;
    for (const l of this.lanes.values()) this.endLane(l);
    this.source = null; // what is said from here is about the whole input
    this.flush();
    if (!this.recordsSeen) {
      this.diagnostic(linesRead, 'no-profiling', 'no memory-profiling record (==MP …) was found in the input');
    }
    if (this.diagnosticsDropped > 0) {
      this.diagnostics.push({ line: linesRead, kind: 'input', message: `${this.diagnosticsDropped} more diagnostics not listed` });
    }
    return {
      tests: this.tests.map((t) => (t.lateOutcome === null ? t.facts : { ...t.facts, outcome: t.lateOutcome })),
      diagnostics: this.diagnostics,
      recordsSeen: this.recordsSeen,
      unreadRecords: this.unreadRecords,
      linesRead,
      segments: this.segments,
      peakBytes: this.peakBytes,
      peakPercent: this.peakPercent,
      harnesses,
      sites: this.sites.census(),
      pools: this.pools.summaries(),
      complete: this.complete,
    };
  }

  /** For the pool tracker: the test activity in a lane belongs to. */
  activeTest(l: LaneState, line: number): TestState {
    return this.active(l, line);
  }

  /** A test's blocks are still live (it is not final yet); the pool tracker's blocks too. */
  hold(t: TestState): void {
    t.liveBlocks++;
  }

  /** A block held (`hold`) is resolved: the test may be final now. */
  unhold(t: TestState): void {
    t.liveBlocks--;
    if (t.ended && t.liveBlocks === 0) this.flush();
  }

}

export type { LaneState };

/** Whether a peak of `pct` % (`bytes`) is fuller than one of `thanPct` % (`thanBytes`): by percent when known, a known one first. */
function fullerThan(pct: number | null, bytes: number, thanPct: number | null, thanBytes: number): boolean {
  if (pct !== null) return thanPct === null || pct > thanPct;
  return thanPct === null && bytes > thanBytes;
}

function fuller(a: HeapUsage, b: HeapUsage): boolean {
  return fullerThan(a.peakPercent, a.peakBytes, b.peakPercent, b.peakBytes);
}
