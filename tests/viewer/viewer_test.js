#!/usr/bin/env node
// viewer_test.js - the viewer in a real browser (Debian's chromium driven by
// playwright-core): rt-trace view on two recorded editor-sim runs, then
// rt-trace report from file:// with every network request blocked.
//
//   node viewer_test.js RT_TRACE A.db B.db WORKDIR
//
// Checks, each against rt-trace's own JSON for the same databases, never
// against the page itself: the page loads with no console error; every
// overview figure equals `rt-trace summary --format json` exactly; selecting
// the worst interaction shows its chain (the command `rt-trace interactions`
// names, its tasks and its render); zooming narrows the visible range by the
// factor asked for and a deep link restores it; the two-run view shows
// compare's verdicts and counts; with --live the overview follows a growing
// database; the report does all that offline; an API failure shows a
// message, not a blank page. RTK_VIEWER_SHOTS=DIR also
// saves a screenshot of each view there (docs/viewer.md's pictures).
// Prints "N passed, M failed"; exits 1 on any failure.
'use strict';
const { spawn, execFileSync } = require('child_process');
const path = require('path');
const fs = require('fs');
const { chromium } = require(path.join(__dirname, '../../viewer/node_modules/playwright-core'));

const [RT, A, B, WORK] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(ok, what, detail) {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAIL: ${what}${detail ? `: ${detail}` : ''}`); }
}
function rtJson(args, okCodes = [0]) {
  try { return JSON.parse(execFileSync(RT, args, { encoding: 'utf8' })); } catch (e) {
    if (okCodes.includes(e.status)) return JSON.parse(e.stdout);
    throw e;
  }
}
function get(o, p) { return p.split('.').reduce((x, k) => (x === null || x === undefined ? undefined : x[k]), o); }
const shots = process.env.RTK_VIEWER_SHOTS;
async function shot(page, name) { if (shots) await page.screenshot({ path: path.join(shots, `viewer-${name}.png`), fullPage: true }); }

function startView(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(RT, ['view', ...args, '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const t = setTimeout(() => reject(new Error(`rt-trace view printed no URL: ${out}`)), 30000);
    p.stdout.on('data', d => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(t); resolve({ proc: p, url: m[1] }); }
    });
    p.on('exit', code => { clearTimeout(t); reject(new Error(`rt-trace view exited ${code}`)); });
  });
}

function watch(page) {
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  return errors;
}
async function ready(page, view) { await page.waitForSelector(`body[data-ready="${view}"]`, { timeout: 20000 }); }

// Every figure of the overview equals the CLI's summary JSON.
async function checkOverview(page, sums, where) {
  for (let i = 0; i < sums.length; i++) {
    const shown = await page.$$eval(`.cards[data-db="${i}"] td[data-key]`, tds => tds.map(t => [t.dataset.key, t.dataset.value]));
    const bad = shown.filter(([k, v]) => String(get(sums[i], k) ?? 'null') !== v);
    check(shown.length >= 25 && bad.length === 0, `${where}: db ${i}: ${shown.length} overview figures equal rt-trace summary --format json`, JSON.stringify(bad.slice(0, 5)));
  }
}

// The lint panel lists rt-trace lint's findings for the first run.
async function checkLint(page, findings, where) {
  await page.waitForSelector('#lint table, #lint p');
  const rows = await page.$$eval('#lint tbody tr', r => r.map(x => [...x.children].map(c => c.textContent)));
  const want = findings.slice(0, 50).map(f => [f.severity, f.rule, f.message]);
  const none = findings.length === 0 && (await page.textContent('#lint')).includes('No findings.');
  check(none || JSON.stringify(rows) === JSON.stringify(want), `${where}: the lint panel lists rt-trace lint's ${findings.length} findings`, JSON.stringify(rows.slice(0, 2)));
}

async function checkChain(page, worst, where) {
  await page.click('#worst tbody tr:first-child');
  await page.waitForSelector('#waterfall', { timeout: 20000 });
  const head = await page.textContent('#waterfall h3');
  const kinds = await page.$$eval('#waterfall .wf-row[data-kind]', rs => rs.map(r => r.dataset.kind));
  check(head.includes(`command#${worst.command_id} `) && kinds.includes('command') && kinds.includes('task') && kinds.includes('render'),
    `${where}: selecting the worst interaction shows its chain (command#${worst.command_id}, tasks, render)`, `${head} ${kinds}`);
  check(page.url().includes(`sel=ix%3A${worst.proc}%3A${worst.command_id}`) || page.url().includes(`sel=ix:${worst.proc}:${worst.command_id}`),
    `${where}: the selection is in the URL fragment`, page.url());
}

async function checkZoom(page, where) {
  const range = async () => page.$eval('#tl-range', e => [Number(e.dataset.from), Number(e.dataset.to)]);
  const [f0, t0] = await range();
  await page.click('#tl-in');
  await page.waitForFunction(t => Number(document.querySelector('#tl-range').dataset.to) !== t, t0);
  const [f1, t1] = await range();
  check(Math.abs((t1 - f1) - (t0 - f0) / 4) <= 2, `${where}: zoom in shows a quarter of the range`, `${f0}-${t0} -> ${f1}-${t1}`);
  const box = await page.$eval('#tl-tasks', e => { const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
  await page.mouse.move(box[0], box[1]);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(t => Number(document.querySelector('#tl-range').dataset.to) !== t, t1);
  const [f2, t2] = await range();
  check(t2 - f2 < t1 - f1, `${where}: the wheel zooms in further`, `${t1 - f1} -> ${t2 - f2}`);
  // the fragment follows once the wheel rests
  await page.waitForFunction(([f, t]) => location.hash.includes(`from=${f}&to=${t}`), [f2, t2]);
  await page.waitForFunction(() => !document.querySelector('#view-timeline').dataset.loading);
  // a deep link shows the same range
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await ready(page, 'timeline');
  const [f3, t3] = await range();
  check(f3 === f2 && t3 === t2, `${where}: the deep link restores the range`, `${f2}-${t2} vs ${f3}-${t3}`);
  const slices = await page.evaluate(() => window.RTK.timeline.tasks.marks.length);
  check(slices > 0, `${where}: the zoomed range has task marks`, String(slices));
  // click the longest visible slice: it is selected, and a link keeps it
  const target = await page.evaluate(() => {
    const T = window.RTK.timeline, cv = document.querySelector('#tl-tasks'), r = cv.getBoundingClientRect();
    // the slice with the longest visible part (a slice may overhang the range)
    const part = m => Math.min(m.t1, T.to) - Math.max(m.ts, T.from);
    const vis = T.tasks.marks.filter(m => m.id !== undefined && part(m) > 0);
    if (!vis.length) return null;
    const m = vis.reduce((a, b) => (part(b) > part(a) ? b : a));
    const mid = (Math.max(m.ts, T.from) + Math.min(m.t1, T.to)) / 2;
    const lh = Math.min(40, (cv.clientHeight - 16) / Math.max(1, T.lanes.length));
    return { id: m.id, proc: m.proc, x: r.x + (mid - T.from) / (T.to - T.from) * cv.clientWidth, y: r.y + 16 + T.lanes.indexOf(m.priority) * lh + lh / 2 };
  });
  if (!target) { check(false, `${where}: a slice to click`); return; }
  await page.mouse.click(target.x, target.y);
  const detail = await page.textContent('#tl-detail');
  check(detail.includes(`task#${target.id} `) && decodeURIComponent(page.url()).includes(`sel=task:${target.proc}:${target.id}`),
    `${where}: clicking a slice selects task#${target.id}`, detail);
  const sel = page.url();
  await page.goto('about:blank');
  await page.goto(sel);
  await ready(page, 'timeline');
  await page.waitForFunction(id => document.querySelector('#tl-detail').textContent.includes(`task#${id} `), target.id);
  check(true, `${where}: the deep link restores the selected task`);
}

async function checkCompare(page, cmp, where) {
  await page.goto(page.url().replace(/#.*/, '') + '#view=compare');
  await ready(page, 'compare');
  const n = await page.$$eval('#verdicts tbody tr', r => r.length);
  const verdicts = await page.$$eval('#verdicts tbody tr td.verdict', r => r.map(x => x.textContent));
  const counts = await page.$$eval('#verdict-counts [data-key]', s => Object.fromEntries(s.map(x => [x.dataset.key, Number(x.dataset.value)])));
  const want = cmp.comparison;
  check(n === cmp.verdicts.length && ['regressed', 'improved', 'same', 'inconclusive', 'not_assessed'].every(k => counts[k] === want[k]),
    `${where}: the two-run view shows compare's ${n} verdicts and counts`, JSON.stringify({ n, counts }));
  const same = cmp.verdicts.map(v => v.verdict).sort().join() === verdicts.slice().sort().join();
  check(same, `${where}: each verdict as rt-trace compare gives it`);
  const plots = await page.$$eval('#cmp-cdf .uplot, #cmp-shift .uplot', p => p.length);
  check(plots === 2, `${where}: overlaid CDFs and the shift function are drawn`, String(plots));
}

(async () => {
  fs.mkdirSync(WORK, { recursive: true });
  const sums = [rtJson(['summary', A, '--format', 'json']), rtJson(['summary', B, '--format', 'json'])];
  const worst = rtJson(['interactions', A, '-n', '1', '--format', 'json']).worst[0];
  const cmp = rtJson(['compare', A, '--against', B, '--format', 'json'], [0, 1, 3]);
  const lint = rtJson(['lint', A, '--format', 'json'], [0, 1]);
  const browser = await chromium.launch({ executablePath: process.env.RTK_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const view = await startView([A, B]);
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors = watch(page);
    await page.goto(view.url);
    await ready(page, 'overview');
    await shot(page, 'overview');
    await checkOverview(page, sums, 'view');
    await checkLint(page, lint, 'view');
    await page.goto(`${view.url}#view=dist&kind=interaction&measure=latency`);
    await ready(page, 'dist');
    const stats = await page.textContent('#dist-stats');
    check(stats.startsWith(`${sums[0].interactions.count} values`), 'view: the latency view counts the rendered interactions', stats);
    await shot(page, 'latency');
    await page.goto(`${view.url}#view=interactions`);
    await ready(page, 'interactions');
    await checkChain(page, worst, 'view');
    await shot(page, 'interactions');
    await page.goto(`${view.url}#view=timeline`);
    await ready(page, 'timeline');
    await shot(page, 'timeline');
    await checkZoom(page, 'view');
    await shot(page, 'timeline-zoomed');
    await page.goto(`${view.url}#view=drops`);
    await ready(page, 'drops');
    const drops = await page.$eval('#drops-total', e => Number(e.dataset.drops));
    check(drops === sums[0].drops.total, 'view: the drops view totals rt-trace summary drops.total', `${drops} vs ${sums[0].drops.total}`);
    await shot(page, 'drops');
    await checkCompare(page, cmp, 'view');
    await shot(page, 'compare');
    check(errors.length === 0, 'view: no console error', errors.join(' | '));

    // a failing API answer: a visible message, never a blank page
    const p2 = await browser.newPage();
    await p2.route('**/api/summary*', r => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error": "disk on fire"}' }));
    await p2.goto(view.url);
    await p2.waitForSelector('#error:not([hidden])', { timeout: 20000 });
    check((await p2.textContent('#error')).includes('disk on fire'), 'view: an API failure is shown as a one-line message');
    // the API's own bad requests
    const bad = await p2.evaluate(async u => {
      const r1 = await fetch(`${u}api/chain?proc=1&id=999999999`), r2 = await fetch(`${u}api/ticks?buckets=x`), r3 = await fetch(`${u}api/nope`);
      return [r1.status, (await r1.json()).error, r2.status, r3.status];
    }, view.url);
    check(bad[0] === 404 && /no interaction/.test(bad[1]) && bad[2] === 400 && bad[3] === 404, 'view: bad API requests get a JSON error and a 4xx', JSON.stringify(bad));
    await p2.close();
  } finally {
    view.proc.kill('SIGTERM');
  }
  const code = await new Promise(r => view.proc.on('exit', c => r(c)));
  check(code === 0, 'view: exits 0 on SIGTERM', String(code));

  // live: the database grows while shown (as rt-trace live --record
  // commits); the overview follows within a second or two
  const liveDb = path.join(WORK, 'live.db');
  fs.copyFileSync(A, liveDb);
  const lv = await startView(['--live', liveDb]);
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors = watch(page);
    await page.goto(lv.url);
    await ready(page, 'overview');
    const before = Number(await page.$eval('td[data-key="tasks.count"]', e => e.dataset.value));
    execFileSync('sqlite3', [liveDb, `INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts, started_ts, finished_ts, outcome)
      SELECT proc, MAX(id) + 1000000, 0, 50, 'live_added', 0, MAX(finished_ts) - 3000, MAX(finished_ts) - 2000, MAX(finished_ts) - 1000, 0 FROM tasks`]);
    await page.waitForFunction(n => Number(document.querySelector('td[data-key="tasks.count"]').dataset.value) === n, before + 1, { timeout: 20000 });
    const now = [rtJson(['summary', liveDb, '--format', 'json'])];
    await checkOverview(page, now, 'live');
    check(errors.length === 0, 'live: no console error', errors.join(' | '));
  } finally {
    lv.proc.kill('SIGTERM');
  }

  // the report, from file://, every request other than the file aborted
  const report = path.join(WORK, 'report.html');
  execFileSync(RT, ['report', A, B, '-o', report]);
  const size = fs.statSync(report).size;
  check(size > 50000, `report: written (${size} bytes)`);
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const blocked = [];
  await ctx.route('**/*', r => { if (r.request().url().startsWith('file:')) r.continue(); else { blocked.push(r.request().url()); r.abort(); } });
  const page = await ctx.newPage();
  const errors = watch(page);
  const url = `file://${report}`;
  await page.goto(url);
  await ready(page, 'overview');
  await checkOverview(page, sums, 'report');
  await checkLint(page, lint, 'report');
  await page.goto(`${url}#view=interactions`);
  await ready(page, 'interactions');
  await checkChain(page, worst, 'report');
  await page.goto(`${url}#view=timeline`);
  await ready(page, 'timeline');
  await checkZoom(page, 'report');
  await checkCompare(page, cmp, 'report');
  check(blocked.length === 0, 'report: made no network request', blocked.join(' '));
  check(errors.length === 0, 'report: no console error', errors.join(' | '));
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch(e => { console.log(`FAIL: ${e.stack || e}`); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); });
