"""serve: the knowledge graph as Linked Data — a SPARQL endpoint, pages, dumps (``kg serve``).

One module per concern, each importing only those above it:

- ``negotiation``  the ``Accept`` header and the ``format`` parameter (RFC 9110)
- ``snapshot``     the read-only snapshot of the store that is served (why: see there)
- ``_worker``      a SPARQL worker process (a script; imports nothing from kg)
- ``pool``         the worker processes and the per-query time limit
- ``data``         resources, labels, evidence spans and counts read from the snapshot
- ``downloads``    the dumps and each article's graph, with their ETags
- ``void``         the VoID / DCAT description
- ``ontology_doc`` the ontology's HTML documentation
- ``pages``        page contexts for the Jinja2 templates (``templates/``, autoescaped)
- ``app``          the Starlette routes, ``ServeConfig`` and ``serve`` (uvicorn)
"""

from __future__ import annotations

from kg.serve.app import ServeConfig, create_app, serve
from kg.serve.pool import QueryJob, QueryOutcome, QueryPool
from kg.serve.snapshot import Snapshot

__all__ = ["QueryJob", "QueryOutcome", "QueryPool", "ServeConfig", "Snapshot", "create_app",
           "serve"]
