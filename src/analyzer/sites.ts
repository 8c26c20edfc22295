/**
 * Call sites, each kept once for the whole run (interned), with the census
 * of §4.4 counted on them as records arrive: memory grows with the number of
 * distinct sites, never with the log. Sites under the source root (§2.1) are
 * made relative to it here, once per distinct site.
 */
import { copyString } from './intern.js';
import { addCensus, type SiteCensus } from './facts.js';

/** One call site and what was counted on it. */
export interface Site {
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

/** `/abs/root/`-prefixed sites become relative; backslashes are not separators here (sites are printed by C). */
function relativizer(root: string | null): (site: string) => string {
  if (root === null || root === '') return (s) => s;
  const prefix = root.endsWith('/') ? root : root + '/';
  return (s) => (s.startsWith(prefix) && s.length > prefix.length ? s.slice(prefix.length) : s);
}

export class SiteTable {
  private readonly byText = new Map<string, Site>();
  private readonly relative: (site: string) => string;

  constructor(root: string | null = null) {
    this.relative = relativizer(root);
  }

  /** The site `text[start, end)`; the key is looked up without keeping the line alive. */
  intern(text: string, start: number, end: number): Site {
    const key = start === 0 && end === text.length ? text : text.slice(start, end);
    let s = this.byText.get(key);
    if (s === undefined) {
      const own = copyString(key);
      s = {
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
    }
    return s;
  }

  /** A site given whole (a string already owned). */
  get(site: string): Site {
    return this.intern(site, 0, site.length);
  }

  /** The census: sites that allocated, most allocations first. */
  census(): SiteCensus[] {
    const rows: SiteCensus[] = [];
    const seen = new Set<Site>();
    for (const s of this.byText.values()) {
      if (s.allocations === 0 || seen.has(s)) continue;
      seen.add(s);
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
    // Two raw sites can be one once relative (the same file built twice): merge them.
    const merged = new Map<string, SiteCensus>();
    for (const r of rows) {
      const m = merged.get(r.site);
      if (m === undefined) merged.set(r.site, r);
      else addCensus(m, r);
    }
    return [...merged.values()].sort((a, b) => b.allocations - a.allocations || b.bytes - a.bytes || (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
  }
}
