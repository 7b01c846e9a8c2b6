"""The scorer, and extraction scored on the bundled article against its curated facts."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from kg.evaluate import score
from kg.extract import article_from_document, extract
from kg.facts import FactSheet
from kg.ingest import ingest_path

from .conftest import EXAMPLE_ARTICLE, EXAMPLE_DIR, ROOT


def test_gold_scored_against_itself_is_perfect(sheet: FactSheet) -> None:
    result = score(sheet, sheet)
    for kind, s in result.kinds.items():
        assert (s.fp, s.fn) == (0, 0), kind
    assert result.unsupported == 0


def test_a_wrong_speaker_is_a_miss_and_an_extra(sheet: FactSheet) -> None:
    statements = tuple(dataclasses.replace(s, speaker="matt-cagle") if s.id == "smith-quote"
                       else s for s in sheet.statements)
    result = score(sheet, dataclasses.replace(sheet, statements=statements))
    assert (result.kinds["quotes"].tp, result.kinds["quotes"].fp,
            result.kinds["quotes"].fn) == (1, 1, 1)


def test_unsupported_evidence_is_counted(sheet: FactSheet) -> None:
    role = dataclasses.replace(sheet.roles[0], evidence=dataclasses.replace(
        sheet.roles[0].evidence, start=sheet.roles[0].evidence.start + 1))
    bad = dataclasses.replace(sheet, roles=(role, *sheet.roles[1:]))
    assert score(sheet, bad).unsupported == 1


def test_extraction_on_the_bundled_article(sheet: FactSheet) -> None:
    """A regression floor, measured: raise it as extraction improves, never lower it."""
    draft = extract(article_from_document(ingest_path(EXAMPLE_ARTICLE),
                                          article_id=sheet.article.id))
    result = score(sheet, draft)
    f1 = {kind: s.f1 for kind, s in result.kinds.items()}
    assert result.unsupported == 0
    assert f1["quotes"] == 1.0
    assert f1["people"] == 1.0
    assert f1["roles"] == 1.0
    assert f1["dates"] >= 0.9
    assert f1["organizations"] >= 0.9
    assert f1["announcements"] >= 0.6


def test_harness_runs_on_a_pair_of_directories(tmp_path: object) -> None:
    misses = f"{tmp_path}/misses.txt"
    out = subprocess.run([sys.executable, str(ROOT / "eval" / "score.py"), str(EXAMPLE_DIR),
                          str(EXAMPLE_DIR), "--misses", misses], capture_output=True,
                         text=True, timeout=300, check=True).stdout
    assert out.splitlines()[0].split() == ["kind", "gold", "found", "P", "R", "F1"]
    assert "quotes" in out and "unsupported" in out
