/** Stylesheet of the HTML report (inlined; the page loads nothing). */
export const STYLE = `
:root{--bg:#f6f7f9;--panel:#fff;--ink:#1d232b;--muted:#5d6875;--line:#dfe3e8;--soft:#eef1f4;
--ok:#1a7f37;--ok-bg:#dff3e4;--warn:#9a6700;--warn-bg:#fff1c7;--bad:#c62828;--bad-bg:#fde4e4;
--low:#2da44e;--mid:#d4a72c;--high:#d73a49;--accent:#3b6fd8;--live:#3b6fd8;--live-fill:rgba(59,111,216,.16);
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1318;--panel:#171c23;--ink:#e3e7ec;--muted:#98a3b0;--line:#2b333d;
--soft:#1e252e;--ok:#4ac26b;--ok-bg:#12301d;--warn:#e3b341;--warn-bg:#33290d;--bad:#ff6b6b;--bad-bg:#3a1618;
--accent:#6d9bff;--live:#6d9bff;--live-fill:rgba(109,155,255,.18)}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1280px;margin:0 auto;padding:0 20px 40px}
h2{font-size:16px;margin:28px 0 10px}
h3{font-size:13px;margin:16px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
code,.mono{font-family:var(--mono);font-size:12.5px}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:var(--muted)}
.top{background:var(--panel);border-bottom:1px solid var(--line);border-top:4px solid var(--ok)}
body.fail .top{border-top-color:var(--bad)}
.top-in{max-width:1280px;margin:0 auto;padding:16px 20px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
.brand{font-weight:700;font-size:18px}.brand span{font-weight:400;color:var(--muted)}
.verdict{font-weight:800;font-size:18px;padding:4px 14px;border-radius:6px;background:var(--ok-bg);color:var(--ok)}
body.fail .verdict{background:var(--bad-bg);color:var(--bad)}
.verdict small{font-weight:500;font-size:12px;margin-left:6px;opacity:.8}
.reasons{margin:0;padding:0;list-style:none;flex:1;min-width:240px}
.reasons li{color:var(--bad);font-weight:600}
.meta{margin:0;color:var(--muted);font-size:12.5px}
.alarm{background:var(--bad-bg);color:var(--bad);border:1px solid var(--bad);border-radius:8px;padding:12px 16px;margin-top:18px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(128px,1fr));gap:10px;margin-top:18px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:21px;font-variant-numeric:tabular-nums}
.card span{color:var(--muted);font-size:12px}
.card.bad{border-color:var(--bad);background:var(--bad-bg)}.card.bad b{color:var(--bad)}
.card.warn{border-color:var(--warn);background:var(--warn-bg)}.card.warn b{color:var(--warn)}
.card.zero b{color:var(--muted);font-weight:500}
.card .sub{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px}
.overview{padding:10px 12px}
#overview{display:block;width:100%;height:72px;cursor:pointer}
#overview .low{fill:var(--low)}#overview .mid{fill:var(--mid)}#overview .high{fill:var(--high)}
#overview .failing{fill:var(--bad)}#overview .guide{stroke:var(--muted);stroke-dasharray:3 3;stroke-width:1;opacity:.6}
.ov-caption{display:flex;justify-content:space-between;gap:12px;color:var(--muted);font-size:12px;margin-top:4px;min-height:18px}
.ov-caption output{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.toolbar{display:flex;gap:14px;align-items:center;padding:10px 12px;border-bottom:1px solid var(--line);flex-wrap:wrap}
.toolbar input[type=search]{flex:1;min-width:200px;max-width:420px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--ink);font:inherit}
.switch{display:inline-flex;gap:8px;align-items:center;cursor:pointer;user-select:none}
.switch input{appearance:none;width:32px;height:18px;border-radius:9px;background:var(--line);position:relative;margin:0;cursor:pointer;transition:background .15s}
.switch input::after{content:"";position:absolute;top:2px;left:2px;width:14px;height:14px;border-radius:50%;background:#fff;transition:left .15s}
.switch input:checked{background:var(--bad)}.switch input:checked::after{left:16px}
.switch input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.count{margin-left:auto;color:var(--muted);font-size:12.5px}
.table{min-width:1080px}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-size:12px;color:var(--muted);font-weight:600;white-space:nowrap}
tr:last-child>td{border-bottom:0}
.grid{display:grid;grid-template-columns:78px 54px minmax(240px,1fr) 80px 96px 86px 172px 96px 60px 88px;align-items:center}
.grid>div{padding:6px 10px;min-width:0}
.thead{position:sticky;top:0;z-index:2;background:var(--panel);border-bottom:1px solid var(--line);border-radius:8px 8px 0 0}
.head>div{font-size:12px;color:var(--muted);font-weight:600;white-space:nowrap}
.head>div.sortable{cursor:pointer}
.head button{all:unset;cursor:pointer}
.head button:focus-visible{outline:2px solid var(--accent)}
.head>[aria-sort=ascending] button::after{content:" \\25B2"}
.head>[aria-sort=descending] button::after{content:" \\25BC"}
.head>[aria-sort]{color:var(--ink)}
.table.with-layout .grid{grid-template-columns:78px 54px minmax(240px,1fr) 80px 96px 86px 172px 96px 60px 88px 96px}
/* Fixed-height rows: the table draws only those in view and computes where the others would be. */
.row{cursor:pointer;border-bottom:1px solid var(--line);height:34px;overflow:hidden;content-visibility:auto;contain-intrinsic-size:auto 34px}
.row>div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.spacer{pointer-events:none}
/* The table sets its spacers itself: the browser must not also shift the scroll to keep rows in place. */
#rows{overflow-anchor:none}
.row:hover{background:var(--soft)}
.row:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
.row.st-fail{box-shadow:inset 3px 0 0 var(--bad)}
.row.st-warn{box-shadow:inset 3px 0 0 var(--warn)}
.row[aria-expanded=true]{background:var(--soft);border-bottom-color:transparent}
.name{font-family:var(--mono);font-size:12.5px}
.name em{font-family:system-ui,sans-serif;color:var(--muted)}
.pill{display:inline-block;font-size:11px;font-weight:700;padding:1px 7px;border-radius:10px;letter-spacing:.03em}
.pill.ok{background:var(--ok-bg);color:var(--ok)}.pill.idle{background:var(--soft);color:var(--muted)}.pill.fail{background:var(--bad-bg);color:var(--bad)}.pill.warn{background:var(--warn-bg);color:var(--warn)}
.pct{white-space:nowrap}
.bar{display:inline-block;vertical-align:middle;width:80px;height:8px;border-radius:4px;background:var(--soft);border:1px solid var(--line);overflow:hidden;margin-right:8px}
.bar i{display:block;height:100%}
.lvl-low{background:var(--low)}.lvl-mid{background:var(--mid)}.lvl-high{background:var(--high)}
.pv{display:inline-block;min-width:58px;text-align:right;font-variant-numeric:tabular-nums}
.hot{color:var(--bad);font-weight:700}
.hint{color:var(--warn);font-weight:600}
.details-row{background:var(--soft);padding:2px 14px 16px;border-bottom:1px solid var(--line)}
.details{max-width:1100px}
.facts{margin:8px 0;color:var(--muted)}
.why{margin:8px 0;padding:6px 10px;border-radius:6px;background:var(--bad-bg);color:var(--bad);font-weight:600}
.details table{background:var(--panel);border:1px solid var(--line);border-radius:6px;font-size:12.5px}
.details td,.details th{padding:4px 8px}
.details th{font-size:11.5px;color:var(--muted)}
.more{color:var(--muted);font-style:italic;margin:4px 0}
figure.timeline{margin:8px 0;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px}
figure.timeline svg{display:block;width:100%;height:auto;max-height:260px}
figure.timeline figcaption{font-size:12px;color:var(--muted);display:flex;gap:14px;flex-wrap:wrap;margin-top:2px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.sw.live{background:var(--live)}.sw.ceil{background:var(--bad)}.sw.leak{background:var(--bad);transform:rotate(45deg) scale(.8)}
.tl-area{fill:var(--live-fill)}.tl-line{fill:none;stroke:var(--live);stroke-width:1.6}
.tl-ceil{stroke:var(--bad);stroke-dasharray:6 4;stroke-width:1.2}
.tl-axis{stroke:var(--line);stroke-width:1}.tl-guide{stroke:var(--line);stroke-dasharray:2 4}
.tl-text{fill:var(--muted);font:11px system-ui,sans-serif}.tl-text.ceil{fill:var(--bad)}
.tl-peak{fill:var(--live);stroke:var(--panel);stroke-width:1.5}
.tl-leak{fill:var(--bad);stroke:var(--panel);stroke-width:1}.tl-leak-line{stroke:var(--bad);stroke-width:1;opacity:.5}
.sites td.mono{word-break:break-all}
.sites a,.jump{color:var(--accent);text-decoration:none;font-family:var(--mono);font-size:12px}
.sites a:hover{text-decoration:underline}
.list-tests{display:flex;flex-direction:column;gap:2px}
section.panel>table th{background:var(--panel)}
.empty{padding:18px;text-align:center;color:var(--muted)}
.kind{font-family:var(--mono);font-size:12px;color:var(--muted)}
footer{max-width:1280px;margin:0 auto;padding:0 20px 30px;color:var(--muted);font-size:12px}
.nojs{padding:10px 14px;margin-top:12px}
.table-panel{margin-top:12px}.changes{padding:0 12px}
.sev-tag{display:inline-block;margin-left:8px;font-size:10.5px;font-weight:700;padding:0 6px;border-radius:8px;letter-spacing:.03em;text-transform:none}
.sev-tag.sev-error{background:var(--bad-bg);color:var(--bad)}.sev-tag.sev-warning{background:var(--warn-bg);color:var(--warn)}
.sev-tag.sev-info,.sev-tag.sev-suppressed{background:var(--soft);color:var(--muted)}
tr.sev-error>td:first-child{box-shadow:inset 3px 0 0 var(--bad)}tr.sev-warning>td:first-child{box-shadow:inset 3px 0 0 var(--warn)}
tr.sev-suppressed{color:var(--muted)}
.at-peak{margin:8px 0}
table.layout{width:auto;min-width:520px}table.layout th{text-align:left;color:var(--ink);font-size:12.5px}
figure.heap-map{margin:8px 0;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px}
.hm-head{font-size:12.5px;margin-bottom:4px}
.hm-strip{display:block;width:100%;height:56px}
.hm-chunk{stroke:var(--panel);stroke-width:.5;vector-effect:non-scaling-stroke}
.hm-free{fill:var(--line)}.hm-free.hm-largest{fill:var(--soft);stroke:var(--ink);stroke-width:1}
.hm-overhead{pointer-events:none;opacity:.75}
.hm-hatch-bg{fill:var(--soft)}.hm-hatch-line{stroke:var(--muted);stroke-width:2}
.hm-largest-mark{fill:var(--ink)}
.hm-axis{display:flex;justify-content:space-between;font-size:11px}
figure.heap-map figcaption{font-size:12px;color:var(--muted);display:flex;gap:14px;flex-wrap:wrap;margin-top:2px}
.sw.hm-live{background:linear-gradient(90deg,#3b6fd8 33%,#2da44e 33% 66%,#d4a72c 66%)}.sw.hm-free-sw{background:var(--line)}
.sw.hm-over-sw{background:repeating-linear-gradient(45deg,var(--soft) 0 2px,var(--muted) 2px 3px)}.sw.hm-largest-sw{background:var(--ink)}
.hm-sites{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px}
.sizing{margin:8px 12px;padding-left:18px;font-family:var(--mono);font-size:12.5px}
#census-table th.sortable{cursor:pointer}#census-table th button{all:unset;cursor:pointer}
#census-table th[aria-sort=ascending] button::after{content:" \\25B2"}#census-table th[aria-sort=descending] button::after{content:" \\25BC"}
`;
