"""extract on small articles written for each rule, and on the bundled article."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import ArticleText, extract
from kg.facts import FactSheet
from kg.factsfile import dump_facts, parse_facts

from .conftest import EXAMPLE_ARTICLE

PUB = "2021-03-05T10:00:00+00:00"  # a Friday


def run(body: str, headline: str = "Headline Of The Story") -> FactSheet:
    text = f"{headline}\n\n{body}"
    return extract(ArticleText(id="t", text=text, published=PUB, headline=headline))


def quotes(sheet: FactSheet) -> list[tuple[str, str, bool]]:
    return [(sheet.entity(s.speaker).name, s.text, s.implicit_speaker)
            for s in sheet.statements if s.kind == "direct"]


def test_split_quote_around_the_cue_mixed_marks() -> None:
    sheet = run('“We will not sell it to police," Jane Doe said. "Congress must act.”')
    assert quotes(sheet) == [("Jane Doe", "We will not sell it to police, Congress must act.",
                              False)]


def test_inverted_cue_with_apposition_role_and_date() -> None:
    sheet = run("“Companies should work with the community to make that happen,” said John "
                "Roe, an attorney with the Civil Rights Union, in a statement Thursday.")
    (s,) = [s for s in sheet.statements if s.kind == "direct"]
    assert sheet.entity(s.speaker).name == "John Roe"
    assert s.occasion == "a statement"
    assert s.date is not None and sheet.date(s.date).value == "2021-03-04"
    assert [(r.title, sheet.entity(r.organization).name) for r in sheet.roles] == [
        ("attorney", "Civil Rights Union")]


def test_multi_paragraph_quote_introduced_by_colon() -> None:
    sheet = run("The following may be attributed to Mary Major, Senior Vice President of "
                "Open Media:\n\n“The agency voted to enact the strongest rules in history.\n\n"
                "“This day would not have happened without the support of millions.”")
    assert quotes(sheet) == [(
        "Mary Major",
        "The agency voted to enact the strongest rules in history. This day would not have "
        "happened without the support of millions.", False)]


def test_in_the_words_of() -> None:
    sheet = run('In the words of Chairman Ajit Pai, "it is time for the internet to be driven '
                'by engineers rather than lawyers."')
    assert [q[0] for q in quotes(sheet)] == ["Ajit Pai"]


def test_pronoun_resolves_to_the_last_person() -> None:
    sheet = run("Tim Cook spoke to reporters on Monday. “The implications of the demands are "
                "chilling,” he said.")
    assert [q[0] for q in quotes(sheet)] == ["Tim Cook"]


def test_scare_quotes_are_not_statements() -> None:
    sheet = run("The company billed itself as the “world's first robot lawyer,” but it was "
                "not, regulators at the Federal Trade Commission said.")
    assert quotes(sheet) == []


def test_indirect_statement() -> None:
    sheet = run("Jane Doe said Thursday that the company currently does not sell its software "
                "to any police department.")
    indirect = [s for s in sheet.statements if s.kind == "indirect"]
    assert [(sheet.entity(s.speaker).name, s.text) for s in indirect] == [
        ("Jane Doe", "the company currently does not sell its software to any police "
                     "department.")]


def test_possessive_and_title_roles() -> None:
    sheet = run("Oracle's president and chief counsel, Brad Smith, spoke on Monday. Apple Inc. "
                "CEO Tim Cook agreed.")
    roles = {(sheet.entity(r.person).name, r.title, sheet.entity(r.organization).name)
             for r in sheet.roles}
    assert roles == {("Brad Smith", "president and chief counsel", "Oracle"),
                     ("Tim Cook", "CEO", "Apple Inc.")}


def test_bundled_article_draft_is_a_valid_facts_file(tmp_path: Path) -> None:
    text = EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    headline = text.splitlines()[0]
    sheet = extract(ArticleText(id="msft", text=text, published="2020-06-12T12:17:00+05:30",
                                headline=headline,
                                published_as_written="12 June 2020 12:17 IST"))
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    again = parse_facts(dump_facts(sheet, text_file="article.txt"), path="x.yaml",
                        base_dir=tmp_path)
    assert again == sheet
    names = {e.name for e in sheet.entities if e.type == "organization"}
    assert {"Microsoft", "Amazon", "IBM", "NEC", "Idemia", "Gemalto"} <= names
    assert {q[0] for q in quotes(sheet)} == {"Brad Smith", "Matt Cagle"}


@pytest.mark.parametrize("body", ["", "No names here at all, only words in lower case."])
def test_nothing_to_find_gives_empty_lists(body: str) -> None:
    sheet = run(body or "x")
    assert sheet.statements == () and sheet.roles == () and sheet.announcements == ()


def test_deterministic() -> None:
    body = ("Acme Corp said on Monday it will stop selling drones. “We will not sell them,” "
            "said Jane Doe, the chief executive of Acme Corp.")
    assert dump_facts(run(body)) == dump_facts(run(body))


def test_we_and_may_are_not_dates() -> None:
    sheet = run("We may announce the results soon, and we will. May Johnson, a lawyer with "
                "the Civil Rights Union, said she may appeal.")
    assert [d.text for d in sheet.dates] == []
