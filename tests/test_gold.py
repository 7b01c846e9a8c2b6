"""The gold facts files (eval/gold): schema-valid, ids unique, references resolve.

The articles are not needed (they live outside the repo): evidence anchoring is checked by the
scorer, which loads the gold files against the article directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kg.factsfile import check_date_value, facts_schema

GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.facts.yaml"))
SECTIONS = ("entities", "roles", "dates", "announcements", "statements")
AGENT = ("organization", "person")
ENTITY = ("organization", "person", "place", "topic")
# (section, field) -> kinds the referenced id may have; list fields hold several ids.
REFS: dict[tuple[str, str], tuple[str, ...]] = {
    ("article", "publisher"): ("organization",),
    ("article", "source_organization"): ("organization",),
    ("article", "authors"): AGENT,
    ("article", "credits"): AGENT,
    ("entities", "located_in"): ("place",),
    ("entities", "part_of"): ENTITY,
    ("roles", "person"): ("person",),
    ("roles", "organization"): ("organization",),
    ("announcements", "agents"): AGENT,
    ("announcements", "spokesperson"): ("person",),
    ("announcements", "addressee"): AGENT,
    ("announcements", "date"): ("date",),
    ("statements", "speaker"): AGENT,
    ("statements", "date"): ("date",),
    ("statements", "about"): ENTITY,
}


class _Loader(yaml.SafeLoader):
    """Dates stay strings, as in kg.factsfile: the schema decides what a value is."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _evidence_text(ev: Any) -> str:
    return ev if isinstance(ev, str) else ev["text"]


def test_gold_files_exist() -> None:
    assert GOLD_FILES, f"no *.facts.yaml in {GOLD_DIR}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_gold_file(path: Path) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    jsonschema.Draft202012Validator(facts_schema()).validate(data)
    assert data["article"]["id"] == path.name.removesuffix(".facts.yaml")

    kinds: dict[str, str] = {}
    for section in SECTIONS:
        for item in data.get(section, []):
            assert item["id"] not in kinds, f"id {item['id']!r} is used twice"
            kinds[item["id"]] = item["type"] if section == "entities" else section[:-1]

    for (section, field), allowed in REFS.items():
        items = [data["article"]] if section == "article" else data.get(section, [])
        for item in items:
            value = item.get(field, [])
            for ref in value if isinstance(value, list) else [value]:
                assert kinds.get(ref) in allowed, f"{section}.{field}: {ref!r} is not {allowed}"

    for ev in data["article"].get("evidence", []):
        assert _evidence_text(ev).strip()
    for section in SECTIONS:
        for item in data.get(section, []):
            assert _evidence_text(item["evidence"]).strip(), item["id"]
    for d in data.get("dates", []):
        assert check_date_value(d["value"], d["precision"]) is None, d["id"]
        assert d["text"] in _evidence_text(d["evidence"]), d["id"]
    for s in data.get("statements", []):
        quote = s.get("quote", [])
        for segment in [quote] if isinstance(quote, str) else quote:
            assert segment in _evidence_text(s["evidence"]), s["id"]
