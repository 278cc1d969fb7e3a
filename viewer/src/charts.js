// charts.js - the uPlot charts the page draws: a histogram on a log time
// axis, CDFs (one or two runs overlaid) and a line/point plot, all with
// durations in ns shown in human units.
'use strict';
(function (R) {
  const axisNs = { values: (u, vals) => vals.map(v => (v === null || v === undefined ? '' : R.fmtNs(v))), size: 60 };
  const colors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c'];
  R.colors = colors;
  function width(parent) { return Math.max(320, Math.min(900, parent.clientWidth || 800)); }

  // bins: [{lo, hi, count}]
  R.histogram = function (parent, bins, title) {
    const xs = bins.map(b => Math.sqrt(Math.max(b.lo, 1) * Math.max(b.hi, 1)));
    const ys = bins.map(b => b.count);
    return new uPlot({
      title, width: width(parent), height: 260,
      scales: { x: { time: false, distr: 3 }, y: { range: (u, lo, hi) => [0, Math.max(1, hi)] } },
      axes: [axisNs, { label: 'count', size: 60 }],
      legend: { show: false },
      series: [{}, { label: 'count', stroke: colors[0], fill: colors[0] + '99', paths: uPlot.paths.bars({ size: [0.9, 40] }), points: { show: false } }],
    }, [xs, ys], parent);
  };

  // runs: [{label, quantiles: [{q, value}]}]: the CDF, value on a log axis.
  R.cdf = function (parent, runs, title) {
    const xsAll = [...new Set(runs.flatMap(r => r.quantiles.map(p => Math.max(p.value, 1))))].sort((a, b) => a - b);
    const series = [{}];
    const data = [xsAll];
    runs.forEach((r, i) => {
      // the share of values <= x, stepwise from the run's quantiles
      const qs = r.quantiles;
      data.push(xsAll.map(x => {
        let lo = 0, hi = qs.length;
        while (lo < hi) { const m = (lo + hi) >> 1; if (Math.max(qs[m].value, 1) <= x) lo = m + 1; else hi = m; }
        return lo ? qs[lo - 1].q : null;
      }));
      series.push({ label: r.label, stroke: colors[i], width: 2, points: { show: false } });
    });
    return new uPlot({
      title, width: width(parent), height: 260,
      scales: { x: { time: false, distr: 3 }, y: { range: [0, 1] } },
      axes: [axisNs, { values: (u, v) => v.map(x => `${Math.round(x * 100)}%`), size: 50 }],
      series,
    }, data, parent);
  };

  // The shift function: new - base at each decile (Harrell-Davis, as
  // rt-trace compare estimates them) and its bootstrap interval, shaded.
  R.shiftPlot = function (parent, rows, title) {
    const band = colors[1] + '33';
    return new uPlot({
      title, width: width(parent), height: 240,
      scales: { x: { time: false, range: [0, 1] } },
      axes: [{ values: (u, v) => v.map(x => `p${Math.round(x * 100)}`) }, { ...axisNs, label: 'new − base' }],
      series: [{},
        { label: 'new − base', stroke: colors[1], width: 2, points: { show: true, size: 7 } },
        { label: 'interval low', stroke: band, width: 1, points: { show: false } },
        { label: 'interval high', stroke: band, width: 1, points: { show: false } }],
      bands: [{ series: [3, 2], fill: band }],
    }, [rows.map(r => r.q), rows.map(r => r.diff), rows.map(r => r.diff_lo), rows.map(r => r.diff_hi)], parent);
  };
})(window.RTK);
