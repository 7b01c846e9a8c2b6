"""Shared fixtures: the bundled article, its facts sheet and its built dataset."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.facts import FactSheet
from kg.factsfile import load_facts
from kg.mapping import map_facts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "examples" / "microsoft-face-recognition-police"
EXAMPLE_FACTS = EXAMPLE_DIR / "facts.yaml"
EXAMPLE_ARTICLE = EXAMPLE_DIR / "article.txt"
BUILD_TIME = datetime(2020, 6, 12, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def sheet() -> FactSheet:
    return load_facts(EXAMPLE_FACTS)


@pytest.fixture(scope="session")
def dataset(sheet: FactSheet) -> Dataset:
    """Built once per session: tests must not change it."""
    return map_facts(sheet, generated_at=BUILD_TIME)


# Real-server fixtures (Oxigraph, Virtuoso, an authenticating front) for tests/test_remote.py,
# registered here so pytest rewrites their asserts: see tests/servers.py.
pytest_plugins = ["tests.servers"]
