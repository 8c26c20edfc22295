/**
 * Call sites, each kept once for the whole run (interned), with the census
 * of §4.4 counted on them as records arrive: memory grows with the number of
 * distinct sites, never with the log. Sites under the source root (§2.1) are
 * made relative to it here, once per distinct site.
 */
import { copyString } from './intern.js';
import { copyView, sameBytes } from './byte-view.js';
import { mergeCensus, type SiteCensus } from './facts.js';

/** One call site and what was counted on it. */
export interface Site {
  /** Its number in the table (block tables keep sites by number, see `byId`). */
  readonly id: number;
  /** As printed in the log. */
  readonly raw: string;
  /** As reported: relative to the source root when under it. */
  readonly text: string;
  allocations: number;
  bytes: number;
  minSize: number;
  maxSize: number;
  live: number;
  maxLive: number;
  temporary: number;
  leaks: number;
}

/** One allocation of `size` bytes from the site, in its census (heap blocks and pool blocks alike). */
export function countAlloc(site: Site, size: number): void {
  site.allocations++;
  site.bytes += size;
  if (size < site.minSize) site.minSize = size;
  if (size > site.maxSize) site.maxSize = size;
  if (++site.live > site.maxLive) site.maxLive = site.live;
}

/** `/abs/root/`-prefixed sites become relative; backslashes are not separators here (sites are printed by C). */
function relativizer(root: string | null): (site: string) => string {
  if (root === null || root === '') return (s) => s;
  const prefix = root.endsWith('/') ? root : root + '/';
  return (s) => (s.startsWith(prefix) && s.length > prefix.length ? s.slice(prefix.length) : s);
}

/** Direct-mapped cache of recent sites (a power of two). */
const CACHE_SIZE = 1024;

/** Cache slot of a site's bytes: its length, its last four bytes (line numbers) and four in its middle. */
function byteSlot(v: DataView, start: number, end: number): number {
  const len = end - start;
  let h = Math.imul(len, 0x9e3779b1);
  if (len >= 4) {
    h = Math.imul(h ^ v.getUint32(end - 4, true), 0x01000193);
    h = Math.imul(h ^ v.getUint32(start + ((len - 4) >> 1), true), 0x01000193);
  } else {
    for (let i = start; i < end; i++) h = Math.imul(h ^ v.getUint8(i), 0x01000193);
  }
  return (h ^ (h >>> 16)) & (CACHE_SIZE - 1);
}

export class SiteTable {
  private readonly byText = new Map<string, Site>();
  private readonly byNumber: Site[] = [];
  private readonly relative: (site: string) => string;
  /**
   * The hot path's cache: a site is looked up twice per allocation (its
   * alloc and its free), so the common case compares the characters in
   * place against the cached raw text — no substring, no string hash. This
   * halved the interning cost on the bench log; the Map stays the truth.
   */
  private readonly cacheRaw: Array<string | null> = new Array<string | null>(CACHE_SIZE).fill(null);
  private readonly cacheSite: Array<Site | null> = new Array<Site | null>(CACHE_SIZE).fill(null);

  /**
   * The byte front end's cache: a site by its UTF-8 bytes, compared in
   * place in the read buffer, so a site seen before costs no string at all.
   * The front end adds only sites it found plain (no ANSI code, carriage
   * return or marker), so a hit is plain too.
   */
  private readonly cacheBytes: Array<DataView | null> = new Array<DataView | null>(CACHE_SIZE).fill(null);
  private readonly cacheByteSite: Array<Site | null> = new Array<Site | null>(CACHE_SIZE).fill(null);

  constructor(root: string | null = null) {
    this.relative = relativizer(root);
  }

  /** The site `text[start, end)`; the key is looked up without keeping the line alive. */
  intern(text: string, start: number, end: number): Site {
    const len = end - start;
    const h = len <= 0 ? 0 : (len * 31 + text.charCodeAt(end - 1) * 7 + text.charCodeAt(end - 3) * 131 + text.charCodeAt(start + (len >> 1)) * 17) & (CACHE_SIZE - 1);
    const raw = this.cacheRaw[h];
    if (raw !== null && raw.length === len) {
      let i = 0;
      while (i < len && raw.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === len) return this.cacheSite[h]!;
    }
    const site = this.lookup(text, start, end);
    this.cacheRaw[h] = site.raw;
    this.cacheSite[h] = site;
    return site;
  }

  /** The cached site whose bytes are `view[start, end)` (a view of the read buffer), or null (then see `addBytes`). */
  cachedBytes(view: DataView, start: number, end: number): Site | null {
    const h = byteSlot(view, start, end);
    const key = this.cacheBytes[h];
    const len = end - start;
    return key !== null && key.byteLength === len && sameBytes(view, start, key, len) ? this.cacheByteSite[h] : null;
  }

  /**
   * The site whose bytes are `buf[start, end)`, decoded as the framer
   * decodes lines (UTF-8, invalid bytes → U+FFFD: the same site the string
   * path finds), and cached by its bytes.
   */
  addBytes(buf: Buffer, view: DataView, start: number, end: number): Site {
    const text = buf.toString('utf8', start, end);
    const site = this.lookup(text, 0, text.length);
    const h = byteSlot(view, start, end);
    this.cacheBytes[h] = copyView(buf.subarray(start, end)); // a copy: the read buffer is reused
    this.cacheByteSite[h] = site;
    return site;
  }

  private lookup(text: string, start: number, end: number): Site {
    const key = start === 0 && end === text.length ? text : text.slice(start, end);
    let s = this.byText.get(key);
    if (s === undefined) {
      const own = copyString(key);
      s = {
        id: this.byNumber.length,
        raw: own,
        text: copyString(this.relative(own)),
        allocations: 0,
        bytes: 0,
        minSize: Number.POSITIVE_INFINITY,
        maxSize: 0,
        live: 0,
        maxLive: 0,
        temporary: 0,
        leaks: 0,
      };
      this.byText.set(own, s);
      this.byNumber.push(s);
    }
    return s;
  }

  /** The site numbered `id`. */
  byId(id: number): Site {
    return this.byNumber[id];
  }

  /** The census: sites that allocated, most allocations first. */
  census(): SiteCensus[] {
    const rows: SiteCensus[] = [];
    for (const s of this.byText.values()) {
      if (s.allocations === 0) continue;
      rows.push({
        site: s.text,
        allocations: s.allocations,
        bytes: s.bytes,
        minSize: s.minSize,
        maxSize: s.maxSize,
        maxLive: s.maxLive,
        temporary: s.temporary,
        leaks: s.leaks,
      });
    }
    // Two raw sites can be one once relative (the same file built twice): merged.
    return mergeCensus(rows);
  }
}
