// format.js - number presentation (durations in ns as "1.23 ms", shares as
// "12.5 %", counts with thin separators) and small DOM helpers. The
// figures themselves come from the server; this only formats them.
'use strict';
window.RTK = window.RTK || {};
(function (R) {
  R.fmtNs = function (ns) {
    if (ns === null || ns === undefined || Number.isNaN(ns)) return '–';
    const a = Math.abs(ns);
    if (a < 1e3) return `${Math.round(ns)} ns`;
    if (a < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
    if (a < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
    return `${(ns / 1e9).toPrecision(4)} s`;
  };
  // A time on the run's axis, with a precision that fits the visible span.
  R.fmtAt = function (ns, span) {
    const digits = Math.max(0, Math.min(9, Math.ceil(-Math.log10(Math.max(span, 1) / 1e9)) + 2));
    return `${(ns / 1e9).toFixed(digits)} s`;
  };
  R.fmtShare = v => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(2)} %`);
  R.fmtCount = v => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US'));
  R.el = function (tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null) e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  };
  // A table from rows of cells; header: column titles.
  R.table = function (header, rows, attrs) {
    const t = R.el('table', attrs || {});
    t.append(R.el('thead', {}, R.el('tr', {}, ...header.map(h => R.el('th', { text: h })))));
    const tb = R.el('tbody');
    for (const r of rows) tb.append(r);
    t.append(tb);
    return t;
  };
  R.prioName = p => (p === null || p === undefined ? 'prio ?' : `prio ${p}`);
})(window.RTK);
