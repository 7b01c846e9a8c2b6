"""Baseline benchmark of the core flow: facts files → map → validate → Turtle.

Generates a synthetic corpus (``bench/synth.py``, seeded) into a temporary directory, then
runs each stage in its own child process (this script with ``--stage``) so that each stage's
peak memory (``ru_maxrss`` of the child) is its own. Every child first builds its input
(untimed: loading and mapping the corpus), then times only the stage. The Turtle export is
compared with pyoxigraph's serializer on the same triples in the same run.

    .venv/bin/python bench/run.py [--articles 1000] [--sample 100] [--out FILE]

No targets are asserted: this is the baseline the next changes are measured against.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from common import log
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node
from synth import write_corpus

from kg.export import serialize
from kg.facts import FactSheet
from kg.factsfile import load_facts
from kg.mapping import map_facts, map_many, merged
from kg.validate import validate

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "latest.json"
SAMPLE_SEED = 7
HEARTBEAT_SECONDS = 30.0
SUMMARY_KEYS = {"mean_triples", "min_triples", "max_triples", "total_triples", "quads",
                "union_triples"}
"""Extras shown once in the corpus line, not again per stage."""


@dataclass
class Row:
    """One timed measurement of a stage."""

    stage: str
    articles: int
    seconds: float
    peak_mb: float
    """Peak RSS of the child right after the timed part (untimed checks come later)."""
    setup_mb: float
    """Peak RSS of the child before the timed part (its input: sheets, dataset)."""
    extra: dict[str, Any] = field(default_factory=dict)
    loadavg: tuple[float, float] = (0.0, 0.0)
    """The machine's 1-minute load average when the stage's process started and ended."""

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")


# ---------------------------------------------------------------------------------------------
# Measuring


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def heartbeat(label: str, every: float = HEARTBEAT_SECONDS) -> Iterator[None]:
    """Print the elapsed time every ``every`` seconds while a long call runs."""
    done = threading.Event()
    start = time.perf_counter()

    def beat() -> None:
        while not done.wait(every):
            log(f"    … {label}: {time.perf_counter() - start:.0f} s so far")

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def timed(fn: Callable[[], Any], label: str) -> tuple[Any, float]:
    """``fn()`` and its wall-clock seconds (collected first: earlier garbage is not billed)."""
    gc.collect()
    with heartbeat(label):
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
    return value, seconds


# ---------------------------------------------------------------------------------------------
# Inputs (untimed in every stage but "load")


def facts_paths(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*/facts.yaml"))


def load_all(paths: list[Path]) -> list[FactSheet]:
    return [load_facts(p) for p in paths]


def quad_count(dataset: Dataset) -> int:
    return sum(1 for _ in dataset.quads((None, None, None, None)))


def sample_indices(total: int, sample: int) -> list[int]:
    """A fixed, seeded sample of article indices (all of them when ``sample >= total``)."""
    if sample >= total:
        return list(range(total))
    return sorted(random.Random(SAMPLE_SEED).sample(range(total), sample))


def union_dataset(corpus: Path) -> tuple[Dataset, float]:
    """The mapped corpus and the setup peak (MB) reached building it."""
    dataset = map_many(load_all(facts_paths(corpus)))
    return dataset, peak_mb()


# ---------------------------------------------------------------------------------------------
# Stages: each returns its rows; run in a child process


def stage_load(corpus: Path, _sample: int) -> list[Row]:
    paths = facts_paths(corpus)
    setup = peak_mb()
    _, seconds = timed(lambda: load_all(paths), "load_facts")
    return [Row("load_facts (each file)", len(paths), seconds, peak_mb(), setup)]


def stage_map_each(corpus: Path, _sample: int) -> list[Row]:
    sheets = load_all(facts_paths(corpus))
    setup = peak_mb()
    gc.collect()
    seconds, triples = 0.0, []
    for sheet in sheets:
        start = time.perf_counter()
        dataset = map_facts(sheet)
        seconds += time.perf_counter() - start
        triples.append(quad_count(dataset))
    peak = peak_mb()
    extra = {"mean_triples": sum(triples) / len(triples), "min_triples": min(triples),
             "max_triples": max(triples), "total_triples": sum(triples)}
    return [Row("map_facts (each sheet)", len(sheets), seconds, peak, setup, extra)]


def stage_map_many(corpus: Path, _sample: int) -> list[Row]:
    sheets = load_all(facts_paths(corpus))
    setup = peak_mb()
    dataset, seconds = timed(lambda: map_many(sheets), "map_many")
    peak = peak_mb()
    extra = {"quads": quad_count(dataset), "union_triples": len(merged(dataset))}
    return [Row("map_many (all sheets)", len(sheets), seconds, peak, setup, extra)]


def stage_validate_each(corpus: Path, sample: int) -> list[Row]:
    paths = facts_paths(corpus)
    picked = sample_indices(len(paths), sample)
    datasets = [map_facts(load_facts(paths[i])) for i in picked]
    setup = peak_mb()
    gc.collect()
    seconds, conforming = 0.0, 0
    for n, dataset in enumerate(datasets, start=1):
        start = time.perf_counter()
        report = validate(dataset)
        seconds += time.perf_counter() - start
        conforming += report.conforms
        if n % 10 == 0 or n == len(datasets):
            log(f"    validate (each): {n}/{len(datasets)} in {seconds:.1f} s")
    peak = peak_mb()
    extra = {"sample": len(picked), "of": len(paths), "conforming": conforming,
             "sample_seed": SAMPLE_SEED,
             "extrapolated_seconds_all": seconds / len(picked) * len(paths)}
    name = "validate (each article)" if len(picked) == len(paths) else (
        f"validate (each, sample {len(picked)})")
    return [Row(name, len(picked), seconds, peak, setup, extra)]


def stage_validate_union(corpus: Path, _sample: int) -> list[Row]:
    dataset, setup = union_dataset(corpus)
    articles = len(facts_paths(corpus))
    log(f"    validate (union): one call on {articles} articles' graphs, "
        f"progress every {HEARTBEAT_SECONDS:.0f} s")
    report, seconds = timed(lambda: validate(dataset), "validate (union)")
    peak = peak_mb()
    extra = {"conforms": report.conforms, "results": len(report.results),
             "violations": len(report.violations)}
    return [Row("validate (union, one call)", articles, seconds, peak, setup, extra)]


def stage_turtle_rdflib(corpus: Path, _sample: int) -> list[Row]:
    dataset, setup = union_dataset(corpus)
    articles = len(facts_paths(corpus))
    data, seconds = timed(lambda: serialize(dataset, "turtle"), "rdflib turtle")
    peak = peak_mb()
    _, merge_seconds = timed(lambda: merged(dataset), "merged()")
    expected = {triple for triple, _ in convert_quads(dataset)}
    extra = {"bytes": len(data), "merged_seconds": merge_seconds,
             "same_triples": parsed_triples(data) == expected, "triples": len(expected)}
    return [Row("turtle, rdflib (serialize)", articles, seconds, peak, setup, extra)]


def stage_turtle_oxigraph(corpus: Path, _sample: int) -> list[Row]:
    dataset, setup = union_dataset(corpus)
    articles = len(facts_paths(corpus))
    prefixes = {p: str(ns) for p, ns in dataset.namespace_manager.namespaces() if p}
    triples, convert_seconds = timed(lambda: union_triples(dataset), "pyoxigraph convert")
    convert_peak = peak_mb()
    data, seconds = timed(lambda: ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                               prefixes=prefixes), "pyoxigraph turtle")
    peak = peak_mb()
    expected = set(triples)
    extra = {"bytes": len(data), "same_triples": parsed_triples(data) == expected,
             "triples": len(expected),
             "store_round_trip_same_triples": store_round_trip(triples) == expected}
    return [
        Row("turtle, pyoxigraph (convert)", articles, convert_seconds, convert_peak, setup,
            extra={"what": "rdflib quads → distinct pyoxigraph Triples, sorted by subject "
                           "and predicate (as rdflib's Turtle groups them)"}),
        Row("turtle, pyoxigraph (serialize)", articles, seconds, peak, setup, extra),
    ]


STAGES: dict[str, Callable[[Path, int], list[Row]]] = {
    "load": stage_load,
    "map_each": stage_map_each,
    "map_many": stage_map_many,
    "validate_each": stage_validate_each,
    "validate_union": stage_validate_union,
    "turtle_rdflib": stage_turtle_rdflib,
    "turtle_oxigraph": stage_turtle_oxigraph,
}


# ---------------------------------------------------------------------------------------------
# rdflib → pyoxigraph


def ox_resource(node: Node) -> ox.NamedNode | ox.BlankNode:
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    raise TypeError(f"not an IRI or blank node: {node!r}")


def ox_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if not isinstance(node, Literal):
        return ox_resource(node)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def convert_quads(dataset: Dataset) -> Iterator[tuple[ox.Triple, Node | None]]:
    """Each quad of ``dataset`` as a pyoxigraph triple, with its rdflib graph name."""
    for s, p, o, g in dataset.quads((None, None, None, None)):
        yield ox.Triple(ox_resource(s), ox.NamedNode(str(p)), ox_term(o)), g


def union_triples(dataset: Dataset) -> list[ox.Triple]:
    """The distinct triples of all graphs (what ``merged`` gives), grouped by subject."""
    triples = {triple for triple, _ in convert_quads(dataset)}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate)))


def store_round_trip(triples: list[ox.Triple]) -> set[ox.Triple]:
    """The triples as an in-memory pyoxigraph Store gives them back (a check, never timed)."""
    store = ox.Store()
    default = ox.DefaultGraph()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in triples)
    return {q.triple for q in store}


def parsed_triples(turtle: bytes) -> set[ox.Triple]:
    """The triples of a Turtle document (pyoxigraph's parser: a check, never timed)."""
    return {q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)}


# ---------------------------------------------------------------------------------------------
# The parent: generate, run each stage in a child, report


def run_child(stage: str, corpus: Path, sample: int, result: Path) -> list[Row]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", stage,
           "--corpus", str(corpus), "--sample", str(sample), "--result", str(result)]
    proc = subprocess.run(cmd, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"stage {stage!r} failed (exit {proc.returncode})")
    return [Row(**row) for row in json.loads(result.read_text(encoding="utf-8"))]


def child_main(stage: str, corpus: Path, sample: int, result: Path) -> None:
    load_before = os.getloadavg()[0]
    rows = STAGES[stage](corpus, sample)
    for row in rows:
        row.loadavg = (load_before, os.getloadavg()[0])
    result.write_text(json.dumps([asdict(r) for r in rows]), encoding="utf-8")


def generate(root: Path, articles: int) -> float:
    start = time.perf_counter()
    write_corpus(root, articles)
    return time.perf_counter() - start


def table(rows: list[Row]) -> str:
    head = f"{'stage':<32} {'articles':>8} {'seconds':>9} {'articles/s':>11} " \
           f"{'setup MB':>9} {'peak MB':>8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.stage:<32} {r.articles:>8} {r.seconds:>9.2f} {r.per_second:>11.1f} "
                     f"{r.setup_mb:>9.0f} {r.peak_mb:>8.0f}")
    return "\n".join(lines)


def find(rows: list[Row], prefix: str) -> Row:
    return next(r for r in rows if r.stage.startswith(prefix))


def ratios(rows: list[Row]) -> dict[str, float]:
    rdf = find(rows, "turtle, rdflib")
    ser, conv = find(rows, "turtle, pyoxigraph (serialize"), find(rows, "turtle, pyoxigraph (c")
    return {
        "rdflib_turtle / pyoxigraph_turtle": rdf.seconds / ser.seconds,
        "rdflib_turtle / (pyoxigraph_convert + pyoxigraph_turtle)":
            rdf.seconds / (ser.seconds + conv.seconds),
        "rdflib_turtle_without_merged / pyoxigraph_turtle":
            (rdf.seconds - rdf.extra["merged_seconds"]) / ser.seconds,
    }


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(), "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        **{pkg: version(pkg) for pkg in ("rdflib", "pyshacl", "pyoxigraph", "newskg")},
    }


def corpus_summary(rows: list[Row], articles: int, gen_seconds: float) -> dict[str, Any]:
    each, many = find(rows, "map_facts").extra, find(rows, "map_many").extra
    return {"articles": articles, "generate_seconds": gen_seconds,
            "mean_triples_per_article": each["mean_triples"],
            "min_triples": each["min_triples"], "max_triples": each["max_triples"],
            "union_triples": many["union_triples"], "quads": many["quads"]}


def report(rows: list[Row], summary: dict[str, Any], args: argparse.Namespace) -> None:
    print()
    print(table(rows))
    print()
    print(f"corpus: {summary['articles']} articles, mean {summary['mean_triples_per_article']:.0f}"
          f" triples each (min {summary['min_triples']}, max {summary['max_triples']}); "
          f"union {summary['union_triples']} distinct triples of {summary['quads']} quads")
    for name, value in ratios(rows).items():
        print(f"ratio {name}: {value:.1f}")
    for r in rows:
        notes = {k: v for k, v in r.extra.items() if k not in SUMMARY_KEYS}
        if notes:
            print(f"  {r.stage}: {json.dumps(notes, ensure_ascii=False)}")
    out = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
           "machine": machine(), "args": {"articles": args.articles, "sample": args.sample},
           "corpus": summary, "stages": [{**asdict(r), "articles_per_s": r.per_second}
                                         for r in rows],
           "ratios": ratios(rows)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


def parent_main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        gen_seconds = generate(corpus, args.articles)
        log(f"generated {args.articles} articles in {corpus} ({gen_seconds:.1f} s)")
        rows: list[Row] = []
        for stage in STAGES:
            log(f"stage {stage} …")
            started = time.perf_counter()
            rows += run_child(stage, corpus, args.sample, root / f"{stage}.json")
            log(f"  done in {time.perf_counter() - started:.1f} s (with its untimed setup)")
        report(rows, corpus_summary(rows, args.articles, gen_seconds), args)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000, help="synthetic articles (1000)")
    ap.add_argument("--sample", type=int, default=100,
                    help="articles validated one call each (100; the union is always all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    ap.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.articles < 1 or args.sample < 1:
        ap.error("--articles and --sample must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.stage:
        child_main(args.stage, args.corpus, args.sample, args.result)
    else:
        parent_main(args)


if __name__ == "__main__":
    main()
