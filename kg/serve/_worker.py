"""A SPARQL worker process of ``kg serve``: one query at a time on the read-only snapshot.

https://www.w3.org/TR/sparql11-protocol/ (the part that evaluates and serializes)

Run as a script (``python -P kg/serve/_worker.py SNAPSHOT``), never imported by the server: it
imports nothing from ``kg`` (importing the ``kg`` package would pull in rdflib and pyshacl, a
second of start-up and ~100 MB per worker), only the standard library and pyoxigraph.

Why a process: pyoxigraph evaluates a query in Rust with no way to cancel it, and a thread
cannot be killed. The server (``kg.serve.pool``) sends a query, waits up to the time limit,
and kills this process when the limit passes. As a second guard, should the server be gone or
hung, the process arms ``SIGALRM`` (default action: the kernel ends the process, no Python
handler needed, so it works while Rust holds the thread) for the time limit plus a grace.

Protocol on stdin/stdout, frames of a 4-byte big-endian length then the payload:

- after opening the store: one frame ``{"ready": true}`` (or ``{"error": …}`` and exit);
- per request: a JSON frame ``{"query", "union", "default_graphs", "named_graphs",
  "select_formats", "graph_formats", "max_bytes", "alarm"}``; the answer is a JSON header frame
  ``{"status", "form", "format", "media_type", "error"}`` and a body frame (the serialized
  result, empty on error).

The formats are ordered by the client's preference, one list per query form: the worker learns
the form (SELECT/ASK or CONSTRUCT/DESCRIBE) only from the result, and takes the first format of
the matching list. ``html`` asks for the machine format the server renders as a page (JSON
results, N-Triples graphs). The result is serialized by pyoxigraph, streamed into a buffer that
refuses to grow past ``max_bytes``.
"""

from __future__ import annotations

import io
import json
import signal
import struct
import sys
from typing import IO, Any, BinaryIO, cast

import pyoxigraph as ox

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
    "html": ox.QueryResultsFormat.JSON,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
    "html": ox.RdfFormat.N_TRIPLES,
}
MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml", "html": "text/html",
}
HEADER = struct.Struct(">I")


class TooLarge(Exception):
    """The serialized result passed the size limit."""


class CappedBuffer(io.RawIOBase):
    """A write-only byte buffer that raises ``TooLarge`` past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.size += len(chunk)
        if self.size > self.limit:
            raise TooLarge
        self.parts.append(chunk)
        return len(chunk)

    def value(self) -> bytes:
        return b"".join(self.parts)


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    return data if len(data) == size else None


def write_frames(stream: BinaryIO, *frames: bytes) -> None:
    stream.write(b"".join(HEADER.pack(len(f)) + f for f in frames))
    stream.flush()


def answer(status: int, body: bytes = b"", **header: Any) -> tuple[bytes, bytes]:
    return json.dumps({"status": status, **header}).encode("utf-8"), body


def evaluate(store: ox.Store, request: dict[str, Any]) -> tuple[bytes, bytes]:
    options: dict[str, Any] = {}
    if request.get("default_graphs"):
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = bool(request.get("union", True))
    if request.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    try:
        result = store.query(request["query"], **options)
    except SyntaxError as exc:
        return answer(400, error=str(exc), kind="syntax")
    except ValueError as exc:  # a graph IRI that is not an IRI
        return answer(400, error=str(exc), kind="request")
    graph = isinstance(result, ox.QueryTriples)
    form = "graph" if graph else "boolean" if isinstance(result, ox.QueryBoolean) else "select"
    wanted = request["graph_formats"] if graph else request["select_formats"]
    if not wanted:
        return answer(406, form=form, kind="format")
    fmt = wanted[0]
    buffer = CappedBuffer(int(request["max_bytes"]))
    out = cast(IO[bytes], buffer)
    try:
        if isinstance(result, ox.QueryTriples):
            result.serialize(out, GRAPH_FORMATS[fmt])
        else:
            result.serialize(out, RESULT_FORMATS[fmt])
    except TooLarge:
        return answer(413, form=form, kind="size")
    except OSError as exc:  # pyoxigraph reports evaluation errors found while streaming so
        return answer(500, form=form, error=str(exc), kind="evaluation")
    return answer(200, buffer.value(), form=form, format=fmt, media_type=MEDIA_TYPES[fmt])


def main(argv: list[str]) -> int:
    # Ctrl-C on `kg serve` reaches the whole process group: the server stops the workers by
    # closing their stdin, so a worker ignores SIGINT instead of printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the pipe
    try:
        store = ox.Store.read_only(argv[1])
    except (OSError, IndexError) as exc:
        write_frames(stdout, json.dumps({"error": f"cannot open the snapshot: {exc}"}).encode())
        return 1
    write_frames(stdout, b'{"ready": true}')
    while True:
        frame = read_frame(stdin)
        if frame is None:  # the server closed the pipe: it is shutting down or gone
            return 0
        request = json.loads(frame)
        signal.setitimer(signal.ITIMER_REAL, float(request.get("alarm", 0)))
        header, body = evaluate(store, request)
        signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            write_frames(stdout, header, body)
        except BrokenPipeError:
            return 0


if __name__ == "__main__":
    main(sys.argv)
