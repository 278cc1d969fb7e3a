// data.js - where the page's data comes from: the server's JSON API (rt-trace
// view) or, in a report, the answers embedded in <script id="rtk-data">
// keyed by the same request. Range requests (ticks, tasks, drops) are
// normalised here into marks with start/end in ns from the run's start, so
// the views do not care which source answered. In a report a range is
// assembled from the pre-aggregated level whose chunks fit it best.
'use strict';
(function (R) {
  const node = document.getElementById('rtk-data');
  let embedded = null;
  try { embedded = node ? JSON.parse(node.textContent) : null; } catch (e) {
    embedded = null;
    R.fatal = `the report's embedded data cannot be read: ${e.message}`;
  }
  R.embedded = embedded;
  R.mode = embedded ? 'report' : (location.protocol === 'file:' ? 'nodata' : 'server');

  function query(params) {
    const q = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    return q ? `?${q}` : '';
  }
  const cache = new Map();
  // GET an API answer: a Promise of its JSON; rejects with the server's
  // one-line error.
  R.api = function (path, params) {
    const key = path + query(params);
    if (R.mode === 'report') {
      if (key in embedded) {
        const v = embedded[key];
        if (v && typeof v === 'object' && !Array.isArray(v) && v.error) return Promise.reject(new Error(v.error));
        return Promise.resolve(v);
      }
      return Promise.reject(new Error(`not in this report: ${key}`));
    }
    if (R.mode === 'nodata') return Promise.reject(new Error('no data: open the page through rt-trace view, or a report made by rt-trace report'));
    if (cache.has(key)) return cache.get(key);
    const p = fetch(key).then(async r => {
      let j;
      try { j = await r.json(); } catch (e) { throw new Error(`${key}: the server answered ${r.status} without JSON`); }
      if (!r.ok) throw new Error(j && j.error ? j.error : `${key}: HTTP ${r.status}`);
      return j;
    });
    p.catch(() => cache.delete(key));
    // range answers are many and large: keep only the small ones
    // (live: nothing is kept, the database grows)
    if (!/\/api\/(ticks|tasks|drops)/.test(path) && !(R.meta && R.meta.live)) cache.set(key, p);
    return p;
  };

  // Marks of a range answer: ticks -> {t0, t1, max, count, over, rendered};
  // tasks -> slices {t0 (queued), ts (started), t1 (finished), ...} or
  // lane buckets {t0, t1, priority, count, busy, max}; drops -> buckets.
  function norm(what, a) {
    const r = a.range, w = r.width, out = { from: r.from, to: r.to, kind: null, marks: [], total: r[what] };
    if (what === 'ticks') {
      if (a.ticks) {
        out.kind = 'rows';
        for (const t of a.ticks) out.marks.push({ t0: t.start, t1: t.start + (t.duration || 0), max: t.duration, count: 1, over: t.over, rendered: t.rendered });
      } else {
        out.kind = 'buckets';
        for (const b of a.buckets) out.marks.push({ t0: r.from + b.bucket * w, t1: r.from + (b.bucket + 1) * w, max: b.max, count: b.count, over: b.over, rendered: b.rendered });
      }
    } else if (what === 'tasks') {
      if (a.tasks) {
        out.kind = 'rows';
        for (const t of a.tasks) out.marks.push({ t0: t.queued, ts: t.started === null ? t.queued : t.started, t1: t.finished === null ? (t.started === null ? t.queued : t.started) : t.finished, proc: t.proc, id: t.id, cause: t.cause, priority: t.priority, name: t.name });
      } else {
        out.kind = 'buckets';
        for (const b of a.lanes) out.marks.push({ t0: r.from + b.bucket * w, t1: r.from + (b.bucket + 1) * w, priority: b.priority, count: b.count, busy: b.busy, max: b.max });
      }
    } else {
      out.kind = 'buckets';
      out.drops = a.drops.map(b => ({ t0: r.from + b.bucket * w, t1: r.from + (b.bucket + 1) * w, reason: b.reason, count: b.count }));
      out.loss = a.tracer_loss.map(b => ({ t0: r.from + b.bucket * w, t1: r.from + (b.bucket + 1) * w, events: b.events, packets: b.packets }));
    }
    return out;
  }

  // A range of `what` for db, at about `buckets` buckets.
  R.range = async function (what, db, from, to, buckets) {
    if (R.mode !== 'report') {
      // The whole run is asked at a fixed 2000 buckets (RTT_API_WHOLE_BUCKETS):
      // the server computed that answer before it started.
      const whole = from <= 0 && to >= R.meta.dbs[db].duration_ns;
      const a = await R.api(`/api/${what}`, whole ? { db, from: 0, to: 0, buckets: 2000 } : { db, from: Math.floor(from), to: Math.ceil(to), buckets });
      return norm(what, a);
    }
    const rep = embedded['/report'];
    const dur = R.meta.dbs[db].duration_ns, nlev = rep.levels[what];
    // the finest level whose chunks are at least half the range wide
    let level = 0;
    while (level + 1 < nlev && dur / Math.pow(4, level + 1) >= (to - from) / 2) level++;
    const n = Math.pow(4, level), merged = { from, to, kind: null, marks: [], total: 0, drops: [], loss: [] };
    for (let c = Math.max(0, Math.floor(from / dur * n)); c < n && (dur * c / n) < to; c++) {
      const a = embedded[`/api/${what}?db=${db}&level=${level}&chunk=${c}`];
      if (!a) continue;
      const p = norm(what, a);
      merged.kind = merged.kind === 'buckets' ? 'buckets' : p.kind;
      merged.marks.push(...p.marks);
      merged.total += p.total || 0;
      if (p.drops) { merged.drops.push(...p.drops); merged.loss.push(...p.loss); }
    }
    return merged;
  };
})(window.RTK);
