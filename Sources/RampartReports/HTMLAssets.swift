/// The HTML report's one stylesheet and one script. They are constants, embedded verbatim; the report's
/// Content-Security-Policy allows exactly these texts by their SHA-256 (computed when the report is rendered), so
/// nothing else — an injected handler, a second script, a style attribute in markup — can run or apply.
///
/// The script never builds markup from strings: every value from the report goes in through `textContent`,
/// `title` or `href` of a fixed shape, so a resource named `</script><img src=x onerror=…>` stays text.
enum HTMLAssets {
    /// Height of one findings-table row in pixels; the stylesheet and the script's virtual scrolling share it.
    static let rowHeight = 30

    static let style = #"""
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--panel:#f6f8fa;--accent:#0b57d0;
--critical:#8b0000;--high:#c4320a;--medium:#9a6700;--low:#1f6feb;--pass:#1a7f37;--fail:#cf222e;--na:#6e7781;--ne:#8250df}
*{box-sizing:border-box}
html{scroll-padding-top:48px}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,tr:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:1px}
header.top{padding:16px 24px;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline}
header.top h1{font-size:20px;margin:0}
header.top p{margin:0;color:var(--muted)}
nav.toc{padding:8px 24px;border-bottom:1px solid var(--line);background:var(--panel);position:sticky;top:0;z-index:3}
nav.toc a{margin-right:16px}
main{padding:0 24px 48px;max-width:1600px}
section>h2{font-size:18px;margin:28px 0 12px}
h3{font-size:15px;margin:20px 0 8px}
.verdict{font-weight:700;padding:2px 10px;border-radius:12px;color:#fff}
.verdict.failed,.verdict.incomplete{background:var(--fail)}.verdict.passed{background:var(--pass)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px;align-items:start}
figure p{margin:4px 0 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--bg)}
.card h3{margin:0 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .big{font-size:26px;font-weight:700}
.card ul{list-style:none;margin:4px 0 0;padding:0}
.card li{display:flex;justify-content:space-between;gap:8px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:16px;margin-top:16px;align-items:start}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
figcaption{font-weight:600;margin-bottom:6px}
svg text{font:11px system-ui,"DejaVu Sans",sans-serif;fill:var(--fg)}
svg .bar{fill:var(--accent)}
.sev-critical{--c:var(--critical)}.sev-high{--c:var(--high)}.sev-medium{--c:var(--medium)}.sev-low{--c:var(--low)}
svg rect.sev-critical,svg rect.sev-high,svg rect.sev-medium,svg rect.sev-low{fill:var(--c)}
.sev{display:inline-block;min-width:64px;padding:0 6px;border-radius:4px;color:#fff;background:var(--c);font-size:12px;line-height:20px;text-align:center;font-weight:600}
.sev::before{content:"\25A0  ";font-size:9px;vertical-align:1px}
.sev-critical.sev::before{content:"\25B2  "}
.status{font-weight:600;white-space:nowrap}
.status.pass{color:var(--pass)}.status.violation,.status.error{color:var(--fail)}.status.not-evaluable{color:var(--ne)}.status.not-applicable{color:var(--na)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line)}
thead th{background:var(--panel);font-weight:600}
caption{text-align:left;font-weight:600;padding:4px 0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
table.checklist th[scope=row] code{word-break:normal;white-space:nowrap}
table.checklist th[scope=row]{width:1%}
.needs-js{display:none}
.js .needs-js{display:block}
.js .no-js{display:none}
.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;margin-bottom:8px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filters select,.filters input{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px;max-width:260px;color:var(--fg);background:var(--bg)}
.filters input[type=search]{width:260px}
button{font:inherit;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:var(--panel);color:var(--fg);cursor:pointer}
#shown-count{display:block;margin:4px 0 8px}
.scroll{height:65vh;min-height:320px;overflow:auto;border:1px solid var(--line);border-radius:6px}
table.findings{table-layout:fixed}
table.findings thead th{position:sticky;top:0;z-index:2;height:32px;padding:0 6px}
table.findings thead th button{all:unset;cursor:pointer;display:block;width:100%}
table.findings thead th[aria-sort=ascending] button::after{content:" \25B2"}
table.findings thead th[aria-sort=descending] button::after{content:" \25BC"}
table.findings tr.row>*{height:30px;padding:0 6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:middle;border-bottom:1px solid #eaeef2}
table.findings tr.grp>th{background:#eef2f6;font-weight:400}
table.findings tr.grp strong{margin-right:8px}
table.findings tr.f{cursor:pointer}
table.findings tr.f:hover,table.findings tr.f.selected{background:#ddf4ff}
table.findings tr.spacer td{padding:0;border:0}
col.c-sev{width:100px}col.c-lvl{width:96px}col.c-out{width:150px}col.c-pol{width:24%}col.c-loc{width:14%}
.state{color:var(--muted);font-size:12px}
#detail{margin-top:12px;border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--panel)}
#detail dl,.policy dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:6px 0}
#detail dt,.policy dt{font-weight:600}
#detail dd,.policy dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
details.policy{border-bottom:1px solid var(--line);padding:4px 0}
details.policy summary{cursor:pointer}
details.policy[open]{background:var(--panel);padding:4px 8px}
ul.plain{margin:0;padding-left:18px}
.print-note{display:none}
@media print{
 nav.toc,.filters,#detail,.no-print,button{display:none!important}
 body{font-size:10pt}
 main{padding:0;max-width:none}
 .scroll{height:auto;min-height:0;overflow:visible;border:0}
 table.findings thead th{position:static}
 table.findings tr.row>*{white-space:normal;height:auto;padding:2px 4px}
 .charts{grid-template-columns:1fr 1fr}
 figure,.card,tr{break-inside:avoid}
 details.policy:not([open])>summary~*{display:block}
 .sev{color:#000;background:none;border:1px solid #000}
 .print-note{display:block}
 a{color:inherit;text-decoration:none}
}
"""#

    static let script = #"""
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');
  var D = JSON.parse(document.getElementById('rampart-data').textContent);
  var F = D.findings, R = D.resources, P = D.policies, S = D.stacks, T = D.texts;
  var SEV = D.severities, LEVEL = D.levels, OUTCOME = D.outcomes, STATE = D.states;
  // Finding fields (the order HTMLData writes them in).
  var STACK = 0, RES = 1, POL = 2, SV = 3, LV = 4, OU = 5, ST = 6, MSG = 7, LOC = 8, REM = 9, FIX = 10, EXR = 11;
  var ROW = D.rowHeight, PRINT_MAX = 2000, OVERSCAN = 12;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function policyLabel(p) { return P[p][0] + '/' + P[p][1]; }
  function firstLine(s) { var n = s.indexOf('\n'); return n < 0 ? s : s.slice(0, n) + ' …'; }

  // Ranks turn string sorts into number sorts: a 100,000-row sort then takes milliseconds.
  function ranks(count, label) {
    var order = [], r = new Array(count), i;
    for (i = 0; i < count; i++) order.push(i);
    order.sort(function (a, b) { return cmp(label(a), label(b)) || a - b; });
    for (i = 0; i < count; i++) r[order[i]] = i;
    return r;
  }
  var stackRank = ranks(S.length, function (i) { return S[i]; });
  var policyRank = ranks(P.length, policyLabel);
  var resourceRank = ranks(R.length, function (i) { return S[R[i][0]] + '\u0000' + R[i][1]; });
  var LEVEL_RANK = {}; ['disabled', 'advisory', 'remediate', 'mandatory'].forEach(function (n, i) { LEVEL_RANK[n] = i; });

  var KEYS = {
    severity: function (i) { return F[i][SV]; },
    level: function (i) { return LEVEL_RANK[LEVEL[F[i][LV]]] || 0; },
    outcome: function (i) { return F[i][OU] * 4 + F[i][ST]; },
    policy: function (i) { return policyRank[F[i][POL]]; },
    message: function (i) { return F[i][MSG]; },
    location: function (i) { return F[i][LOC]; },
    resource: function (i) { return resourceRank[F[i][RES]]; }
  };

  // MARK: filters
  var filters = {
    stack: $('f-stack'), pack: $('f-pack'), policy: $('f-policy'), severity: $('f-severity'),
    level: $('f-level'), outcome: $('f-outcome'), state: $('f-state')
  };
  var text = $('f-text');
  var packNames = [], packOf = new Array(P.length);
  P.forEach(function (p, i) {
    var k = packNames.indexOf(p[0]);
    if (k < 0) { k = packNames.length; packNames.push(p[0]); }
    packOf[i] = k;
  });
  function fill(select, labels, order) {
    (order || labels.map(function (_, i) { return i; })).forEach(function (i) {
      var o = el('option', null, labels[i]);
      o.value = String(i);
      select.appendChild(o);
    });
  }
  fill(filters.stack, S, S.map(function (_, i) { return i; }).sort(function (a, b) { return stackRank[a] - stackRank[b]; }));
  fill(filters.pack, packNames);
  fill(filters.policy, P.map(function (_, i) { return policyLabel(i); }),
       P.map(function (_, i) { return i; }).sort(function (a, b) { return policyRank[a] - policyRank[b]; }));
  fill(filters.severity, SEV, SEV.map(function (_, i) { return SEV.length - 1 - i; }));
  fill(filters.level, LEVEL);
  fill(filters.outcome, OUTCOME);
  fill(filters.state, STATE);

  var searchText = null;
  function haystack(i) {
    if (!searchText) searchText = new Array(F.length);
    var s = searchText[i];
    if (s === undefined) {
      var f = F[i], r = R[f[RES]];
      s = (f[MSG] + '\n' + r[1] + '\n' + r[2] + '\n' + r[3] + '\n' + policyLabel(f[POL]) + '\n' + S[f[STACK]] + '\n' + f[LOC]).toLowerCase();
      searchText[i] = s;
    }
    return s;
  }

  // MARK: the visible rows
  var sortKey = 'severity', sortDir = -1;
  var rows = new Int32Array(0);   // >= 0: a finding; < 0: the header of group -1 - value
  var groupCount = 0, shown = 0, selected = -1, focusRow = -1;

  var applies = 0;
  function apply() {
    var started = performance.now();
    var v = {}, k;
    for (k in filters) v[k] = filters[k].value === '' ? -1 : +filters[k].value;
    var q = text.value.trim().toLowerCase();
    var idx = [], i, f;
    for (i = 0; i < F.length; i++) {
      f = F[i];
      if ((v.stack >= 0 && f[STACK] !== v.stack) || (v.pack >= 0 && packOf[f[POL]] !== v.pack) ||
          (v.policy >= 0 && f[POL] !== v.policy) || (v.severity >= 0 && f[SV] !== v.severity) ||
          (v.level >= 0 && f[LV] !== v.level) || (v.outcome >= 0 && f[OU] !== v.outcome) ||
          (v.state >= 0 && f[ST] !== v.state)) continue;
      if (q && haystack(i).indexOf(q) < 0) continue;
      idx.push(i);
    }
    var key = KEYS[sortKey], dir = sortDir, best = new Map();
    // Groups stay together: a group sorts by its best member, members by their own key.
    for (i = 0; i < idx.length; i++) {
      var g = F[idx[i]][RES], kv = key(idx[i]), b = best.get(g);
      if (b === undefined || cmp(kv, b) * dir < 0) best.set(g, kv);
    }
    idx.sort(function (a, b) {
      var ga = F[a][RES], gb = F[b][RES];
      if (ga !== gb) return cmp(best.get(ga), best.get(gb)) * dir || resourceRank[ga] - resourceRank[gb];
      return cmp(key(a), key(b)) * dir || a - b;
    });
    var out = [], last = -1;
    groupCount = 0;
    for (i = 0; i < idx.length; i++) {
      var gi = F[idx[i]][RES];
      if (gi !== last) { out.push(-1 - gi); last = gi; groupCount++; }
      out.push(idx[i]);
    }
    rows = Int32Array.from(out);
    shown = idx.length;
    focusRow = -1;
    $('shown').textContent = String(shown);
    $('shown-groups').textContent = String(groupCount);
    $('findings-table').setAttribute('aria-rowcount', String(rows.length + 1));
    scroller.scrollTop = 0;
    render();
    // For the browser tests and docs/performance.md: how long the last filter or sort took, and how many ran.
    root.dataset.applyMs = (performance.now() - started).toFixed(1);
    root.dataset.applies = String(++applies);
  }

  // MARK: rendering (only the rows in view exist in the DOM)
  var scroller = $('findings-scroll'), body = $('findings-body');

  function spacer(height) {
    var tr = el('tr', 'spacer'), td = el('td');
    td.colSpan = 6;
    td.style.height = height + 'px';
    tr.setAttribute('aria-hidden', 'true');
    tr.appendChild(td);
    return tr;
  }

  function groupRow(r, g) {
    var res = R[g], tr = el('tr', 'row grp'), th = el('th');
    th.colSpan = 6;
    th.scope = 'colgroup';
    if (res[1]) {
      th.appendChild(el('strong', null, res[3]));
      th.appendChild(el('span', 'mono', res[2]));
      th.appendChild(document.createTextNode('  '));
      th.appendChild(el('span', 'mono muted', res[1]));
      th.title = res[3] + '\n' + res[2] + '\n' + res[1] + '\n' + S[res[0]];
    } else {
      th.appendChild(el('strong', null, S[res[0]]));
      th.appendChild(el('span', 'muted', 'stack, project files and organisation (no resource)'));
      th.title = S[res[0]];
    }
    tr.setAttribute('aria-rowindex', String(r + 2));
    tr.appendChild(th);
    return tr;
  }

  function findingRow(r, i) {
    var f = F[i], tr = el('tr', 'row f' + (i === selected ? ' selected' : ''));
    tr.tabIndex = 0;
    tr.dataset.row = String(r);
    tr.setAttribute('aria-rowindex', String(r + 2));
    var sev = el('td'); sev.appendChild(el('span', 'sev sev-' + SEV[f[SV]], SEV[f[SV]]));
    var out = el('td', null, OUTCOME[f[OU]]);
    if (f[ST] > 0) out.appendChild(el('span', 'state', ' · ' + STATE[f[ST]]));
    var pol = el('td'), a = el('a', null, policyLabel(f[POL]));
    a.href = '#policy-' + f[POL];
    pol.appendChild(a);
    var msg = el('td', null, firstLine(f[MSG]));
    msg.title = f[MSG];
    var s = S[f[STACK]], loc = el('td', 'mono', f[LOC] || s);
    loc.title = f[LOC] ? f[LOC] + ' (' + s + ')' : s;
    tr.appendChild(sev); tr.appendChild(el('td', null, LEVEL[f[LV]])); tr.appendChild(out);
    tr.appendChild(pol); tr.appendChild(msg); tr.appendChild(loc);
    return tr;
  }

  function rowElement(r) { var v = rows[r]; return v < 0 ? groupRow(r, -1 - v) : findingRow(r, v); }

  var pending = false;
  function render() {
    pending = false;
    var h = scroller.clientHeight || 600, top = scroller.scrollTop;
    var first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    var last = Math.min(rows.length, Math.ceil((top + h) / ROW) + OVERSCAN);
    var frag = document.createDocumentFragment();
    frag.appendChild(spacer(first * ROW));
    for (var r = first; r < last; r++) frag.appendChild(rowElement(r));
    frag.appendChild(spacer((rows.length - last) * ROW));
    body.replaceChildren(frag);
    if (focusRow >= first && focusRow < last) {
      var t = body.querySelector('tr[data-row="' + focusRow + '"]');
      if (t) t.focus({ preventScroll: true });
    }
    $('findings-empty').hidden = rows.length > 0;
  }
  scroller.addEventListener('scroll', function () {
    if (!pending) { pending = true; requestAnimationFrame(render); }
  }, { passive: true });
  window.addEventListener('resize', function () { render(); });

  // MARK: details of one finding
  function dd(dl, term, value, cls) {
    if (value === null || value === undefined || value === '') return;
    dl.appendChild(el('dt', null, term));
    var d = el('dd', cls);
    if (typeof value === 'string') d.textContent = value; else d.appendChild(value);
    dl.appendChild(d);
  }
  function showDetail(i) {
    selected = i;
    var f = F[i], res = R[f[RES]], box = $('detail');
    var dl = el('dl');
    var link = el('a', null, policyLabel(f[POL]) + ' — explanation, frameworks, equivalents');
    link.href = '#policy-' + f[POL];
    dd(dl, 'Policy', link);
    dd(dl, 'Severity', SEV[f[SV]]);
    dd(dl, 'Level', LEVEL[f[LV]]);
    dd(dl, 'Outcome', OUTCOME[f[OU]] + (f[ST] > 0 ? ' (' + STATE[f[ST]] + ')' : ''));
    dd(dl, 'Stack', S[f[STACK]]);
    if (res[1]) { dd(dl, 'Resource', res[3] + ' (' + res[2] + ')'); dd(dl, 'URN', res[1], 'mono'); }
    dd(dl, 'Location', f[LOC], 'mono');
    dd(dl, 'Message', f[MSG]);
    dd(dl, 'Remediation', f[REM] >= 0 ? T[f[REM]] : '');
    dd(dl, 'Proposed fix', f[FIX]);
    dd(dl, 'Exemption', f[EXR]);
    box.replaceChildren(el('h3', null, 'Finding'), dl);
    box.hidden = false;
    var sel = body.querySelectorAll('tr.selected');
    for (var k = 0; k < sel.length; k++) sel[k].classList.remove('selected');
  }

  body.addEventListener('click', function (e) {
    if (e.target.closest('a')) return;
    var tr = e.target.closest('tr.f');
    if (!tr) return;
    focusRow = +tr.dataset.row;
    showDetail(rows[focusRow]);
    tr.classList.add('selected');
  });
  body.addEventListener('keydown', function (e) {
    var tr = e.target.closest('tr.f');
    if (!tr) return;
    var r = +tr.dataset.row, next = r;
    if (e.key === 'Enter' || e.key === ' ') {
      if (e.target.closest('a')) return;
      e.preventDefault();
      focusRow = r;
      showDetail(rows[r]);
      tr.classList.add('selected');
      return;
    }
    if (e.key === 'ArrowDown') { next = r + 1; while (next < rows.length && rows[next] < 0) next++; }
    else if (e.key === 'ArrowUp') { next = r - 1; while (next >= 0 && rows[next] < 0) next--; }
    else if (e.key === 'Home') { next = 0; while (next < rows.length && rows[next] < 0) next++; }
    else if (e.key === 'End') { next = rows.length - 1; }
    else return;
    e.preventDefault();
    if (next < 0 || next >= rows.length || rows[next] < 0) return;
    focusRow = next;
    var top = next * ROW, h = scroller.clientHeight;
    if (top < scroller.scrollTop + ROW) scroller.scrollTop = Math.max(0, top - ROW);
    else if (top + ROW > scroller.scrollTop + h) scroller.scrollTop = top + 2 * ROW - h;
    render();
  });

  // MARK: sorting
  var headers = document.querySelectorAll('#findings-table thead th[data-key]');
  function markSort() {
    for (var k = 0; k < headers.length; k++) {
      var th = headers[k];
      if (th.dataset.key === sortKey) th.setAttribute('aria-sort', sortDir < 0 ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }
  Array.prototype.forEach.call(headers, function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var key = th.dataset.key;
      if (key === sortKey) sortDir = -sortDir;
      else { sortKey = key; sortDir = (key === 'severity' || key === 'level') ? -1 : 1; }
      markSort();
      apply();
    });
  });

  var timer = 0;
  for (var k in filters) filters[k].addEventListener('change', apply);
  text.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  $('f-clear').addEventListener('click', function () {
    for (var k in filters) filters[k].value = '';
    text.value = '';
    apply();
  });

  // MARK: policy explanations
  function openPolicy(hash) {
    if (!/^#policy-\d+$/.test(hash)) return;
    var d = document.getElementById(hash.slice(1));
    if (d && d.tagName === 'DETAILS') { d.open = true; d.scrollIntoView(); d.querySelector('summary').focus(); }
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest('a[href^="#policy-"]');
    if (a) openPolicy(a.getAttribute('href'));
  });
  window.addEventListener('hashchange', function () { openPolicy(location.hash); });

  // MARK: print: the whole (filtered) table, up to PRINT_MAX rows, instead of the rows in view
  window.addEventListener('beforeprint', function () {
    var frag = document.createDocumentFragment(), n = Math.min(rows.length, PRINT_MAX);
    for (var r = 0; r < n; r++) frag.appendChild(rowElement(r));
    body.replaceChildren(frag);
    $('print-note').textContent = n < rows.length ? 'Printed: the first ' + n + ' of ' + rows.length + ' rows of the table.' : '';
  });
  window.addEventListener('afterprint', render);

  markSort();
  apply();
  openPolicy(location.hash);
  root.dataset.renderMs = String(Math.round(performance.now()));
  root.dataset.ready = 'true';
})();
"""#
}
