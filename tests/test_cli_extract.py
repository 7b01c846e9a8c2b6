"""`kg extract` and `kg build ARTICLE`: drafts that build, bad input that writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.factsfile import load_facts

from .conftest import EXAMPLE_ARTICLE

runner = CliRunner()


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_extract_then_build(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    shutil.copy(EXAMPLE_ARTICLE, article)
    facts = tmp_path / "out" / "story.facts.yaml"
    facts.parent.mkdir()
    code, _, err = run("extract", str(article), "-o", str(facts))
    assert code == 0, err
    assert err.startswith("Drafted ") and "statements" in err
    sheet = load_facts(facts)
    assert "text_file: ../story.txt" in facts.read_text(encoding="utf-8")
    assert sheet.article.published == "2020-06-12T12:17:00+05:30"
    code, _, err = run("build", str(facts), "-o", str(tmp_path / "g.ttl"))
    assert code == 0, err


def test_build_straight_from_an_article(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    code, _, err = run("build", str(EXAMPLE_ARTICLE), "-o", str(out))
    assert code == 0, err
    assert "Validation: conforms" in err and out.stat().st_size > 20_000


def test_extract_html_writes_its_text_next_to_the_facts(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Acme halts sales</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        '"Acme Corp halts drone sales to police", "datePublished": "2021-03-05T10:00:00Z"}'
        "</script></head><body><article><h1>Acme Corp halts drone sales to police</h1>"
        "<p>Acme Corp said on Thursday that it will stop selling drones to police departments "
        "across the United States, after months of protests by civil rights groups.</p>"
        "<p>“We will not sell them to police any more,” said Jane Doe, the chief executive of "
        "Acme Corp, in a statement on Thursday.</p></article></body></html>", encoding="utf-8")
    facts = tmp_path / "acme.facts.yaml"
    code, _, err = run("extract", str(page), "-o", str(facts))
    assert code == 0, err
    assert (tmp_path / "acme.txt").read_text(encoding="utf-8").startswith(
        "Acme Corp halts drone sales to police")
    sheet = load_facts(facts)
    assert [s.text for s in sheet.statements if s.kind == "direct"] == [
        "We will not sell them to police any more,"]


def test_extract_stdin_keeps_the_text_inline() -> None:
    text = EXAMPLE_ARTICLE.read_bytes()
    code, out, err = run("extract", "-", stdin=text)
    assert code == 0, err
    assert out.startswith("newskg: 1\n") and "  text: " in out


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "PNG image, not text"),
    (b"caf\xe9 \xe9t\xe9 " * 20, "UTF-8"),
])
def test_bad_articles_exit_2_and_write_nothing(tmp_path: Path, content: bytes,
                                               message: str) -> None:
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    out = tmp_path / "bad.facts.yaml"
    code, stdout, err = run("extract", str(article), "-o", str(out))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and message in lines[0], err
    assert not out.exists() and stdout == ""


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    code, _, err = run("extract", str(tmp_path / "story.pdf"))
    assert code == 2 and "kg: error:" in err
    code, _, err = run("extract", str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in err


def test_bad_published_option(tmp_path: Path) -> None:
    code, _, err = run("extract", str(EXAMPLE_ARTICLE), "--published", "yesterday")
    assert code == 2 and "--published" in err
