/**
 * View models for the HTML page's newer views, built by hand (the analyzer
 * does not produce them yet): the demo report plus a census, pools, layouts,
 * a heap map, carried blocks, corruption, several heaps and pools per test.
 */
import { syntheticHeapMap, rng } from '../../src/bench/html-model.js';
import { fromReport } from '../../src/reporters/html/from-report.js';
import type { HtmlModel } from '../../src/reporters/html/model.js';
import { demoReport, HOSTILE } from './make-report.js';

export const CARRIED_BY = 'tests/test_sign.py::test_blind_sign[nanosp]';

export function viewsModel(): HtmlModel {
  const model = fromReport(demoReport());
  const rand = rng(2024);
  const [first, second, third] = model.tests;
  for (const t of model.tests) {
    const free = (t.heapSize ?? 8192) - 96 - t.peakBytes;
    t.layout = {
      allocatedBytes: t.peakBytes + 96 + 40,
      overheadBytes: 136,
      freeBytes: free,
      freeBlocks: 3,
      largestFree: Math.floor(free / 2),
      fragmentation: 0.42,
      headroom: Math.max(0, Math.floor(free / 2) - 12),
    };
  }
  first.heapMap = syntheticHeapMap(rand, first.peakBytes);
  first.heapMap.chunks.find((c) => c.kind === 'used')!.site = HOSTILE.site;
  second.items.push({
    kind: 'carried', severity: 'info', text: 'carried', address: 0xda7a0400, size: 48, site: 'src/ui/review.c:174', line: second.startLine + 7, freedBy: CARRIED_BY,
  }, {
    kind: 'carried', severity: 'info', text: 'carried', address: 0xda7a0440, size: 24, site: 'src/ui/review.c:528', line: second.startLine + 9, freedBy: null,
  });
  third.items.push({
    kind: 'corruption', severity: 'error', text: 'header overwritten', address: 0xda7a0500, size: 16, site: 'src/parser/tlv.c:482', line: third.startLine + 11,
  }, {
    kind: 'leak', severity: 'error', text: 'leak', address: 0xda7a0600, size: 64, site: 'src/net/tx.c:88', line: third.startLine + 12, heap: 'app.tx', lastRefSite: 'src/net/tx.c:120',
  });
  third.pools = [{ pool: 'app.tx', blockSize: 64, blocks: 12, maxInUse: 9, overflows: 1 }];
  third.heaps = [
    { heap: null, heapSize: 8192, segments: 1, allocations: 40, totalBytes: 4000, peakBytes: third.peakBytes, peakPercent: third.peakPercent, layout: third.layout },
    { heap: 'ux', heapSize: 2048, segments: 1, allocations: 5, totalBytes: 300, peakBytes: 200, peakPercent: (200 / 2048) * 100 },
  ];
  model.totals.carried = 2;
  model.totals.corruption = 1;
  model.sites = [
    { site: 'src/parser/tlv.c:482', allocations: 900, bytes: 90_000, minSize: 8, maxSize: 400, maxLive: 12, temporary: 310, leaks: 2 },
    { site: 'src/crypto/hash.c:176', allocations: 700, bytes: 22_400, minSize: 32, maxSize: 32, maxLive: 2, temporary: 690, leaks: 0 },
    { site: HOSTILE.site, allocations: 450, bytes: 180_000, minSize: 100, maxSize: 1000, maxLive: 40, temporary: 0, leaks: 1 },
    { site: 'src/ui/review.c:174', allocations: 30, bytes: 3_000, minSize: 100, maxSize: 100, maxLive: 30, temporary: 0, leaks: 0 },
  ];
  model.pools = [
    { pool: 'app.tx', blockSize: 64, blocks: 12, maxInUse: 9, maxInUseTest: third.name, overflows: 1, sizing: `pool \`app.tx\`: 12 blocks, at most 9 in use (${third.name}); 3 spare` },
    { pool: 'app.rx', blockSize: 32, blocks: 16, maxInUse: 16, maxInUseTest: first.name, overflows: 4, sizing: 'pool `app.rx`: grew 4 times to 16 blocks: size it at 16' },
  ];
  return model;
}
