// Drives Chromium (puppeteer-core, no browser download) through the plan explorer at /explore
// with every host but 127.0.0.1 unresolvable: it types a job title, sees it suggested and read
// as a role, picks it with the keyboard (and the start with the mouse), sets a budget and a
// pace and sees the plan drawn with its weeks and what the budget deferred; it is offered
// candidates for a title below the threshold, draws a role plan and a skill plan from links,
// clicks a step and reads why it is there, with no request to another origin, no CSP
// violation and no console error. Then it renders the plan's Mermaid text with mermaid.js (from the npm
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
  const read = (field) => text(`#${field}-role-read`);
  const waitRead = (field, words) =>
    page.waitForFunction(
      (id, words) => document.getElementById(id).textContent.includes(words),
      { timeout: 5000 },
      `${field}-role-read`,
      words
    );

  // A target typed as an ad writes it: suggestions appear, the title is read as a role with
  // its confidence, and the first suggestion is picked with the keyboard.
  await page.type("#to-role", "Sr. ML Engineer (m/w/d)");
  await page.waitForSelector("#to-role-list:not([hidden]) [role=option]", { timeout: 5000 });
  const offered = await page.$$eval("#to-role-list [role=option]", (o) => o.map((e) => e.textContent));
  console.log(`suggested for "Sr. ML Engineer (m/w/d)": ${offered.join(" | ")}`);
  check(offered.length > 0 && offered[0].includes("ml-engineer"), `suggestions: ${offered}`);
  check(
    (await page.$eval("#to-role", (e) => e.getAttribute("aria-expanded"))) === "true",
    "the combobox does not say its list is open"
  );
  await waitRead("to", "Read as Machine learning engineer");
  console.log(`read as: ${await read("to")}`);
  check((await read("to")).includes("confidence 1.00"), `confidence: ${await read("to")}`);
  await page.keyboard.press("ArrowDown");
  const activeId = await page.$eval("#to-role", (e) => e.getAttribute("aria-activedescendant"));
  check(activeId === "to-role-0", `ArrowDown highlights the first option: ${activeId}`);
  await page.keyboard.press("Enter");
  const picked = await page.$eval("#to-role", (e) => e.value);
  check(picked === "Machine learning engineer", `Enter picks the option: ${picked}`);
  check(await page.$eval("#to-role-list", (e) => e.hidden), "the list closes on a pick");
  check((await read("to")).startsWith("Picked"), `after the pick: ${await read("to")}`);

  // The start, typed in part and picked with the mouse.
  await page.type("#from-role", "software eng");
  await page.waitForSelector("#from-role-list:not([hidden]) [role=option]", { timeout: 5000 });
  const option = await page.evaluateHandle(() =>
    [...document.querySelectorAll("#from-role-list [role=option]")].find((o) =>
      o.textContent.includes("software-engineer")
    )
  );
  check(option.asElement() !== null, "software-engineer is suggested for `software eng`");
  await option.asElement().click();
  check((await read("from")).includes("software-engineer"), `from: ${await read("from")}`);

  // A budget and a pace, then the plan.
  await page.type("#budget", "100");
  await page.type("#pace", "10");
  await page.click("#draw");
  await page.waitForSelector("#drawing svg g.step", { timeout: 10000 });
  await page.waitForFunction(() => !/Planning|Reading/.test(document.querySelector("#status").textContent));
  const drawn = await page.$$eval("#drawing g.step", (g) => g.length);
  const arrows = await page.$$eval("#drawing path.edge", (p) => p.length);
  const summary = await text("#status");
  console.log(`titled plan: ${drawn} boxes, ${arrows} arrows; ${summary}`);
  check(summary.startsWith(`${drawn} steps`), `the drawing has ${drawn} boxes but: ${summary}`);
  check(/\d+ weeks at 10 h a week/.test(summary), `the pace gives no weeks: ${summary}`);
  check(summary.includes("Within the 100 h budget"), `the budget defers nothing: ${summary}`);
  const svgTitle = await page.$eval("#drawing svg title", (e) => e.textContent);
  console.log(`drawing's title: ${svgTitle}`);
  check(svgTitle.includes("weeks") && svgTitle.includes("100 h budget"), `svg title: ${svgTitle}`);
  for (const p of ["role=ml-engineer", "from=software-engineer", "budgetHours=100", "hoursPerWeek=10"])
    check(page.url().includes(p), `the address keeps ${p}: ${page.url()}`);
  await page.click("#drawing g.step");
  await page.waitForSelector("#step:not([hidden])", { timeout: 5000 });
  const facts = await text("#step .facts");
  console.log(`first step: ${facts}`);
  check(/weeks? \d/.test(facts), `the step shows no week: ${facts}`);
  await page.screenshot({ path: `${out}/explore-title.png` });

  // A title no role reaches: the candidates are offered, drawing waits for a pick.
  await page.goto(`${base}/explore`, { waitUntil: "networkidle0" });
  await page.type("#to-role", "Platform person");
  await waitRead("to", "No role reaches");
  const candidates = await page.$$eval("#to-role-read button", (b) => b.map((e) => e.textContent));
  console.log(`"Platform person": ${await read("to")}`);
  check(candidates.length > 0, "no candidates offered below the threshold");
  await page.click("#draw");
  await page.waitForSelector("#status.error", { timeout: 5000 });
  console.log(`drawn unpicked: ${await text("#status")}`);
  await page.click("#to-role-read button");
  await page.click("#draw");
  await page.waitForSelector("#drawing svg g.step", { timeout: 10000 });
  console.log(`after picking ${candidates[0]}: ${await text("#status")}`);

  // A link naming roles by id draws at once, as before; so does one naming a title.
  await page.goto(`${base}/explore?from=software-engineer&role=ai-engineer`, { waitUntil: "networkidle0" });
  await page.waitForSelector("#drawing svg g.step", { timeout: 10000 });
  check((await page.$eval("#to-role", (e) => e.value)) === "AI engineer", "the role's name is shown");
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
  await page.goto(`${base}/explore?toTitle=${encodeURIComponent("Senior MLOps Engineer - Remote")}`, {
    waitUntil: "networkidle0",
  });
  await page.waitForSelector("#drawing svg g.step", { timeout: 10000 });
  console.log(`toTitle link: ${await read("to")} → ${page.url()}`);
  check(page.url().includes("role=mlops-engineer"), `toTitle read: ${page.url()}`);

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

  // A pace of 0 the form itself refuses (min=1: the browser's own message, no request); one
  // the server refuses, its message in the page.
  await page.goto(`${base}/explore`, { waitUntil: "networkidle0" });
  await page.type("#to-role", "ml-engineer");
  await page.type("#pace", "0");
  await page.click("#draw");
  check(await page.$eval("#pace", (e) => e.matches(":invalid")), "a pace of 0 is valid in the form");
  check(!(await page.$("#drawing svg")), "a pace of 0 drew a plan");
  await page.$eval("#pace", (e) => (e.value = ""));
  await page.type("#pace", "3000000000");
  const before = problems.length;
  await page.click("#draw");
  await page.waitForSelector("#status.error", { timeout: 5000 }).catch(async (e) => {
    // What the page shows instead, to tell a slow server from a form that did not submit.
    const pace = await page.$eval("#pace", (e) => `${e.value} ${e.validationMessage}`);
    console.log(`no error shown: status "${await text("#status")}", pace "${pace}"`);
    throw e;
  });
  const refused = await text("#status");
  console.log(`pace 3000000000: ${refused}`);
  check(refused.includes("hoursPerWeek must be a whole number"), `refused: ${refused}`);
  problems.splice(before).forEach((p) => p.includes("400") || problems.push(p));

  // A name no role has is said so, in the page.
  await page.goto(`${base}/explore`, { waitUntil: "networkidle0" });
  await page.type("#to-role", "no-such-role");
  await page.click("#draw");
  await page.waitForSelector("#status.error", { timeout: 5000 });
  console.log(`unknown role: ${await text("#status")}`);

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
