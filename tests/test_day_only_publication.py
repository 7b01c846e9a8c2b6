"""A publication known only to the day: kept as an xsd:date, compared by days."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from kg.factsfile import load_facts
from kg.mapping import SDO, map_facts, merged
from kg.validate import validate

VALID = Path(__file__).parent / "facts_errors" / "_valid.yaml"
ART = URIRef("https://w3id.org/newskg/id/article/acme-halts-sales")


def _facts(tmp_path: Path, published: str, date_value: str, precision: str) -> Path:
    text = VALID.read_text(encoding="utf-8")
    text = text.replace('published: "2021-03-03T10:00:00+00:00"', f'published: "{published}"')
    text = text.replace('value: "2021-03-01"\n    precision: day',
                        f'value: "{date_value}"\n    precision: {precision}')
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value,precision,conforms", [
    ("2021-03-03T13:12:00-05:00", "minute", True),   # that afternoon, the day it was published
    ("2021-03-03", "day", True),
    ("2021-03-04", "day", False),
    ("2021-03-04T01:00:00+00:00", "minute", False),
])
def test_facts_dated_against_a_day(tmp_path: Path, value: str, precision: str,
                                   conforms: bool) -> None:
    sheet = load_facts(_facts(tmp_path, "2021-03-03", value, precision))
    ds = map_facts(sheet)
    assert merged(ds).value(ART, SDO.datePublished) == Literal("2021-03-03", datatype=XSD.date)
    report = validate(ds)
    assert report.conforms is conforms, [r.message for r in report.violations]
    if not conforms:
        assert "after its article was published (2021-03-03)" in report.violations[0].message
