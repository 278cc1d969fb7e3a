// timeline.js - the frame timeline (every tick over the range, over-budget
// ones red) and the task timeline (slices by priority lane, queued-to-
// started wait as a thin line before each run; above the server's limit,
// per-pixel busy buckets), on two canvases sharing one range. Wheel zooms
// around the pointer, drag pans, from the whole run down to microseconds.
// A redraw uses the marks already fetched (cheap, every animation frame);
// the range's own marks are fetched once the wheel rests (~80 ms), at one
// bucket per pixel, so nothing is shipped whole.
'use strict';
(function (R) {
  const MIN_SPAN = 2000; // ns
  const T = {
    from: 0, to: 1, dur: 1, db: 0, ticks: null, tasks: null, lanes: [], hover: null, sel: null,
    frames: 0, drawMs: 0, pending: 0, fetchTimer: 0, seq: 0, drawQueued: false,
  };
  R.timeline = T;

  function xOf(t, w) { return (t - T.from) / (T.to - T.from) * w; }
  function tOf(x, w) { return T.from + x / w * (T.to - T.from); }

  function setup(cv) {
    const dpr = window.devicePixelRatio || 1, w = cv.clientWidth, h = cv.clientHeight;
    if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
      cv.width = Math.round(w * dpr);
      cv.height = Math.round(h * dpr);
    }
    const g = cv.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    return [g, w, h];
  }

  function drawFrames() {
    const cv = T.cvFrames;
    const [g, w, h] = setup(cv);
    g.fillStyle = '#f8fafc';
    g.fillRect(0, 0, w, h);
    const d = T.ticks;
    if (!d) return;
    // heights on a log scale from 1 µs to 3 budgets: a 50 µs tick and a
    // 30 ms one both show
    const budget = T.budget || 16.7e6, lo = 1e3, span = Math.log(budget * 3 / lo);
    const yOf = v => h - 4 - Math.min(1, Math.max(0, Math.log(Math.max(v, lo) / lo) / span)) * (h - 14);
    for (const m of d.marks) {
      if (m.t1 < T.from || m.t0 > T.to) continue;
      const x0 = xOf(m.t0, w), x1 = Math.max(x0 + 1, xOf(m.t1, w));
      g.fillStyle = m.over ? '#dc2626' : (m.rendered ? '#2563eb' : '#94a3b8');
      const y = yOf(m.max || 0);
      g.fillRect(x0, y, x1 - x0, h - 4 - y);
    }
    g.strokeStyle = '#f59e0b';
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(0, yOf(budget));
    g.lineTo(w, yOf(budget));
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = '#334155';
    g.font = '11px sans-serif';
    g.fillText(`ticks (height: duration, log scale from 1 µs; dashed: ${R.fmtNs(budget)} budget; red: over; grey: no render)`, 6, 12);
  }

  function laneOf(p) {
    let i = T.lanes.indexOf(p);
    if (i < 0) { T.lanes.push(p); T.lanes.sort((a, b) => (a ?? 1e9) - (b ?? 1e9)); i = T.lanes.indexOf(p); }
    return i;
  }

  function drawTasks() {
    const cv = T.cvTasks;
    const [g, w, h] = setup(cv);
    const d = T.tasks;
    if (!d) return;
    for (const m of d.marks) laneOf(m.priority);
    const want = `${16 + Math.max(1, T.lanes.length) * 36 + 2}px`;
    if (cv.style.height !== want) { cv.style.height = want; return drawTasks(); }
    const n = Math.max(1, T.lanes.length), lh = Math.min(40, (h - 16) / n);
    g.font = '11px sans-serif';
    T.lanes.forEach((p, i) => {
      g.fillStyle = i % 2 ? '#f8fafc' : '#f1f5f9';
      g.fillRect(0, 16 + i * lh, w, lh);
    });
    g.fillStyle = '#334155';
    g.fillText(d.kind === 'rows' ? `tasks: ${R.fmtCount(d.marks.length)} slices (thin line: queued → started)` : `tasks: ${R.fmtCount(d.total)} in range, shown per pixel (shade: busy share)`, 6, 12);
    const span = T.to - T.from;
    for (const m of d.marks) {
      if (m.t1 < T.from || m.t0 > T.to) continue;
      const li = T.lanes.indexOf(m.priority), y = 16 + li * lh;
      if (m.busy !== undefined) { // a bucket
        const x0 = xOf(m.t0, w), x1 = Math.max(x0 + 1, xOf(m.t1, w));
        const share = Math.min(1, m.busy / Math.max(1, m.t1 - m.t0));
        g.fillStyle = `rgba(37, 99, 235, ${0.15 + 0.85 * share})`;
        g.fillRect(x0, y + 3, x1 - x0, lh - 6);
        continue;
      }
      const xq = xOf(m.t0, w), xs = xOf(m.ts, w), xe = Math.max(xs + 1, xOf(m.t1, w));
      if (xs - xq >= 1) {
        g.fillStyle = '#f59e0b';
        g.fillRect(xq, y + lh / 2 - 1, xs - xq, 2);
      }
      const sel = T.sel && T.sel.proc === m.proc && T.sel.id === m.id;
      g.fillStyle = sel ? '#dc2626' : (m.t1 - m.ts > 16.7e6 ? '#b91c1c' : '#2563eb');
      g.fillRect(xs, y + 4, xe - xs, lh - 8);
      if (xe - xs > 40 && m.name) {
        g.fillStyle = '#fff';
        g.save();
        g.beginPath();
        g.rect(xs, y, xe - xs, lh);
        g.clip();
        g.fillText(m.name, xs + 3, y + lh / 2 + 4);
        g.restore();
      }
    }
    void span;
    // lane names last, on a backing so slices do not hide them
    T.lanes.forEach((p, i) => {
      const t = R.prioName(p), tw = g.measureText(t).width;
      g.fillStyle = 'rgba(255, 255, 255, 0.85)';
      g.fillRect(2, 16 + i * lh + 2, tw + 6, 13);
      g.fillStyle = '#475569';
      g.fillText(t, 5, 16 + i * lh + 12);
    });
  }

  function draw() {
    const t0 = performance.now();
    T.drawQueued = false;
    drawFrames();
    drawTasks();
    T.frames++;
    T.drawMs += performance.now() - t0;
    const r = T.rangeEl;
    r.dataset.from = String(Math.round(T.from));
    r.dataset.to = String(Math.round(T.to));
    r.textContent = `${R.fmtAt(T.from, T.to - T.from)} – ${R.fmtAt(T.to, T.to - T.from)} (span ${R.fmtNs(T.to - T.from)})`;
  }
  function queueDraw() {
    if (!T.drawQueued) { T.drawQueued = true; requestAnimationFrame(draw); }
  }

  async function fetchRange() {
    const seq = ++T.seq, from = T.from, to = T.to;
    const px = Math.max(100, Math.round(T.cvFrames.clientWidth));
    T.pending++;
    T.root.dataset.loading = '1';
    try {
      const [ticks, tasks] = await Promise.all([R.range('ticks', T.db, from, to, px), R.range('tasks', T.db, from, to, px)]);
      if (seq !== T.seq) return;
      T.ticks = ticks;
      T.tasks = tasks;
      // a deep link's selection (sel=task:PROC:ID), once its slice is loaded
      const m = /^task:(\d+):(\d+)$/.exec(R.state.sel || '');
      if (m && (!T.sel || `${T.sel.proc}:${T.sel.id}` !== `${m[1]}:${m[2]}`)) {
        const hit = tasks.marks.find(x => x.id !== undefined && String(x.proc) === m[1] && String(x.id) === m[2]);
        if (hit) select(hit);
      }
      queueDraw();
      if (!T.painted) { T.painted = true; performance.mark('rtk-timeline-painted'); }
    } catch (e) {
      R.showError(e);
    } finally {
      T.pending--;
      if (!T.pending) delete T.root.dataset.loading;
    }
  }
  // The fragment and the fetch follow once the wheel or drag rests (~80 ms):
  // the browser throttles history updates, and a fetch per frame would
  // ask for ranges nobody looks at.
  function rangeChanged() {
    queueDraw();
    clearTimeout(T.fetchTimer);
    T.fetchTimer = setTimeout(() => {
      R.setState({ from: Math.round(T.from), to: Math.round(T.to) });
      fetchRange();
    }, 80);
  }
  // Set the visible range (clamped to the run, at least MIN_SPAN).
  T.setRange = function (from, to) {
    let span = Math.max(MIN_SPAN, Math.min(T.dur, to - from));
    from = Math.max(0, Math.min(from, T.dur - span));
    T.from = from;
    T.to = from + span;
    rangeChanged();
  };
  T.zoom = function (factor, at) {
    const a = at === undefined ? (T.from + T.to) / 2 : at;
    T.setRange(a - (a - T.from) * factor, a + (T.to - a) * factor);
  };

  function hit(ev) {
    const cv = T.cvTasks, rect = cv.getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
    if (!T.tasks) return null;
    const n = Math.max(1, T.lanes.length), lh = Math.min(40, (cv.clientHeight - 16) / n), li = Math.floor((y - 16) / lh);
    const t = tOf(x, cv.clientWidth), slack = (T.to - T.from) / cv.clientWidth * 2;
    let best = null;
    for (const m of T.tasks.marks) {
      if (T.lanes.indexOf(m.priority) !== li || m.t0 - slack > t || m.t1 + slack < t) continue;
      if (!best || (m.t1 - m.ts) > (best.t1 - best.ts)) best = m;
    }
    return best;
  }
  function describe(m) {
    if (m.busy !== undefined)
      return `${R.fmtCount(m.count)} tasks (${R.prioName(m.priority)}) starting here; busy ${R.fmtNs(m.busy)}, longest run ${R.fmtNs(m.max)}`;
    return `task#${m.id} ${m.name || ''} (${R.prioName(m.priority)}, proc ${m.proc}, cause ${m.cause}): queued ${R.fmtAt(m.t0, 1e6)}, waited ${R.fmtNs(m.ts - m.t0)}, ran ${R.fmtNs(m.t1 - m.ts)}`;
  }

  function attach(cv) {
    cv.addEventListener('wheel', ev => {
      ev.preventDefault();
      const rect = cv.getBoundingClientRect();
      const at = tOf(ev.clientX - rect.left, cv.clientWidth);
      T.zoom(Math.pow(1.0015, ev.deltaY), at);
    }, { passive: false });
    let drag = null;
    cv.addEventListener('pointerdown', ev => { drag = { x: ev.clientX, from: T.from, to: T.to, moved: false }; cv.setPointerCapture(ev.pointerId); });
    cv.addEventListener('pointermove', ev => {
      if (drag) {
        const dx = ev.clientX - drag.x;
        if (Math.abs(dx) > 2) drag.moved = true;
        const dt = dx / cv.clientWidth * (drag.to - drag.from);
        T.setRange(drag.from - dt, drag.to - dt);
        return;
      }
      if (cv !== T.cvTasks) return;
      const m = hit(ev);
      T.tip.hidden = !m;
      if (m) {
        T.tip.textContent = describe(m);
        T.tip.style.left = `${ev.pageX + 12}px`;
        T.tip.style.top = `${ev.pageY + 12}px`;
      }
    });
    cv.addEventListener('pointerup', ev => {
      const was = drag;
      drag = null;
      if (was && !was.moved && cv === T.cvTasks) {
        const m = hit(ev);
        if (m && m.id !== undefined) select(m);
      }
    });
    cv.addEventListener('pointerleave', () => { T.tip.hidden = true; });
  }

  function select(m) {
    T.sel = m;
    R.setState({ sel: `task:${m.proc}:${m.id}` });
    T.detail.replaceChildren(R.el('strong', { text: 'Selected: ' }), describe(m));
    queueDraw();
  }

  R.views = R.views || {};
  R.views.timeline = {
    async show(root) {
      T.root = root;
      T.db = Math.min(R.num('db', 0), R.meta.dbs.length - 1);
      T.dur = Math.max(1, R.meta.dbs[T.db].duration_ns);
      T.lanes = [];
      T.sel = null;
      T.ticks = T.tasks = null;
      T.painted = false;
      T.rangeEl = R.el('span', { id: 'tl-range', class: 'range' });
      const bar = R.el('div', { class: 'controls' },
        R.el('button', { id: 'tl-all', text: 'Whole run', onclick: () => T.setRange(0, T.dur) }),
        R.el('button', { id: 'tl-in', text: 'Zoom in', onclick: () => T.zoom(0.25) }),
        R.el('button', { id: 'tl-out', text: 'Zoom out', onclick: () => T.zoom(4) }),
        T.rangeEl);
      T.cvFrames = R.el('canvas', { id: 'tl-frames', class: 'tl' });
      T.cvTasks = R.el('canvas', { id: 'tl-tasks', class: 'tl tasks' });
      T.detail = R.el('p', { id: 'tl-detail', class: 'muted', text: 'Hover a task for details; click to select it. Wheel: zoom; drag: pan.' });
      T.tip = document.getElementById('tip') || document.body.appendChild(R.el('div', { id: 'tip', class: 'tip' }));
      T.tip.hidden = true;
      root.replaceChildren(bar, T.cvFrames, T.cvTasks, T.detail);
      attach(T.cvFrames);
      attach(T.cvTasks);
      T.budget = 16.7e6; // the engine's default frame budget (ticks' over flags)
      const from = R.num('from', 0), to = R.num('to', T.dur);
      T.from = 0; T.to = T.dur;
      T.setRange(from, to > from ? to : T.dur);
      clearTimeout(T.fetchTimer);
      await fetchRange();
    },
  };
})(window.RTK);
