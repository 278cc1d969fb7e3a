// overview.js - the overview: interactions p50/p99 and the share over the
// frame budget, per-kind latency, drops, tracer loss and duration, from
// /api/summary (= rt-trace summary --format json). Every shown figure
// carries data-key (its path in that JSON) and data-value (the JSON's own
// number), so a test can compare the page with the CLI exactly.
'use strict';
(function (R) {
  function get(obj, path) { return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj); }
  function cell(sm, key, fmt) {
    const v = get(sm, key);
    return R.el('td', { 'data-key': key, 'data-value': v === null || v === undefined ? 'null' : String(v), text: fmt(v) });
  }
  function card(title, sm, rows) {
    const tr = rows.map(([label, key, fmt]) => R.el('tr', {}, R.el('th', { text: label }), cell(sm, key, fmt)));
    return R.el('div', { class: 'card' }, R.el('h3', { text: title }), R.table(['', ''], tr));
  }
  R.views = R.views || {};
  R.views.overview = {
    async show(root) {
      if (!root.childElementCount) root.replaceChildren(R.el('p', { class: 'loading', text: 'loading…' }));
      const dbs = R.meta.dbs;
      const sums = await Promise.all(dbs.map((d, i) => R.api('/api/summary', { db: i })));
      const parts = [];
      sums.forEach((sm, i) => {
        const ns = R.fmtNs, c = R.fmtCount, sh = R.fmtShare;
        const grid = R.el('div', { class: 'cards', 'data-db': String(i) },
          card('Interactions (keystroke to render)', sm, [
            ['keystrokes', 'interactions.keystrokes', c], ['rendered', 'interactions.count', c],
            ['p50', 'interactions.p50', ns], ['p90', 'interactions.p90', ns], ['p99', 'interactions.p99', ns],
            ['max', 'interactions.max', ns], ['over 16.7 ms', 'interactions.over_16ms_share', sh],
            ['over 8.3 ms', 'interactions.over_8ms_share', sh], ['no render', 'interactions.no_render', c],
            ['blocked', 'interactions.blocked', c], ['input delay p99', 'interactions.input_delay_p99', ns]]),
          card('Run', sm, [
            ['duration', 'duration_ns', ns], ['rtk events', 'events', c], ['traces', 'traces', c],
            ['ticks', 'ticks.count', c], ['tick p99', 'ticks.p99', ns], ['tasks', 'tasks.count', c],
            ['task p50', 'tasks.p50', ns], ['task p99', 'tasks.p99', ns], ['task max', 'tasks.max', ns]]),
          card('Drops and tracer loss', sm, [
            ['runtime drops', 'drops.total', c], ['tracer: discarded events', 'drops.tracer_discarded_events', c],
            ['tracer: lost packets', 'drops.tracer_lost_packets', c],
            ['tracer: loss without count', 'drops.tracer_loss_without_count', c],
            ['ingest issues', 'drops.ingest_issues', c]]),
          card('Other kinds (p99)', sm, [
            ['dispatch', 'dispatches.p99', ns], ['timer lateness', 'timers.p99', ns], ['command', 'commands.p99', ns]]));
        parts.push(R.el('h2', { text: dbs.length > 1 ? `${i ? 'New' : 'Base'}: ${dbs[i].path}` : dbs[i].path }), grid);
      });
      // Lint findings (/api/lint = rt-trace lint --format json) when the
      // build has the lint engine; else the panel says why it is empty.
      const lint = R.el('div', { class: 'card wide', id: 'lint' }, R.el('h3', { text: 'Lint findings' }));
      parts.push(lint);
      root.replaceChildren(...parts);
      performance.mark('rtk-overview-painted'); // the figures are up; lint follows
      try {
        const l = await R.api('/api/lint', { db: 0 });
        if (l.unavailable) throw new Error(l.unavailable);
        const rows = Array.isArray(l) ? l : (l.findings || []);
        lint.append(rows.length
          ? R.table(['severity', 'rule', 'finding'], rows.slice(0, 50).map(f => R.el('tr', { class: `lint-${f.severity}` },
            R.el('td', { text: f.severity }), R.el('td', { text: f.rule }), R.el('td', { text: f.message }))))
          : R.el('p', { class: 'muted', text: 'No findings.' }));
      } catch (e) {
        lint.append(R.el('p', { class: 'muted', text: `Not available: ${e.message}` }));
      }
    },
  };
})(window.RTK);
