"""Where the shipped Turtle lives: ``kg/_data/`` in a wheel, the repo top level in a checkout.

The ontology, shapes and queries are kept at the repo's top level (they are source code to read
first) and copied into the wheel as ``kg/_data/{ontology,shapes,queries}`` by the build.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory of shipped files ``name`` (``ontology``, ``shapes`` or ``queries``)."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newskg is installed without its {name}/ directory")


def ontology_path() -> Path:
    return data_dir("ontology") / "newskg.ttl"


def shapes_path() -> Path:
    return data_dir("shapes") / "newskg.shapes.ttl"


def context_path() -> Path:
    return data_dir("ontology") / "context.jsonld"
