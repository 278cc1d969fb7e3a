#!/usr/bin/env node
// build.js - builds viewer/dist/rtk-viewer.html: index.html with style.css,
// uPlot's CSS and script, and src/*.js (in the order SOURCES gives) inlined,
// so the page is one file that makes no network request. Deterministic:
// the same sources give the same bytes (tests/viewer checks the committed
// file against a fresh build). Cost: reading ~150 KB. Usage:
//   node build.js [--check]   (--check: exit 1 if dist/ is not up to date)
'use strict';
const fs = require('fs');
const path = require('path');

const here = __dirname;
const SOURCES = ['format.js', 'data.js', 'state.js', 'charts.js', 'overview.js',
  'dist.js', 'timeline.js', 'interactions.js', 'drops.js', 'compare.js', 'main.js'];

function read(p) { return fs.readFileSync(path.join(here, p), 'utf8'); }
// "</script" inside inlined code would end the element early.
function safe(js) { return js.replace(/<\/script/gi, '<\\/script'); }

function build() {
  const uplotJs = read('node_modules/uplot/dist/uPlot.iife.min.js');
  const uplotCss = read('node_modules/uplot/dist/uPlot.min.css');
  const js = SOURCES.map(f => `// --- src/${f}\n${read('src/' + f)}`).join('\n');
  let html = read('index.html');
  const parts = {
    '<!-- @styles -->': `<style>\n${uplotCss}\n${read('style.css')}</style>`,
    '<!-- @scripts -->': `<script>\n${safe(uplotJs)}\n</script>\n<script>\n${safe(js)}</script>`,
  };
  for (const [k, v] of Object.entries(parts)) {
    if (!html.includes(k)) throw new Error(`index.html lacks ${k}`);
    html = html.split(k).join(v);
  }
  return html;
}

const out = path.join(here, 'dist', 'rtk-viewer.html');
const html = build();
if (process.argv.includes('--check')) {
  const cur = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (cur !== html) {
    console.error('viewer: dist/rtk-viewer.html is not what the sources build to: run node viewer/build.js');
    process.exit(1);
  }
  console.log('viewer: dist/rtk-viewer.html is up to date');
} else {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out + '.tmp', html);
  fs.renameSync(out + '.tmp', out);
  console.log(`viewer: wrote ${path.relative(process.cwd(), out)} (${html.length} bytes)`);
}
