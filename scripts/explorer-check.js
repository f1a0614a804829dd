// Drives Chromium (puppeteer-core, no browser download) through the GraphQL explorer with every
// host but 127.0.0.1 unresolvable: the page must render, run a query, browse the schema and run
// a subscription over WebSocket, with no request to another origin, no CSP violation and no
// console error. Run by scripts/explorer-check.sh; exits non-zero on any problem.
//
//   node explorer-check.js BASE_URL ADMIN_TOKEN OUT_DIR
const { open, finish } = require("./browser.js");
const [base, token, out] = process.argv.slice(2);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const editor = ".graphiql-query-editor .CodeMirror";
const response = ".graphiql-response .CodeMirror";

(async () => {
  const session = await open();
  const { page, problems } = session;
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

  await finish(session, base, `${out}/explorer-*.png`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
