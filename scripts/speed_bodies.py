#!/usr/bin/env python3
"""Writes the request bodies of scripts/speed.sh, one JSON body per line, chosen
deterministically from the graph the server at URL holds, and checks each answers without
errors (so the load run that follows need not read bodies).

    speed_bodies.py URL OUTDIR graph     # synthetic graph: prerequisites, paths, gaps
    speed_bodies.py URL OUTDIR search    # any graph: autocomplete prefixes of skill names
    speed_bodies.py URL OUTDIR recruiter # any graph: 5 KB texts to extract, roles' similar

For the graph questions it samples skills and roles in id order and keeps those whose answers
have the size the speed issue names: transitive closures of 250-350 skills, role plans of the
shortest few hundred steps, gap profiles that hold part of the role. Prints what it chose.
"""
import json
import random
import sys
import urllib.request

URL, OUT, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
COUNT = 400


def post(query, variables):
    body = json.dumps({"query": query, "variables": variables}, separators=(",", ":"))
    req = urllib.request.Request(URL, data=body.encode(), headers={"content-type": "application/json"})
    answer = json.load(urllib.request.urlopen(req))
    if "errors" in answer:
        raise SystemExit(f"{body} answered with errors: {answer['errors']}")
    return body, answer["data"]


def write(name, bodies):
    with open(f"{OUT}/{name}.bodies", "w") as f:
        f.write("\n".join(bodies) + "\n")


PREREQS = ("query Prereqs($id: ID!) { skill(id: $id) { prerequisites(transitive: true) "
           "{ depth skill { id name category { id } hours } } } }")
PATH = ("query Path($role: ID!) { learningPath(to: {roles: [$role]}) "
        "{ steps { position stage hours skill { id name } } } }")
GAP_LISTS = ("underLevel { currentLevel requirement { level skill { id name } } } "
             "missing { currentLevel requirement { level skill { id name } } }")
GAP = "query Gap($from: ProfileInput!, $role: ID!) { roleGap(from: $from, to: $role) { " + GAP_LISTS + " } }"
GAP_FULL = ("query GapPlan($from: ProfileInput!, $role: ID!) { roleGap(from: $from, to: $role) { "
            + GAP_LISTS + " path { steps { position stage hours skill { id name } } } } }")


def listing(kind, fields):
    """Every node of the `kind` list (skills or roles) in listing order, with `fields`,
    a page of 100 at a time."""
    nodes, after = [], None
    while True:
        _, data = post("query($after: String) { " + kind + "(first: 100, after: $after) "
                       "{ edges { cursor node { " + fields + " } } } }", {"after": after})
        edges = data[kind]["edges"]
        nodes += [e["node"] for e in edges]
        if len(edges) < 100:
            return nodes
        after = edges[-1]["cursor"]


def graph():
    skills = [node["id"] for node in listing("skills", "id")]
    prereqs, sizes = [], []
    for sid in skills:
        body, data = post(PREREQS, {"id": sid})
        n = len(data["skill"]["prerequisites"])
        if 250 <= n <= 350:
            prereqs.append(body)
            sizes.append(n)
        if len(prereqs) == COUNT:
            break
    write("prereqs", prereqs)
    print(f"prereqs: {len(prereqs)} skills, closures {min(sizes)}-{max(sizes)} "
          f"(mean {sum(sizes) / len(sizes):.0f})")

    roles = listing("roles", "id requirements { skill { id } level }")
    planned = []
    for role in roles[:3 * COUNT]:
        body, data = post(PATH, {"role": role["id"]})
        planned.append((len(data["learningPath"]["steps"]), body))
    planned.sort(key=lambda p: p[0])
    chosen = planned[:COUNT]
    write("path", [b for _, b in chosen])
    print(f"path: {len(chosen)} roles, plans of {chosen[0][0]}-{chosen[-1][0]} steps "
          f"(mean {sum(n for n, _ in chosen) / len(chosen):.0f})")

    gaps, full, lists, steps = [], [], [], []
    for i, role in enumerate(roles[:COUNT]):
        reqs = role["requirements"]
        # The profile: half the role held (every other requirement) at random levels,
        # plus five skills unrelated to the role, as a person changing jobs would hold.
        rng = random.Random(i)
        held = [{"skill": r["skill"]["id"], "level": rng.randint(1, 5)}
                for j, r in enumerate(reqs) if j % 2 == 0]
        asked = {r["skill"]["id"] for r in reqs}
        while len(held) < (len(reqs) + 1) // 2 + 5:
            sid = skills[rng.randrange(len(skills))]
            if sid not in asked and sid not in {h["skill"] for h in held}:
                held.append({"skill": sid, "level": rng.randint(1, 5)})
        variables = {"from": {"skills": held}, "role": role["id"]}
        body, data = post(GAP, variables)
        gaps.append(body)
        lists.append(len(data["roleGap"]["underLevel"]) + len(data["roleGap"]["missing"]))
        body, data = post(GAP_FULL, variables)
        full.append(body)
        steps.append(len(data["roleGap"]["path"]["steps"]))
    write("gap", gaps)
    write("gap-path", full)
    print(f"gap: {len(gaps)} profiles, {min(lists)}-{max(lists)} unmet requirements "
          f"(mean {sum(lists) / len(lists):.0f}); with path: plans of {min(steps)}-{max(steps)} steps")


def search():
    names = [node["name"] for node in listing("skills", "name")]
    query = "query Complete($q: String!) { skills(query: $q, first: 10) { edges { node { id name } } } }"
    bodies = []
    for i in range(COUNT):
        # Names spread over the whole list, typed 1 to 12 characters far.
        name = names[(i * 7919) % len(names)]
        prefix = name[: 1 + i % 12]
        body, _ = post(query, {"q": prefix})
        bodies.append(body)
    write("search", bodies)
    print(f"search: {len(bodies)} prefixes of 1-12 characters of {len(names)} names")


EXTRACT = ("query Extract($text: String!) { extractSkills(text: $text, first: 50) "
           "{ start end count score skill { id name } } }")
SIMILAR = ("query Similar($id: ID!) { role(id: $id) { similar(first: 10) "
           "{ score hoursTo hoursFrom role { id name } } } }")


def recruiter():
    roles = listing("roles", "id description")
    # Job-ad-like texts: 5,000 characters of occupation descriptions, each window starting at
    # another role, so the 400 texts share little.
    described = [r["description"] for r in roles if r["description"]]
    texts, mentions = [], []
    for i in range(COUNT):
        start = (i * 7919) % len(described)
        text = ""
        for d in described[start:] + described[:start]:
            text += d + "\n"
            if len(text) >= 5000:
                break
        body, data = post(EXTRACT, {"text": text[:5000]})
        texts.append(body)
        mentions.append(len(data["extractSkills"]))
    write("extract", texts)
    print(f"extract: {len(texts)} texts of 5,000 characters, {min(mentions)}-{max(mentions)} "
          f"mentions (mean {sum(mentions) / len(mentions):.0f})")
    similar = []
    for i in range(min(COUNT, len(roles))):
        body, _ = post(SIMILAR, {"id": roles[(i * 7919) % len(roles)]["id"]})
        similar.append(body)
    write("similar", similar)
    print(f"similar: {len(similar)} roles of {len(roles)}")


{"graph": graph, "search": search, "recruiter": recruiter}[MODE]()
