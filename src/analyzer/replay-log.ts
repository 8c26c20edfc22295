/**
 * The log side of `valground replay` (SPEC §6.8): fed every record the
 * analyzer reads (its `onRecord` hook, with the lane's current test), it
 * keeps each heap's operations as `OpList`s, ready to replay:
 *
 * - one stream per lane and heap (a CTest lane is a process of its own; a
 *   named heap `alloc@HEAP` has its own segments);
 * - frees matched to their block by address at read time; a free of an
 *   address that is not live is a double or invalid free, listed and not
 *   replayed (it would corrupt the replay heap);
 * - a `free` directly followed by an `alloc` from the same site is the
 *   SDK's realloc that moved (it logs the pair): one realloc operation,
 *   replayed as `reallocate` (alloc new, copy, free old), so addresses match;
 * - `resize` records are reallocs in place; `fail` records are probes;
 * - pool records (`pool@` and the `alloc@`/`free@` of a declared pool) are
 *   counted, not replayed.
 */
import type { Lane } from '../harness/types.js';
import type { RecordFields } from '../protocol/records.js';
import type { TestFacts } from './facts.js';
import { copyString } from './intern.js';
import { OP_ALLOC, OP_FREE, OP_GROW, OP_INIT, OP_PROBE, OP_SHRINK, OpList } from './replay-ops.js';

/** One heap of one lane, as the log shows it. */
export interface ReplayStream {
  lane: Lane;
  /** null: the lane's default heap. */
  heap: string | null;
  ops: OpList;
  /** Block ids handed out (the replay keeps one address per id). */
  blocks: number;
  /** Heap records turned into operations (a moved realloc is two). */
  records: number;
  /** `init` records. */
  segments: number;
  /** Sizes the log's `init` records give, in order of first appearance. */
  heapSizes: number[];
  /** `resize` records of an address not live: ignored. */
  ignoredResizes: number;
}

/** A free the log shows but the replay skips. */
export interface ReplayFreeError {
  kind: 'double-free' | 'invalid-free';
  lane: Lane;
  heap: string | null;
  address: number;
  site: string;
  line: number;
  test: number;
  /** double free: the line of the first free. */
  firstFreeLine?: number;
}

export interface ReplayPool {
  lane: Lane;
  name: string;
  records: number;
}

/** Everything the replay needs from a log. */
export interface ReplayLog {
  streams: ReplayStream[];
  /** Interned call sites: `ops.site` indexes this. */
  sites: string[];
  /** Test names by id (`ops.test`); id 0 and unnamed tests: null (outside any test). */
  tests: Array<string | null>;
  freeErrors: ReplayFreeError[];
  pools: ReplayPool[];
  /** Records read (every kind). */
  records: number;
  /** `corrupt` records: the allocator found corruption there, which a replay does not reproduce. */
  corruptRecords: number;
}

/** A stream's open segment, as read so far. */
interface SegmentState {
  /** Logged address → block id of the live blocks. */
  live: Map<number, number>;
  /** Logged address → line of its last free (to tell a double free from an invalid one). */
  freed: Map<number, number>;
}

interface StreamState {
  stream: ReplayStream;
  seg: SegmentState;
  /** Logged size per block id (a realloc to fewer bytes may lower the heap's bytes). */
  sizes: number[];
}

/** The last record was a free that a same-site alloc may turn into a realloc. */
interface PendingFree {
  state: StreamState;
  op: number;
  block: number;
  site: number;
  test: number;
}

function newSegment(): SegmentState {
  return { live: new Map(), freed: new Map() };
}

export class ReplayLogBuilder {
  private readonly streams = new Map<string, StreamState>();
  /** The stream of the last record: the next one is nearly always on it (no key string per record). */
  private last: StreamState | null = null;
  private readonly order: ReplayStream[] = [];
  private readonly siteIds = new Map<string, number>();
  private readonly sites: string[] = [];
  private readonly testIds = new Map<TestFacts, number>();
  private readonly testFacts: Array<TestFacts | null> = [null];
  private readonly freeErrors: ReplayFreeError[] = [];
  private readonly pools = new Map<string, ReplayPool>();
  private pending: PendingFree | null = null;
  private records = 0;
  private corruptRecords = 0;

  /** The analyzer's `onRecord` hook (bound: pass it as is). */
  readonly onRecord = (lane: Lane, f: RecordFields, line: number, test: TestFacts | null): void => {
    this.records++;
    const pending = this.pending;
    this.pending = null;
    const kind = f.kind;
    if (kind === 'test') return; // the next records come with their test
    if (kind === 'pool' || kind === 'overflow' || kind === 'drop' || kind === 'ref') {
      this.poolRecord(lane, f.heap!);
      return;
    }
    if (f.heap !== null && (kind === 'alloc' || kind === 'free') && this.pools.has(poolKey(lane, f.heap))) {
      this.poolRecord(lane, f.heap);
      return;
    }
    if (kind === 'corrupt') {
      this.corruptRecords++;
      return;
    }
    const s = this.stream(lane, f.heap);
    const t = this.testId(test);
    switch (kind) {
      case 'init':
        this.init(s, f, line, t);
        break;
      case 'alloc':
      case 'persist': {
        if (f.address === 0) return; // a NULL return is no block
        const site = this.site(f);
        if (kind === 'alloc' && pending !== null && pending.state === s && pending.site === site && pending.test === t) this.realloc(s, pending, f, line);
        else this.alloc(s, f, site, line, t);
        break;
      }
      case 'free':
        if (f.address !== 0) this.pending = this.free(s, f, line, t);
        break;
      case 'resize':
        this.resize(s, f, line, t);
        break;
      case 'fail':
        s.stream.ops.push(OP_PROBE, f.size, -1, this.site(f), t, line, 0);
        s.stream.records++;
        break;
    }
  };

  private stream(lane: Lane, heap: string | null): StreamState {
    const last = this.last;
    if (last !== null && last.stream.lane === lane && last.stream.heap === heap) return last;
    const key = lane + '\0' + (heap ?? '');
    let s = this.streams.get(key);
    if (s === undefined) {
      const stream: ReplayStream = {
        lane,
        heap,
        ops: new OpList(),
        blocks: 0,
        records: 0,
        segments: 0,
        heapSizes: [],
        ignoredResizes: 0,
      };
      s = { stream, seg: newSegment(), sizes: [] };
      this.streams.set(key, s);
      this.order.push(stream);
    }
    this.last = s;
    return s;
  }

  private testId(test: TestFacts | null): number {
    if (test === null) return 0;
    let id = this.testIds.get(test);
    if (id === undefined) {
      id = this.testFacts.length;
      this.testFacts.push(test);
      this.testIds.set(test, id);
    }
    return id;
  }

  private site(f: RecordFields): number {
    const key = f.text.slice(f.siteStart, f.siteEnd);
    let id = this.siteIds.get(key);
    if (id === undefined) {
      id = this.sites.length;
      const own = copyString(key); // not a slice pinning the whole line
      this.sites.push(own);
      this.siteIds.set(own, id);
    }
    return id;
  }

  private poolRecord(lane: Lane, name: string): void {
    const key = poolKey(lane, name);
    let p = this.pools.get(key);
    if (p === undefined) {
      p = { lane, name: copyString(name), records: 0 };
      this.pools.set(key, p);
    }
    p.records++;
  }

  private init(s: StreamState, f: RecordFields, line: number, t: number): void {
    const st = s.stream;
    st.segments++;
    if (!st.heapSizes.includes(f.size)) st.heapSizes.push(f.size);
    s.seg = newSegment();
    st.ops.push(OP_INIT, f.size, st.blocks, 0, t, line, f.address);
    st.records++;
  }

  private alloc(s: StreamState, f: RecordFields, site: number, line: number, t: number): void {
    const st = s.stream;
    const seg = s.seg;
    const id = st.blocks++;
    s.sizes.push(f.size);
    st.ops.push(OP_ALLOC, f.size, id, site, t, line, f.address);
    st.records++;
    // An address the log still has live (a free not logged): the old block stays live in the replay.
    seg.live.set(f.address, id);
    seg.freed.delete(f.address);
  }

  /** A free of a live block: an operation (and maybe the first half of a realloc). */
  private free(s: StreamState, f: RecordFields, line: number, t: number): PendingFree | null {
    const seg = s.seg;
    const id = seg.live.get(f.address);
    const site = this.site(f);
    if (id === undefined) {
      const first = seg.freed.get(f.address);
      const e: ReplayFreeError = {
        kind: first === undefined ? 'invalid-free' : 'double-free',
        lane: s.stream.lane,
        heap: s.stream.heap,
        address: f.address,
        site: this.sites[site],
        line,
        test: t,
      };
      if (first !== undefined) e.firstFreeLine = first;
      this.freeErrors.push(e);
      return null;
    }
    seg.live.delete(f.address);
    seg.freed.set(f.address, line);
    const op = s.stream.ops.push(OP_FREE, 0, id, site, t, line, f.address);
    s.stream.records++;
    return { state: s, op, block: id, site, test: t };
  }

  /** The alloc after a free from the same site: the free operation becomes the realloc. */
  private realloc(s: StreamState, p: PendingFree, f: RecordFields, line: number): void {
    const ops = s.stream.ops;
    const i = p.op;
    const before = s.sizes[p.block];
    ops.kind[i] = f.size < before ? OP_SHRINK : OP_GROW;
    ops.size[i] = f.size;
    ops.line[i] = line;
    ops.address[i] = f.address;
    s.sizes[p.block] = f.size;
    s.stream.records++;
    s.seg.live.set(f.address, p.block);
    s.seg.freed.delete(f.address);
  }

  private resize(s: StreamState, f: RecordFields, line: number, t: number): void {
    const id = s.seg.live.get(f.address);
    if (id === undefined) {
      s.stream.ignoredResizes++;
      return;
    }
    const size = f.n3;
    s.stream.ops.push(size < s.sizes[id] ? OP_SHRINK : OP_GROW, size, id, this.site(f), t, line, f.address);
    s.sizes[id] = size;
    s.stream.records++;
  }

  /** The log as read. Unnamed tests (activity between tests) count as outside any test. */
  finish(): ReplayLog {
    const tests = this.testFacts.map((f) => (f === null ? null : f.name));
    const remap = new Uint32Array(tests.length);
    let unnamed = false;
    for (let i = 0; i < tests.length; i++) {
      remap[i] = tests[i] === null ? 0 : i;
      if (i > 0 && tests[i] === null) unnamed = true;
    }
    if (unnamed) {
      for (const st of this.order) {
        const test = st.ops.test;
        for (let i = 0; i < st.ops.length; i++) test[i] = remap[test[i]];
      }
      for (const e of this.freeErrors) e.test = remap[e.test];
    }
    return {
      streams: this.order,
      sites: this.sites,
      tests,
      freeErrors: this.freeErrors,
      pools: [...this.pools.values()],
      records: this.records,
      corruptRecords: this.corruptRecords,
    };
  }
}

function poolKey(lane: Lane, name: string): string {
  return lane + '\0' + name;
}
