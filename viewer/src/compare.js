// compare.js - two runs: the verdicts of rt-trace compare (/api/compare:
// its JSON, base = the first database, new = the second), and for one
// measure the two runs' CDFs overlaid and the shift function (new - base
// at each decile with compare's bootstrap interval, /api/shift).
'use strict';
(function (R) {
  const VCLASS = { regressed: 'bad', improved: 'good', same: 'same', inconclusive: 'warn' };
  function pct(v) { return v === null || v === undefined ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`; }
  R.views = R.views || {};
  R.views.compare = {
    async show(root) {
      if (R.meta.dbs.length < 2) {
        root.replaceChildren(R.el('p', { class: 'muted', text: 'One run only: start rt-trace view BASE.db NEW.db (or rt-trace report BASE.db NEW.db) to compare two.' }));
        return;
      }
      root.replaceChildren(R.el('p', { class: 'loading', text: 'comparing…' }));
      const kind = R.MEASURES[R.state.kind] ? R.state.kind : 'interaction';
      const measure = R.MEASURES[kind].includes(R.state.measure) ? R.state.measure : R.MEASURES[kind][0];
      let cmp, cmpErr = null;
      try { cmp = await R.api('/api/compare'); } catch (e) { cmpErr = e.message; }
      const parts = [R.el('h2', { text: `Base ${R.meta.dbs[0].path} → new ${R.meta.dbs[1].path}` })];
      if (cmpErr) {
        parts.push(R.el('p', { class: 'err', id: 'compare-error', text: `rt-trace compare: ${cmpErr}` }));
      } else {
        const c = cmp.comparison;
        parts.push(R.el('p', { id: 'verdict-counts', class: 'stats' },
          ...['regressed', 'improved', 'same', 'inconclusive', 'not_assessed'].map(k => R.el('span', { class: `v ${VCLASS[k] || ''}`, 'data-key': k, 'data-value': String(c[k]), text: `${k.replace('_', ' ')} ${c[k]} ` })),
          ` · ${c.tests} tests, alpha ${c.alpha} (${c.correction}), ${c.resampling}`));
        const rows = cmp.verdicts.filter(v => v.verdict !== 'not assessed').concat(cmp.verdicts.filter(v => v.verdict === 'not assessed'))
          .map(v => R.el('tr', { class: `v-${VCLASS[v.verdict] || 'na'}` },
            R.el('td', { text: v.measure }), R.el('td', { class: 'verdict', text: v.verdict }), R.el('td', { text: `${v.n_base} / ${v.n_new}` }),
            R.el('td', { text: pct(v.p50_change) }), R.el('td', { text: pct(v.p90_change) }), R.el('td', { text: pct(v.p99_change) }),
            R.el('td', { text: pct(v.mean_change) }), R.el('td', { class: 'note', text: v.note || '' })));
        parts.push(R.table(['measure', 'verdict', 'n base / new', 'p50', 'p90', 'p99', 'mean', 'note'], rows, { id: 'verdicts' }));
        for (const w of cmp.warnings || []) parts.push(R.el('p', { class: 'muted', text: `warning: ${w.warning}` }));
      }
      const sel = R.el('select', { id: 'cmp-measure', onchange: e => { const [k, m] = e.target.value.split('/'); R.setState({ kind: k, measure: m }); this.show(root); } });
      for (const [k, ms] of Object.entries(R.MEASURES)) for (const m of ms) sel.append(R.el('option', { value: `${k}/${m}`, text: `${k} ${m}` }));
      sel.value = `${kind}/${measure}`;
      parts.push(R.el('div', { class: 'controls' }, R.el('label', { text: 'measure ' }, sel)));
      const cdfEl = R.el('div', { class: 'chart', id: 'cmp-cdf' }), shiftEl = R.el('div', { class: 'chart', id: 'cmp-shift' });
      parts.push(cdfEl, shiftEl);
      root.replaceChildren(...parts);
      const [a, b, sh] = await Promise.all([R.api('/api/dist', { db: 0, kind, measure }), R.api('/api/dist', { db: 1, kind, measure }), R.api('/api/shift', { kind, measure })]);
      if (!a.stats.count || !b.stats.count) { cdfEl.append(R.el('p', { class: 'muted', text: 'no values on one side for this measure' })); return; }
      R.cdf(cdfEl, [{ label: 'base', quantiles: a.quantiles }, { label: 'new', quantiles: b.quantiles }], `${kind} ${measure}: CDFs overlaid`);
      const rows = Array.isArray(sh) ? sh : sh.shift;
      const how = rows.length ? `, ${rows[0].method === 'by-run' ? 'runs' : 'time blocks'} resampled` : '';
      R.shiftPlot(shiftEl, rows, `${kind} ${measure}: shift function (new − base per decile, 99% bootstrap interval${how})`);
    },
  };
})(window.RTK);
