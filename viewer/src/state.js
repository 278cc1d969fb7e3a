// state.js - the deep link: the URL fragment holds the view and what it
// shows (#view=timeline&from=...&to=...&sel=task:1:42), so a link shows a
// colleague the same thing. R.state is the parsed fragment; R.setState
// merges into it and rewrites the fragment without adding history entries.
'use strict';
(function (R) {
  function parse() {
    const s = {};
    for (const part of location.hash.replace(/^#/, '').split('&')) {
      if (!part) continue;
      const i = part.indexOf('=');
      if (i < 0) continue;
      s[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1));
    }
    return s;
  }
  R.state = parse();
  R.readState = function () { R.state = parse(); return R.state; };
  R.setState = function (patch) {
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined || v === '') delete R.state[k];
      else R.state[k] = String(v);
    }
    const h = '#' + Object.entries(R.state).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    R.ownHash = h;
    history.replaceState(null, '', h);
  };
  R.num = function (k, def) {
    const v = Number(R.state[k]);
    return R.state[k] !== undefined && Number.isFinite(v) ? v : def;
  };
})(window.RTK);
