"""IRI minting: the same fact gets the same IRI on every run, in every article.

Scheme, under a base ``B`` (default ``https://w3id.org/newskg/id/``):

=====================  =============================================  ========================
what                   IRI                                            scope
=====================  =============================================  ========================
organization           ``B organization/{slug of canonical name}``     shared by all articles
person / place / topic ``B person/…`` ``B place/…`` ``B topic/…``      shared by all articles
article                ``B article/{article id}``                     one article
named graph            ``B graph/{article id}``                       one article
fact                   ``B article/{article id}/{kind}/{fact id}``    one article
evidence               ``B article/{article id}/evidence/{fact id}``  one article
=====================  =============================================  ========================

The canonical name of an entity is the authority file's label when the entity is linked to
Wikidata, else its name in the facts file, so "IBM" in two articles is one node. The base comes
from ``--base``, then ``NEWSKG_BASE``, then ``base`` in ``./newskg.toml``, then the default.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from pathlib import Path

from rdflib import URIRef

from kg.errors import ConfigError, Location

DEFAULT_BASE = "https://w3id.org/newskg/id/"
BASE_ENV = "NEWSKG_BASE"
CONFIG_FILE = "newskg.toml"


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'ACLU of Northern California' → 'aclu-of-…'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def check_base(base: str, where: str) -> str:
    if not re.match(r"^https?://[^\s/]+(/[^\s<>\"{}|\\^`]*)?$", base):
        raise ConfigError(f"{where}: base IRI {base!r} is not an absolute http(s) IRI")
    if not base.endswith(("/", "#")):
        base += "/"
    return base


def resolve_base(flag: str | None = None, *, cwd: Path | None = None) -> str:
    """The base IRI from the flag, the environment, ``newskg.toml``, or the default."""
    if flag:
        return check_base(flag, "--base")
    env = os.environ.get(BASE_ENV)
    if env:
        return check_base(env, BASE_ENV)
    config = (cwd or Path.cwd()) / CONFIG_FILE
    if config.is_file():
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ConfigError(f"{Location(str(config))}: {exc}") from exc
        value = data.get("base")
        if value is not None:
            if not isinstance(value, str):
                raise ConfigError(f"{config}: 'base' must be a string")
            return check_base(value, str(config))
    return DEFAULT_BASE


class Minter:
    """Mints the IRIs of one article under one base."""

    def __init__(self, base: str, article_id: str) -> None:
        self.base = base
        self.article_id = article_id
        self.article = URIRef(f"{base}article/{article_id}")
        self.graph = URIRef(f"{base}graph/{article_id}")
        self.build = URIRef(f"{self.article}/build")

    def entity(self, kind: str, canonical_name: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{slugify(canonical_name)}")

    def fact(self, kind: str, fact_id: str) -> URIRef:
        return URIRef(f"{self.article}/{kind}/{fact_id}")

    def evidence(self, fact_id: str, suffix: str = "") -> URIRef:
        return URIRef(f"{self.article}/evidence/{fact_id}{suffix}")

    def software(self, version: str) -> URIRef:
        return URIRef(f"{self.base}software/newskg/{version}")
