// interactions.js - the worst interactions (/api/interactions: the same
// rows as rt-trace interactions) and, for the one selected, its waterfall
// (/api/chain): every command, task, dispatch and render request of its
// cause tree and its render, each as queued-to-started wait and run, under
// the four segments queue, run, frame wait and render; below, the other
// tasks that ran meanwhile.
'use strict';
(function (R) {
  const SEG = [['queue', '#f59e0b'], ['run', '#2563eb'], ['frame_wait', '#a855f7'], ['render', '#16a34a']];

  function bar(lo, hi, a, b, color, cls, title) {
    const span = Math.max(1, hi - lo);
    const left = Math.max(0, (a - lo) / span * 100), width = Math.max(0.3, (Math.min(b, hi) - Math.max(a, lo)) / span * 100);
    return R.el('div', { class: `wf-bar ${cls || ''}`, style: `left:${left}%;width:${width}%;background:${color}`, title });
  }

  function waterfall(ch) {
    const x = ch.interaction, lo = x.p0, hi = Math.max(x.p4, ...ch.items.map(i => i.finished ?? i.started ?? i.queued ?? x.p4));
    const rows = [];
    const head = R.el('div', { class: 'wf-track' });
    const p = [x.p0, x.p1, x.p2, x.p3, x.p4];
    SEG.forEach(([name, color], i) => head.append(bar(lo, hi, p[i], p[i + 1], color, 'seg', `${name} ${R.fmtNs(p[i + 1] - p[i])}`)));
    rows.push(R.el('div', { class: 'wf-row wf-head' }, R.el('div', { class: 'wf-label', text: `${x.name || 'interaction'}: ${R.fmtNs(x.latency)}` }), head));
    for (const it of ch.items) {
      const t = R.el('div', { class: 'wf-track' });
      const q = it.queued, s = it.started ?? q, f = it.finished ?? s;
      if (s > q) t.append(bar(lo, hi, q, s, '#fcd34d', 'wait', `waited ${R.fmtNs(s - q)}`));
      t.append(bar(lo, hi, s, Math.max(f, s), it.kind === 'render' ? '#16a34a' : '#2563eb', 'runbar', `ran ${R.fmtNs(f - s)}`));
      rows.push(R.el('div', { class: `wf-row kind-${it.kind}`, 'data-kind': it.kind },
        R.el('div', { class: 'wf-label', text: `${it.kind}#${it.id} ${it.name || ''}`, title: `cause ${it.cause}; ${R.prioName(it.priority)}` }), t));
    }
    const legend = R.el('p', { class: 'legend' }, ...SEG.map(([n, c]) => R.el('span', {}, R.el('i', { style: `background:${c}` }), ` ${n} ${R.fmtNs(x[n])} `)),
      R.el('span', {}, R.el('i', { style: 'background:#fcd34d' }), ' queued → started'));
    const also = ch.meanwhile.length
      ? R.table(['meanwhile (outside its tree)', 'priority', 'ran during it'], ch.meanwhile.map(m => R.el('tr', {},
        R.el('td', { text: `task#${m.id} ${m.name || ''}` }), R.el('td', { text: R.prioName(m.priority) }),
        R.el('td', { text: R.fmtNs(Math.min(m.finished, x.p4) - Math.max(m.started, x.p0)) }))), { id: 'meanwhile' })
      : R.el('p', { class: 'muted', text: 'Nothing else ran meanwhile.' });
    return R.el('div', { id: 'waterfall' }, R.el('h3', { text: `Waterfall: command#${x.command_id} (proc ${x.proc})${x.blocked_by ? ` — blocked by ${x.blocked_by}` : ''}` }), legend, ...rows, also);
  }

  R.views = R.views || {};
  R.views.interactions = {
    async show(root) {
      const db = Math.min(R.num('db', 0), R.meta.dbs.length - 1);
      const ix = await R.api('/api/interactions', { db, n: 20 });
      const worst = ix.worst || [];
      const detail = R.el('div', { id: 'ix-detail' });
      const open = async (w, row) => {
        for (const r of root.querySelectorAll('tr.sel')) r.classList.remove('sel');
        row.classList.add('sel');
        R.setState({ sel: `ix:${w.proc}:${w.command_id}` });
        detail.replaceChildren(R.el('p', { class: 'loading', text: 'loading…' }));
        try {
          detail.replaceChildren(waterfall(await R.api('/api/chain', { db, proc: w.proc, id: w.command_id })));
        } catch (e) {
          detail.replaceChildren(R.el('p', { class: 'err', text: e.message }));
        }
      };
      const rows = worst.map(w => {
        const tr = R.el('tr', { class: 'clickable', 'data-id': String(w.command_id), 'data-proc': String(w.proc) },
          R.el('td', { text: String(w.rank) }), R.el('td', { text: w.name || '' }), R.el('td', { text: R.fmtAt(w.at, 1e9) }),
          R.el('td', { text: R.fmtNs(w.latency) }), R.el('td', { text: R.fmtNs(w.queue) }), R.el('td', { text: R.fmtNs(w.run) }),
          R.el('td', { text: R.fmtNs(w.frame_wait) }), R.el('td', { text: R.fmtNs(w.render) }), R.el('td', { text: w.blocked_by || '' }));
        tr.addEventListener('click', () => open(w, tr));
        return tr;
      });
      const table = worst.length
        ? R.table(['#', 'name', 'at', 'latency', 'queue', 'run', 'frame wait', 'render', 'blocked by'], rows, { id: 'worst' })
        : R.el('p', { class: 'muted', text: 'No interactions in this run (no keystroke reached a render).' });
      root.replaceChildren(R.el('h2', { text: 'Worst interactions (click one for its waterfall)' }), table, detail);
      const m = /^ix:(\d+):(\d+)$/.exec(R.state.sel || '');
      const i = m ? worst.findIndex(w => String(w.proc) === m[1] && String(w.command_id) === m[2]) : -1;
      if (i >= 0) await open(worst[i], rows[i]);
    },
  };
})(window.RTK);
