// Opens a page in Chromium as a first-time visitor (no cookies, empty cache), waits until the
// network is quiet (and, with "hydrated", until the app has hydrated), and prints the scripts and
// WebAssembly it fetched (JSON). With a cookie, the visit is a signed-in person's (it is sent as a
// header, so it reaches every request of the page whatever the cookie's attributes).
//   node bench/first-visit.cjs URL plain|hydrated [COOKIE]
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'end2end', 'node_modules', '@playwright/test'));

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const page = await browser.newPage();
  if (process.argv[4]) await page.setExtraHTTPHeaders({ Cookie: process.argv[4] });
  const fetched = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (/\.(js|mjs|wasm)$/.test(url.pathname)) fetched.push(url.pathname);
  });
  await page.goto(process.argv[2], { waitUntil: 'networkidle' });
  if (process.argv[3] === 'hydrated') {
    // Hydration is done when the app's script has run; the body then carries this mark.
    await page.waitForSelector('body[data-hydrated]', { timeout: 15000 });
    await page.waitForLoadState('networkidle');
  }
  console.log(JSON.stringify([...new Set(fetched)]));
  await browser.close();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
