"""The one exception tree of newskg.

::

    KgError                      anything newskg raises on purpose (the CLI maps it to exit 2)
    ├── InputError               the user's input is wrong; carries a location when it has one
    │   ├── FactsFileError       a facts file: YAML syntax, unknown field, bad value, bad reference
    │   ├── EvidenceError        a fact's evidence is not verbatim in the article
    │   ├── ArticleError         the article text: unreadable, not UTF-8, empty
    │   ├── IngestError          a source yields no article: a failed fetch, an unknown file type
    │   └── RdfInputError        an RDF file that does not parse, or has an unknown extension
    ├── ConfigError              a configuration value (base IRI, config file) is unusable
    ├── ShapesError              the shapes graph itself is ill-formed (SHACL "failure")
    ├── StoreError               the embedded store cannot be used: in use by another process,
    │                            not a store, missing, or a write failed (names the graphs)
    └── EndpointError            a SPARQL endpoint refused, failed or lost a load; names the
        │                        endpoint, the graph, the HTTP status, what loaded and what not
        ├── LoadInterrupted      the user stopped a load (Ctrl-C); what loaded and what not
        └── AuthError            the endpoint rejected the credentials (401/403)

I/O failures (a missing file, a full disk) are mapped to ``InputError`` at the edge with the
original ``OSError`` kept as ``__cause__``; network failures (``requests`` exceptions) are
mapped to ``EndpointError`` in ``kg.remote`` the same way. No message ever holds a secret.
Validation *results* are not exceptions: a graph that does not conform is an answer, returned
as a ``ValidationReport``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in a file a problem is: 1-based line and column, and the field path."""

    path: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.field:
            where += f": {self.field}"
        return where


class KgError(Exception):
    """Base of every error newskg raises on purpose."""


class InputError(KgError):
    """The input is wrong. ``str()`` is one line: location first, then what is wrong."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class FactsFileError(InputError):
    """A facts file is malformed, has an unknown field, a bad value or a dangling reference."""


class EvidenceError(InputError):
    """A fact's evidence text is not found verbatim in the article."""


class ArticleError(InputError):
    """The article text cannot be used (unreadable, not UTF-8, empty)."""


class IngestError(InputError):
    """A source yields no article: a URL that times out, redirects in a loop, answers with an
    error status, a PDF or a page over the size cap; a file type ingest does not read; an HTML
    page with no article in it. The location is the URL or path."""


class RdfInputError(InputError):
    """An RDF input file does not parse or its format cannot be told from its name."""


class ConfigError(KgError):
    """A configuration value is unusable (e.g. a base IRI that is not an absolute IRI)."""


class ShapesError(KgError):
    """The shapes graph is ill-formed; no validation result can be given."""


class StoreError(KgError):
    """The embedded Oxigraph store cannot be opened or written. ``str()`` is one line, the
    store's path first. ``loaded`` / ``not_loaded`` are the graph IRIs that did and did not
    reach the store when a load stopped part way (each graph is written whole or not at all).
    """

    def __init__(self, message: str, path: str, *, loaded: tuple[str, ...] = (),
                 not_loaded: tuple[str, ...] = ()) -> None:
        self.message = message
        self.path = path
        self.loaded = loaded
        self.not_loaded = not_loaded
        super().__init__(f"{path}: {message}")


class EndpointError(KgError):
    """A load into a SPARQL endpoint failed. ``str()`` is one line and never holds a secret.

    ``loaded`` / ``not_loaded`` are the graph IRIs that did and did not reach the endpoint;
    ``mismatched`` maps a graph IRI to (triples sent, triples the endpoint counts) when the
    post-load verification found a difference (the issue asks the CLI to exit 1 for it).
    """

    def __init__(self, message: str, *, endpoint: str | None = None, graph: str | None = None,
                 status: int | None = None, loaded: tuple[str, ...] = (),
                 not_loaded: tuple[str, ...] = (),
                 mismatched: dict[str, tuple[int, int]] | None = None) -> None:
        self.message = message
        self.endpoint = endpoint
        self.graph = graph
        self.status = status
        self.loaded = loaded
        self.not_loaded = not_loaded
        self.mismatched = dict(mismatched or {})
        super().__init__(message)


class LoadInterrupted(EndpointError):
    """The user stopped a load (Ctrl-C): ``loaded`` / ``not_loaded`` say what reached the
    endpoint before the graphs in flight were let finish."""


class AuthError(EndpointError):
    """The endpoint rejected the credentials (HTTP 401 or 403)."""
