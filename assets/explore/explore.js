// The plan explorer: picks a start and a target, asks the server for the plan drawn
// (/paths/…svg) and for its steps (POST /graphql), and shows why a clicked step is there.
// The roles are typed as job titles or role names: each is read by the server
// (normalizeTitles, over GET /graphql so a cache may keep the answer) into a role id, which is
// what the drawing's address and the plan query take. Everything it shows from the server is
// set as text or parsed as SVG, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const have = new Map(); // skill id -> level
let steps = new Map(); // position -> step

// The least confidence at which a title names a role (normalizeTitles' default); below it
// the page offers the candidates instead.
const MIN_CONFIDENCE = 0.5;

// What the page asks while one types a title: the roles whose names match, as suggestions,
// and the title's reading. A test of the server (tests/api/paths.rs) sends this very text.
// prettier-ignore
const SUGGEST = "query Suggest($q: String!) { roles(query: $q, first: 8) { nodes { id name } } normalizeTitles(titles: [$q]) { role { id name } confidence matchedLabel alternatives { role { id name } confidence } } }";

// A query over GET: safe, and cacheable by the server's response cache and by the browser.
async function graphqlGet(query, variables) {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const response = await fetch(`/graphql?${params}`);
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

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

// A role field: a combobox where one types a job title or a role name. As one types (150 ms
// after the last key) the server suggests roles and reads the title: the role it names and
// its confidence, or the candidates when none reaches MIN_CONFIDENCE. Arrow keys, Enter and
// Escape work the list as a listbox; a click or Enter picks a role. `role()` gives the role
// the field names, reading what was typed first if that has not been done.
function roleField(name, describe) {
  const input = $(`${name}-role`);
  const list = $(`${name}-role-list`);
  const read = $(`${name}-role-read`);
  let chosen = null; // { id, name } for what the field holds now
  let timer;
  let asked = 0; // answers to older keystrokes are dropped
  let options = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute("aria-selected", String(k === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", list.children[i].id);
    else input.removeAttribute("aria-activedescendant");
  };
  const say = (...parts) => read.replaceChildren(...parts);
  const pick = (role, how) => {
    clearTimeout(timer);
    asked++; // an answer on its way is for what was typed before
    chosen = role;
    input.value = role.name;
    close();
    say(`${how} ${role.name} (${role.id}).`);
  };
  // The candidates as buttons that pick them, separated by commas.
  const offer = (candidates) =>
    candidates.flatMap((c, i) => {
      const button = element("button", `${c.role.name} (${c.confidence.toFixed(2)})`, {
        type: "button",
        class: "candidate",
      });
      button.addEventListener("click", () => pick(c.role, "Picked"));
      return i ? [", ", button] : [button];
    });

  // Asks the server about what the field holds now; sets `chosen` from its reading.
  const ask = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    if (!text) {
      chosen = null;
      close();
      say();
      return;
    }
    const data = await graphqlGet(SUGGEST, { q: text });
    if (mine !== asked) return; // a newer question, or a pick, came since
    const title = data.normalizeTitles[0];
    options = data.roles.nodes;
    // A role's id typed as is names that role.
    const exact = options.find((r) => r.id === text);
    list.replaceChildren(
      ...options.map((r, i) => {
        const li = element("li", r.name, { role: "option", id: `${name}-role-${i}` });
        li.append(element("small", ` ${r.id}`));
        li.addEventListener("click", () => pick(r, "Picked"));
        return li;
      })
    );
    if (options.length && document.activeElement === input) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }
    if (exact) {
      chosen = exact;
      say(`The role ${exact.name} (${exact.id}).`);
    } else if (title.role) {
      chosen = title.role;
      const read = `Read as ${title.role.name} (${title.role.id}), confidence ` +
        `${title.confidence.toFixed(2)}, from “${title.matchedLabel}”.`;
      // Short of a label itself, the other candidates may be what was meant.
      if (title.confidence < 1 && title.alternatives.length)
        say(`${read} Or: `, ...offer(title.alternatives));
      else say(read);
    } else {
      chosen = null;
      if (title.alternatives.length) {
        say(
          `No role reaches confidence ${MIN_CONFIDENCE} for “${text}”. Did you mean `,
          ...offer(title.alternatives),
          "?"
        );
      } else {
        say(`No role matches “${text}”.`);
      }
    }
  };
  const later = () => {
    chosen = null;
    clearTimeout(timer);
    timer = setTimeout(() => ask().catch((e) => status(e.message, true)), 150);
  };

  input.addEventListener("input", later);
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden && options.length > 0;
    const n = options.length;
    if ((e.key === "ArrowDown" || e.key === "ArrowUp") && n) {
      e.preventDefault();
      if (!open) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      if (e.key === "ArrowDown") highlight(active + 1 >= n ? 0 : active + 1);
      else highlight(active <= 0 ? n - 1 : active - 1);
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault(); // picks; does not submit the form
      pick(options[active], "Picked");
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      close();
    }
  });
  // A click in the list must not blur the input first (which would close it).
  list.addEventListener("mousedown", (e) => e.preventDefault());
  input.addEventListener("blur", close);

  return {
    // The role the field names: null when blank; throws when what was typed names none.
    async role() {
      if (!input.value.trim()) return null;
      if (!chosen) {
        // Typed and not yet read (or read as no role): read it now.
        clearTimeout(timer);
        await ask();
      }
      if (!chosen)
        throw new Error(`“${input.value.trim()}” names no ${describe}: pick one of the suggestions.`);
      return chosen;
    },
    // Fills the field with a role by id (a link's), or with a title to read.
    async set({ id, title }) {
      if (id) {
        const data = await graphql("query($id: ID!) { role(id: $id) { id name } }", { id });
        if (data.role) pick(data.role, "The role");
        else {
          input.value = id;
          chosen = { id, name: id }; // the drawing says it is unknown
        }
      } else if (title) {
        input.value = title;
        await ask();
      }
    },
  };
}

let fromField;
let toField;

// Whole hours as typed; blank is none. The server checks them (400 with a message); what a
// number field cannot even hold ("abc" reads as blank) is refused here, not taken as none.
function hours(id, what) {
  const input = $(id);
  if (input.validity.badInput) throw new Error(`The ${what} must be a whole number of hours.`);
  return input.value.trim();
}

// The request as the form has it: the drawing's URL and the GraphQL variables.
async function request() {
  const kind = $("kind-skill").checked ? "skill" : "role";
  let id;
  if (kind === "role") {
    const role = await toField.role();
    if (!role) throw new Error("Type the job title or role to reach first.");
    id = role.id;
  } else {
    id = $("to-skill").value.trim();
    if (!id) throw new Error("Type the skill to reach first.");
  }
  const level = Number($("to-level").value);
  const fromRole = await fromField.role();
  const from = fromRole ? fromRole.id : "";
  const [budget, pace] = [hours("budget", "budget"), hours("pace", "pace")];
  const params = new URLSearchParams();
  if (from) params.set("from", from);
  if (have.size) params.set("have", [...have].map(([s, l]) => `${s}:${l}`).join(","));
  if (kind === "skill") params.set("level", String(level));
  if ($("recommended").checked) params.set("includeRecommended", "true");
  if (!$("optional").checked) params.set("includeOptional", "false");
  if (budget) params.set("budgetHours", budget);
  if (pace) params.set("hoursPerWeek", pace);
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
    // The drawing has checked them by the time these are used.
    budget: budget ? Number(budget) : null,
    pace: pace ? Number(pace) : null,
  };
  const page = new URLSearchParams(params);
  page.set(kind, id);
  return { base, query, variables, page };
}

const PLAN = `query Plan($from: ProfileInput, $to: TargetInput!, $recommended: Boolean,
    $optional: Boolean, $budget: Int, $pace: Int) {
  learningPath(from: $from, to: $to, includeRecommended: $recommended,
      includeOptional: $optional, budgetHours: $budget, hoursPerWeek: $pace) {
    stages totalHours criticalPathHours mermaid dot weeks deferredHours readinessWithinBudget
    deferred { skill { name } }
    steps {
      position stage fromLevel toLevel hours startWeek endWeek
      skill { id name description resources { title url kind } }
      because { id name } chain { id name } alternatives { id name }
      serves { __typename ... on Skill { id name } ... on Role { id name } }
    }
  }
}`;

// The status line of a drawn plan: its size, its weeks at the pace, what the budget left out.
function summary(path, r) {
  const parts = [];
  if (path.steps.length) {
    parts.push(
      `${path.steps.length} steps in ${path.stages} stages: ${path.totalHours} h of study, ` +
        `${path.criticalPathHours} h on the longest chain`
    );
    if (path.weeks !== null) parts.push(`${path.weeks} weeks at ${r.variables.pace} h a week`);
  } else if (!path.deferred || !path.deferred.length) {
    return "Nothing to learn: every target is met already.";
  } else {
    parts.push("No step fits the budget");
  }
  let text = parts.join(", ") + ".";
  if (path.deferred && path.deferred.length) {
    const left = path.deferred.slice(0, 3).map((s) => s.skill.name);
    if (path.deferred.length > 3) left.push("…");
    text +=
      ` Within the ${r.variables.budget} h budget: ${path.deferred.length} steps ` +
      `(${path.deferredHours} h) deferred (${left.join(", ")}), readiness ` +
      `${Math.round(path.readinessWithinBudget * 100)} % once learned.`;
  }
  return path.steps.length ? `${text} Click a step to see why it is there.` : text;
}

async function draw() {
  let r;
  status("Reading the form…");
  try {
    r = await request();
  } catch (e) {
    $("drawing").replaceChildren();
    status(e.message, true);
    return;
  }
  status("Planning…");
  $("step").hidden = true;
  try {
    // Both at once; when both fail, the drawing's error is the one shown: it names the
    // parameter as typed, where GraphQL may refuse the variable's type first.
    const [drawing, planned] = await Promise.allSettled([
      fetch(`${r.base}.svg${r.query}`).then(async (response) => {
        const text = await response.text();
        if (!response.ok) throw new Error(JSON.parse(text).errors[0].message);
        return text;
      }),
      graphql(PLAN, r.variables),
    ]);
    for (const settled of [drawing, planned]) if (settled.status === "rejected") throw settled.reason;
    const [picture, data] = [drawing.value, planned.value];
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
    status(summary(path, r));
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
  let weeks = "";
  if (step.startWeek !== null)
    weeks =
      step.startWeek === step.endWeek
        ? ` · week ${step.startWeek}`
        : ` · weeks ${step.startWeek}–${step.endWeek}`;
  const parts = [
    element("h2", step.skill.name),
    element(
      "p",
      `Stage ${step.stage}, step ${step.position} · ${from}to level ${step.toLevel} · ` +
        `${step.hours} h${weeks}`,
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
  fromField = roleField("from", "current role");
  toField = roleField("to", "role to reach");
  suggest($("have-skill"), $("skill-options"), "skills");
  suggest($("to-skill"), $("skill-options"), "skills");
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

  // A link such as /explore?from=software-engineer&role=ai-engineer draws at once; roles by
  // id, or as titles to read: fromTitle=…&toTitle=Sr.+ML+Engineer.
  const url = new URLSearchParams(location.search);
  try {
    await fromField.set({ id: url.get("from"), title: url.get("fromTitle") });
  } catch (e) {
    status(e.message, true);
  }
  if (url.get("budgetHours")) $("budget").value = url.get("budgetHours");
  if (url.get("hoursPerWeek")) $("pace").value = url.get("hoursPerWeek");
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
  } else if (url.get("role") || url.get("toTitle")) {
    try {
      await toField.set({ id: url.get("role"), title: url.get("toTitle") });
      draw();
    } catch (e) {
      status(e.message, true);
    }
  }
}

start();
