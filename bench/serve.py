"""Serving benchmark: `kg serve` against `oxigraph serve-read-only` on the same data, on loopback.

    .venv/bin/python bench/serve.py [--articles 1000] [--seconds 30] [--clients 8] [--out FILE]

The synthetic corpus (``bench/synth.py``, seeded; 1,000 articles, ~315k quads, 273k distinct
triples) is loaded into an embedded store (untimed). Then, one after the other:

1. ``kg serve --store STORE --port 0 --no-access-log`` (its defaults otherwise: workers, time
   and size limits), answering the SPARQL load;
2. ``oxigraph serve-read-only`` on a copy of the store prepared as kg serve prepares its
   snapshot (``kg.serve.snapshot.merge_default_graph``: the default graph is the merge of the
   article graphs), so both servers evaluate the same queries over the same default graph and
   give the same answers (checked before the load, untimed);
3. ``kg serve`` again, answering the page load (no peer: Oxigraph serves no pages).

Each load comes from a second process (this script with ``--client``): ``--clients`` threads,
each with its own keep-alive HTTP connection, sending requests in turn for ``--seconds`` after a
2-second warm-up. SPARQL: the seven canned queries (POST form, JSON results) plus ``entity`` and
``evidence`` bound to one resource. Pages: the home page, article, organization, person and
statement pages (HTML) and organization descriptions (Turtle). Reported per load: requests/s,
median and p99 latency, errors (any status but 200, or a failed connection: must be 0).

Target (issue 5): kg serve's SPARQL throughput at least 0.7x the bare Oxigraph server's.
Writes ``bench/results/serve.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from common import LOOPBACK, free_port, log, oxigraph_binary

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "serve.json"
TARGET_SHARE = 0.7
WARMUP_SECONDS = 2.0
BASE = "https://w3id.org/newskg/id/"


# ---------------------------------------------------------------------------------------------
# The load generator (runs in its own process: --client)


@dataclass(frozen=True)
class Request:
    label: str
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class LoadResult:
    name: str
    clients: int
    seconds: float
    requests: int
    errors: int
    rps: float
    median_ms: float
    p99_ms: float
    by_label: dict[str, dict[str, float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)


def run_load(name: str, url: str, requests: list[Request], clients: int,
             seconds: float) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname or LOOPBACK, parts.port or 80
    latencies: list[tuple[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = [0.0]
    recording = threading.Event()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=120)
        n = index
        while time.monotonic() < stop_at[0]:
            req = requests[n % len(requests)]
            n += 1
            start = time.perf_counter()
            try:
                conn.request(req.method, req.path, body=req.body or None,
                             headers=dict(req.headers))
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = -1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
                detail = repr(exc)
            else:
                detail = f"HTTP {status}"
            elapsed = time.perf_counter() - start
            if recording.is_set():
                with lock:
                    if status == 200:
                        latencies.append((req.label, elapsed))
                    else:
                        errors.append(f"{req.label}: {detail}")
        conn.close()

    stop_at[0] = time.monotonic() + WARMUP_SECONDS + seconds
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(WARMUP_SECONDS)
    recording.set()
    began = time.monotonic()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    times = sorted(t for _, t in latencies)
    by_label: dict[str, dict[str, float]] = {}
    for label in sorted({label for label, _ in latencies}):
        mine = sorted(t for lab, t in latencies if lab == label)
        by_label[label] = {"count": len(mine), "median_ms": statistics.median(mine) * 1000}
    done = len(times) + len(errors)
    return LoadResult(
        name, clients, elapsed, done, len(errors), done / elapsed if elapsed else 0.0,
        statistics.median(times) * 1000 if times else 0.0,
        percentile(times, 0.99) * 1000 if times else 0.0, by_label,
        [f"{k} (x{n})" for k, n in Counter(errors).most_common(5)])


def percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def client_main(args: argparse.Namespace) -> None:
    spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))
    requests = [Request(r["label"], r["method"], r["path"], r["body"].encode("utf-8"),
                        tuple(tuple(h) for h in r["headers"])) for r in spec["requests"]]
    result = run_load(spec["name"], spec["url"], requests, args.clients, args.seconds)
    Path(args.result).write_text(json.dumps(asdict(result)), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Workloads


def sparql_requests(path: str) -> list[Request]:
    from kg.query import canned_queries, parse_bindings

    bound = {
        "entity": f"entity=<{BASE}organization/microsoft>",
        "evidence": f"fact=<{BASE}article/synthetic-0000/announcement/announcement-1>",
    }
    out = []
    for name, canned in canned_queries().items():
        query = canned.query()
        out.append(_sparql(name, path, query.sparql()))
        if name in bound:
            text = query.bind(parse_bindings([bound[name]])).sparql()
            out.append(_sparql(f"{name} (bound)", path, text))
    return out


def _sparql(label: str, path: str, query: str) -> Request:
    return Request(label, "POST", path, urlencode({"query": query}).encode("utf-8"), (
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/sparql-results+json")))


def page_requests(store: Path) -> list[Request]:
    import pyoxigraph as ox

    from kg.mapping import NKG

    s = ox.Store.read_only(str(store))

    def some(cls: object, n: int) -> list[str]:
        rows = s.query(f"SELECT DISTINCT ?x WHERE {{ ?x a <{cls}> }} ORDER BY ?x LIMIT {n}",
                       use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        return [row["x"].value for row in rows]

    def local(iri: str) -> str:
        return "/newskg/id/" + iri[len(BASE):]

    html = (("Accept", "text/html"),)
    out = [Request("home", "GET", "/", headers=html)]
    for label, cls, n in (("article page", NKG.Article, 10), ("organization page",
                                                              NKG.Organization, 10),
                          ("person page", NKG.Person, 10), ("statement page", NKG.Statement,
                                                            10)):
        out += [Request(label, "GET", local(iri), headers=html) for iri in some(cls, n)]
    out += [Request("organization turtle", "GET", local(iri), headers=(
        ("Accept", "text/turtle"),)) for iri in some(NKG.Organization, 10)]
    return out


# ---------------------------------------------------------------------------------------------
# Servers


def wait_http(url: str, timeout: float = 120.0) -> None:
    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(parts.hostname or LOOPBACK, parts.port, timeout=2)
            conn.request("GET", parts.path or "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"no answer from {url}")


class KgServe:
    def __init__(self, store: Path) -> None:
        cmd = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store",
               str(store), "--host", LOOPBACK, "--port", "0", "--no-access-log"]
        self.process = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
        assert self.process.stderr is not None
        self.started = time.monotonic()
        self.url = ""
        for line in self.process.stderr:
            if "serving" in line and " at http://" in line:
                self.url = line.rsplit(" at ", 1)[1].strip()
                break
        if not self.url:
            raise SystemExit("kg serve did not start")
        self.startup_seconds = time.monotonic() - self.started
        threading.Thread(target=self.process.stderr.read, daemon=True).start()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Oxigraph:
    def __init__(self, location: Path) -> None:
        binary = oxigraph_binary()
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}/"
        self.process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(location), "--bind",
             f"{LOOPBACK}:{self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.url)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def same_answers(kg_url: str, ox_url: str, requests: list[Request]) -> dict[str, bool]:
    """Each SPARQL request's rows (as a multiset) from both servers, compared."""
    out = {}
    for req in requests:
        answers = []
        for url, path in ((kg_url, "/sparql"), (ox_url, "/query")):
            parts = urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname or LOOPBACK, parts.port,
                                              timeout=120)
            conn.request("POST", path, body=req.body, headers=dict(req.headers))
            doc = json.loads(conn.getresponse().read())
            conn.close()
            rows = Counter(json.dumps(b, sort_keys=True) for b in doc["results"]["bindings"])
            answers.append(rows)
        out[req.label] = answers[0] == answers[1] and sum(answers[0].values()) > 0
    return out


def load_from_second_process(name: str, url: str, requests: list[Request],
                             args: argparse.Namespace, work: Path) -> LoadResult:
    spec, result = work / f"{name}.spec.json", work / f"{name}.result.json"
    spec.write_text(json.dumps({"name": name, "url": url, "requests": [
        {"label": r.label, "method": r.method, "path": r.path,
         "body": r.body.decode("utf-8"), "headers": list(r.headers)} for r in requests]}),
        encoding="utf-8")
    log(f"  {name}: {args.clients} clients for {args.seconds:g} s …")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--client", "--spec",
                    str(spec), "--result", str(result), "--clients", str(args.clients),
                    "--seconds", str(args.seconds)], check=True)
    return LoadResult(**json.loads(result.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# The parent


def build_store(work: Path, articles: int) -> tuple[Path, int]:
    sys.path.insert(0, str(HERE))
    from synth import write_corpus

    from kg.factsfile import load_facts
    from kg.mapping import map_many
    from kg.store import load_into_store

    corpus = work / "corpus"
    write_corpus(corpus, articles)
    sheets = [load_facts(p) for p in sorted(corpus.glob("*/facts.yaml"))]
    summary = load_into_store(map_many(sheets), work / "store")
    return work / "store", summary.triples


def table(results: list[LoadResult]) -> str:
    head = (f"{'load':<28} {'clients':>7} {'seconds':>7} {'requests':>8} {'req/s':>8} "
            f"{'median ms':>9} {'p99 ms':>8} {'errors':>6}")
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(f"{r.name:<28} {r.clients:>7} {r.seconds:>7.1f} {r.requests:>8} "
                     f"{r.rps:>8.1f} {r.median_ms:>9.1f} {r.p99_ms:>8.1f} {r.errors:>6}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--store", type=Path, help="use this store instead of building one")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return

    from kg.serve.snapshot import merge_default_graph

    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    with tempfile.TemporaryDirectory(prefix="kg-bench-serve-") as tmp:
        work = Path(tmp)
        if args.store:
            store, quads = args.store, -1
        else:
            log(f"building the store: {args.articles} synthetic articles …")
            store, quads = build_store(work, args.articles)
        import pyoxigraph as ox

        peer_dir = work / "peer"
        log("preparing the peer's copy (merged default graph, as kg serve's snapshot) …")
        source = ox.Store(str(store))
        source.backup(str(peer_dir))
        del source
        merge_default_graph(peer_dir)

        sparql = sparql_requests("/sparql")
        pages = page_requests(store)
        results: list[LoadResult] = []
        kg = KgServe(store)
        log(f"kg serve ready in {kg.startup_seconds:.1f} s at {kg.url}")
        peer = Oxigraph(peer_dir)
        try:
            agree = same_answers(kg.url, peer.url, sparql)
            log(f"same answers from both servers: {agree}")
            peer.stop()
            results.append(load_from_second_process("kg serve, SPARQL", kg.url, sparql,
                                                    args, work))
            peer = Oxigraph(peer_dir)
            results.append(load_from_second_process(
                "oxigraph serve-read-only, SPARQL", peer.url,
                [Request(r.label, r.method, "/query", r.body, r.headers) for r in sparql],
                args, work))
            peer.stop()
            results.append(load_from_second_process("kg serve, pages", kg.url, pages, args,
                                                    work))
        finally:
            kg.stop()
            peer.stop()
    share = results[0].rps / results[1].rps if results[1].rps else 0.0
    print()
    print(table(results))
    print()
    print(f"kg serve SPARQL throughput / oxigraph: {share:.2f} (target ≥ {TARGET_SHARE}) "
          f"{'PASS' if share >= TARGET_SHARE else 'FAIL'}")
    print(f"errors: {sum(r.errors for r in results)} (must be 0)")
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(),
                    **{p: version(p) for p in ("pyoxigraph", "oxigraph", "starlette",
                                               "uvicorn")},
                    "loadavg": os.getloadavg()},
        "articles": args.articles, "quads": quads, "kg_serve_startup_seconds":
            kg.startup_seconds, "same_answers": agree,
        "loads": [asdict(r) for r in results], "share": share, "target": TARGET_SHARE,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
