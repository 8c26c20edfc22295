/**
 * Presentation shared by every reporter: how a test is named, how a finding
 * and a figure read, the usage thresholds of the colours, and the escaping
 * of log text for terminals and annotations (`printable`, applied by those
 * reporters to what they print; XML and HTML have their own escaping).
 * Formatting only: what fails and what warns comes from the judge
 * (`Finding.severity`), never from here.
 */
import type { Block, CarriedBlock, Corruption, FailedAllocation, FreeError, TestFacts } from '../analyzer/facts.js';
import type { Finding, FindingKind, JudgedTest, Regression } from '../judge/types.js';
import { OUTSIDE_ANY_TEST, plural } from '../judge/words.js';
import { formatAddress } from '../protocol/records.js';

export { OUTSIDE_ANY_TEST, plural };

/** Usage percents from which a bar is drawn as near full / full. */
export const USAGE_WARN = 70;
export const USAGE_HIGH = 90;

export type UsageLevel = 'unknown' | 'low' | 'warn' | 'high';

export function usageLevel(percent: number | null): UsageLevel {
  if (percent === null) return 'unknown';
  return percent >= USAGE_HIGH ? 'high' : percent >= USAGE_WARN ? 'warn' : 'low';
}

export function bytes(n: number): string {
  return plural(n, 'byte');
}

/** A percent with two decimals, rounded half up on the decimal value (`12.50%`). */
export function formatPercent(p: number): string {
  return `${(Math.round(p * 100) / 100).toFixed(2)}%`;
}

export function testName(name: string | null): string {
  return name ?? OUTSIDE_ANY_TEST;
}

/** `[k/N] name`, or the outside-any-test label. */
export function testLabel(t: Pick<TestFacts, 'name' | 'index' | 'total'>): string {
  if (t.name === null) return OUTSIDE_ANY_TEST;
  return `[${t.index}/${t.total ?? '?'}] ${t.name}`;
}

/**
 * JUnit-style split of a test name: `PATH::REST` gives (PATH, REST); a
 * plain-mode `PATH #k` gives (PATH, `#k`); `Suite.Test` gives (Suite, Test);
 * anything else belongs to `fallback`.
 */
export function splitTestName(name: string | null, fallback: string): { classname: string; name: string } {
  if (name === null) return { classname: fallback, name: OUTSIDE_ANY_TEST };
  const sep = name.indexOf('::');
  if (sep > 0 && sep + 2 < name.length) return { classname: name.slice(0, sep), name: name.slice(sep + 2) };
  const plain = /^(.+) (#\d+)$/.exec(name);
  if (plain) return { classname: plain[1], name: plain[2] };
  const dotted = /^([A-Za-z_][\w]*)\.([\w/]+)$/.exec(name);
  if (dotted) return { classname: dotted[1], name: dotted[2] };
  return { classname: fallback, name };
}

/**
 * Log text made safe to print: C0 and C1 control characters (backspace,
 * escape, carriage return…) and DEL become `\xNN`, so `evil\b\b\b\bgood.c:1`
 * cannot display as `good.c:1` on a terminal or in an annotation.
 */
export function printable(s: string, keepLineBreaks = false): string {
  const controls = keepLineBreaks ? /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g : /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
  return s.replace(controls, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function describeRegression(r: Regression): string {
  const growth = r.growthPercent === null ? 'from nothing' : formatPercent(r.growthPercent);
  return `peak grew ${growth} over the baseline (${r.baselinePeakBytes} → ${r.peakBytes} bytes)`;
}

/** `+12.5%`, or `from 0` when the baseline peak was 0. */
export function regressionGrowth(r: Regression): string {
  return r.growthPercent === null ? 'from 0' : `+${r.growthPercent.toFixed(1)}%`;
}

export function describeBlock(b: Block): string {
  const heap = b.heap !== undefined ? ` in ${b.heap}` : '';
  return `${bytes(b.size)} at ${formatAddress(b.address)}${heap} allocated at ${b.site} (log line ${b.line})`;
}

/** A pool block (its `heap` is the pool): `32-byte block of pool app.tx at 0x… taken at SITE (log line N)`. */
export function describePoolBlock(b: Block): string {
  return `${b.size}-byte block of pool ${b.heap ?? '?'} at ${formatAddress(b.address)} taken at ${b.site} (log line ${b.line}), never released`;
}

export function describeCarried(b: CarriedBlock): string {
  return `${describeBlock(b)}, freed by ${testName(b.freedBy)} (log line ${b.freeLine})`;
}

export function describeFreeError(e: FreeError): string {
  const what = e.kind === 'double-free' ? 'double free' : 'invalid free (never allocated)';
  return `${what} ${freeErrorDetail(e)}`;
}

/** A free error without its kind: `of 0x… at SITE (log line N; allocated at …, first freed at …)`. */
export function freeErrorDetail(e: FreeError): string {
  const known: string[] = [];
  if (e.allocSite !== undefined) known.push(`allocated at ${e.allocSite}`);
  if (e.firstFreeSite !== undefined) known.push(`first freed at ${e.firstFreeSite}`);
  const extra = known.length > 0 ? `; ${known.join(', ')}` : '';
  const heap = e.heap !== undefined ? ` in ${e.heap}` : '';
  return `of ${formatAddress(e.address)}${heap} at ${e.site} (log line ${e.line}${extra})`;
}

/** The text report's form: `of 0x… at SITE (log line N); first freed at …, allocated at …`. */
function freeErrorLine(e: FreeError): string {
  const heap = e.heap !== undefined ? ` in ${e.heap}` : '';
  const s = `of ${formatAddress(e.address)}${heap} at ${e.site} (log line ${e.line})`;
  return e.kind === 'double-free'
    ? `${s}; first freed at ${e.firstFreeSite ?? '?'}, allocated at ${e.allocSite ?? '?'}`
    : `${s}; never allocated in this heap segment`;
}

export function describeFailedAllocation(f: FailedAllocation): string {
  return `allocation of ${bytes(f.size)} failed at ${f.site} (log line ${f.line})`;
}

export function describeCorruption(c: Corruption): string {
  const where = c.address === null ? '' : ` at ${formatAddress(c.address)}`;
  const heap = c.heap !== null ? ` in ${c.heap}` : '';
  const site = c.site === null ? '' : ` found at ${c.site}`;
  const what: Record<Corruption['what'], string> = {
    header: 'corrupted chunk header',
    'guard-before': 'guard word before the block overwritten',
    'guard-after': 'guard word after the block overwritten (buffer overflow)',
    poison: 'freed block written to (use after free)',
    refcount: 'reference count corrupted',
  };
  return `${what[c.what]}${where}${heap}${site} (log line ${c.line})`;
}

/** Labels of each kind of finding: a word for lists, a title for annotations. */
export const FINDING_LABEL: Record<FindingKind, { word: string; title: string }> = {
  leak: { word: 'leak', title: 'Memory leak' },
  'pool-leak': { word: 'pool leak', title: 'Pool block leak' },
  'double-free': { word: 'double free', title: 'Double free' },
  'invalid-free': { word: 'invalid free', title: 'Invalid free' },
  corruption: { word: 'corruption', title: 'Heap corruption' },
  reclaimed: { word: 'reclaimed', title: 'Reclaimed by heap reset' },
  persistent: { word: 'persistent', title: 'Persistent allocation' },
  carried: { word: 'carried', title: 'Block carried into another test' },
  'failed-alloc': { word: 'failed allocation', title: 'Failed allocation' },
  'pool-overflow': { word: 'pool overflow', title: 'Pool overflow' },
  usage: { word: 'heap usage', title: 'Heap usage over the limit' },
  headroom: { word: 'headroom', title: 'Headroom under the floor' },
  regression: { word: 'regression', title: 'Heap peak regression' },
};

/** A block after its kind's word: `40 bytes at 0xda7a0094 from src/settings.c:9 (log line 35)`. */
export function blockDetail(b: Block): string {
  const heap = b.heap !== undefined ? ` in ${b.heap}` : '';
  return `${bytes(b.size)} at ${formatAddress(b.address)}${heap} from ${b.site} (log line ${b.line})`;
}

/** What a finding is about, after its kind's word (`leak 40 bytes at … from …`), as the text report lists it. */
export function findingDetail(f: Finding): string {
  switch (f.kind) {
    case 'leak':
    case 'persistent':
      return blockDetail(f.block!);
    case 'pool-leak':
      return describePoolBlock(f.block!);
    case 'reclaimed':
      return `${blockDetail(f.block!)} (heap reset within the test)`;
    case 'carried':
      return `${blockDetail(f.carried!)}, freed by ${testName(f.carried!.freedBy)} (log line ${f.carried!.freeLine})`;
    case 'double-free':
    case 'invalid-free':
      return freeErrorLine(f.freeError!);
    case 'failed-alloc':
      return `of ${bytes(f.failed!.size)} at ${f.failed!.site} (log line ${f.failed!.line})`;
    default:
      return describeFinding(f);
  }
}

/** One line saying what a finding is about. */
export function describeFinding(f: Finding): string {
  switch (f.kind) {
    case 'leak':
    case 'persistent':
      return describeBlock(f.block!);
    case 'pool-leak':
      return describePoolBlock(f.block!);
    case 'reclaimed':
      return `${describeBlock(f.block!)}, still live when the test reset its heap`;
    case 'carried':
      return describeCarried(f.carried!);
    case 'double-free':
    case 'invalid-free':
      return describeFreeError(f.freeError!);
    case 'failed-alloc':
      return describeFailedAllocation(f.failed!);
    case 'corruption':
      return describeCorruption(f.corruption!);
    case 'pool-overflow':
      return `pool ${f.pool!.pool} was empty and grew ${plural(f.pool!.overflows, 'time')} (forced allocation)`;
    case 'usage':
      return `heap ${formatPercent(f.limit!.value)} full (limit ${f.limit!.limit}%)`;
    case 'headroom':
      return `largest possible allocation at the peak ${bytes(f.limit!.value)} (floor ${f.limit!.limit})`;
    case 'regression':
      return describeRegression(f.regression!);
  }
}

/** The call site a finding points at (`file:line`), if it has one. */
export function findingSite(f: Finding): string | null {
  if (f.block !== undefined) return f.block.site;
  if (f.carried !== undefined) return f.carried.site;
  if (f.freeError !== undefined) return f.freeError.site;
  if (f.failed !== undefined) return f.failed.site;
  if (f.corruption !== undefined) return f.corruption.site;
  return null;
}

/**
 * Short phrases naming what makes a test fail, e.g. `["2 leaks (81 bytes)",
 * "1 double free"]`, from its error findings (in the judge's order).
 */
export function problemPhrases(j: JudgedTest): string[] {
  // One pass, counting: a test may have a million leaks (no array of them is made).
  const counts = new Map<FindingKind, number>();
  let leakBytes = 0;
  const limits: Finding[] = [];
  for (const f of j.findings) {
    if (f.severity !== 'error') continue;
    counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    if (f.kind === 'leak' || f.kind === 'pool-leak') leakBytes += f.block!.size;
    else if (f.kind === 'usage' || f.kind === 'headroom' || f.kind === 'regression') limits.push(f);
  }
  const count = (kind: FindingKind) => counts.get(kind) ?? 0;
  const out: string[] = [];
  const leaks = count('leak') + count('pool-leak');
  if (leaks > 0) out.push(`${plural(leaks, 'leak')} (${bytes(leakBytes)})`);
  const doubles = count('double-free');
  if (doubles > 0) out.push(plural(doubles, 'double free', 'double frees'));
  const invalid = count('invalid-free');
  if (invalid > 0) out.push(plural(invalid, 'invalid free', 'invalid frees'));
  const corruption = count('corruption');
  if (corruption > 0) out.push(plural(corruption, 'heap corruption', 'heap corruptions'));
  const reclaimed = count('reclaimed');
  if (reclaimed > 0) out.push(`${plural(reclaimed, 'block')} reclaimed by a heap reset`);
  const persistent = count('persistent');
  if (persistent > 0) out.push(plural(persistent, 'persistent block'));
  const carried = count('carried');
  if (carried > 0) out.push(`${plural(carried, 'block')} carried into another test`);
  const failed = count('failed-alloc');
  if (failed > 0) out.push(plural(failed, 'failed allocation'));
  for (const f of limits) if (f.kind === 'usage') out.push(`heap ${f.limit!.value.toFixed(1)}% full (limit ${f.limit!.limit}%)`);
  for (const kind of ['headroom', 'regression'] as const) for (const f of limits) if (f.kind === kind) out.push(describeFinding(f));
  return out;
}

/** The usage figure of a test: `peak / heap size (percent)`. */
export function usageText(t: TestFacts): string {
  return t.heapSize === null
    ? `Peak: ${bytes(t.peakBytes)} (heap size unknown)`
    : `Peak: ${t.peakBytes} / ${bytes(t.heapSize)} (${formatPercent(t.peakPercent ?? 0)})`;
}

/** Headroom and fragmentation at the test's peak, when the layout is known. */
export function layoutText(t: TestFacts): string | null {
  const l = t.layout;
  if (l === undefined || l === null) return null;
  return `At the peak: largest possible allocation ${bytes(l.headroom)}, largest free chunk ${bytes(l.largestFree)} of ${bytes(l.freeBytes)} free in ${plural(l.freeBlocks, 'chunk')} (fragmentation ${(l.fragmentation * 100).toFixed(1)}%), allocator overhead ${bytes(l.overheadBytes)}`;
}

/** Findings of one kind listed under a test (JUnit bodies stay readable; the JSON report has every one). */
export const DETAILS_PER_KIND = 200;

/** Every finding of a test worth listing, one line each, grouped under headings; then the usage. */
export function detailLines(j: JudgedTest): string[] {
  const out: string[] = [];
  const groups: Array<[string, (f: Finding) => boolean]> = [
    ['Leaks', (f) => (f.kind === 'leak' || f.kind === 'pool-leak') && f.severity !== 'suppressed'],
    ['Free errors', (f) => (f.kind === 'double-free' || f.kind === 'invalid-free') && f.severity !== 'suppressed'],
    ['Corruption', (f) => f.kind === 'corruption'],
    ['Reclaimed by a heap reset', (f) => f.kind === 'reclaimed'],
    ['Failed allocations', (f) => f.kind === 'failed-alloc'],
    ['Pool overflows', (f) => f.kind === 'pool-overflow'],
    ['Carried into another test', (f) => f.kind === 'carried'],
    ['Persistent', (f) => f.kind === 'persistent' && f.severity === 'error'],
    ['Suppressed leaks', (f) => (f.kind === 'leak' || f.kind === 'pool-leak') && f.severity === 'suppressed'],
    ['Suppressed free errors', (f) => (f.kind === 'double-free' || f.kind === 'invalid-free') && f.severity === 'suppressed'],
  ];
  for (const [title, pick] of groups) {
    const found = j.findings.filter(pick);
    if (found.length === 0) continue;
    out.push(`${title}:`);
    for (const f of found.slice(0, DETAILS_PER_KIND)) out.push(`  - ${describeFinding(f)}`);
    if (found.length > DETAILS_PER_KIND) out.push(`  - … ${found.length - DETAILS_PER_KIND} more (see the JSON report)`);
  }
  out.push(usageText(j.facts));
  const layout = layoutText(j.facts);
  if (layout !== null) out.push(layout);
  for (const f of j.findings) {
    if (f.kind === 'usage' || f.kind === 'headroom') out.push(`Limit: ${describeFinding(f)}`);
    if (f.kind === 'regression') out.push(`Baseline: ${describeFinding(f)}`);
  }
  return out;
}

/** The sizing line of a pool (§4.1), as Legato users read logs for it. */
export function poolSizingLine(p: { pool: string; blocks: number; maxInUse: number; maxInUseTest: string | null; overflows: number }): string {
  if (p.overflows > 0) {
    return `pool ${p.pool}: grew ${plural(p.overflows, 'time')} to ${plural(p.blocks, 'block')}: size it at ${p.blocks}`;
  }
  const where = p.maxInUseTest === null ? '' : ` (${p.maxInUseTest})`;
  return `pool ${p.pool}: ${plural(p.blocks, 'block')}, at most ${p.maxInUse} in use${where}; ${p.blocks - p.maxInUse} spare`;
}
