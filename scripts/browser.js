// Shared by the headless-Chromium checks (explorer-check.js, explore-check.js): a browser
// (puppeteer-core on the system Chromium, no download) with every host but 127.0.0.1
// unresolvable, and a page that records every request and every problem (an HTTP error, a
// failed request, a page error, a console error or warning, a CSP violation).
const puppeteer = require("puppeteer-core");

async function open() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
    defaultViewport: { width: 1400, height: 900 },
  });
  const page = await browser.newPage();
  const requests = [];
  const problems = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} ${r.failure().errorText}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn") problems.push(`console: ${m.text()}`);
  });
  await page.evaluateOnNewDocument(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
    )
  );
  return { browser, page, requests, problems };
}

// Lists the requests, adds any to another origin to the problems, closes the browser and
// exits non-zero when there was any problem.
async function finish({ browser, requests, problems }, base, screenshots) {
  const network = requests.filter((u) => !u.startsWith("data:"));
  const elsewhere = network.filter((u) => !u.startsWith(`${base}/`));
  const paths = network.map((u) => u.slice(base.length).split("?")[0]);
  console.log(`requests: ${[...new Set(paths)].join(" ")}`);
  if (elsewhere.length) problems.push(`requests to other origins: ${elsewhere.join(" ")}`);
  await browser.close();
  if (problems.length) {
    console.error(`problems:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`ok; screenshots in ${screenshots}`);
}

module.exports = { open, finish };
