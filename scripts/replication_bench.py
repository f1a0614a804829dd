#!/usr/bin/env python3
"""The clients of scripts/replication-bench.sh: writes at a fixed rate, and watchers that see
when each replica first serves each revision. Standard library only; loopback only.

    replication_bench.py write WRITER TOKEN SKILL RATE SECONDS [REPLICA...]
        Sends `updateSkill(id: SKILL)` mutations to WRITER (a base URL) at RATE a second for
        SECONDS, open loop (the i-th at start + i/RATE, at once when late), over one
        keep-alive connection; every write changes the skill's hours. Keeps each answer's
        Skillgraph-Revision and the moment it arrived: the write's acknowledgement. For each
        REPLICA a watcher thread asks `{ stats { revision } }` with Skillgraph-Min-Revision set
        to one past the last revision it saw; the replica holds the request until it serves
        that revision (or answers REVISION_NOT_REACHED after its wait, and the watcher asks
        again), so each answer arrives as soon as the replica serves a newer graph, and a
        revision's first-served moment is the first answer at or past it. Lag of a write on a
        replica: first-served minus acknowledged; "all": the slowest replica's. After the
        writes, waits up to 60 s for every replica to serve the last revision.
        Prints one JSON line: writes, errors, rate achieved, last revision, lag percentiles in
        ms (per replica and all), and revisions never served.
    replication_bench.py wait REVISION TIMEOUT URL...
        Waits until every URL serves REVISION; prints the seconds it took (from the call) as
        one JSON line, or exits 1 after TIMEOUT seconds.
"""
import json
import random
import sys
import threading
import time
import http.client
import urllib.parse

STATS = json.dumps({"query": "{ stats { revision } }"}).encode()


class Client:
    """One keep-alive HTTP connection to a base URL, reopened after any failure."""

    def __init__(self, base, timeout=30):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = u.hostname, u.port, timeout
        self.conn = None

    def post(self, body, headers):
        for attempt in (0, 1):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                self.conn.request("POST", "/graphql", body, {"content-type": "application/json", **headers})
                r = self.conn.getresponse()
                data = r.read()
                return r.status, r.getheader("skillgraph-revision"), data
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    raise


class Watcher(threading.Thread):
    """Records (moment, revision) each time a replica first serves a newer revision."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.base, self.client = base, Client(base)
        self.seen = []  # (perf_counter, revision), revisions rising
        self.revision = 0
        self.stop = False
        self.changed = threading.Condition()

    def run(self):
        while not self.stop:
            headers = {"skillgraph-min-revision": str(self.revision + 1)} if self.revision else {}
            try:
                status, at, _ = self.client.post(STATS, headers)
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
                continue
            now = time.perf_counter()
            at = int(at or 0)
            if at > self.revision:
                with self.changed:
                    self.revision = at
                    self.seen.append((now, at))
                    self.changed.notify_all()
            elif status != 503:
                time.sleep(0.002)

    def wait_for(self, revision, timeout):
        deadline = time.perf_counter() + timeout
        with self.changed:
            while self.revision < revision:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True

    def first_served(self, revision):
        for moment, at in self.seen:
            if at >= revision:
                return moment
        return None


def percentiles(values):
    if not values:
        return {}
    values = sorted(values)
    pick = lambda p: values[min(len(values) - 1, int(len(values) * p))]
    return {"n": len(values), "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2),
            "max_ms": round(values[-1], 2)}


def write(writer, token, skill, rate, seconds, replicas):
    watchers = [Watcher(r) for r in replicas]
    for w in watchers:
        w.start()
    for w in watchers:  # each has its first revision, so its next request waits for a newer one
        if not w.wait_for(1, 30):
            sys.exit(f"replica {w.base} does not answer")
    client = Client(writer)
    auth = {"authorization": f"Bearer {token}"}
    acked, errors, n = [], 0, int(rate * seconds)
    hours = random.randint(100, 19_000)  # unlike the skill's hours now: the first write is one too
    start = time.perf_counter()
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        body = json.dumps({"query": f'mutation {{ updateSkill(id: "{skill}", input: {{hours: {hours + i % 2}}}) {{ hours }} }}'})
        try:
            status, revision, data = client.post(body.encode(), auth)
        except (OSError, http.client.HTTPException):
            errors += 1
            continue
        moment = time.perf_counter()
        if status != 200 or b'"errors"' in data or not revision:
            errors += 1
            continue
        if acked and int(revision) <= acked[-1][0]:
            errors += 1  # not a new revision: not a write
            continue
        acked.append((int(revision), moment))
    elapsed = time.perf_counter() - start
    last = max((r for r, _ in acked), default=0)
    result = {"writes": n, "acknowledged": len(acked), "errors": errors,
              "rate": round(len(acked) / elapsed, 1), "last_revision": last}
    if watchers:
        for w in watchers:
            w.wait_for(last, 60)
            w.stop = True
        lags = {w.base: [] for w in watchers}
        worst, unseen = [], 0
        for revision, moment in acked:
            served = [w.first_served(revision) for w in watchers]
            if None in served:
                unseen += 1
                continue
            for w, t in zip(watchers, served):
                lags[w.base].append((t - moment) * 1000)
            worst.append((max(served) - moment) * 1000)
        result["lag_all"] = percentiles(worst)
        result["lag"] = {base: percentiles(v) for base, v in lags.items()}
        result["never_served"] = unseen
    print(json.dumps(result))


def wait(revision, timeout, urls):
    start = time.perf_counter()
    watchers = [Watcher(u) for u in urls]
    for w in watchers:
        w.start()
    ok = all(w.wait_for(revision, timeout - (time.perf_counter() - start)) for w in watchers)
    took = time.perf_counter() - start
    print(json.dumps({"revision": revision, "seconds": round(took, 3), "reached": ok,
                      "at": {w.base: w.revision for w in watchers}}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "write":
        write(args[0], args[1], args[2], float(args[3]), float(args[4]), args[5:])
    elif mode == "wait":
        wait(int(args[0]), float(args[1]), args[2:])
    else:
        sys.exit(__doc__)
