"""export: a built Dataset as Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML.

Turtle, N-Triples and RDF/XML carry the merged graph; TriG, N-Quads and JSON-LD keep one named
graph per article. Output is deterministic (rdflib sorts subjects and predicates, and the data
has no blank nodes). ``write_dataset`` is atomic: the file appears complete or not at all.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from rdflib import Dataset

from kg.errors import InputError, Location
from kg.mapping import merged
from kg.resources import context_path


@dataclass(frozen=True)
class Format:
    name: str
    rdflib_name: str
    extensions: tuple[str, ...]
    media_type: str
    quads: bool


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "turtle", (".ttl",), "text/turtle", False),
    Format("trig", "trig", (".trig",), "application/trig", True),
    Format("ntriples", "nt", (".nt",), "application/n-triples", False),
    Format("nquads", "nquads", (".nq",), "application/n-quads", True),
    Format("jsonld", "json-ld", (".jsonld", ".json"), "application/ld+json", True),
    Format("rdfxml", "xml", (".rdf", ".xml", ".owl"), "application/rdf+xml", False),
)}

ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads",
           "n-quads": "nquads", "json-ld": "jsonld", "xml": "rdfxml", "rdf": "rdfxml"}


def format_for(name: str | None, path: str | None) -> Format:
    """The format named, or the one of ``path``'s extension; an unknown one is an error."""
    if name:
        key = ALIASES.get(name.lower(), name.lower())
        if key not in FORMATS:
            raise InputError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
        return FORMATS[key]
    if path and path != "-":
        suffix = Path(path).suffix.lower()
        for fmt in FORMATS.values():
            if suffix in fmt.extensions:
                return fmt
        raise InputError(
            f"cannot tell the format from the extension {suffix or '(none)'!r}; "
            f"use --format ({', '.join(FORMATS)})", Location(path))
    return FORMATS["turtle"]


@cache
def jsonld_context() -> dict[str, Any]:
    data = json.loads(context_path().read_text(encoding="utf-8"))
    return cast(dict[str, Any], data["@context"])


def serialize(dataset: Dataset, fmt: str | Format = "turtle") -> bytes:
    """The dataset in ``fmt`` as UTF-8 bytes."""
    f = fmt if isinstance(fmt, Format) else format_for(fmt, None)
    if f.name == "jsonld":
        out = dataset.serialize(format="json-ld", context=jsonld_context(), auto_compact=True,
                                indent=2, sort_keys=True)
        return out.encode("utf-8")
    source = dataset if f.quads else merged(dataset)
    return source.serialize(format=f.rdflib_name, encoding="utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(str(path))) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the output: {exc.strerror}", Location(str(path))) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dataset(dataset: Dataset, out: str, fmt: str | None = None) -> Format:
    """Serialize and write to ``out`` (``-`` for stdout). Serializes fully before writing."""
    f = format_for(fmt, out)
    data = serialize(dataset, f)
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(Path(out), data)
    return f
