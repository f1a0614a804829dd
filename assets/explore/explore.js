// The plan explorer: picks a start and a target, asks the server for the plan drawn
// (/paths/…svg) and for its steps (POST /graphql), and shows why a clicked step is there.
// Everything it shows from the server is set as text or parsed as SVG, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const have = new Map(); // skill id -> level
let steps = new Map(); // position -> step

async function graphql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

function element(tag, text, attributes = {}) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
  return e;
}

function status(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

// Fills a datalist with what the server finds for what was typed (ids as values).
function suggest(input, list, field) {
  let timer;
  const search = async () => {
    const query = `query($q: String) { ${field}(query: $q, first: 15) { nodes { id name } } }`;
    try {
      const data = await graphql(query, { q: input.value });
      list.replaceChildren(
        ...data[field].nodes.map((n) => element("option", n.name, { value: n.id }))
      );
    } catch (e) {
      status(e.message, true);
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  return search;
}

function showHave() {
  $("have-list").replaceChildren(
    ...[...have].map(([skill, level]) => {
      const item = element("li", `${skill}:${level}`);
      const remove = element("button", "×", { type: "button", "aria-label": `Remove ${skill}` });
      remove.addEventListener("click", () => {
        have.delete(skill);
        showHave();
      });
      item.append(remove);
      return item;
    })
  );
}

// The request as the form has it: the drawing's URL and the GraphQL variables.
function request() {
  const kind = $("kind-skill").checked ? "skill" : "role";
  const id = (kind === "role" ? $("to-role") : $("to-skill")).value.trim();
  if (!id) throw new Error(`Type the ${kind} to reach first.`);
  const level = Number($("to-level").value);
  const from = $("from-role").value.trim();
  const params = new URLSearchParams();
  if (from) params.set("from", from);
  if (have.size) params.set("have", [...have].map(([s, l]) => `${s}:${l}`).join(","));
  if (kind === "skill") params.set("level", String(level));
  if ($("recommended").checked) params.set("includeRecommended", "true");
  if (!$("optional").checked) params.set("includeOptional", "false");
  const base =
    kind === "role"
      ? `/paths/${encodeURIComponent(id)}`
      : `/paths/skills/${encodeURIComponent(id)}`;
  const query = params.toString() ? `?${params}` : "";
  const variables = {
    from: { role: from || null, skills: [...have].map(([skill, level]) => ({ skill, level })) },
    to: kind === "role" ? { roles: [id] } : { skills: [{ skill: id, level }] },
    recommended: $("recommended").checked,
    optional: $("optional").checked,
  };
  const page = new URLSearchParams(params);
  page.set(kind, id);
  return { base, query, variables, page };
}

const PLAN = `query Plan($from: ProfileInput, $to: TargetInput!, $recommended: Boolean,
    $optional: Boolean) {
  learningPath(from: $from, to: $to, includeRecommended: $recommended,
      includeOptional: $optional) {
    stages totalHours criticalPathHours mermaid dot
    steps {
      position stage fromLevel toLevel hours
      skill { id name description resources { title url kind } }
      because { id name } chain { id name } alternatives { id name }
      serves { __typename ... on Skill { id name } ... on Role { id name } }
    }
  }
}`;

async function draw() {
  let r;
  try {
    r = request();
  } catch (e) {
    status(e.message, true);
    return;
  }
  status("Planning…");
  $("step").hidden = true;
  try {
    const [picture, data] = await Promise.all([
      fetch(`${r.base}.svg${r.query}`).then(async (response) => {
        const text = await response.text();
        if (!response.ok) throw new Error(JSON.parse(text).errors[0].message);
        return text;
      }),
      graphql(PLAN, r.variables),
    ]);
    const doc = new DOMParser().parseFromString(picture, "image/svg+xml");
    const svg = document.importNode(doc.documentElement, true);
    for (const g of svg.querySelectorAll("g.step")) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
    }
    $("drawing").replaceChildren(svg);
    const path = data.learningPath;
    steps = new Map(path.steps.map((s) => [s.position, s]));
    $("mermaid").textContent = path.mermaid;
    $("dot").textContent = path.dot;
    $("text-formats").hidden = false;
    for (const [id, ext] of [["link-svg", "svg"], ["link-mmd", "mmd"], ["link-dot", "dot"]]) {
      $(id).href = `${r.base}.${ext}${r.query}`;
      $(id).hidden = false;
    }
    history.replaceState(null, "", `?${r.page}`);
    status(
      path.steps.length
        ? `${path.steps.length} steps in ${path.stages} stages: ${path.totalHours} h of study, ` +
            `${path.criticalPathHours} h on the longest chain. Click a step to see why it is there.`
        : "Nothing to learn: every target is met already."
    );
  } catch (e) {
    $("drawing").replaceChildren();
    status(e.message, true);
  }
}

function names(list) {
  return list.map((s) => s.name).join(", ");
}

function select(g) {
  const step = steps.get(Number(g.id.replace("step-", "")));
  if (!step) return;
  const svg = $("drawing").querySelector("svg");
  for (const e of svg.querySelectorAll(".selected, .lit")) e.classList.remove("selected", "lit");
  g.classList.add("selected");
  for (const e of svg.querySelectorAll(`[data-from="${g.id}"], [data-to="${g.id}"]`))
    e.classList.add("lit");

  const panel = $("step");
  const from = step.fromLevel ? `from level ${step.fromLevel} ` : "";
  const parts = [
    element("h2", step.skill.name),
    element(
      "p",
      `Stage ${step.stage}, step ${step.position} · ${from}to level ${step.toLevel} · ` +
        `${step.hours} h`,
      { class: "facts" }
    ),
    element("h3", "Why it is here"),
  ];
  const why = element("ul");
  const serves = step.serves.map((t) => `${t.name} (${t.__typename.toLowerCase()})`);
  if (step.chain.length <= 1) {
    why.append(element("li", `A target itself: ${serves.join(", ")} needs it.`));
  } else {
    why.append(element("li", `It leads to ${step.chain.at(-1).name}: ${names(step.chain)}.`));
    why.append(element("li", `It serves ${serves.join(", ")}.`));
  }
  if (step.because.length) why.append(element("li", `Next, ${names(step.because)} wait for it.`));
  if (step.alternatives.length)
    why.append(element("li", `Chosen for a "one of" group: ${names(step.alternatives)} would do instead.`));
  parts.push(why);
  if (step.skill.description) parts.push(element("p", step.skill.description));
  parts.push(element("h3", "Resources"));
  if (step.skill.resources.length) {
    const list = element("ul");
    for (const r of step.skill.resources) {
      const item = element("li");
      if (/^https?:\/\//i.test(r.url)) {
        item.append(element("a", r.title, { href: r.url, rel: "noopener noreferrer", target: "_blank" }));
      } else {
        item.append(document.createTextNode(`${r.title} (${r.url})`));
      }
      item.append(document.createTextNode(` · ${r.kind.toLowerCase()}`));
      list.append(item);
    }
    parts.push(list);
  } else {
    parts.push(element("p", "None listed for this skill yet."));
  }
  panel.replaceChildren(...parts);
  panel.hidden = false;
}

// The level pickers list the server's levels, practitioner (3) first selected.
async function levels() {
  const data = await graphql("{ levels { level name } }");
  for (const select of [$("have-level"), $("to-level")]) {
    select.replaceChildren(
      ...data.levels.map((l) => element("option", `${l.level} ${l.name}`, { value: l.level }))
    );
    select.value = "3";
  }
}

async function start() {
  try {
    await levels();
  } catch (e) {
    status(e.message, true);
  }
  const roles = suggest($("from-role"), $("role-options"), "roles");
  suggest($("to-role"), $("role-options"), "roles");
  suggest($("have-skill"), $("skill-options"), "skills");
  suggest($("to-skill"), $("skill-options"), "skills");
  roles();
  $("to-skill").addEventListener("focus", () => ($("kind-skill").checked = true));
  $("to-role").addEventListener("focus", () => ($("kind-role").checked = true));
  $("have-add").addEventListener("click", () => {
    const skill = $("have-skill").value.trim();
    if (!skill) return;
    have.set(skill, Number($("have-level").value));
    $("have-skill").value = "";
    showHave();
  });
  $("plan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    draw();
  });
  const drawing = $("drawing");
  drawing.addEventListener("click", (e) => {
    const g = e.target.closest("g.step");
    if (g) select(g);
  });
  drawing.addEventListener("keydown", (e) => {
    const g = e.target.closest && e.target.closest("g.step");
    if (g && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      select(g);
    }
  });

  // A link such as /explore?from=software-engineer&role=ai-engineer draws at once.
  const url = new URLSearchParams(location.search);
  if (url.get("from")) $("from-role").value = url.get("from");
  for (const item of (url.get("have") || "").split(",").filter(Boolean)) {
    const at = item.lastIndexOf(":");
    if (at > 0) have.set(item.slice(0, at), Number(item.slice(at + 1)));
  }
  showHave();
  if (url.get("level")) $("to-level").value = url.get("level");
  if (url.get("includeRecommended") === "true") $("recommended").checked = true;
  if (url.get("includeOptional") === "false") $("optional").checked = false;
  if (url.get("skill")) {
    $("kind-skill").checked = true;
    $("to-skill").value = url.get("skill");
    draw();
  } else if (url.get("role")) {
    $("to-role").value = url.get("role");
    draw();
  }
}

start();
