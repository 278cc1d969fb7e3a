#!/usr/bin/env node
// api_test.js - rt-trace view's JSON API against the CLI and against SQL
// computed here with the sqlite3 shell (independent of the engine):
//
//   node api_test.js RT_TRACE A.db B.db
//
// The CLI-shaped answers (summary, interactions, latency, compare) must be
// deep-equal to the CLI's --format json; the viewer's own queries (ticks,
// tasks, drops per bucket, distributions, the waterfall) must add up to
// counts, sums and maxima taken straight from the tables. Prints
// "N passed, M failed"; exits 1 on any failure.
'use strict';
const { spawn, execFileSync } = require('child_process');
const assert = require('assert');

const [RT, A, B] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(ok, what, detail) {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAIL: ${what}${detail !== undefined ? `: ${detail}` : ''}`); }
}
function deepEq(a, b) { try { assert.deepStrictEqual(a, b); return true; } catch (e) { return false; } }
function cli(args, ok = [0]) {
  try { return JSON.parse(execFileSync(RT, args, { encoding: 'utf8' })); } catch (e) {
    if (ok.includes(e.status)) return JSON.parse(e.stdout);
    throw e;
  }
}
function sql(db, q) { return execFileSync('sqlite3', ['-batch', '-noheader', '-separator', '|', db, q], { encoding: 'utf8' }).trim().split('|').map(Number); }
const sum = (rows, k) => rows.reduce((a, r) => a + (r[k] || 0), 0);

function start() {
  return new Promise((resolve, reject) => {
    const p = spawn(RT, ['view', A, B, '--no-open'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', d => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ p, url: m[1] });
    });
    p.on('exit', c => reject(new Error(`rt-trace view exited ${c}`)));
  });
}

(async () => {
  const v = await start();
  const get = async q => { const r = await fetch(`${v.url}api/${q}`); return [r.status, await r.json()]; };
  try {
    // the CLI-shaped answers are the CLI's JSON
    check(deepEq((await get('summary?db=1'))[1], cli(['summary', B, '--format', 'json'])), 'summary?db=1 = rt-trace summary B --format json');
    check(deepEq((await get('interactions?n=5'))[1], cli(['interactions', A, '-n', '5', '--format', 'json'])), 'interactions?n=5 = rt-trace interactions -n 5');
    check(deepEq((await get('latency?kind=task&by=priority'))[1], cli(['latency', A, '--kind', 'task', '--by', 'priority', '--format', 'json'])), 'latency?kind=task&by=priority = rt-trace latency');
    check(deepEq((await get('compare'))[1], cli(['compare', A, '--against', B, '--format', 'json'], [0, 1, 3])), 'compare = rt-trace compare A --against B');

    // ticks per bucket add up to the table
    const [tc, tmax, tover, trend] = sql(A, 'SELECT COUNT(*), MAX(end_ts - begin_ts), SUM(end_ts - begin_ts > 16700000), SUM(rendered > 0) FROM ticks');
    const tb = (await get('ticks?buckets=10'))[1];
    check(tb.buckets && sum(tb.buckets, 'count') === tc && Math.max(...tb.buckets.map(b => b.max)) === tmax &&
      sum(tb.buckets, 'over') === tover && sum(tb.buckets, 'rendered') === trend && tb.buckets.every(b => b.bucket >= 0 && b.bucket < 10),
    `ticks?buckets=10: ${tc} ticks, max ${tmax}, ${tover} over, ${trend} rendered`, JSON.stringify(tb.range));
    const tr = (await get('ticks?buckets=20000'))[1];
    check(tr.ticks && tr.ticks.length === tc && tr.range.ticks === tc, 'ticks?buckets=20000: every tick as a row');
    check(tb.buckets.every((b, i) => i === 0 || tb.buckets[i - 1].bucket < b.bucket), 'ticks?buckets=10: buckets in order, each once');

    // tasks: rows, lanes, and a narrow window
    const [nt, busy] = sql(A, 'SELECT COUNT(*), SUM(finished_ts - started_ts) FROM tasks');
    const rows = (await get('tasks?limit=100000'))[1];
    check(rows.tasks && rows.tasks.length === nt, `tasks?limit=100000: ${nt} slices`);
    const lanes = (await get('tasks?limit=10&buckets=50'))[1];
    check(lanes.lanes && sum(lanes.lanes, 'count') === nt && sum(lanes.lanes, 'busy') === busy, `tasks?limit=10: lanes add up to ${nt} tasks, ${busy} ns busy`);
    // each (bucket, priority) once, in that order (null priority first), and
    // each priority's longest run is the table's
    const lmax = {};
    for (const l of lanes.lanes) lmax[l.priority] = Math.max(lmax[l.priority] ?? -1, l.max);
    const pmax = execFileSync('sqlite3', ['-batch', '-noheader', '-separator', '|', A,
      'SELECT priority, MAX(finished_ts - started_ts) FROM tasks WHERE finished_ts IS NOT NULL GROUP BY priority'], { encoding: 'utf8' })
      .trim().split('\n').map(r => r.split('|').map(Number));
    const lkey = l => [l.bucket, l.priority === null ? -Infinity : l.priority];
    check(lanes.lanes.every((l, i) => i === 0 || lkey(lanes.lanes[i - 1])[0] < lkey(l)[0] ||
      (lkey(lanes.lanes[i - 1])[0] === lkey(l)[0] && lkey(lanes.lanes[i - 1])[1] < lkey(l)[1])) &&
      pmax.length > 1 && pmax.every(([p, m]) => lmax[p] === m),
    `tasks?limit=10: lanes ordered by (bucket, priority), ${pmax.length} priorities' longest runs`, JSON.stringify([lmax, pmax]));
    const t = rows.tasks[Math.floor(rows.tasks.length / 2)];
    const [absq] = sql(A, `SELECT queued_ts FROM tasks WHERE proc = ${t.proc} AND id = ${t.id}`);
    const t0 = absq - t.queued; // the trace start, as the API counts from it
    const from = t.queued, to = t.queued + 2000000;
    const [want] = sql(A, `SELECT COUNT(*) FROM tasks WHERE queued_ts < ${t0 + to} AND COALESCE(finished_ts, started_ts, queued_ts) >= ${t0 + from}`);
    const win = (await get(`tasks?from=${from}&to=${to}&limit=100000`))[1];
    check(win.tasks && win.tasks.length === want && win.range.tasks === want, `tasks in a 2 ms window: ${want} overlap it`, win.tasks && win.tasks.length);

    // drops
    const [nd] = sql(A, 'SELECT COUNT(*) FROM drops');
    const dr = (await get('drops?buckets=7'))[1];
    check(sum(dr.drops, 'count') === nd, `drops?buckets=7: ${nd} drops`);

    // distributions are the summary's percentiles
    const sm = cli(['summary', A, '--format', 'json']);
    const di = (await get('dist?kind=interaction&measure=latency'))[1];
    check(di.stats.count === sm.interactions.count && di.stats.p50 === sm.interactions.p50 && di.stats.p99 === sm.interactions.p99 &&
      di.stats.max === sm.interactions.max && sum(di.hist, 'count') === sm.interactions.count,
    'dist interaction latency: count, p50, p99, max = summary; the histogram holds every value', JSON.stringify(di.stats));
    const dt = (await get('dist?kind=task&measure=run_time&bins=7'))[1], rt = sm.tasks.run_time;
    check(['count', 'min', 'p50', 'p90', 'p99', 'max'].every(k => dt.stats[k] === rt[k]) && dt.hist.length === 7 && sum(dt.hist, 'count') === rt.count,
      'dist task run_time = summary tasks.run_time', JSON.stringify(dt.stats));
    // the shift function is compare's statistics at each decile: at p50 and
    // p90 the estimates and the interval are compare's own for the measure
    const sh = (await get('shift?kind=interaction&measure=latency'))[1];
    const cq = cli(['compare', A, '--against', B, '--format', 'json'], [0, 1, 3]).quantiles
      .filter(r => r.measure === 'interaction.latency');
    const near = (x, y) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
    check(sh.length === 9 && sh.every((r, i) => near(r.q, (i + 1) / 10) && Math.abs(r.diff - (r.new - r.base)) <= 1 && r.method === 'by-block' &&
      (r.assessed ? r.diff_lo <= r.diff && r.diff <= r.diff_hi : r.diff_lo === null && r.diff_hi === null)),
    'shift: nine deciles, diff = new - base (each rounded to 1 ns) inside its interval (none where too few values lie beyond the decile), by block', JSON.stringify(sh));
    check(sh.some(r => r.assessed) && sh.some(r => !r.assessed), 'shift: the short runs have deciles with and without an interval');
    for (const [p, stat] of [[0.5, 'p50'], [0.9, 'p90']]) {
      const r = sh.find(x => near(x.q, p)), c = cq.find(x => x.stat === stat);
      const same = (x, y) => (x === null ? y === null : y !== null && near(x, y));
      check(c && near(r.base, c.base) && near(r.new, c.new) && near(r.rel, c.change) && same(r.rel_lo, c.ci_low) && same(r.rel_hi, c.ci_high),
        `shift at ${stat} = rt-trace compare's interaction.latency ${stat}: estimates and interval`, JSON.stringify([r, c]));
    }

    // tick durations: two distributions from the kept collection of the
    // kind (the second a cache hit), then the shift from the same
    // collection, which must still be in the run's order (compare's
    // bootstrap resamples blocks of it): a collection sorted in place by
    // the first dist would give other intervals than compare's
    const [tdur] = sql(A, 'SELECT COUNT(*) FROM ticks WHERE (flags & 5) = 0');
    const dd1 = (await get('dist?kind=tick&measure=duration&bins=9'))[1];
    const dd2 = (await get('dist?kind=tick&measure=duration&bins=9'))[1];
    const dd3 = (await get('dist?db=1&kind=tick&measure=duration'))[1];
    check(deepEq(dd1, dd2) && dd1.stats.count === tdur && dd1.stats.p99 === sm.ticks.duration.p99 && dd3.stats.count > 0,
      `dist tick duration twice: the same answer, ${tdur} values, p99 = summary's`, JSON.stringify([dd1.stats, dd2.stats]));
    const tsh = (await get('shift?kind=tick&measure=duration'))[1];
    const tcq = cli(['compare', A, '--against', B, '--format', 'json'], [0, 1, 3]).quantiles
      .filter(r => r.measure === 'tick.duration');
    for (const [p, stat] of [[0.5, 'p50'], [0.9, 'p90']]) {
      const r = tsh.find(x => near(x.q, p)), c = tcq.find(x => x.stat === stat);
      const same = (x, y) => (x === null ? y === null : y !== null && near(x, y));
      check(r && c && near(r.base, c.base) && near(r.new, c.new) && near(r.rel, c.change) && same(r.rel_lo, c.ci_low) && same(r.rel_hi, c.ci_high),
        `shift after dist, tick duration at ${stat} = rt-trace compare's: estimates and interval`, JSON.stringify([r, c]));
    }

    // the worst interaction's waterfall
    const w = cli(['interactions', A, '-n', '1', '--format', 'json']).worst[0];
    const ch = (await get(`chain?proc=${w.proc}&id=${w.command_id}`))[1];
    const x = ch.interaction;
    check(x.latency === w.latency && x.p4 - x.p0 === w.latency && x.p1 - x.p0 === w.queue && x.p3 - x.p2 === w.frame_wait,
      `chain: command#${w.command_id}'s cut points give its latency and parts`, JSON.stringify(x));
    const [treeTasks] = sql(A, `WITH RECURSIVE tree(id) AS (SELECT ${w.command_id} UNION SELECT t.id FROM tasks t JOIN tree ON t.proc = ${w.proc} AND t.cause = tree.id
      UNION SELECT c.id FROM commands c JOIN tree ON c.proc = ${w.proc} AND c.cause = tree.id UNION SELECT d.id FROM dispatches d JOIN tree ON d.proc = ${w.proc} AND d.cause = tree.id
      UNION SELECT r.id FROM render_requests r JOIN tree ON r.proc = ${w.proc} AND r.cause = tree.id) SELECT COUNT(*) FROM tasks WHERE proc = ${w.proc} AND id IN tree`);
    check(ch.items.filter(i => i.kind === 'task').length === treeTasks && ch.items.some(i => i.kind === 'command' && i.id === w.command_id) &&
      ch.items.filter(i => i.kind === 'render').length === 1, `chain: the command, its ${treeTasks} tasks and one render`);

    // bad requests
    const bad = [await get('chain?proc=1&id=999999999'), await get('ticks?buckets=0'), await get('dist?kind=task&measure=nope'), await get('tasks?from=-5'), await get('nope')];
    check(bad.map(b => b[0]).join() === '404,400,400,400,404' && bad.every(b => typeof b[1].error === 'string'), 'bad requests: JSON errors, 404/400', JSON.stringify(bad.map(b => [b[0], b[1].error])));
    const r = await fetch(v.url, { method: 'POST', body: 'x' });
    check(r.status === 405, 'POST: 405', r.status);
  } catch (e) {
    check(false, 'api', e.stack);
  } finally {
    v.p.kill('SIGTERM');
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
