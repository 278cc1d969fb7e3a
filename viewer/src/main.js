// main.js - starts the page: reads /api/meta, shows the view the URL
// fragment names, and turns any failure (an API error, a script error, a
// rejected promise) into a visible one-line message instead of a blank
// page.
'use strict';
(function (R) {
  const banner = document.getElementById('error');
  R.showError = function (e) {
    const msg = e && e.message ? e.message : String(e);
    banner.textContent = `Error: ${msg}`;
    banner.hidden = false;
  };
  window.addEventListener('error', ev => R.showError(ev.error || ev.message));
  window.addEventListener('unhandledrejection', ev => R.showError(ev.reason));

  const VIEWS = ['overview', 'dist', 'timeline', 'interactions', 'drops', 'compare'];
  let current = null;
  async function show() {
    const st = R.readState();
    const view = VIEWS.includes(st.view) ? st.view : 'overview';
    for (const v of VIEWS) document.getElementById(`view-${v}`).hidden = v !== view;
    for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.view === view);
    const root = document.getElementById(`view-${view}`);
    current = view;
    document.body.dataset.view = view;
    delete document.body.dataset.ready;
    try {
      await R.views[view].show(root);
      if (current === view) document.body.dataset.ready = view;
    } catch (e) {
      root.replaceChildren(R.el('p', { class: 'err', text: e.message || String(e) }));
      R.showError(e);
    }
  }
  // Links in the nav change the view; a fragment we wrote ourselves (range,
  // selection) does not redraw.
  window.addEventListener('hashchange', () => { if (location.hash !== R.ownHash) show(); });
  document.getElementById('nav').addEventListener('click', ev => {
    const a = ev.target.closest('a');
    if (!a) return;
    ev.preventDefault();
    R.state = { view: a.dataset.view };
    R.setState({});
    show();
  });

  async function start() {
    if (R.fatal) throw new Error(R.fatal);
    R.meta = await R.api('/api/meta');
    document.getElementById('source').textContent =
      `${R.mode === 'report' ? 'report' : 'live server'}: ${R.meta.dbs.map(d => d.path).join(' vs ')}`;
    document.getElementById('nav-compare').hidden = R.meta.dbs.length < 2;
    await show();
    if (R.meta.live) live();
  }

  // Live (rt-trace view --live): every second the overview or the
  // distributions are asked again of the growing database and redrawn;
  // a refresh still running skips the tick.
  function live() {
    let busy = false;
    document.getElementById('source').textContent += ' (live: updates every second)';
    setInterval(async () => {
      if (busy || !['overview', 'dist'].includes(current)) return;
      busy = true;
      try {
        R.meta = await R.api('/api/meta');
        const root = document.getElementById(`view-${current}`);
        await R.views[current].show(root);
        document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
      } catch (e) {
        R.showError(e);
      } finally {
        busy = false;
      }
    }, 1000);
  }
  start().catch(e => R.showError(e));
})(window.RTK);
