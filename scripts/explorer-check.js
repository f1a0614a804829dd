// Drives Chromium (puppeteer-core, no browser download) through the GraphQL explorer with every
// host but 127.0.0.1 unresolvable: the page must render, run a query, browse the schema and run
// a subscription over WebSocket, with no request to another origin, no CSP violation and no
// console error. Run by scripts/explorer-check.sh; exits non-zero on any problem.
//
//   node explorer-check.js BASE_URL ADMIN_TOKEN OUT_DIR
const puppeteer = require("puppeteer-core");
const [base, token, out] = process.argv.slice(2);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const editor = ".graphiql-query-editor .CodeMirror";
const response = ".graphiql-response .CodeMirror";

(async () => {
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
  const run = async (query) => {
    await page.evaluate((s, q) => document.querySelector(s).CodeMirror.setValue(q), editor, query);
    await sleep(1000); // GraphiQL parses the edited document after a debounce
    await page.click(".graphiql-execute-button");
  };
  const result = () => page.evaluate((s) => document.querySelector(s).CodeMirror.getValue(), response);
  const waitFor = (text) =>
    page.waitForFunction(
      (s, t) => document.querySelector(s)?.CodeMirror.getValue().includes(t),
      { timeout: 10000 },
      response,
      text
    );

  await page.goto(`${base}/`, { waitUntil: "networkidle0" });
  await page.waitForSelector(editor, { timeout: 10000 });
  await page.screenshot({ path: `${out}/explorer-start.png` });
  console.log(`title: ${await page.title()}`);

  await run("{ stats { skills } }");
  await waitFor('"skills"');
  console.log(`query: ${(await result()).replace(/\s+/g, " ")}`);
  await page.screenshot({ path: `${out}/explorer-query.png` });

  await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector(".graphiql-doc-explorer", { timeout: 10000 });
  const docs = await page.evaluate(() => document.querySelector(".graphiql-doc-explorer").innerText);
  console.log(`docs: ${docs.slice(0, 120).replace(/\s+/g, " ")}…`);

  await run("subscription { graphChanged { revision kind ids } }");
  await sleep(1000);
  const id = `explorer-check-${Date.now()}`;
  const write = await page.evaluate(
    async (token, id) => {
      const r = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: `mutation { createSkill(input: {id: "${id}", name: "Explorer check", category: "programming", hours: 1}) { id } }`,
        }),
      });
      return r.text();
    },
    token,
    id
  );
  console.log(`write: ${write}`);
  await waitFor(id).catch(() => problems.push("the subscription did not report the write"));
  console.log(`subscription: ${(await result()).replace(/\s+/g, " ")}`);
  await page.screenshot({ path: `${out}/explorer-subscription.png` });

  const network = requests.filter((u) => !u.startsWith("data:"));
  const elsewhere = network.filter((u) => !u.startsWith(`${base}/`));
  console.log(`requests: ${[...new Set(network)].map((u) => u.slice(base.length)).join(" ")}`);
  if (elsewhere.length) problems.push(`requests to other origins: ${elsewhere.join(" ")}`);
  await browser.close();
  if (problems.length) {
    console.error(`problems:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`ok; screenshots in ${out}/explorer-*.png`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
