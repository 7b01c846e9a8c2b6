"""Shared fixtures: the bundled article, its facts sheet and its built dataset."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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

_HOLD = """
import sys, pyoxigraph
store = pyoxigraph.Store(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
"""


@contextmanager
def store_held_open(path: Path) -> Iterator[None]:
    """Another process has the on-disk store at ``path`` open (and locked) inside the block."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        yield
    finally:
        holder.communicate("", timeout=30)


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
