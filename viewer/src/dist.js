// dist.js - latency distributions: a histogram on log-spaced bins and the
// CDF of one measure (per kind: task queue_wait/run_time/total, ...; or the
// interactions' latency and its parts), for the whole run or one priority
// or name. The bins, quantiles and statistics are /api/dist's (the engine's
// dist.c, on the same values as rt-trace latency).
'use strict';
(function (R) {
  R.MEASURES = {
    interaction: ['latency', 'queue', 'run', 'frame_wait', 'render'],
    task: ['queue_wait', 'run_time', 'total'],
    dispatch: ['queue_wait', 'duration', 'total'],
    timer: ['lateness'], command: ['latency'], tick: ['duration'],
  };
  function select(id, options, value, onchange) {
    const s = R.el('select', { id, onchange });
    for (const [v, label] of options) s.append(R.el('option', { value: v, text: label }));
    s.value = value;
    return s;
  }
  R.views = R.views || {};
  R.views.dist = {
    async show(root) {
      const st = R.state;
      const kind = R.MEASURES[st.kind] ? st.kind : 'interaction';
      const measure = R.MEASURES[kind].includes(st.measure) ? st.measure : R.MEASURES[kind][0];
      const by = R.mode === 'server' && ['priority', 'name'].includes(st.by) ? st.by : '';
      const db = Math.min(R.num('db', 0), R.meta.dbs.length - 1);
      const redo = patch => { R.setState(patch); this.show(root); };
      const controls = R.el('div', { class: 'controls' },
        R.el('label', { text: 'kind ' }, select('dist-kind', Object.keys(R.MEASURES).map(k => [k, k]), kind, e => redo({ kind: e.target.value, measure: null, key: null }))),
        R.el('label', { text: 'measure ' }, select('dist-measure', R.MEASURES[kind].map(m => [m, m]), measure, e => redo({ measure: e.target.value }))));
      if (R.meta.dbs.length > 1)
        controls.append(R.el('label', { text: 'run ' }, select('dist-db', R.meta.dbs.map((d, i) => [String(i), i ? 'new' : 'base']), String(db), e => redo({ db: e.target.value }))));
      if (R.mode === 'server') {
        const byOpts = [['', 'whole run'], ['priority', 'per priority'], ['name', 'per name']].filter(([b]) => !b || kind === 'task' || (kind === 'interaction' && b === 'name') || (kind === 'timer' && b === 'name') || (b === 'priority' && kind !== 'interaction' && kind !== 'tick' && kind !== 'command'));
        controls.append(R.el('label', { text: 'group ' }, select('dist-by', byOpts, by, e => redo({ by: e.target.value, key: null }))));
      }
      const body = R.el('div', { class: 'charts' });
      root.replaceChildren(controls, body);
      let key = st.key;
      if (by) {
        const keys = await this.keys(db, kind, by);
        if (!keys.length) { body.append(R.el('p', { class: 'muted', text: 'no groups' })); return; }
        if (!keys.includes(key)) key = keys[0];
        controls.append(R.el('label', { text: `${by} ` }, select('dist-key', keys.map(k => [k, k]), key, e => redo({ key: e.target.value }))));
      }
      const d = await R.api('/api/dist', { db, kind, measure, by: by || undefined, key: by ? key : undefined });
      const s = d.stats;
      body.append(R.el('p', { class: 'stats', id: 'dist-stats' },
        `${R.fmtCount(s.count)} values · min ${R.fmtNs(s.min)} · p50 ${R.fmtNs(s.p50)} · p90 ${R.fmtNs(s.p90)} · p99 ${R.fmtNs(s.p99)} · max ${R.fmtNs(s.max)}`));
      if (!s.count) { body.append(R.el('p', { class: 'muted', text: 'no values for this measure' })); return; }
      const h = R.el('div', { class: 'chart', id: 'dist-hist' }), c = R.el('div', { class: 'chart', id: 'dist-cdf' });
      body.append(h, c);
      R.histogram(h, d.hist, `${kind} ${measure}: histogram (log scale)`);
      R.cdf(c, [{ label: measure, quantiles: d.quantiles }], `${kind} ${measure}: CDF`);
    },
    async keys(db, kind, by) {
      if (kind === 'interaction') {
        const ix = await R.api('/api/interactions', { db, n: 0 });
        return (ix.by_name || []).map(r => String(r.name));
      }
      const rows = await R.api('/api/latency', { db, kind, by });
      return [...new Set(rows.map(r => String(r[by])))];
    },
  };
})(window.RTK);
