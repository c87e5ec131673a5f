// Lighthouse scores for pages of a running blatt site, with Debian's Chromium.
// Usage: node lighthouse.mjs URL... ; prints one line per URL with the four
// category scores and, for any category under 100, the audits that failed.
// Exits 1 when accessibility, best practices or SEO is under the minimum
// (LIGHTHOUSE_MIN, default 100); performance is reported, not enforced:
// it depends on the machine's load.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: node lighthouse.mjs URL...');
  process.exit(2);
}
const min = Number(process.env.LIGHTHOUSE_MIN ?? 100);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
let failed = false;
const rows = [];
try {
  for (const url of urls) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      // A desktop page on loopback: the mobile throttling would measure the
      // simulated network, not the page.
      formFactor: 'desktop',
      screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false },
      throttlingMethod: 'provided',
    });
    const lhr = result.lhr;
    const score = (id) => Math.round((lhr.categories[id].score ?? 0) * 100);
    const scores = {
      performance: score('performance'),
      accessibility: score('accessibility'),
      'best-practices': score('best-practices'),
      seo: score('seo'),
    };
    rows.push({ url, ...scores });
    console.log(`${url}  performance ${scores.performance}  accessibility ${scores.accessibility}  best-practices ${scores['best-practices']}  seo ${scores.seo}`);
    for (const [id, category] of Object.entries(lhr.categories)) {
      if (category.score === 1) continue;
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          console.log(`    ${id}: ${ref.id} (${audit.score}) ${audit.title}`);
        }
      }
    }
    for (const id of ['accessibility', 'best-practices', 'seo']) {
      if (scores[id] < min) failed = true;
    }
  }
} finally {
  await chrome.kill();
}
if (process.env.LIGHTHOUSE_JSON) {
  const fs = await import('node:fs');
  fs.writeFileSync(process.env.LIGHTHOUSE_JSON, JSON.stringify(rows, null, 2));
}
process.exit(failed ? 1 : 0);
