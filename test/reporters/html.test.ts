import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../src/analyzer/facts.js';
import { renderHtml } from '../../src/reporters/html.js';
import { clientScript } from '../../src/reporters/html/client-script.js';
import { downsample } from '../../src/reporters/html/downsample.js';
import { fromReport } from '../../src/reporters/html/from-report.js';
import { encodeModel, packModel } from '../../src/reporters/html/pack.js';
import type { ReportData } from '../../src/reporters/html/packed.js';
import { embedBase64, embedJson, escapeHtml, html, SafeHtml } from '../../src/reporters/html/escape.js';
import { getReporter } from '../../src/reporters/registry.js';
import { demoReport, flat, hostileReport, HOSTILE, makeReport, syntheticReport } from '../browser/make-report.js';

/** The data the page's client script will read back. */
function embedded(page: string): ReportData {
  const m = /<script type="application\/json" id="report-data" data-encoding="([^"]+)">([^<]*)<\/script>/.exec(page);
  if (!m) throw new Error('no data element');
  return JSON.parse(m[1] === 'json' ? m[2] : gunzipSync(Buffer.from(m[2], 'base64')).toString('utf8')) as ReportData;
}

describe('escaping choke point', () => {
  it('escapeHtml escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml(42)).toBe('42');
  });

  it('html`` escapes every interpolation unless it is already SafeHtml', () => {
    const name = '<script>alert(1)</script>';
    const out = html`<td title="${name}">${name}${[name, html`<b>${'&'}</b>`]}${null}${false}${undefined}</td>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;' +
        '&lt;script&gt;alert(1)&lt;/script&gt;<b>&amp;</b></td>',
    );
  });

  it('embedJson cannot close its script element and round-trips', () => {
    const value = { s: '</script><!-- & > \u2028\u2029', n: [1, null] };
    const out = embedJson(value).value;
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });

  it('embedBase64 only accepts base64', () => {
    expect(embedBase64('QUJD+/8=').value).toBe('QUJD+/8=');
    expect(() => embedBase64('</script>')).toThrow(/base64/);
  });

  it('the client script never parses data as HTML', () => {
    expect(clientScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|srcdoc/);
  });
});

describe('html reporter', () => {
  it('is registered as "html" and renders at the end', () => {
    const factory = getReporter('html');
    expect(factory).toBeDefined();
    expect(factory!.needs).toMatchObject({ timelines: true, heapMaps: true });
    const reporter = factory!({ colors: false, quiet: false });
    const page = reporter.end(demoReport());
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('data-testid="tests-table"');
  });

  it('shows hostile names and sites only as escaped text', () => {
    const page = renderHtml(hostileReport());
    // Our two script elements, nothing else that could run or load.
    expect(page.match(/<script/gi)).toHaveLength(2);
    expect(page.match(/<\/script/gi)).toHaveLength(2);
    expect(page).not.toMatch(/<img|<svg onload|<iframe|<b>bold/i);
    // Server-rendered sections carry the text, escaped.
    expect(page).toContain(escapeHtml(HOSTILE.site));
    expect(page).toContain(escapeHtml(HOSTILE.script));
    // The client gets the exact strings back.
    const data = embedded(page);
    expect(data.names).toEqual(hostileReport().tests.map((t) => t.facts.name));
    expect(data.sites).toContain(HOSTILE.site2);
  });

  it('allows exactly its own inline script and style (CSP hashes match)', () => {
    const page = renderHtml(demoReport());
    // The attribute is escaped like any other; the browser decodes &#39; back to quotes.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1].replaceAll('&#39;', "'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1];
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain("default-src 'none'");
    // No URL the browser could fetch: no http(s) scheme, links only to data: or in-page anchors.
    expect(page).not.toMatch(/https?:/i);
    for (const [, url] of page.matchAll(/\b(?:src|href|action)="([^"]*)"/g)) expect(url).toMatch(/^(data:|#)/);
  });

  it('renders a 3,000-test report under 300 KB, with every test in it', () => {
    const judged = syntheticReport(3000);
    const report = flat(judged);
    const page = renderHtml(judged);
    const size = Buffer.byteLength(page);
    expect(size).toBeLessThan(300 * 1024);
    const data = embedded(page);
    expect(data.names).toHaveLength(3000);
    expect(data.names[2999]).toBe(report.tests[2999].name);
    // Timelines survive, thinned to the budget but never below the floor.
    expect(data.points).toBeGreaterThanOrEqual(8);
    expect(data.tl.every((t) => t !== 0 && t.length >= 16)).toBe(true);
  });

  it('keeps small reports as plain, full-resolution JSON', () => {
    const report = flat(demoReport());
    const packed = packModel(fromReport(report.judged));
    expect(packed.encoding).toBe('json');
    expect(packed.data.thinned).toBe(false);
    const longest = Math.max(...report.tests.map((t) => t.timeline.points.length));
    expect(Math.max(...packed.data.tl.map((t) => (t ? t.length / 2 : 0)))).toBe(longest);
  });

  it('encodes tests so the client can rebuild exact values', () => {
    const report = flat(demoReport());
    const d = encodeModel(fromReport(report.judged), 240);
    let index = 0;
    let start = 0;
    report.tests.forEach((t, k) => {
      index += d.c.i[k];
      start += d.c.sl[k];
      expect(index).toBe(t.index);
      expect(start).toBe(t.startLine);
      const details = d.d[k] || {};
      expect((details.L ?? []).map((b) => [b[0] + d.base, b[1], d.sites[b[2]], b[3] + start])).toEqual(
        t.leaks.map((b) => [b.address, b.size, b.site, b.line]),
      );
      const tl = d.tl[k] || [];
      const points: TimelinePoint[] = [];
      for (let i = 0, line = start; i < tl.length; i += 2) points.push({ line: (line += tl[i]), live: tl[i + 1] });
      expect(points).toEqual(t.timeline.points);
      const percent = k in d.pp ? d.pp[k] : t.heapSize ? Math.round((t.peakBytes / t.heapSize) * 100 * 100) / 100 : null;
      expect(percent).toBe(t.peakPercent === null ? null : Math.round(t.peakPercent * 100) / 100);
    });
  });

  it('says loudly when no profiling record was found', () => {
    const none = makeReport([]);
    const page = renderHtml({ ...none, facts: { ...none.facts, recordsSeen: false } });
    expect(page).toContain('data-testid="no-profiling"');
  });
});

describe('downsample', () => {
  const walk: TimelinePoint[] = Array.from({ length: 1000 }, (_, i) => ({ line: 10 + i * 3, live: (i * 7919) % 997 }));
  walk[500].live = 5000; // the peak
  walk[700].live = 0; // a heap reset

  it('keeps the first, last, highest and lowest points within the bound', () => {
    const out = downsample(walk, 40);
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out[0]).toEqual(walk[0]);
    expect(out.at(-1)).toEqual(walk.at(-1));
    expect(out).toContainEqual(walk[500]);
    expect(out.some((p) => p.live === 0)).toBe(true);
    expect(out.map((p) => p.line)).toEqual([...out.map((p) => p.line)].sort((a, b) => a - b));
  });

  it('leaves short histories alone', () => {
    expect(downsample(walk.slice(0, 10), 40)).toEqual(walk.slice(0, 10));
  });
});
