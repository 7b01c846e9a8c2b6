"""The read-only snapshot ``kg serve`` serves: a checkpoint of the store, opened read-only.

https://pyoxigraph.readthedocs.io/en/stable/store.html#pyoxigraph.Store.backup

Why a snapshot and not the store itself. The embedded store allows one opener at a time
(RocksDB's lock, ``kg.store``): ``kg query`` and ``kg load`` open it read-write and hold the lock
while they run. A server that did the same would hold it for as long as it serves, so every
``kg load`` and ``kg query`` would fail meanwhile. ``pyoxigraph.Store.read_only`` takes no lock,
but its documentation calls reading while another process writes undefined behaviour, and
``kg load`` would be free to write. So the server:

1. opens the store read-write for a moment, taking the lock: waiting up to ``lock_wait``
   seconds while another ``kg`` command holds it (never forever: then a clear error names the
   store and the wait);
2. writes a RocksDB checkpoint of it (``Store.backup``: hard links where the snapshot directory
   is on the same file system, a copy elsewhere; milliseconds for the 300k-triple bench store)
   into a fresh temporary directory, and releases the lock;
3. fills the checkpoint's default graph with the RDF merge of its named graphs (below);
4. opens the checkpoint with ``Store.read_only``, here and in every SPARQL worker process
   (read-only opens take no lock, so any number of processes share it). Nothing can write to it:
   pyoxigraph refuses every update on a read-only store.

The server therefore answers from the data as it was when it started, consistently, whatever
``kg load`` does to the store afterwards; restart ``kg serve`` to publish a new load. That also
makes every derived value (counts, dumps, ETags) fixed for the life of the server.

**Why a merged default graph.** Queries see the union of the article graphs as their default
graph (``kg.query``). Oxigraph's ``use_default_graph_as_union`` does not merge: a triple that
several graphs hold is matched once per graph (measured on the 1,000-article bench store:
Microsoft's ``rdfs:label`` 648 times), so every join through a shared organization or person
multiplies rows; the canned ``timeline`` query as first written (matched against the default
graph) returned 311 MB instead of 1.4 MB there, and ``roles`` ran for minutes instead of 40 ms.
(The canned queries now match inside one article graph each, ``GRAPH ?graph { … }``, which
never reads the default graph: they give the same rows here as in ``kg query``.)
The SPARQL dataset the server exposes is the RDF merge (set semantics: each triple once),
materialized once in the snapshot's default graph (``INSERT … WHERE { GRAPH ?g { … } }``,
5.5 s for 315k quads); ``GRAPH ?g`` still reaches each article graph by name. On a store
whose graphs share no triple (one article) the answers are the same as ``kg query``'s.

A store directory the server may not write to (a read-only mount of a published release) cannot
be locked; it is opened with ``Store.read_only`` directly, as nothing can be writing it.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store import open_store

LOCK_WAIT = 30.0
"""Default seconds to wait for a store another ``kg`` command holds."""


class Snapshot:
    """A read-only copy of a store for the life of a server. ``close()`` deletes the copy."""

    def __init__(self, source: Path, path: Path, taken: datetime, *, owned: bool,
                 merged: bool = False) -> None:
        self.source = source
        self.path = path
        """The directory to open with ``Store.read_only`` (the copy, or the source itself)."""
        self.taken = taken
        self._owned = owned
        self.merged = merged
        """True: the default graph holds the merge of the named graphs (query it as such);
        False (a source served in place): ask for the union default graph instead."""
        self.store: ox.Store = ox.Store.read_only(str(path))

    @classmethod
    def take(cls, source: Path, *, lock_wait: float = LOCK_WAIT) -> Snapshot:
        store = _open_waiting(source, lock_wait)
        if store is None:  # not ours to lock: nothing can write there either
            return cls(source, source, datetime.now(UTC), owned=False)
        workdir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        target = workdir / "snapshot"
        taken = datetime.now(UTC)
        try:
            store.backup(str(target))
        except OSError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            raise StoreError(f"cannot take a snapshot to serve: {exc}", str(source)) from exc
        finally:
            del store  # releases the lock: kg load / kg query may use the store again
        try:
            merge_default_graph(target)
        except OSError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            raise StoreError(f"cannot prepare the snapshot to serve: {exc}", str(source)
                             ) from exc
        return cls(source, target, taken, owned=True, merged=True)

    @property
    def workdir(self) -> Path | None:
        """A directory the server may write its caches into (None: serving the source)."""
        return self.path.parent if self._owned else None

    def close(self) -> None:
        if self._owned:
            shutil.rmtree(self.path.parent, ignore_errors=True)
            self._owned = False


def merge_default_graph(path: Path) -> None:
    """Put every triple of the named graphs of the (private) store at ``path`` into its default
    graph, once each."""
    store = ox.Store(str(path))
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.flush()
    del store


def _open_waiting(source: Path, lock_wait: float) -> ox.Store | None:
    deadline = time.monotonic() + lock_wait
    while True:
        try:
            return open_store(source, create=False)
        except StoreError as exc:
            if "in use by another process" not in exc.message:
                if _read_only_fs(exc):
                    return None
                raise
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"the store is in use by another process (a kg load or kg query still "
                    f"running?); kg serve waited {lock_wait:g} s for it (--lock-wait)",
                    str(source)) from exc
            time.sleep(0.2)


def _read_only_fs(exc: StoreError) -> bool:
    """The store could not be opened for writing because its files are read-only to us."""
    cause = exc.__cause__
    if isinstance(cause, OSError) and cause.errno in (errno.EROFS, errno.EACCES):
        return True
    # RocksDB's own I/O errors come as an OSError without errno; its message says why.
    return "Read-only file system" in exc.message or "Permission denied" in exc.message
