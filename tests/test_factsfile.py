"""The facts file: loading, evidence anchoring, errors with locations (cases on disk)."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from kg.errors import ArticleError, EvidenceError, FactsFileError, InputError
from kg.facts import FactSheet
from kg.factsfile import dump_facts, facts_schema, load_facts, parse_facts

from .conftest import EXAMPLE_FACTS

CASES = Path(__file__).parent / "facts_errors"
ERROR_CASES = sorted(p for p in CASES.glob("*.yaml") if not p.name.startswith("_"))


def _expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <regex>'"
    return first.removeprefix("# expect: ")


def test_valid_case_loads() -> None:
    sheet = load_facts(CASES / "_valid.yaml")
    assert [e.id for e in sheet.entities] == ["acme", "jane-doe"]
    assert sheet.statements[0].text == "We will not sell them,"


@pytest.mark.parametrize("path", ERROR_CASES, ids=[p.stem for p in ERROR_CASES])
def test_error_case(path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_facts(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    assert re.search(_expectation(path), message), message


def test_error_kinds() -> None:
    with pytest.raises(EvidenceError):
        load_facts(CASES / "evidence-not-in-article.yaml")
    with pytest.raises(FactsFileError):
        load_facts(CASES / "unknown-field.yaml")


def test_every_evidence_is_anchored_verbatim(sheet: FactSheet) -> None:
    text = sheet.article.text
    spans = [e.evidence for e in sheet.entities] + [r.evidence for r in sheet.roles]
    spans += [d.evidence for d in sheet.dates] + [a.evidence for a in sheet.announcements]
    for s in sheet.statements:
        spans += [s.evidence, *s.quote_spans]
    spans += list(sheet.article.evidence)
    assert len(spans) > 40
    for ev in spans:
        assert text[ev.start:ev.end] == ev.exact
        assert text[max(0, ev.start - len(ev.prefix)):ev.start] == ev.prefix
        assert text[ev.end:ev.end + len(ev.suffix)] == ev.suffix


def test_occurrence_selects_the_later_span(sheet: FactSheet) -> None:
    two_years = sheet.date("two-years")
    first = sheet.article.text.find("Microsoft has spent two years warning")
    assert two_years.evidence.start > first >= 0


def test_mixed_quote_marks_kept_verbatim(sheet: FactSheet) -> None:
    smith = next(s for s in sheet.statements if s.id == "smith-quote")
    assert smith.evidence.exact.startswith("“If all")
    assert 'well," Smith said. "We need' in smith.evidence.exact
    assert smith.evidence.exact.endswith("alone.”")
    assert [q.exact for q in smith.quote_spans][1] == (
        "We need Congress to act, not just tech companies alone.")
    assert smith.text.endswith("nation well, We need Congress to act, not just tech companies "
                               "alone.")


def test_dump_and_parse_round_trip(sheet: FactSheet, tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(sheet.article.text, encoding="utf-8")
    text = dump_facts(sheet, text_file="article.txt")
    again = parse_facts(text, path="x.yaml", base_dir=tmp_path)
    assert again == sheet


def test_example_matches_published_schema() -> None:
    data = yaml.safe_load(EXAMPLE_FACTS.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(facts_schema())
    jsonschema.Draft202012Validator(facts_schema()).validate(data)


@pytest.mark.parametrize("content,message", [
    (b"", "the article is empty"),
    (b"  \n\n", "the article is empty"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
    (b"text\x00with nul", "binary file"),
])
def test_bad_article_files(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "article.txt").write_bytes(content)
    facts = (CASES / "_valid.yaml").read_text(encoding="utf-8")
    facts = re.sub(r"  text: \|\n(    .*\n)+", "  text_file: article.txt\n", facts)
    (tmp_path / "facts.yaml").write_text(facts, encoding="utf-8")
    with pytest.raises(ArticleError) as info:
        load_facts(tmp_path / "facts.yaml")
    assert message in str(info.value)
    assert "facts.yaml:" in str(info.value) and "text_file" in str(info.value)


def test_missing_article_file(tmp_path: Path) -> None:
    facts = (CASES / "_valid.yaml").read_text(encoding="utf-8")
    facts = re.sub(r"  text: \|\n(    .*\n)+", "  text_file: nowhere.txt\n", facts)
    (tmp_path / "facts.yaml").write_text(facts, encoding="utf-8")
    with pytest.raises(ArticleError, match="cannot read the article: No such file"):
        load_facts(tmp_path / "facts.yaml")


@pytest.mark.parametrize("content,message", [
    (b"", "the facts file is empty"),
    (b"# only a comment\n", "the facts file is empty"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"- a\n- b\n", "a facts file is a mapping"),
])
def test_bad_facts_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(content)
    with pytest.raises(FactsFileError, match=message):
        load_facts(path)


def test_unreadable_facts_file(tmp_path: Path) -> None:
    with pytest.raises(FactsFileError, match="cannot read the facts file"):
        load_facts(tmp_path / "missing.yaml")
