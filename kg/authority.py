"""The authority file: verified Wikidata links, looked up by name and alias."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

WIKIDATA = "http://www.wikidata.org/entity/"


@dataclass(frozen=True)
class AuthorityEntry:
    wikidata: str
    type: str
    name: str
    aliases: tuple[str, ...]


def normalize_name(name: str) -> str:
    """'The Washington Post' → 'washington post'; 'U.S.' → 'us'."""
    text = name.casefold().replace("’", "'")
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[.'`]", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


@cache
def authority() -> dict[tuple[str, str], AuthorityEntry]:
    """(type, normalized name or alias) → entry, from the shipped ``authority.yaml``."""
    raw: list[dict[str, Any]] = yaml.safe_load(
        resources.files("kg").joinpath("authority.yaml").read_text(encoding="utf-8")
    )
    index: dict[tuple[str, str], AuthorityEntry] = {}
    for item in raw:
        entry = AuthorityEntry(str(item["wikidata"]), item["type"], item["name"],
                               tuple(item.get("aliases") or ()))
        for label in (entry.name, *entry.aliases):
            index[(entry.type, normalize_name(label))] = entry
    return index


def lookup(entity_type: str, names: tuple[str, ...]) -> AuthorityEntry | None:
    """The entry whose name or alias matches one of ``names`` (first match wins)."""
    index = authority()
    for name in names:
        entry = index.get((entity_type, normalize_name(name)))
        if entry is not None:
            return entry
    return None


def by_wikidata(qid: str) -> AuthorityEntry | None:
    for entry in authority().values():
        if entry.wikidata == qid:
            return entry
    return None
