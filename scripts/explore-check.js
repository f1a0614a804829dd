// Drives Chromium (puppeteer-core, no browser download) through the plan explorer at /explore
// with every host but 127.0.0.1 unresolvable: it draws a role plan and a skill plan, clicks a
// step and reads why it is there, with no request to another origin, no CSP violation and no
// console error. Then it renders the plan's Mermaid text with mermaid.js (from the npm
// registry, in a blank page) to check that it is Mermaid a renderer accepts. Run by
// scripts/explore-check.sh; exits non-zero on any problem.
//
//   node explore-check.js BASE_URL OUT_DIR MERMAID_JS
const { open, finish } = require("./browser.js");
const [base, out, mermaidJs] = process.argv.slice(2);

(async () => {
  const session = await open();
  const { browser, page, problems } = session;
  await page.setViewport({ width: 1500, height: 950 });
  const text = (selector) => page.$eval(selector, (e) => e.innerText);
  const check = (ok, what) => ok || problems.push(what);

  await page.goto(`${base}/explore`, { waitUntil: "networkidle0" });
  console.log(`title: ${await page.title()}`);
  const roles = await page.$$eval("#role-options option", (o) => o.length);
  check(roles > 0, "the role picker offers no roles");
  console.log(`roles offered: ${roles}`);

  // A role plan, from a current role.
  await page.type("#from-role", "software-engineer");
  await page.type("#to-role", "ai-engineer");
  await page.click("#draw");
  await page.waitForSelector("#drawing svg g.step", { timeout: 10000 });
  await page.waitForFunction(() => !document.querySelector("#status").textContent.includes("Planning"));
  const drawn = await page.$$eval("#drawing g.step", (g) => g.length);
  const arrows = await page.$$eval("#drawing path.edge", (p) => p.length);
  const summary = await text("#status");
  console.log(`role plan: ${drawn} boxes, ${arrows} arrows; ${summary}`);
  check(summary.startsWith(`${drawn} steps`), `the drawing has ${drawn} boxes but: ${summary}`);
  check(page.url().includes("role=ai-engineer"), `the address keeps the plan: ${page.url()}`);
  const pytorch = '#drawing g.step[data-skill="pytorch"]';
  await page.click(pytorch);
  await page.waitForSelector("#step:not([hidden])", { timeout: 5000 });
  const panel = await text("#step");
  console.log(`clicked pytorch:\n  ${panel.replace(/\n+/g, "\n  ")}`);
  check(panel.includes("PyTorch") && panel.includes("Why it is here"), "the step panel is wrong");
  check(panel.includes("Resources"), "the step panel shows no resources");
  const lit = await page.$$eval("#drawing .edge.lit", (p) => p.length);
  check(lit > 0, "the clicked step's arrows are not highlighted");
  await page.screenshot({ path: `${out}/explore-role.png` });

  // A skill plan, from skills held, opened from its address as a link would.
  await page.goto(`${base}/explore?have=python:3,linear-algebra:2&skill=transformers&level=3`, {
    waitUntil: "networkidle0",
  });
  await page.waitForSelector("#drawing svg g.step", { timeout: 10000 });
  const skillSummary = await text("#status");
  console.log(`skill plan: ${skillSummary}`);
  const held = await page.$$eval("#have-list li", (l) => l.map((e) => e.textContent));
  check(held.length === 2, `the held skills are not listed: ${held}`);
  await page.click("#drawing g.step.target");
  await page.waitForSelector("#step:not([hidden])", { timeout: 5000 });
  console.log(`clicked the target: ${(await text("#step h2"))}`);
  await page.screenshot({ path: `${out}/explore-skill.png` });

  // An unknown role is said so, in the page.
  await page.goto(`${base}/explore`, { waitUntil: "networkidle0" });
  await page.type("#to-role", "no-such-role");
  const before = problems.length;
  await page.click("#draw");
  await page.waitForSelector("#status.error", { timeout: 5000 });
  console.log(`unknown role: ${await text("#status")}`);
  problems.splice(before).forEach((p) => p.includes("404") || problems.push(p));

  // The plan's Mermaid text renders with mermaid.js.
  const mermaid = await page.evaluate(async () => {
    const r = await fetch("/paths/ai-engineer.mmd?from=software-engineer");
    return r.text();
  });
  const blank = await browser.newPage();
  blank.on("pageerror", (e) => problems.push(`mermaid page error: ${e.message}`));
  await blank.setContent("<!doctype html><body></body>");
  await blank.addScriptTag({ path: mermaidJs });
  const nodes = await blank.evaluate(async (source) => {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
    const { svg } = await window.mermaid.render("plan", source);
    document.body.innerHTML = svg;
    return document.querySelectorAll("g.node").length;
  }, mermaid);
  const steps = (mermaid.match(/^ {4}s\d+\[/gm) || []).length;
  console.log(`mermaid.js drew ${nodes} nodes for ${steps} steps`);
  check(nodes === steps && steps > 0, `mermaid.js drew ${nodes} nodes for ${steps} steps`);
  await blank.setViewport({ width: 1800, height: 700 });
  await blank.screenshot({ path: `${out}/explore-mermaid.png`, fullPage: true });

  await finish(session, base, `${out}/explore-*.png`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
