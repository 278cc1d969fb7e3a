#!/usr/bin/env node
// viewer_bench.js - the viewer's speed in Chromium (playwright-core):
//   node viewer_bench.js URL [report.html]
// For the live page at URL and the report file: first meaningful paint (the
// page's performance marks: rtk-overview-painted, rtk-timeline-painted, in
// ms from navigation start), and the frame rate of 3 s of continuous zoom
// and pan on the timeline (one wheel step per animation frame, drawn from
// the marks already fetched; fetches happen when the wheel rests, as for a
// person). Prints one line per figure.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '../viewer/node_modules/playwright-core'));

async function measure(browser, url, label) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  for (const [view, mark] of [['overview', 'rtk-overview-painted'], ['timeline', 'rtk-timeline-painted']]) {
    await page.goto('about:blank');
    await page.goto(`${url}#view=${view}`);
    await page.waitForFunction(m => performance.getEntriesByName(m).length > 0, mark, { timeout: 60000 });
    const t = await page.evaluate(m => performance.getEntriesByName(m)[0].startTime, mark);
    console.log(`${label}: first meaningful paint (${view}): ${t.toFixed(0)} ms`);
  }
  // zoom in 1.5 s, then pan 1.5 s, one step per frame
  const r = await page.evaluate(() => new Promise(resolve => {
    const T = window.RTK.timeline, f0 = T.frames, d0 = T.drawMs, gaps = [];
    let last = performance.now(), start = last, n = 0;
    function step(now) {
      gaps.push(now - last);
      last = now;
      const span = T.to - T.from;
      if (now - start < 1500) T.zoom(0.985, T.from + span * 0.37);
      else T.setRange(T.from + span * 0.01, T.to + span * 0.01);
      n++;
      if (now - start < 3000) requestAnimationFrame(step);
      else resolve({ drawMs: (T.drawMs - d0) / Math.max(1, T.frames - f0), frames: T.frames - f0, steps: n, ms: now - start, worst: Math.max(...gaps.slice(1)), span: T.to - T.from });
    }
    requestAnimationFrame(step);
  }));
  console.log(`${label}: zoom/pan: ${(r.frames / r.ms * 1000).toFixed(1)} frames/s drawn (${r.frames} frames in ${r.ms.toFixed(0)} ms, worst frame gap ${r.worst.toFixed(1)} ms, ${r.drawMs.toFixed(2)} ms drawing per frame, final span ${r.span.toFixed(0)} ns)`);
  if (errors.length) console.log(`${label}: console errors: ${errors.join(' | ')}`);
  await page.close();
}

(async () => {
  const [url, report] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: process.env.RTK_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  await measure(browser, url, 'view');
  if (report) await measure(browser, `file://${path.resolve(report)}`, 'report');
  await browser.close();
})().catch(e => { console.error(`viewer_bench: ${e.message}`); process.exit(1); });
