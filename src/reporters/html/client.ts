/**
 * The HTML report's client script (inlined). It reads the embedded data
 * (data.ts), renders the test table, details and timelines, and wires
 * sorting and filtering. Text from the log is only ever set through
 * `textContent` / `setAttribute`: no HTML parsing of data anywhere.
 * Written as plain ES2020 in a string so it runs unchanged from file://.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
'use strict';
var doc = document;
function $(id) { return doc.getElementById(id); }
// Namespace taken from the inline chart so the page itself carries no URL.
var SVG_NS = $('overview').namespaceURI;
var NUM = new Intl.NumberFormat('en-US');

function num(x) { return x === null || x === undefined ? '\u2014' : NUM.format(x); }
function bytes(x) { return x === null || x === undefined ? '\u2014' : NUM.format(x) + ' B'; }
function pct(x) { return x === null || x === undefined ? '\u2014' : x.toFixed(2) + ' %'; }
// host builds print 64-bit addresses: in full, never cut to 32 bits (SPEC §2.1)
function hex(a) { var s = Math.floor(a).toString(16); return '0x' + (s.length >= 8 ? s : '00000000'.slice(s.length) + s); }
function level(p) { return p === null ? 'none' : p >= 90 ? 'high' : p >= 70 ? 'mid' : 'low'; }
function plural(n, one, many) { return NUM.format(n) + ' ' + (n === 1 ? one : many || one + 's'); }

// el('td', {class: 'num'}, 'text', child…): attributes via setAttribute, text via text nodes.
function build(node, attrs, kids) {
  if (attrs) for (var k in attrs) {
    var v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.setAttribute('class', v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  for (var i = 0; i < kids.length; i++) {
    var c = kids[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) { build(node, null, c); continue; }
    node.appendChild(typeof c === 'object' ? c : doc.createTextNode(String(c)));
  }
  return node;
}
function el(tag, attrs) { return build(doc.createElement(tag), attrs, [].slice.call(arguments, 2)); }
function svg(tag, attrs) { return build(doc.createElementNS(SVG_NS, tag), attrs, [].slice.call(arguments, 2)); }
function r1(x) { return Math.round(x * 10) / 10; }

function loadData() {
  var node = $('report-data');
  var text = node.textContent || '';
  if (node.getAttribute('data-encoding') !== 'gzip+base64') return Promise.resolve(JSON.parse(text));
  if (typeof DecompressionStream === 'undefined')
    return Promise.reject(new Error('this browser cannot inflate the embedded data (no DecompressionStream); open the report in a current Chrome, Firefox or Safari, or use the JSON reporter'));
  var bin = atob(text.trim());
  var raw = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) raw[i] = bin.charCodeAt(i);
  var stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text().then(JSON.parse);
}

// Rebuilds full test objects from the column-wise payload (see data.ts).
function decode(data) {
  var c = data.c, index = 0, start = 0;
  return data.names.map(function (name, k) {
    index += c.i[k];
    start += c.sl[k];
    var heap = c.h[k], peak = c.pb[k], s = start, d = data.d[k] || {};
    var percent = Object.prototype.hasOwnProperty.call(data.pp, k) ? data.pp[k]
      : heap ? Math.round((peak / heap) * 100 * 100) / 100 : null;
    function block(t) { return { address: t[0] + data.base, size: t[1], site: data.sites[t[2]], line: t[3] + s }; }
    function free(t) {
      return { kind: t[0] === 0 ? 'double free' : 'invalid free', address: t[1] + data.base, site: data.sites[t[2]],
        line: t[3] + s, allocSite: t[4] < 0 ? null : data.sites[t[4]], firstFreeSite: t[5] < 0 ? null : data.sites[t[5]] };
    }
    function failed(t) { return { size: t[0], site: data.sites[t[1]], line: t[2] + s }; }
    var points = [], tl = data.tl[k];
    if (tl) for (var i = 0, line = s; i < tl.length; i += 2) { line += tl[i]; points.push({ line: line, live: tl[i + 1] }); }
    var ok = c.ok[k] === 1;
    var label = name === null ? '(outside any test)' : name;
    return {
      pos: k, name: name, label: label, search: label.toLowerCase(), index: index, total: c.t[k], outcome: c.o[k],
      ok: ok, status: !ok ? 'fail' : (c.rc[k] || c.xc[k]) ? 'warn' : 'pass',
      heap: heap, segments: c.sg[k], allocations: c.a[k], totalBytes: c.tb[k], peak: peak, percent: percent, startLine: s,
      leakCount: c.lc[k], leakBytes: c.lb[k], freeCount: c.fc[k], reclaimedCount: c.rc[k], persistentCount: c.pc[k],
      failedCount: c.xc[k], suppressedCount: c.sc[k], why: data.why[k] || [],
      leaks: (d.L || []).map(block), reclaimed: (d.R || []).map(block), persistent: (d.P || []).map(block),
      suppressed: (d.S || []).map(block), freeErrors: (d.F || []).map(free), suppressedFrees: (d.SF || []).map(free),
      failed: (d.X || []).map(failed), points: points, ceiling: c.th[k], row: null, details: null, open: false
    };
  });
}

var STATUS_TEXT = { pass: 'OK', warn: 'WARN', fail: 'FAIL' };
var STATUS_RANK = { fail: 0, warn: 1, pass: 2 };

function renderRow(t) {
  var fill = el('i', { class: 'lvl-' + level(t.percent) });
  fill.style.width = t.percent === null ? '0' : Math.min(100, t.percent) + '%';
  function cell(attrs) { attrs = attrs || {}; attrs.role = 'cell'; return el.apply(null, ['div', attrs].concat([].slice.call(arguments, 1))); }
  var tr = el('div', { role: 'row', class: 'grid row st-' + t.status, 'data-testid': 'test-row', 'data-pos': t.pos,
      id: 'test-' + t.index, tabindex: '0', 'aria-expanded': 'false' },
    cell(null, el('span', { class: 'pill ' + t.status }, STATUS_TEXT[t.status])),
    cell({ class: 'num muted' }, t.index),
    cell({ class: 'name', title: t.label }, t.name === null ? el('em', null, t.label) : t.label),
    cell({ class: 'muted' }, t.outcome || '\u2014'),
    cell({ class: 'num' }, num(t.peak)),
    cell({ class: 'num muted' }, num(t.heap)),
    cell({ class: 'pct', 'data-testid': 'peak-percent', 'data-value': t.percent === null ? '' : t.percent },
      el('span', { class: 'bar', 'aria-hidden': 'true' }, fill), el('span', { class: 'pv' }, pct(t.percent))),
    cell({ class: 'num' }, num(t.allocations)),
    cell({ class: 'num' + (t.leakCount ? ' hot' : ''), title: t.leakCount ? bytes(t.leakBytes) + ' leaked' : null }, num(t.leakCount)),
    cell({ class: 'num' + (t.freeCount ? ' hot' : '') }, num(t.freeCount)));
  t.row = tr;
  return tr;
}

function liveAt(points, line) {
  var v = points[0].live;
  for (var i = 0; i < points.length && points[i].line <= line; i++) v = points[i].live;
  return v;
}

// Heap usage over the test's log lines: live bytes as a step line, the heap
// size as the ceiling, and a marker at the line of each leaked block's alloc.
function renderTimeline(t, maxPoints) {
  var fig = el('figure', { class: 'timeline', 'data-testid': 'timeline' });
  var pts = t.points;
  if (!pts.length) {
    fig.appendChild(el('p', { class: 'muted' }, 'No heap activity was recorded during this test.'));
    return fig;
  }
  var W = 760, H = 180, L = 58, R = 14, T = 16, B = 26;
  var x0 = pts[0].line, x1 = pts[pts.length - 1].line, maxLive = 0, peakAt = pts[0];
  if (t.startLine > 0 && t.startLine < x0) x0 = t.startLine;
  pts.forEach(function (p) { if (p.live > maxLive) { maxLive = p.live; peakAt = p; } });
  t.leaks.forEach(function (b) { if (b.line > x1) x1 = b.line; if (b.line < x0) x0 = b.line; });
  if (x1 <= x0) x1 = x0 + 1;
  var ceiling = t.ceiling || t.heap || null;
  var yMax = Math.max(ceiling || 0, maxLive, t.peak) || 1;
  function X(line) { return r1(L + ((line - x0) / (x1 - x0)) * (W - L - R)); }
  function Y(v) { return r1(T + (1 - v / yMax) * (H - T - B)); }
  var d = 'M' + X(pts[0].line) + ' ' + Y(pts[0].live);
  for (var i = 1; i < pts.length; i++) d += 'H' + X(pts[i].line) + 'V' + Y(pts[i].live);
  d += 'H' + X(x1);
  var area = d + 'V' + Y(0) + 'H' + X(pts[0].line) + 'Z';
  // The label uses the test's measured peak; the dot sits on the highest kept point.
  var peakText = 'peak ' + bytes(Math.max(t.peak, maxLive)) + (t.percent !== null ? ' (' + pct(t.percent) + ')' : '');
  var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
    'aria-label': 'Heap usage of ' + t.label + ': ' + peakText + ', ' + plural(t.leaks.length, 'leak marker') });
  root.appendChild(svg('line', { class: 'tl-axis', x1: L, y1: Y(0), x2: W - R, y2: Y(0) }));
  root.appendChild(svg('line', { class: 'tl-axis', x1: L, y1: T, x2: L, y2: Y(0) }));
  if (ceiling) [70, 90].forEach(function (p) {
    var y = Y(ceiling * p / 100);
    root.appendChild(svg('line', { class: 'tl-guide', x1: L, y1: y, x2: W - R, y2: y }));
    root.appendChild(svg('text', { class: 'tl-text', x: L - 6, y: y + 4, 'text-anchor': 'end' }, p + '%'));
  });
  root.appendChild(svg('path', { class: 'tl-area', d: area }));
  root.appendChild(svg('path', { class: 'tl-line', d: d }));
  if (ceiling) {
    root.appendChild(svg('line', { class: 'tl-ceil', x1: L, y1: Y(ceiling), x2: W - R, y2: Y(ceiling) }));
    root.appendChild(svg('text', { class: 'tl-text ceil', x: W - R, y: Y(ceiling) - 4, 'text-anchor': 'end' }, 'heap ' + bytes(ceiling)));
  }
  root.appendChild(svg('text', { class: 'tl-text', x: L - 6, y: Y(0) + 4, 'text-anchor': 'end' }, '0'));
  root.appendChild(svg('text', { class: 'tl-text', x: L - 6, y: T + 4, 'text-anchor': 'end' }, num(yMax)));
  root.appendChild(svg('text', { class: 'tl-text', x: L, y: H - 6 }, 'log line ' + num(x0)));
  root.appendChild(svg('text', { class: 'tl-text', x: W - R, y: H - 6, 'text-anchor': 'end' }, 'log line ' + num(x1)));
  var px = X(peakAt.line), py = Y(peakAt.live);
  root.appendChild(svg('circle', { class: 'tl-peak', cx: px, cy: py, r: 3.5 }, svg('title', null, peakText + ' at log line ' + num(peakAt.line))));
  root.appendChild(svg('text', { class: 'tl-text', x: Math.min(px + 6, W - R - 150), y: Math.max(py - 6, T + 10) }, peakText));
  t.leaks.forEach(function (b) {
    var x = X(b.line), y = Y(liveAt(pts, b.line));
    root.appendChild(svg('line', { class: 'tl-leak-line', x1: x, y1: T, x2: x, y2: Y(0) }));
    root.appendChild(svg('path', { class: 'tl-leak', 'data-testid': 'leak-marker', d: 'M' + x + ' ' + (y - 5) + 'l5 5l-5 5l-5 -5z' },
      svg('title', null, 'leak: ' + bytes(b.size) + ' at ' + hex(b.address) + ' from ' + b.site + ' (log line ' + num(b.line) + ')')));
  });
  fig.appendChild(root);
  fig.appendChild(el('figcaption', null,
    el('span', null, el('span', { class: 'sw live' }), 'live bytes'),
    ceiling ? el('span', null, el('span', { class: 'sw ceil' }), 'heap size') : null,
    t.leaks.length ? el('span', null, el('span', { class: 'sw leak' }), 'leaked block allocated') : null,
    el('span', null, plural(pts.length, 'point') + (pts.length >= maxPoints ? ' (downsampled; peaks and dips kept)' : ''))));
  return fig;
}

function table(head, rows) {
  return el('table', null, el('thead', null, el('tr', null, head.map(function (h) {
    return el('th', { class: /^(Size|Log line)$/.test(h) ? 'num' : null }, h);
  }))), el('tbody', null, rows));
}
function blockTable(list) {
  return table(['Address', 'Size', 'Allocated at', 'Log line'], list.map(function (b) {
    return el('tr', null, el('td', { class: 'mono' }, hex(b.address)), el('td', { class: 'num' }, bytes(b.size)),
      el('td', { class: 'mono' }, b.site), el('td', { class: 'num' }, num(b.line)));
  }));
}
function freeTable(list) {
  return table(['Kind', 'Address', 'Freed at', 'Log line', 'Allocated at', 'First freed at'], list.map(function (f) {
    return el('tr', null, el('td', { class: 'kind' }, f.kind), el('td', { class: 'mono' }, hex(f.address)),
      el('td', { class: 'mono' }, f.site), el('td', { class: 'num' }, num(f.line)),
      el('td', { class: 'mono' }, f.allocSite || '\u2014'), el('td', { class: 'mono' }, f.firstFreeSite || '\u2014'));
  }));
}
function section(box, title, count, listed, content) {
  if (!count) return;
  box.appendChild(el('h3', null, title + ' (' + num(count) + ')'));
  box.appendChild(content);
  if (count > listed) box.appendChild(el('p', { class: 'more' }, num(count - listed) + ' more not listed here; the JSON reporter lists them all.'));
}
function sum(list) { return list.reduce(function (s, b) { return s + b.size; }, 0); }

function renderDetails(t, maxPoints) {
  var box = el('div', { class: 'details', 'data-testid': 'test-details' });
  box.appendChild(el('p', { class: 'facts' },
    'Test ' + num(t.index) + (t.total ? ' of ' + num(t.total) : '') + ' \u00b7 outcome ' + (t.outcome || 'unknown') +
    ' \u00b7 ' + plural(t.segments, 'heap segment') + ' \u00b7 ' + plural(t.allocations, 'allocation') + ', ' +
    bytes(t.totalBytes) + ' in total \u00b7 peak ' + bytes(t.peak) + (t.heap ? ' of ' + bytes(t.heap) : '') +
    (t.startLine ? ' \u00b7 starts at log line ' + num(t.startLine) : '')));
  if (!t.ok) box.appendChild(el('p', { class: 'why', 'data-testid': 'why' }, 'Fails the policy: ' +
    (t.why.length ? t.why.join('; ') : 'see the verdict') + '.'));
  box.appendChild(renderTimeline(t, maxPoints));
  section(box, 'Leaks \u2014 ' + bytes(t.leakBytes), t.leakCount, t.leaks.length, blockTable(t.leaks));
  section(box, 'Free errors', t.freeCount, t.freeErrors.length, freeTable(t.freeErrors));
  section(box, 'Failed allocations', t.failedCount, t.failed.length, table(['Size', 'Site', 'Log line'], t.failed.map(function (f) {
    return el('tr', null, el('td', { class: 'num' }, bytes(f.size)), el('td', { class: 'mono' }, f.site), el('td', { class: 'num' }, num(f.line)));
  })));
  section(box, 'Reclaimed by an in-test heap reset (warning)', t.reclaimedCount, t.reclaimed.length, blockTable(t.reclaimed));
  section(box, 'Persistent blocks \u2014 ' + bytes(sum(t.persistent)), t.persistentCount, t.persistent.length, blockTable(t.persistent));
  var sup = el('div');
  if (t.suppressed.length) sup.appendChild(blockTable(t.suppressed));
  if (t.suppressedFrees.length) sup.appendChild(freeTable(t.suppressedFrees));
  section(box, 'Suppressed (matched a suppression rule, not failures)', t.suppressedCount, t.suppressed.length + t.suppressedFrees.length, sup);
  if (!t.leakCount && !t.freeCount && !t.failedCount && !t.reclaimedCount && !t.persistentCount && !t.suppressedCount)
    box.appendChild(el('p', { class: 'muted' }, 'No leaks, free errors, failed allocations or kept blocks in this test.'));
  return box;
}

function start(data) {
  var tests = decode(data);
  var tbody = $('rows');
  var frag = doc.createDocumentFragment();
  tests.forEach(function (t) { frag.appendChild(renderRow(t)); });
  tbody.textContent = '';
  tbody.appendChild(frag);
  var empty = el('div', { class: 'empty', hidden: 'hidden' }, tests.length ? 'No test matches the filter.' : 'No test was found in the log.');
  tbody.appendChild(empty);

  function toggle(t, open) {
    t.open = open === undefined ? !t.open : open;
    t.row.setAttribute('aria-expanded', String(t.open));
    if (t.open && !t.details) {
      t.details = el('div', { role: 'row', class: 'details-row' }, el('div', { role: 'cell' }, renderDetails(t, data.points)));
      t.row.after(t.details);
    }
    if (t.details) t.details.hidden = !t.open || t.row.hidden;
  }
  function fromEvent(e) {
    var tr = e.target.closest && e.target.closest('.row');
    return tr ? tests[Number(tr.getAttribute('data-pos'))] : null;
  }
  tbody.addEventListener('click', function (e) {
    var t = fromEvent(e);
    // Let people select text in an expanded row without collapsing it.
    if (t && !String(window.getSelection ? window.getSelection() : '')) toggle(t);
  });
  tbody.addEventListener('keydown', function (e) {
    var t = fromEvent(e);
    if (t && (e.key === 'Enter' || e.key === ' ') && e.target === t.row) { e.preventDefault(); toggle(t); }
  });

  // Filtering: by name substring and failing-only.
  var filter = $('filter'), failing = $('failing-only'), count = $('count');
  function apply() {
    var q = filter.value.trim().toLowerCase(), only = failing.checked, shown = 0;
    tests.forEach(function (t) {
      var show = (!q || t.search.indexOf(q) >= 0) && (!only || !t.ok);
      t.row.hidden = !show;
      if (t.details) t.details.hidden = !show || !t.open;
      if (show) shown++;
    });
    empty.hidden = shown > 0;
    count.textContent = shown === tests.length ? plural(tests.length, 'test') : 'Showing ' + num(shown) + ' of ' + plural(tests.length, 'test');
  }
  filter.addEventListener('input', apply);
  failing.addEventListener('change', apply);
  apply();

  // Sorting: first click sorts descending for measures, ascending for labels; again flips.
  var KEYS = {
    status: function (t) { return STATUS_RANK[t.status]; }, index: function (t) { return t.index; },
    name: function (t) { return t.label; }, outcome: function (t) { return t.outcome; },
    peak: function (t) { return t.peak; }, heap: function (t) { return t.heap; }, pct: function (t) { return t.percent; },
    allocs: function (t) { return t.allocations; }, leaks: function (t) { return t.leakCount; }, frees: function (t) { return t.freeCount; }
  };
  var ASCENDING_FIRST = { status: 1, index: 1, name: 1, outcome: 1 };
  var sortKey = 'index', sortDir = 1;
  var heads = [].slice.call(doc.querySelectorAll('#tests-table [data-key]'));
  function sortBy(key) {
    sortDir = key === sortKey ? -sortDir : ASCENDING_FIRST[key] ? 1 : -1;
    sortKey = key;
    var get = KEYS[key];
    var order = tests.slice().sort(function (a, b) {
      var x = get(a), y = get(b);
      if (x === y || (x === null && y === null)) return a.pos - b.pos;
      if (x === null) return 1; // unknown values last either way
      if (y === null) return -1;
      var r = typeof x === 'string' ? x.localeCompare(y) : x - y;
      return (r * sortDir) || (a.pos - b.pos);
    });
    var f = doc.createDocumentFragment();
    order.forEach(function (t) { f.appendChild(t.row); if (t.details) f.appendChild(t.details); });
    f.appendChild(empty);
    tbody.appendChild(f);
    heads.forEach(function (th) {
      if (th.getAttribute('data-key') === key) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  heads.forEach(function (th) {
    th.classList.add('sortable');
    th.addEventListener('click', function () { sortBy(th.getAttribute('data-key')); });
  });

  // Jump to a test from the overview chart, the leak-site table or a #test-N link.
  function reveal(t) {
    if (t.row.hidden) { filter.value = ''; failing.checked = false; apply(); }
    toggle(t, true);
    t.row.scrollIntoView({ block: 'center' });
    t.row.focus({ preventScroll: true });
  }
  var byIndex = {};
  tests.forEach(function (t) { byIndex[t.index] = t; });
  function revealHash(hash) {
    var m = /^#test-(\d+)$/.exec(hash);
    if (m && byIndex[m[1]]) { reveal(byIndex[m[1]]); return true; }
    return false;
  }
  doc.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#test-"]');
    if (a && revealHash(a.getAttribute('href'))) e.preventDefault();
  });
  if (location.hash) revealHash(location.hash);

  renderOverview(tests, reveal);
}

// One bar per test, in log order, coloured by peak-percent threshold; failing tests ticked below.
function renderOverview(tests, reveal) {
  var chart = $('overview'), caption = $('overview-caption');
  var n = tests.length, W = 1000, H = 100, base = 88;
  if (!n) return;
  var w = W / n, paths = { low: '', mid: '', high: '', failing: '' };
  tests.forEach(function (t, k) {
    var x = r1(k * w), bw = Math.max(r1(w * 0.85), 0.3);
    if (t.percent !== null) {
      var h = Math.max(r1(Math.min(100, t.percent) / 100 * base), 0.5);
      paths[level(t.percent)] += 'M' + x + ' ' + base + 'v' + -h + 'h' + bw + 'v' + h + 'z';
    }
    if (!t.ok) paths.failing += 'M' + x + ' ' + (base + 4) + 'h' + Math.max(bw, 2) + 'v8h' + -Math.max(bw, 2) + 'z';
  });
  [70, 90].forEach(function (p) {
    var y = r1(base - p / 100 * base);
    chart.appendChild(svg('line', { class: 'guide', x1: 0, y1: y, x2: W, y2: y, 'vector-effect': 'non-scaling-stroke' }));
  });
  for (var k in paths) if (paths[k]) chart.appendChild(svg('path', { class: k, d: paths[k] }));
  chart.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  function at(e) {
    var box = chart.getBoundingClientRect();
    var k = Math.floor((e.clientX - box.left) / box.width * n);
    return tests[Math.max(0, Math.min(n - 1, k))];
  }
  chart.addEventListener('mousemove', function (e) {
    var t = at(e);
    caption.textContent = '#' + t.index + ' ' + t.label + ' \u2014 peak ' + bytes(t.peak) + ' (' + pct(t.percent) + ')' + (t.ok ? '' : ' \u2014 failing');
  });
  chart.addEventListener('mouseleave', function () { caption.textContent = 'Hover to identify a test, click to open it.'; });
  chart.addEventListener('click', function (e) { reveal(at(e)); });
}

// Without JavaScript the page shows a static list of failing tests instead.
$('nojs').hidden = true;
$('table-panel').hidden = false;
$('overview-panel').hidden = false;
loadData().then(start).catch(function (err) {
  var tbody = $('rows');
  tbody.textContent = '';
  tbody.appendChild(el('div', { class: 'empty', role: 'alert' }, 'Could not render the tests: ' + (err && err.message || err)));
  throw err;
});
})();
`;
