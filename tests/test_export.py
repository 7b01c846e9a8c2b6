"""export: every format parses back to the same graph; writes are atomic."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.export import FORMATS, format_for, serialize, write_atomic, write_dataset
from kg.mapping import merged


def _parse_back(data: bytes, fmt: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=data, format=FORMATS[fmt].rdflib_name)
    return ds


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip(dataset: Dataset, fmt: str) -> None:
    data = serialize(dataset, fmt)
    back = _parse_back(data, fmt)
    assert isomorphic(merged(back), merged(dataset)), fmt
    if FORMATS[fmt].quads:
        names = {c.identifier for c in back.graphs() if len(c)}
        assert names == {c.identifier for c in dataset.graphs() if len(c)}


def test_turtle_is_deterministic_and_pretty(dataset: Dataset) -> None:
    one, two = serialize(dataset, "turtle"), serialize(dataset, "turtle")
    assert one == two
    text = one.decode("utf-8")
    assert text.startswith("@prefix article: <https://w3id.org/newskg/id/article/> .")
    assert "@prefix schema: <http://schema.org/> ." in text
    assert "organization:microsoft" in text


def test_jsonld_reads_as_plain_json(dataset: Dataset) -> None:
    doc = json.loads(serialize(dataset, "jsonld"))
    text = json.dumps(doc)
    # Terms of the shipped context, not full IRIs.
    assert '"headline"' in text and '"spokesperson"' in text
    assert "http://schema.org/headline" not in text


@pytest.mark.parametrize("name,expected", [
    ("graph.ttl", "turtle"), ("graph.trig", "trig"), ("graph.nt", "ntriples"),
    ("graph.nq", "nquads"), ("graph.jsonld", "jsonld"), ("graph.rdf", "rdfxml"),
])
def test_format_from_extension(name: str, expected: str) -> None:
    assert format_for(None, name).name == expected


def test_unknown_extension_and_format() -> None:
    with pytest.raises(InputError, match=r"cannot tell the format from the extension '\.txt'"):
        format_for(None, "graph.txt")
    with pytest.raises(InputError, match="unknown format 'n3x'"):
        format_for("n3x", "graph.ttl")


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left on device"):
        write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_write_dataset(tmp_path: Path, dataset: Dataset) -> None:
    out = tmp_path / "g.nq"
    fmt = write_dataset(dataset, str(out))
    assert fmt.name == "nquads"
    back = Dataset()
    back.parse(out, format="nquads")
    assert len(merged(back)) == len(dataset)
