"""Score `kg extract` against gold facts files.

    python eval/score.py ARTICLE_DIR GOLD_DIR [ARTICLE_DIR GOLD_DIR ...]

Each gold file (`*.facts.yaml` or `facts.yaml` in GOLD_DIR) names its article (`text_file`,
resolved in the ARTICLE_DIR paired with it); the article is ingested and extracted exactly as
`kg extract` does, and the draft is scored per fact kind. Prints a table; writes the per-fact
misses to --misses (default eval/misses.txt).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from kg.evaluate import format_misses, format_table, score
from kg.extract import article_from_document, extract_many
from kg.factsfile import parse_facts
from kg.ingest import ingest_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", type=Path, nargs="+", metavar="ARTICLE_DIR GOLD_DIR",
                        help="pairs: a directory of articles, a directory of gold facts files")
    parser.add_argument("--misses", type=Path, default=Path("eval/misses.txt"))
    args = parser.parse_args(argv)
    if len(args.dirs) % 2:
        parser.error("give directories in pairs: ARTICLE_DIR GOLD_DIR")

    pairs = [(articles, gold_file)
             for articles, gold_dir in zip(args.dirs[::2], args.dirs[1::2], strict=True)
             for gold_file in sorted({*gold_dir.glob("*.facts.yaml"),
                                      *gold_dir.glob("facts.yaml")})]
    if not pairs:
        print("no gold facts files found", file=sys.stderr)
        return 2
    golds, inputs = [], []
    for articles, path in pairs:
        text = path.read_text(encoding="utf-8")
        gold = parse_facts(text, path=str(path), base_dir=articles)
        article_file = articles / yaml.safe_load(text)["article"]["text_file"]
        doc = ingest_path(article_file)
        golds.append(gold)
        inputs.append(article_from_document(doc, article_id=gold.article.id))
    drafts = extract_many(inputs)
    scores = [score(g, d) for g, d in zip(golds, drafts, strict=True)]
    print(format_table(scores))
    args.misses.parent.mkdir(parents=True, exist_ok=True)
    args.misses.write_text(format_misses(scores), encoding="utf-8")
    print(f"\nper-fact misses: {args.misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
