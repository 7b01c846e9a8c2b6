"""Downloads: the whole graph (Turtle, TriG, gzipped N-Quads) and each article's graph (Turtle).

The snapshot never changes while the server runs, so each dump is written once, on its first
request, into the server's work directory, and served from there; its ``ETag`` is a hash of
its bytes (the same data gives the same tag across restarts: the gzip header's time is fixed)
and ``Last-Modified`` is the time the snapshot was taken.

The Turtle dump is the merged graph (every triple once, whatever graphs hold it), grouped by
subject; TriG and N-Quads keep the named graphs (DESIGN.md, "Named graphs and IRIs").
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from kg.serve.data import prefixes

DUMPS: dict[str, tuple[str, str]] = {
    "newskg.ttl": ("turtle", "text/turtle; charset=utf-8"),
    "newskg.trig": ("trig", "application/trig"),
    "newskg.nq.gz": ("nquads.gz", "application/gzip"),
}
"""File name → (format, media type). The N-Quads dump is a .gz file to keep, so it is served as
``application/gzip`` without ``Content-Encoding`` (with it, clients would unpack it on the way
and save N-Quads text under a .gz name)."""


@dataclass(frozen=True)
class Download:
    name: str
    media_type: str
    path: Path | None
    data: bytes | None
    etag: str
    last_modified: datetime

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


class Downloads:
    """Dumps of ``store`` written into ``directory`` on first use (thread-safe)."""

    def __init__(self, store: ox.Store, directory: Path, taken: datetime, *,
                 merged: bool = True) -> None:
        self.store = store
        self.merged = merged
        self.directory = directory
        self.taken = taken
        self._lock = threading.Lock()
        self._made: dict[str, Download] = {}

    def dump(self, name: str) -> Download | None:
        if name not in DUMPS:
            return None
        with self._lock:
            if name not in self._made:
                self._made[name] = self._write(name)
            return self._made[name]

    def _write(self, name: str) -> Download:
        fmt, media_type = DUMPS[name]
        path = self.directory / name
        if fmt == "turtle" and self.merged:
            # The default graph is the merge, each triple once, in subject order.
            data = self.store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                                   prefixes=prefixes()) or b""
        elif fmt == "turtle":
            triples = sorted({q.triple for q in self.store},
                             key=lambda t: (str(t.subject), str(t.predicate)))
            data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes()) or b""
        elif fmt == "trig":
            data = ox.serialize(self._named_quads(), format=ox.RdfFormat.TRIG,
                                prefixes=prefixes()) or b""
        else:
            raw = ox.serialize(self._named_quads(), format=ox.RdfFormat.N_QUADS) or b""
            data = gzip.compress(raw, mtime=0)
        path.write_bytes(data)
        return Download(name, media_type, path, None, etag_of(data), self.taken)

    def _named_quads(self) -> Iterator[ox.Quad]:
        """The quads of the named graphs (not the merged default graph the server made)."""
        return (q for q in self.store if not isinstance(q.graph_name, ox.DefaultGraph))

    def article_graph(self, graph_iri: str, name: str) -> Download | None:
        graph = ox.NamedNode(graph_iri)
        if not any(True for _ in self.store.quads_for_pattern(None, None, None, graph)):
            return None
        data = self.store.dump(format=ox.RdfFormat.TURTLE, from_graph=graph,
                               prefixes=prefixes()) or b""
        return Download(name, DUMPS["newskg.ttl"][1], None, data, etag_of(data), self.taken)
