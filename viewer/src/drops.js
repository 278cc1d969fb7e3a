// drops.js - runtime drops per reason and tracer loss over the run, per
// time bucket (/api/drops, aggregated in SQL), as stacked bars.
'use strict';
(function (R) {
  R.views = R.views || {};
  R.views.drops = {
    async show(root) {
      const db = Math.min(R.num('db', 0), R.meta.dbs.length - 1);
      const dur = R.meta.dbs[db].duration_ns, n = 200;
      const d = await R.range('drops', db, 0, dur, R.mode === 'report' ? 1000 : n);
      // one series per reason plus tracer loss, on n columns
      const cols = n, xs = Array.from({ length: cols }, (_, i) => (i + 0.5) * dur / cols / 1e9);
      const reasons = [...new Set(d.drops.map(x => x.reason))];
      const series = reasons.map(() => new Array(cols).fill(0));
      for (const x of d.drops) series[reasons.indexOf(x.reason)][Math.min(cols - 1, Math.floor(x.t0 / dur * cols))] += x.count;
      const loss = new Array(cols).fill(0);
      for (const x of d.loss) loss[Math.min(cols - 1, Math.floor(x.t0 / dur * cols))] += x.events + x.packets;
      const total = d.drops.reduce((a, x) => a + x.count, 0), ltotal = d.loss.reduce((a, x) => a + x.events + x.packets, 0);
      const sum = R.el('p', { id: 'drops-total', 'data-drops': String(total), 'data-loss': String(ltotal),
        text: `${R.fmtCount(total)} runtime drops${reasons.length ? ` (${reasons.join(', ')})` : ''}; ${R.fmtCount(ltotal)} tracer loss (discarded events + lost packets)` });
      const c = R.el('div', { class: 'chart', id: 'drops-chart' });
      root.replaceChildren(R.el('h2', { text: 'Drops and tracer loss over time' }), sum, c);
      const bars = uPlot.paths.bars({ size: [0.9, 20] });
      new uPlot({
        title: 'per time bucket', width: Math.max(320, Math.min(900, root.clientWidth || 800)), height: 260,
        scales: { x: { time: false } },
        axes: [{ values: (u, v) => v.map(s => `${s} s`) }, { label: 'count' }],
        series: [{}, ...reasons.map((r, i) => ({ label: `drops: ${r}`, stroke: R.colors[i % 5], fill: R.colors[i % 5] + '99', paths: bars, points: { show: false } })),
          { label: 'tracer loss', stroke: '#111827', fill: '#11182766', paths: bars, points: { show: false } }],
      }, [xs, ...series, loss], c);
    },
  };
})(window.RTK);
