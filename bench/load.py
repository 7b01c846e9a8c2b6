"""Load benchmark: the synthetic corpus into a local Oxigraph server, four ways, in one run.

    .venv/bin/python bench/load.py [--articles 1000] [--runs 20] [--out FILE]

The corpus (``bench/synth.py``, seeded; ~315k quads in 1,000 named graphs) is mapped once
(untimed), then loaded into a fresh ``oxigraph serve`` (a new directory each) by:

- ``kg load`` (GSP): ``kg.cli._load``, the seam ``kg load --endpoint`` calls after validation
  (one Graph Store PUT per article graph, then the COUNT check), timed whole;
  ``--parallel 1`` too (one graph at a time, to show what the default 4 connections give);
- ``kg load --bulk``: graphs batched (~25k triples) into N-Quads POSTs to Oxigraph's bulk
  loader (``&no_transaction``), each after a DROP of its graphs;
- ``kg load --protocol update``: DROP + INSERT DATA in chunks of 200 triples, then the check;
- rdflib's ``SPARQLUpdateStore`` as users write it by hand: ``Dataset(store=SPARQLUpdateStore
  (query, update))`` and one ``addN`` of each article graph's quads (autocommit: one INSERT
  DATA request per graph). When it would take longer than ``--rdflib-budget`` seconds, the
  graphs it loaded in that time are the sample and the rate is extrapolated (the JSON says so);
- ``oxigraph load --location DIR --file corpus.nq``: the server's own bulk loader on a stopped
  directory, the practical ceiling. The N-Quads file holds exactly the terms kg sends.

Every load is checked afterwards (untimed): the server's quad count equals the corpus's.
Validation and mapping are not timed here (``bench/run.py`` measures them). Then the query
latency: every canned query (the parameterised ones unbound and bound) on the embedded store
holding the whole corpus, ``--runs`` times each after one warm-up: median and p95.

Writes ``bench/results/load.json`` and prints a table. Targets (from the issue): ``kg load``
at least half the bulk loader's rate and at least 20x ``SPARQLUpdateStore``'s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import requests
from common import LOOPBACK, free_port, log, oxigraph_binary
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from synth import Corpus

from kg.cli import EndpointOptions, _load
from kg.mapping import map_many
from kg.query import (
    EmbeddedStore,
    canned_queries,
    parse_bindings,
    resolve_query,
)
from kg.remote import dataset_graphs
from kg.store import load_into_store

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "load.json"
TARGET_BULK_SHARE = 0.5
TARGET_VS_RDFLIB = 20.0
NKG_AGENT = "https://w3id.org/newskg/ns#agent"


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """``oxigraph serve`` on a free loopback port; yields the query URL."""
    port = free_port()
    log_file = location.parent / f"{location.name}.log"
    with log_file.open("ab") as out:
        process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind",
             f"{LOOPBACK}:{port}"], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://{LOOPBACK}:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"oxigraph serve exited: {log_file.read_text()[-1000:]}")
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("oxigraph serve did not answer within 30 s")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def quads_on(url: str) -> int:
    """The server's quad count over all named graphs (the check after each load)."""
    response = requests.post(
        url, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"}, timeout=300)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------------------------------------
# The loaders


@dataclass
class Load:
    """One way of loading the corpus, measured."""

    method: str
    triples: int
    seconds: float
    """Wall time of the load (extrapolated to all graphs when ``extrapolated``)."""
    checked_quads: int = 0
    """The server's own count afterwards (of what was loaded: the sample when extrapolated)."""
    extrapolated: bool = False
    sample_graphs: int = 0
    sample_triples: int = 0
    sample_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else float("inf")


def timed_kg_load(dataset: Dataset, url: str, options: EndpointOptions) -> tuple[float, str]:
    gc.collect()
    started = time.perf_counter()
    summary = _load(dataset, None, url, options=options)
    return time.perf_counter() - started, summary


def kg_load(name: str, dataset: Dataset, triples: int, root: Path,
            options: EndpointOptions) -> Load:
    with oxigraph_server(root / name.replace(" ", "-")) as url:
        seconds, summary = timed_kg_load(dataset, url, options)
        checked = quads_on(url)
    log(f"  {summary}")
    return Load(name, triples, seconds, checked, extra={"summary": summary})


def rdflib_load(dataset: Dataset, triples: int, root: Path, budget: float, *,
                per_quad: bool = False) -> Load:
    """SPARQLUpdateStore as users write it: a Dataset over the store (autocommit, the default),
    then ``addN`` of each article graph's quads (one INSERT DATA request per graph), or, with
    ``per_quad``, ``add`` of each quad (one request per triple). Stops after ``budget``
    seconds; the rate is then extrapolated from the graphs loaded so far."""
    graphs = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    graphs.sort(key=lambda g: str(g.identifier))
    name = "rdflib SPARQLUpdateStore" + (", add() per quad" if per_quad else ", addN per graph")
    with oxigraph_server(root / ("rdflib-quad" if per_quad else "rdflib")) as url:
        store = SPARQLUpdateStore(query_endpoint=url, update_endpoint=url[:-5] + "update")
        remote = Dataset(store=store)
        done = sent = 0
        gc.collect()
        started = time.perf_counter()
        for graph in graphs:
            target = remote.graph(URIRef(str(graph.identifier)))
            if per_quad:
                for s, p, o in graph:
                    remote.add((s, p, o, target))
            else:
                remote.addN((s, p, o, target) for s, p, o in graph)
            done += 1
            sent += len(graph)
            if time.perf_counter() - started > budget:
                break
        seconds = time.perf_counter() - started
        checked = quads_on(url)
    extrapolated = done < len(graphs)
    total = seconds * triples / sent if extrapolated else seconds
    return Load(name, triples, total, checked, extrapolated, done, sent, seconds)


def nquads_post(nquads: Path, triples: int, root: Path, *, bulk: bool) -> Load:
    """Reference, not a kg mode: the whole corpus in one N-Quads POST to the Graph Store (what
    a loader that batched graphs could reach over HTTP; POST adds, it replaces nothing)."""
    name = "ref: one N-Quads POST" + (" &no_transaction" if bulk else "")
    data = nquads.read_bytes()
    with oxigraph_server(root / ("post-bulk" if bulk else "post")) as url:
        gc.collect()
        started = time.perf_counter()
        response = requests.post(url[:-5] + "store" + ("?no_transaction" if bulk else ""),
                                 data=data, headers={"Content-Type": "application/n-quads"},
                                 timeout=600)
        response.raise_for_status()
        seconds = time.perf_counter() - started
        checked = quads_on(url)
    return Load(name, triples, seconds, checked)


def write_nquads(dataset: Dataset, path: Path) -> int:
    """The corpus as N-Quads, written from the very lines kg sends (kg.remote's writer)."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for graph in dataset_graphs(dataset):
            name = f"<{graph.iri}>"
            for line in graph.lines:  # "<s> <p> o .\n" -> "<s> <p> o <g> .\n"
                out.write(f"{line[:-3]} {name} .\n")
                count += 1
    return count


def bulk_load(nquads: Path, triples: int, root: Path) -> Load:
    location = root / "bulk"
    gc.collect()
    started = time.perf_counter()
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file",
                    str(nquads)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    with oxigraph_server(location) as url:
        checked = quads_on(url)
    return Load("oxigraph load (bulk loader)", triples, seconds, checked)


# ---------------------------------------------------------------------------------------------
# Query latency on the embedded store


@dataclass
class Latency:
    query: str
    bind: str
    rows: int | None
    distinct_rows: int | None
    """Fewer than ``rows`` would mean duplicate rows (the queries read one article graph at a
    time, so that a triple repeated in N graphs does not match N times)."""
    runs: int
    first_ms: float | None
    median_ms: float | None
    p95_ms: float | None
    stopped_after_s: float | None = None
    """Set when the query did not finish within the budget (nothing measured)."""


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]  # nearest rank


def latency_cases(dataset: Dataset) -> list[tuple[str, str]]:
    """Every canned query unbound, the parameterised ones also bound to a corpus value."""
    agents: Counter[str] = Counter()
    roles: set[str] = set()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        if str(p) == NKG_AGENT:
            agents[str(o)] += 1
        elif isinstance(s, URIRef) and "/role/" in str(s):
            roles.add(str(s))
    entity = agents.most_common(1)[0][0]  # the busiest agent of announcements
    fact = min(roles)
    cases = [(name, "") for name in canned_queries()]
    cases += [("entity", f"entity=<{entity}>"), ("evidence", f"fact=<{fact}>")]
    return cases


def latency_child(store: Path, name: str, bind: str, runs: int) -> None:
    """In a child process: one warm-up run, then ``runs`` timed runs; JSON on stdout."""
    query = resolve_query(name).bind(parse_bindings([bind] if bind else []))
    with EmbeddedStore.open(store) as engine:
        t0 = time.perf_counter()
        result = engine.run(query)
        first = (time.perf_counter() - t0) * 1000
        rows = getattr(result, "rows", ())
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            engine.run(query)
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"rows": len(rows), "distinct_rows": len(set(rows)), "first_ms": first,
                      "times_ms": times}))


def query_latency(dataset: Dataset, root: Path, runs: int, budget: float
                  ) -> tuple[list[Latency], float]:
    """Each case in a child process (a query that runs away is stopped after ``budget``
    seconds: pyoxigraph queries cannot be interrupted in-process)."""
    store_path = root / "embedded"
    started = time.perf_counter()
    load_into_store(dataset, store_path)
    load_seconds = time.perf_counter() - started
    out: list[Latency] = []
    for name, bind in latency_cases(dataset):
        label = f"{name} {bind}".strip()
        command = [sys.executable, str(Path(__file__).resolve()), "--latency-child",
                   str(store_path), name, bind, str(runs)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=budget,
                                  check=True)
        except subprocess.TimeoutExpired:
            log(f"  {label}: stopped after {budget:g} s")
            out.append(Latency(name, bind, None, None, 0, None, None, None, budget))
            continue
        got = json.loads(done.stdout)
        times = got["times_ms"]
        out.append(Latency(name, bind, got["rows"], got["distinct_rows"], len(times),
                           got["first_ms"], statistics.median(times), percentile(times, 0.95)))
        log(f"  {label}: {got['rows']:,} rows, median {out[-1].median_ms:.1f} ms")
    return out, load_seconds


# ---------------------------------------------------------------------------------------------
# Report


def machine(loadavg_at_start: float) -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "loadavg_at_start": loadavg_at_start,
            **{pkg: version(pkg) for pkg in ("rdflib", "pyoxigraph", "oxigraph", "requests",
                                             "newskg")}}


RDFLIB = "rdflib SPARQLUpdateStore, addN per graph"
BULK = "oxigraph load (bulk loader)"


def ratios(loads: list[Load]) -> dict[str, float]:
    by = {load.method: load.per_second for load in loads}
    out: dict[str, float] = {}
    for method, rate in by.items():
        if method.startswith("kg load"):
            out[f"{method} / bulk loader"] = rate / by[BULK]
            for peer in (m for m in by if m.startswith("rdflib")):
                out[f"{method} / {peer.removeprefix('rdflib ')}"] = rate / by[peer]
    return out


def table(loads: list[Load], latencies: list[Latency]) -> str:
    lines = [f"{'method':<44} {'triples':>9} {'seconds':>8} {'triples/s':>10}  check",
             "-" * 84]
    for load in loads:
        note = (f"  (extrapolated from {load.sample_graphs} graphs, {load.sample_triples:,} "
                f"triples in {load.sample_seconds:.1f} s)" if load.extrapolated else "")
        expected = load.sample_triples if load.extrapolated else load.triples
        ok = "ok" if load.checked_quads == expected else "COUNT DIFFERS"
        lines.append(f"{load.method:<44} {load.triples:>9,} {load.seconds:>8.2f} "
                     f"{load.per_second:>10,.0f}  {ok}{note}")
    lines += ["", f"{'canned query (embedded store)':<42} {'rows':>9} {'distinct':>9} "
                  f"{'median ms':>10} {'p95 ms':>9}", "-" * 83]
    for lat in latencies:
        label = lat.query + (f" {lat.bind.split('=')[0]}=…/{lat.bind.rsplit('/', 1)[-1][:-1]}"
                             if lat.bind else "")
        if lat.stopped_after_s is not None:
            lines.append(f"{label[:42]:<42} {'—':>9} {'—':>9}  did not finish in "
                         f"{lat.stopped_after_s:g} s")
            continue
        lines.append(f"{label[:42]:<42} {lat.rows or 0:>9,} {lat.distinct_rows or 0:>9,} "
                     f"{lat.median_ms or 0:>10.1f} {lat.p95_ms or 0:>9.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="synthetic articles (1000)")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per canned query (20)")
    ap.add_argument("--rdflib-budget", type=float, default=120.0,
                    help="seconds SPARQLUpdateStore (addN) may take before the rest is "
                         "extrapolated (120; the add()-per-quad variant gets a sixth)")
    ap.add_argument("--query-budget", type=float, default=30.0,
                    help="seconds one canned query's runs may take in all (30)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    ap.add_argument("--latency-child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.latency_child:
        store, name, bind, runs = args.latency_child
        latency_child(Path(store), name, bind, int(runs))
        return

    started = datetime.now(UTC)
    loadavg_at_start = os.getloadavg()[0]
    t0 = time.perf_counter()
    corpus = Corpus()
    dataset = map_many([corpus.sheet(n) for n in range(args.articles)])
    log(f"corpus: {args.articles} articles mapped in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory(prefix="newskg-bench-load-") as tmp:
        root = Path(tmp)
        nquads = root / "corpus.nq"
        triples = write_nquads(dataset, nquads)
        size = nquads.stat().st_size
        graphs = len(dataset_graphs(dataset))
        log(f"corpus: {graphs} graphs, {triples:,} quads, {size:,} bytes of N-Quads")
        none: dict[str, Any] = {"auth": "none"}
        steps: list[tuple[str, Callable[[Path], Load]]] = [
            ("kg load (GSP)", lambda r: kg_load(
                "kg load (GSP)", dataset, triples, r, EndpointOptions(protocol="gsp", **none))),
            ("kg load (GSP) --parallel 1", lambda r: kg_load(
                "kg load (GSP) --parallel 1", dataset, triples, r,
                EndpointOptions(protocol="gsp", parallel=1, **none))),
            ("kg load --bulk", lambda r: kg_load(
                "kg load --bulk", dataset, triples, r, EndpointOptions(bulk=True, **none))),
            ("kg load --protocol update", lambda r: kg_load(
                "kg load --protocol update", dataset, triples, r,
                EndpointOptions(protocol="update", **none))),
            (RDFLIB, lambda r: rdflib_load(dataset, triples, r, args.rdflib_budget)),
            ("rdflib, add() per quad", lambda r: rdflib_load(
                dataset, triples, r, args.rdflib_budget / 6, per_quad=True)),
            (BULK, lambda r: bulk_load(nquads, triples, r)),
            ("ref: one N-Quads POST", lambda r: nquads_post(nquads, triples, r, bulk=False)),
            ("ref: one N-Quads POST, bulk", lambda r: nquads_post(nquads, triples, r,
                                                                  bulk=True)),
        ]
        loads: list[Load] = []
        for label, step in steps:
            log(f"{label} …")
            load = step(root)
            log(f"  {load.seconds:.2f} s, {load.per_second:,.0f} triples/s"
                + (" (extrapolated)" if load.extrapolated else ""))
            loads.append(load)
        log("query latency on the embedded store …")
        latencies, store_seconds = query_latency(dataset, root, args.runs, args.query_budget)

    found = ratios(loads)
    targets = {
        f"{method} >= 0.5 x bulk loader": found[f"{method} / bulk loader"] >= TARGET_BULK_SHARE
        for method in ("kg load (GSP)", "kg load --bulk")
    } | {
        f"kg load (GSP) >= 20 x SPARQLUpdateStore ({way})":
            found[f"kg load (GSP) / SPARQLUpdateStore, {way}"] >= TARGET_VS_RDFLIB
        for way in ("add() per quad", "addN per graph")
    }
    print(table(loads, latencies))
    print()
    for name, value in found.items():
        print(f"ratio {name}: {value:.2f}")
    for name, met in targets.items():
        print(f"target {name}: {'met' if met else 'NOT met'}")
    result = {
        "date": started.isoformat(timespec="seconds"), "machine": machine(loadavg_at_start),
        "corpus": {"articles": args.articles, "graphs": graphs, "quads": triples,
                   "nquads_bytes": size},
        "loads": [{**asdict(load), "triples_per_s": load.per_second} for load in loads],
        "ratios": found, "targets": targets,
        "embedded_store": {"load_seconds": store_seconds, "runs": args.runs,
                           "query_budget_s": args.query_budget,
                           "queries": [asdict(lat) for lat in latencies]},
        "loadavg_at_end": os.getloadavg()[0],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
