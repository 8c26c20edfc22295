/**
 * Fixed-size pools as heaps of their own (SPEC §4.1), read from the
 * `pool@`, `alloc@POOL`, `free@POOL`, `ref@`, `overflow@` and `drop@`
 * records (§2.2). A pool's segment runs from its first `pool@` record to the
 * end of input (pools are never reset); `drop@` ends a sub-pool's. Per test
 * and pool: the most blocks in use at once, overflows, leaks (a leaked block
 * whose reference count was above 1 names the site of its last `ref@`) and
 * releases of a block not in use (Legato's "free block released"), which
 * are double frees. Per pool over the run: what its sizing line says.
 */
import type { RecordFields, RecordKind } from '../protocol/records.js';
import type { Block, PoolSummary, PoolUsage } from './facts.js';
import { countAlloc, type Site } from './sites.js';
import type { LaneState, TestState, Tracker } from './tracker.js';

interface PoolBlock {
  address: number;
  line: number;
  site: Site;
  test: TestState;
  count: number;
  /** Site of the last `ref@` record. */
  refSite: Site | null;
}

interface PoolState {
  name: string;
  blockSize: number;
  blocks: number;
  parent: PoolState | null;
  /** Blocks in use, by address. */
  inUse: Map<number, PoolBlock>;
  /** Released blocks by address (to name a double free's sites), until taken again. */
  released: Map<number, { allocSite: Site; freeSite: Site }>;
  /** Blocks handed to sub-pools (in use here). */
  lent: number;
  lastAlloc: PoolBlock | null;
  /** The run's figures for the pool's name (one per name, over every instance). */
  summary: PoolSummary;
  /** Whether it has been expanded since its creation. */
  expanded: boolean;
}

export class PoolTracker {
  /** Pools by lane, then name. */
  private readonly byLane = new Map<LaneState, Map<string, PoolState>>();
  private readonly summaryList: PoolSummary[] = [];
  /** Run figures of pools created anew (a restarted process), by name: the new instance adds to them. */
  private readonly reuse = new Map<string, PoolSummary>();
  /** Each test's use of each pool, while it runs. */
  private readonly uses = new Map<TestState, Map<PoolState, PoolUsage>>();

  constructor(private readonly tracker: Tracker) {}

  /** Whether `NAME` in `KIND@NAME` is a pool of this lane (declared by `pool@NAME`). */
  isPool(l: LaneState, name: string, kind: RecordKind): boolean {
    if (kind !== 'alloc' && kind !== 'free') return false;
    return this.byLane.get(l)?.has(name) ?? false;
  }

  private pool(l: LaneState, name: string): PoolState | undefined {
    return this.byLane.get(l)?.get(name);
  }

  record(l: LaneState, r: RecordFields, line: number): void {
    const name = r.heap!;
    switch (r.kind) {
      case 'pool':
        this.declare(l, name, r.size, r.n2, r.name === '' ? null : r.name, line);
        break;
      case 'alloc':
        this.take(l, name, r, line);
        break;
      case 'free':
        this.release(l, name, r, line);
        break;
      case 'ref': {
        const p = this.pool(l, name);
        const b = p?.inUse.get(r.address);
        if (p === undefined || b === undefined) {
          this.tracker.diagnostic(line, 'input', `ref@${name} of a block not in use: ignored`);
          break;
        }
        b.count = r.n2;
        b.refSite = this.tracker.sites.intern(r.text, r.siteStart, r.siteEnd);
        this.use(this.tracker.activeTest(l, line), p);
        p.lastAlloc = null;
        break;
      }
      case 'overflow': {
        const p = this.pool(l, name);
        if (p === undefined) {
          this.tracker.diagnostic(line, 'input', `overflow@${name} before its pool@ record: ignored`);
          break;
        }
        const t = this.tracker.activeTest(l, line);
        p.blocks = r.n2;
        p.summary.blocks = Math.max(p.summary.blocks, r.n2);
        p.summary.overflows++;
        this.use(t, p).overflows++;
        break;
      }
      case 'drop': {
        const p = this.pool(l, name);
        if (p === undefined) break;
        this.close(p);
        if (p.parent !== null) p.parent.lent -= p.blocks;
        this.byLane.get(l)!.delete(name);
        break;
      }
      default:
        break;
    }
  }

  private declare(l: LaneState, name: string, blockSize: number, blocks: number, parentName: string | null, line: number): void {
    let pools = this.byLane.get(l);
    if (pools === undefined) {
      pools = new Map();
      this.byLane.set(l, pools);
    }
    const t = this.tracker.activeTest(l, line);
    let p = pools.get(name);
    if (p !== undefined && blocks < p.blocks && p.parent === null) {
      // A pool never shrinks: fewer blocks is the pool created anew (a new
      // process, as when an emulator restarts): the old one ends here.
      this.close(p);
      pools.delete(name);
      this.reuse.set(name, p.summary);
      p = undefined;
    }
    if (p === undefined) {
      const parent = parentName === null ? null : (pools.get(parentName) ?? null);
      p = {
        name,
        blockSize,
        blocks,
        parent,
        inUse: new Map(),
        released: new Map(),
        lent: 0,
        lastAlloc: null,
        summary: this.reuse.get(name) ?? { pool: name, blockSize, blocks, maxInUse: 0, maxInUseTest: null, overflows: 0, grew: 0, parent: parentName },
        expanded: false,
      };
      pools.set(name, p);
      if (!this.reuse.has(name)) this.summaryList.push(p.summary);
      if (parent !== null) {
        parent.lent += blocks;
        this.noteInUse(parent, t);
      }
    } else {
      // the first expansion fills a new pool; later ones are growth
      if (blocks > p.blocks && p.expanded) p.summary.grew++;
      if (blocks > p.blocks) p.expanded = true;
      p.blocks = blocks;
      p.blockSize = blockSize;
      p.summary.blocks = Math.max(p.summary.blocks, blocks);
    }
    this.use(t, p);
  }

  private take(l: LaneState, name: string, r: RecordFields, line: number): void {
    const p = this.pool(l, name)!;
    const t = this.tracker.activeTest(l, line);
    const old = p.inUse.get(r.address);
    if (old !== undefined) {
      this.tracker.diagnostic(line, 'live-address', `alloc@${name} of a block already in use since log line ${old.line} (a free@ not logged?): the old one is dropped`);
      this.drop(p, old);
    }
    const site = this.tracker.sites.intern(r.text, r.siteStart, r.siteEnd);
    countAlloc(site, p.blockSize);
    const b: PoolBlock = { address: r.address, line, site, test: t, count: 1, refSite: null };
    p.inUse.set(r.address, b);
    p.released.delete(r.address);
    p.lastAlloc = b;
    this.tracker.hold(t);
    this.noteInUse(p, t);
  }

  private release(l: LaneState, name: string, r: RecordFields, line: number): void {
    const p = this.pool(l, name)!;
    const t = this.tracker.activeTest(l, line);
    this.use(t, p); // a test that gives a block back uses the pool too
    const freeSite = this.tracker.sites.intern(r.text, r.siteStart, r.siteEnd);
    const b = p.inUse.get(r.address);
    if (b === undefined) {
      // Legato: "free block released" — a double free of a pool block
      const prior = p.released.get(r.address);
      t.facts.freeErrors.push(
        prior !== undefined
          ? {
              kind: 'double-free',
              address: r.address,
              site: freeSite.text,
              line,
              allocSite: prior.allocSite.text,
              firstFreeSite: prior.freeSite.text,
              heap: name,
            }
          : { kind: 'double-free', address: r.address, site: freeSite.text, line, heap: name },
      );
      p.lastAlloc = null;
      return;
    }
    if (p.lastAlloc === b) b.site.temporary++;
    p.lastAlloc = null;
    p.released.set(r.address, { allocSite: b.site, freeSite });
    this.drop(p, b);
  }

  /** Takes a block out of use without judging it. */
  private drop(p: PoolState, b: PoolBlock): void {
    p.inUse.delete(b.address);
    b.site.live--;
    this.tracker.unhold(b.test);
  }

  private noteInUse(p: PoolState, t: TestState): void {
    const n = p.inUse.size + p.lent;
    const u = this.use(t, p);
    if (n > u.maxInUse) u.maxInUse = n;
    if (n > p.summary.maxInUse) {
      p.summary.maxInUse = n;
      p.summary.maxInUseTest = t.facts.name;
    }
  }

  private use(t: TestState, p: PoolState): PoolUsage {
    let m = this.uses.get(t);
    if (m === undefined) {
      m = new Map();
      this.uses.set(t, m);
    }
    let u = m.get(p);
    if (u === undefined) {
      // blocks already in use when the test starts count
      u = { pool: p.name, blockSize: p.blockSize, blocks: p.blocks, maxInUse: p.inUse.size + p.lent, overflows: 0, leaks: [] };
      m.set(p, u);
    }
    return u;
  }

  /** The pool's segment ends: blocks still in use leak, under the test that took them. */
  private close(p: PoolState): void {
    for (const b of p.inUse.values()) {
      const site = b.count > 1 && b.refSite !== null ? b.refSite : b.site;
      const leak: Block = { address: b.address, size: p.blockSize, site: site.text, line: b.line, heap: p.name };
      this.use(b.test, p).leaks.push(leak);
      b.site.leaks++;
      b.site.live--;
      this.tracker.unhold(b.test);
    }
    p.inUse.clear();
  }

  /** A lane's process ended (or the input): its pools end. */
  endLane(l: LaneState): void {
    const pools = this.byLane.get(l);
    if (pools === undefined) return;
    for (const p of pools.values()) this.close(p);
    this.byLane.delete(l);
  }

  /** The test is being handed out: its pool figures are final. */
  finishTest(t: TestState): void {
    const m = this.uses.get(t);
    if (m === undefined) return;
    this.uses.delete(t);
    // Each use is of one instance (a pool declared again is another): its own size, at its most.
    for (const [p, u] of m) u.blocks = Math.max(u.blocks, p.blocks);
    t.facts.pools = [...m.values()];
  }

  summaries(): PoolSummary[] {
    return this.summaryList;
  }
}
