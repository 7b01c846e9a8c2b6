"""Extraction speed on one core against the bare spaCy pipeline as the peer (issue 4, part 4).

The seven articles (the bundled one, plus ``../shared/articles/dev-*.txt`` when present) are
ingested once, then repeated to N articles. Two measurements, each in its own child process
pinned to one core with one BLAS/OpenMP thread, model load excluded from the time:

- ``bare``: ``nlp.pipe`` over exactly the paragraph texts extraction feeds to spaCy;
- ``extract``: ``kg.extract.extract_many`` end to end (spaCy + rules + FactSheets).

Each runs ``--repeat`` times; the median counts. Peak RSS is the child's ``ru_maxrss``.

    .venv/bin/python bench/extract_speed.py [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _sources() -> list[Path]:
    found = [ROOT / "examples" / "microsoft-face-recognition-police" / "article.txt"]
    shared = ROOT.parent / "shared" / "articles"
    found += sorted(shared.glob("dev-*.txt")) if shared.is_dir() else []
    return found


def _articles(n: int) -> list[object]:
    from kg.extract import article_from_document
    from kg.ingest import ingest_path

    base = [article_from_document(ingest_path(p)) for p in _sources()]
    return [dataclass_replace(base[i % len(base)], id=f"a{i}") for i in range(n)]


def dataclass_replace(obj: object, **changes: object) -> object:
    import dataclasses

    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


def _stage(stage: str, n: int) -> dict[str, float]:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from kg.extract import extract_many
    from kg.extract.analysis import split_paragraphs
    from kg.extract.nlp import load_nlp

    nlp = load_nlp()
    articles = _articles(n)
    texts = [a.text[s:e] for a in articles  # type: ignore[attr-defined]
             for s, e in (list(a.body) or split_paragraphs(a.text))]  # type: ignore[attr-defined]
    started = time.perf_counter()
    if stage == "bare":
        for _ in nlp.pipe(texts):
            pass
    else:
        extract_many(articles)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "articles_per_s": n / seconds, "peak_mb": peak_mb,
            "paragraphs": len(texts)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stage", choices=("bare", "extract"))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "extract.json")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.articles)))
        return 0
    env = {**os.environ, **ONE_THREAD}
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "extract": []}
    for _ in range(args.repeat):
        for stage in ("bare", "extract"):
            out = subprocess.run([sys.executable, __file__, "--stage", stage, "--articles",
                                  str(args.articles)], env=env, check=True, capture_output=True,
                                 text=True).stdout
            runs[stage].append(json.loads(out.strip().splitlines()[-1]))
    median = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    ratio = median["extract"] / median["bare"]
    print(f"{len(_sources())} source articles repeated to {args.articles}, one core, "
          f"median of {args.repeat}")
    print(f"{'stage':<10}{'seconds':>10}{'articles/s':>12}{'peak MB':>10}")
    for k in ("bare", "extract"):
        print(f"{k:<10}{median[k]:>10.2f}{args.articles / median[k]:>12.1f}{peak[k]:>10.0f}")
    print(f"ratio extract / bare spaCy pipeline: {ratio:.2f} (target ≤ 1.5)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"runs": runs, "median_seconds": median, "peak_mb": peak,
                                    "ratio": ratio, "articles": args.articles}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
