"""remote: load a Dataset into any SPARQL 1.1 endpoint over HTTP, through one network seam.

Specifications:

- SPARQL 1.1 Graph Store HTTP Protocol   https://www.w3.org/TR/sparql11-http-rdf-update/
- SPARQL 1.1 Update                       https://www.w3.org/TR/sparql11-update/
- SPARQL 1.1 Protocol                     https://www.w3.org/TR/sparql11-protocol/
- N-Triples, canonical form               https://www.w3.org/TR/rdf12-n-triples/#canonical-ntriples

How a named graph is written (``load_to_endpoint``):

- **Graph Store** (``protocol="gsp"``, the first choice of ``"auto"``): one ``PUT ?graph=G`` per
  named graph; the body is the whole graph as N-Triples, sent as ``text/turtle`` (N-Triples is
  Turtle, and every Graph Store takes Turtle). PUT replaces the graph in one request (one
  transaction), so a rerun is idempotent and no reader sees half a graph. ``append=True``
  POSTs instead (adds to what is there).
- **SPARQL Update** (``protocol="update"``, or ``"auto"`` when the Graph Store answers
  400/404/405/415/501): ``DROP SILENT GRAPH <G>`` and ``INSERT DATA { GRAPH <G> { ... } }`` in
  chunks of at most ``chunk_triples`` triples; the DROP rides in the first request, so a graph
  that fits in one chunk is replaced by one request (one transaction on Oxigraph).
- **Bulk** (``bulk=True``, Oxigraph): graphs batched by ~``BULK_BATCH`` triples; per batch one
  ``DROP SILENT GRAPH`` of its graphs through the update endpoint, then one N-Quads ``POST``
  to the Graph Store URL with ``&no_transaction`` (Oxigraph's bulk loader). Fast, not atomic.
- ``parallel`` graphs (or batches) are in flight at once, each worker with its own connection;
  the first graph goes alone. A failure stops new graphs from starting; the ones in flight end.
- Afterwards every graph's triples are counted on the endpoint with ``COUNT`` and compared
  with what was sent.

Every term is written by ``nt_term``, a canonical N-Triples writer: IRIs are checked against
the N-Triples IRIREF grammar (no ``<>"{}|^`\\``, no spaces or controls, absolute), literal text
is escaped (``\\" \\\\ \\n \\r \\t \\b \\f`` and ``\\uXXXX`` for the other control characters),
language tags are checked. Nothing from the data reaches a request unescaped, so no literal or
IRI can end a string or a graph block early. rdflib's writers are not used for this because
(measured with rdflib 7.6) its N-Triples writer puts a datatype IRI in unchecked (a datatype
``x> } } ; DROP ALL ; #`` becomes Update syntax), ``Literal.n3()`` ends a multi-line value that
ends in a backslash and a quote with four quotes, and raw control characters next to an escape
(``"\\n\\x0c"``) are silently emptied by Virtuoso's Turtle parser.

Store quirks worked around (each has a test against the real server in tests/test_remote.py):

- Virtuoso answers 201 and stores nothing when the body is sent chunked: bodies are always
  ``bytes``, sent with a Content-Length.
- Virtuoso hangs on a POST with ``Content-Type: application/sparql-query`` (and on a PUT to
  ``/sparql``): queries and updates are form-encoded POSTs, every request has a timeout.
- Virtuoso refuses ``INSERT DATA`` above ~1,200-1,500 triples (SP031 "generated SQL text
  exceeded 10000 lines", HTTP 400; the limit depends on the terms) and is faster with small
  chunks. A chunk refused with 400/413 is split in half until it passes, and later chunks use
  the size that passed; a single triple still refused is named in the error.
- Virtuoso caps results at 10,000 rows: loads are verified with ``COUNT``, never by reading back.
- Virtuoso answers a request to a missing service with 501, Oxigraph with 404: both mean
  "no Graph Store here" to ``protocol="auto"``.
- Virtuoso answers permanent errors (a rejected PUT body) with 500: 500 is not retried
  (the retry policy itself is tested with injected 429/502/503/500 answers).
- Oxigraph's ``&no_transaction`` on ``/store`` uses its bulk loader, which pays a start-up per
  request (1,000 PUTs of 300 triples were slower than transactions) and is not atomic (a failed
  request can leave graphs emptied or half written): opt-in with ``bulk=True``, which batches
  graphs into big N-Quads requests; verification and a rerun cover the failure case.

Retries (``urllib3.util.Retry``, exponential backoff, ``Retry-After`` honoured but capped):
connection errors, read errors, 429, 502, 503 and 504, for every method we send, POST
included. That is correct because every request is idempotent by construction: a PUT replaces
the graph with the same triples; the data has no blank nodes (refused up front), so an
``INSERT DATA`` of ground triples sent twice leaves the same set; ``DROP SILENT`` twice is one
DROP; the count queries only read. What is *not* atomic is a graph written by several Update
requests: if one of them still fails after its retries, the graph is reported "not loaded"
(possibly half written) and the unit of repair is the whole graph: a rerun starts again with
the DROP. A late duplicate of the first request (a DROP that the server runs after the
client timed out, retried and went on) could empty later chunks; the count check catches it.

Side effects: only the named graphs of the dataset are written (default-graph triples are
refused); nothing is sent in a dry run or before every term has been written successfully.
Secrets (passwords, tokens) live in ``Secret`` objects that print as ``***``; they never appear
in messages, logs, exceptions or reprs. TLS certificates are verified unless told otherwise.
"""

from __future__ import annotations

import inspect
import logging
import netrc
import os
import re
import threading
import time
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from urllib3.util import Retry

from kg import __version__
from kg.errors import AuthError, ConfigError, EndpointError, InputError, LoadInterrupted

log = logging.getLogger(__name__)

ProtocolName = typing.Literal["auto", "gsp", "update"]
AuthScheme = typing.Literal["auto", "basic", "digest", "bearer", "none"]

ENV_USER: Final = "NEWSKG_ENDPOINT_USER"
ENV_PASSWORD: Final = "NEWSKG_ENDPOINT_PASSWORD"
ENV_TOKEN: Final = "NEWSKG_ENDPOINT_TOKEN"

# Measured with this loader (2 cores; bundled article and a 10k-triple graph): Virtuoso 7.2 is
# fastest at 100-200 triples per INSERT DATA (5-7k triples/s), slower at 500 (2.4-3.7k) and
# 1,000 (0.8-1.5k), and refuses ~1,200-1,500; Oxigraph is flat from 100 to 1,000 (~25k).
DEFAULT_CHUNK: Final = 200
MAX_CHUNK: Final = 100_000
# Graphs written at once, each over its own connection. Measured (bench/load.py, 2 cores): one
# connection leaves the server idle between requests (Oxigraph 38k triples/s by PUT per graph);
# two reach the server's own transactional rate (69k, the same as one N-Quads POST of
# everything); four gain nothing more here and no less, and Virtuoso takes four concurrent PUTs
# without deadlocks (24k -> 34k triples/s). Four leaves room for servers with more cores.
DEFAULT_PARALLEL: Final = 4
MAX_PARALLEL: Final = 32
# Triples per request on the bulk path: big enough that Oxigraph's per-request bulk-loader
# start-up is paid rarely (1,000 requests of 300 triples ran at 14k triples/s, batches of
# 15-30k at 160-240k), small enough to keep both ends' memory flat.
BULK_BATCH: Final = 25_000
# A Graph Store that answers one of these to a PUT/POST is taken to have no Graph Store at that
# URL (Oxigraph 404, Virtuoso 501, servers that know the path but not the method 405, 400 from
# servers that take the request for something else, 415 from ones that take no Turtle).
NO_GRAPH_STORE: Final = frozenset({400, 404, 405, 415, 501})
# 500 is left out on purpose: Virtuoso answers permanent errors (a rejected body) with 500,
# and retrying them only delays the error by the whole backoff.
RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
COUNT_BATCH: Final = 100  # graphs per COUNT query (VALUES list), far below any row cap

_SPARQL_JSON: Final = "application/sparql-results+json"
_FORM: Final = "application/x-www-form-urlencoded"
_ANY_TEXT: Final = "text/plain, */*;q=0.1"


# ---------------------------------------------------------------------------------------------
# Terms: canonical N-Triples, the one writer for Graph Store bodies and Update requests

# IRIREF of N-Triples/Turtle/SPARQL: no controls or space, none of <>"{}|^`\ (we never emit
# \u escapes in IRIs, so a backslash is refused too). RDF needs absolute IRIs: a relative one
# would be resolved against whatever base the server picks.
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*\Z")
# Canonical N-Triples (RDF 1.2): ECHAR for \b \t \n \f \r " \, UCHAR for the other controls.
_ESCAPES: Final[dict[int, str]] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)} | {
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\",
}


@lru_cache(maxsize=65536)  # IRIs repeat (predicates, classes, entities): check each once
def nt_iri(value: str) -> str:
    """``<value>`` after checking it is an absolute IRI that N-Triples can carry."""
    bad = _IRI_BAD.search(value)
    if bad or not _IRI_SCHEME.match(value):
        why = f"it contains {bad.group()!r}" if bad else "it is not absolute"
        raise InputError(f"cannot write the IRI {value!r}: {why}")
    _check_encodable(value)
    return f"<{value}>"


def nt_literal(literal: Literal) -> str:
    """A literal in canonical N-Triples (``xsd:string`` is implicit, as RDF 1.1 has it)."""
    lexical = str(literal)
    _check_encodable(lexical)
    text = f'"{lexical.translate(_ESCAPES)}"'
    if literal.language:
        if not _LANGTAG.match(literal.language):
            raise InputError(f"cannot write the language tag {literal.language!r}")
        return f"{text}@{literal.language}"
    if literal.datatype is None or literal.datatype == XSD.string:
        return text
    return f"{text}^^{nt_iri(str(literal.datatype))}"


def nt_term(term: object) -> str:
    """Any RDF term newskg loads (IRI or literal) in canonical N-Triples."""
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, Literal):
        return nt_literal(term)
    if isinstance(term, BNode):
        raise InputError(
            f"blank node _:{term}: blank nodes cannot be reloaded without duplicates "
            "(servers mint new ones on every load); give the node an IRI (skolemize)")
    raise InputError(f"cannot write {type(term).__name__} {term!r} as an RDF term")


def nt_line(subject: object, predicate: object, obj: object) -> str:
    """One N-Triples statement, ``<s> <p> o .`` and a newline."""
    if isinstance(subject, Literal):
        raise InputError(f"a literal cannot be a subject: {subject!r}")
    if not isinstance(predicate, URIRef):
        raise InputError(f"a predicate must be an IRI: {predicate!r}")
    return f"{nt_term(subject)} {nt_iri(str(predicate))} {nt_term(obj)} .\n"


def _check_encodable(text: str) -> None:
    # A str with a lone surrogate (bad decoding upstream) has no UTF-8 form: say so here,
    # with the value, instead of failing inside the HTTP library.
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(f"text with an unpaired surrogate cannot be sent: {text!r}") from exc


@dataclass(frozen=True)
class GraphData:
    """One named graph, written: its IRI and its statements as N-Triples lines."""

    iri: str
    lines: tuple[str, ...]

    @property
    def triples(self) -> int:
        return len(self.lines)


def dataset_graphs(dataset: Dataset) -> list[GraphData]:
    """Every named graph of ``dataset``, written, sorted by IRI. Raises before any I/O."""
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default):
        raise InputError(
            f"the dataset has {len(default)} triples in its default graph: newskg loads named "
            "graphs only (one per article)")
    out: list[GraphData] = []
    for graph in dataset.graphs():
        name = graph.identifier
        if name == DATASET_DEFAULT_GRAPH_ID:
            continue
        if not isinstance(name, URIRef):
            raise InputError(f"a named graph needs an IRI as its name, not {name!r}")
        nt_iri(str(name))
        out.append(GraphData(str(name), _graph_lines(graph)))
    out.sort(key=lambda g: g.iri)
    return out


def _graph_lines(graph: Graph) -> tuple[str, ...]:
    # The hot loop of a big load (profiled: the calls per term cost more than the escaping).
    # IRIs repeat, so each is checked and written once, then looked up; the table holds IRIs
    # only (identifier equality is type-strict in rdflib: a literal or a blank node never
    # matches one). Literals are not cached: rdflib calls "1"^^xsd:integer and
    # "01"^^xsd:integer equal, and a cache would write one for the other.
    iris: dict[object, str] = {}

    def first(term: object, role: str) -> str:
        if isinstance(term, URIRef):
            iris[term] = nt_iri(str(term))
            return iris[term]
        if role == "object" or isinstance(term, BNode):
            return nt_term(term)  # a literal object, or the blank-node error
        raise InputError(f"a {role} must be an IRI: {term!r}")

    lookup = iris.get
    return tuple(
        f"{lookup(s) or first(s, 'subject')} {lookup(p) or first(p, 'predicate')} "
        f"{lookup(o) or first(o, 'object')} .\n"
        for s, p, o in graph)


# ---------------------------------------------------------------------------------------------
# Credentials


class Secret:
    """A password or token. Prints as ``***``; ``reveal()`` is called only to send it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Auth:
    """How to authenticate. ``scheme="auto"`` answers the server's 401 challenge with Digest or
    Basic, whichever it asks for (Virtuoso's ``-auth`` endpoints take Digest only).

    ``source`` says where the credentials came from (arguments, environment, netrc, url).
    """

    scheme: AuthScheme = "none"
    user: str | None = None
    password: Secret | None = None
    token: Secret | None = None
    source: str = "none"

    def requests_auth(self) -> AuthBase:
        if self.scheme == "bearer":
            if self.token is None:
                raise ConfigError("bearer authentication needs a token")
            return _BearerAuth(self.token)
        if self.scheme == "none":
            return _NoAuth()
        if self.user is None or self.password is None:
            raise ConfigError(f"{self.scheme} authentication needs a user and a password")
        if self.scheme == "basic":
            return HTTPBasicAuth(self.user, self.password.reveal())
        if self.scheme == "digest":
            return HTTPDigestAuth(self.user, self.password.reveal())
        return _ChallengeAuth(self.user, self.password)


def resolve_auth(url: str | None, *, user: str | None = None, password: str | None = None,
                 token: str | None = None, scheme: AuthScheme = "auto",
                 environ: Mapping[str, str] | None = None,
                 netrc_file: str | os.PathLike[str] | None = None,
                 use_netrc: bool = True) -> Auth:
    """Credentials from the arguments, then the environment, then ``~/.netrc``.

    Environment: ``NEWSKG_ENDPOINT_USER``, ``NEWSKG_ENDPOINT_PASSWORD``,
    ``NEWSKG_ENDPOINT_TOKEN``. netrc: the entry for ``url``'s host (``NETRC`` names another
    file), used when no user/password came from the arguments or the environment, or for the
    password of the user given. Each field comes from the first place that has it.
    """
    env = os.environ if environ is None else environ
    sources = {"arguments"} if (user or password or token) else set()
    if token is None and env.get(ENV_TOKEN):
        token = env[ENV_TOKEN]
        sources.add("environment")
    if user is None and env.get(ENV_USER):
        user = env[ENV_USER]
        sources.add("environment")
    if password is None and env.get(ENV_PASSWORD):
        password = env[ENV_PASSWORD]
        sources.add("environment")
    if token is None and password is None and use_netrc and url:
        found = _netrc_lookup(url, netrc_file, env)
        if found and (user is None or user == found[0]):
            user, password = found
            sources.add("netrc")
    source = "+".join(sorted(sources)) or "none"
    if scheme == "none":
        return Auth()
    if token is not None:
        if scheme not in ("auto", "bearer"):
            raise ConfigError(f"a token is sent as a bearer token, not with {scheme} auth")
        if user is not None:
            raise ConfigError("give either a token or a user, not both")
        return Auth("bearer", token=Secret(token), source=source)
    if scheme == "bearer":
        raise ConfigError(f"bearer authentication needs a token (set {ENV_TOKEN})")
    if user is None and password is None:
        if scheme != "auto":
            raise ConfigError(f"{scheme} authentication needs a user (set {ENV_USER})")
        return Auth()
    if user is None:
        raise ConfigError(f"a password was given but no user (set {ENV_USER})")
    if password is None:
        raise ConfigError(
            f"no password for user {user!r}: set {ENV_PASSWORD} or add the host to ~/.netrc")
    return Auth(scheme, user=user, password=Secret(password), source=source)


def _netrc_lookup(url: str, netrc_file: str | os.PathLike[str] | None,
                  env: Mapping[str, str]) -> tuple[str, str] | None:
    host = urlsplit(url).hostname
    path = Path(netrc_file) if netrc_file else Path(env.get("NETRC") or Path.home() / ".netrc")
    if not host or not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        # The parser's message can quote a token of the file (maybe a password): never show it.
        line = getattr(exc, "lineno", None)
        where = f"{path}, line {line}" if line else str(path)
        raise ConfigError(f"cannot read the netrc file {where}") from None
    if entry is None or not entry[0] or entry[2] is None:
        return None
    return entry[0], entry[2]


class _NoAuth(AuthBase):
    # An explicit "no credentials": with no auth object at all, requests would look up
    # ~/.netrc behind our back; resolve_auth already did, under the caller's control.
    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        return r


class _BearerAuth(AuthBase):
    def __init__(self, token: Secret) -> None:
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        return r


class _ChallengeAuth(AuthBase):
    """Answer the server's 401 challenge with Digest or Basic, whichever it names.

    Nothing is sent before the first challenge (Virtuoso answers an unasked-for Basic header
    on a Digest endpoint with a bare 401). requests' Digest handler answers Digest challenges
    and then authenticates later requests itself; a Basic challenge is answered here once and
    Basic is sent up front from then on.
    """

    def __init__(self, user: str, password: Secret) -> None:
        self._digest = HTTPDigestAuth(user, password.reveal())
        self._basic = HTTPBasicAuth(user, password.reveal())
        self._use_basic = False

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._use_basic:
            return typing.cast(requests.PreparedRequest, self._basic(r))
        r = self._digest(r)
        r.register_hook("response", self._answer_basic)  # type: ignore[no-untyped-call]
        return r

    def _answer_basic(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        challenge = response.headers.get("WWW-Authenticate", "").lower()
        if response.status_code != 401 or not challenge.startswith("basic"):
            return response
        self._use_basic = True
        _ = response.content  # drain, so the connection can be reused
        response.close()
        retry = response.request.copy()
        self._basic(retry)
        answer = response.connection.send(retry, **kwargs)
        answer.history.append(response)
        answer.request = retry
        return answer


# ---------------------------------------------------------------------------------------------
# Endpoints and transport


@dataclass(frozen=True)
class Endpoints:
    """The three services of an endpoint: query (used to verify), update and Graph Store.

    ``derive`` fills in what was not given from the SPARQL endpoint URL:

    ==========================  =====================  ===============================
    endpoint ends with           update                 Graph Store
    ==========================  =====================  ===============================
    ``/query`` (Oxigraph)        ``…/update``           ``…/store``
    ``/sparql`` (Virtuoso)       same URL               ``…/sparql-graph-crud``
    ``/sparql-auth`` (Virtuoso)  same URL               ``…/sparql-graph-crud-auth``
    anything else                same URL               none (Update only)
    ==========================  =====================  ===============================

    Fuseki's Graph Store is ``…/data``: give it with ``gsp=`` (or let ``auto`` fall back).
    """

    query: str | None = None
    update: str | None = None
    gsp: str | None = None

    @classmethod
    def derive(cls, endpoint: str | None = None, *, gsp: str | None = None,
               update: str | None = None) -> tuple[Endpoints, Auth | None]:
        """The endpoints, and the credentials found in a URL's userinfo (removed from it)."""
        if not (endpoint or gsp or update):
            raise ConfigError("no endpoint given (an endpoint, update endpoint or Graph Store)")
        found: list[Auth] = []
        endpoint, gsp, update = (_clean_url(u, found) for u in (endpoint, gsp, update))
        query = endpoint
        if endpoint:
            last = endpoint.rstrip("/").rsplit("/", 1)[-1]
            if last == "query":
                update = update or _sibling(endpoint, "update")
                gsp = gsp or _sibling(endpoint, "store")
            elif last in ("sparql", "sparql-auth"):
                update = update or endpoint
                crud = "sparql-graph-crud" + ("-auth" if last == "sparql-auth" else "")
                gsp = gsp or _sibling(endpoint, crud)
            else:
                update = update or endpoint
        else:
            query = _query_for(update) or _query_for(gsp)
        return cls(query, update, gsp), (found[0] if found else None)


def _clean_url(url: str | None, found: list[Auth]) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"not an http(s) URL: {display_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        if parts.username and parts.password:
            found.append(Auth("auto", user=parts.username, password=Secret(parts.password),
                              source="url"))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def display_url(url: str) -> str:
    """``url`` without userinfo and query string: what messages show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _sibling(url: str, name: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/").rsplit("/", 1)[0] + "/" + name
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _query_for(url: str | None) -> str | None:
    if not url:
        return None
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    mapping = {"update": "query", "store": "query", "sparql": "sparql",
               "sparql-auth": "sparql-auth", "sparql-graph-crud": "sparql",
               "sparql-graph-crud-auth": "sparql-auth"}
    return _sibling(url, mapping[last]) if last in mapping else None


@dataclass(frozen=True)
class Transport:
    """Timeouts (connect, read; seconds), retries with exponential backoff, TLS verification
    (``True``, ``False`` or the path of a CA bundle)."""

    timeout: tuple[float, float] = (10.0, 120.0)
    retries: int = 5
    backoff: float = 0.5
    tls_verify: bool | str = True

    def __post_init__(self) -> None:
        if self.retries < 0 or self.backoff < 0 or min(self.timeout) <= 0:
            raise ConfigError("retries and backoff must be >= 0 and timeouts > 0")


# Caps where this urllib3 has them (2.x): one backoff sleep at most 30 s, and a server's
# Retry-After of hours is not obeyed for longer than a minute.
_RETRY_CAPS: Final[dict[str, Any]] = {
    name: value for name, value in (("backoff_max", 30.0), ("retry_after_max", 60))
    if name in inspect.signature(Retry.__init__).parameters
}


class EndpointClient:
    """The one seam: every request newskg sends to a SPARQL endpoint goes through ``send``.

    One ``requests.Session`` with the credentials, a default timeout on every request, retries
    (see the module docstring for why every method may be retried), TLS verification, and no
    redirects followed (requests turns a redirected PUT/POST into a GET and the data is lost:
    a redirect is reported instead, with where it points).
    """

    def __init__(self, auth: Auth | None = None, transport: Transport | None = None,
                 session: requests.Session | None = None) -> None:
        self.auth = auth or Auth()
        self.transport = transport or Transport()
        self.session = session or requests.Session()
        t = self.transport
        retry = Retry(
            total=t.retries, connect=t.retries, read=t.retries, status=t.retries, other=0,
            redirect=0, allowed_methods=frozenset({"GET", "HEAD", "PUT", "POST", "DELETE"}),
            status_forcelist=RETRY_STATUSES, backoff_factor=t.backoff,
            raise_on_status=False, raise_on_redirect=False, respect_retry_after_header=True,
            **_RETRY_CAPS)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.auth = self.auth.requests_auth()
        self.session.headers["User-Agent"] = f"newskg/{__version__}"
        self.requests_sent = 0
        self.bytes_sent = 0

    def __enter__(self) -> EndpointClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def send(self, method: str, url: str, *, accept: str, graph: str | None = None,
             params: Mapping[str, str] | None = None, body: bytes | None = None,
             content_type: str | None = None) -> requests.Response:
        """Send one request; a network failure becomes an ``EndpointError``. The status is
        not checked here (``check`` does), so callers can react to a 404 or a 400."""
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        what = _what(method, url, graph)
        try:
            # body is bytes, never an iterator: a chunked body is silently dropped by Virtuoso.
            # verify is passed per request: a session-level value loses to REQUESTS_CA_BUNDLE
            # in requests' environment merge, so tls_verify=False or a CA path would be
            # silently ignored wherever that variable is set.
            response = self.session.request(
                method, url, params=params, data=body, headers=headers,
                timeout=self.transport.timeout, allow_redirects=False,
                verify=self.transport.tls_verify)
        except requests.exceptions.SSLError as exc:
            raise EndpointError(f"{what}: TLS failed: {_reason(exc)}", endpoint=display_url(url),
                                graph=graph) from exc
        except requests.exceptions.RequestException as exc:
            # The cause is kept; its text holds the URL (userinfo already removed), never
            # a header.
            raise EndpointError(
                f"{what}: no answer: {_reason(exc)} (after up to {self.transport.retries} "
                f"retries, timeouts {self.transport.timeout[0]:g}/{self.transport.timeout[1]:g} s)",
                endpoint=display_url(url), graph=graph) from exc
        self.requests_sent += 1
        self.bytes_sent += len(body or b"")
        log.debug("%s -> HTTP %d, %d bytes sent, %.3f s", what, response.status_code,
                  len(body or b""), time.perf_counter() - started)
        return response

    def check(self, response: requests.Response, graph: str | None = None) -> None:
        """Raise ``EndpointError`` (``AuthError`` for 401/403) unless the status is 2xx."""
        status = response.status_code
        if 200 <= status < 300:
            return
        request = response.request
        what = _what(request.method or "?", request.url or "?", graph)
        endpoint = display_url(request.url or "")
        if 300 <= status < 400:
            where = display_url(response.headers.get("Location", "?"))
            raise EndpointError(f"{what}: HTTP {status}, redirected to {where}: use that URL",
                                endpoint=endpoint, graph=graph, status=status)
        message = f"{what}: HTTP {status} {response.reason or ''}".rstrip()
        short = _server_message(response)
        if short:
            message += f": {short}"
        if status in (401, 403):
            hint = ("the credentials were rejected" if status == 401 and self.auth.scheme != "none"
                    else "authentication required" if status == 401
                    else "not allowed to write here")
            raise AuthError(f"{message} ({hint})", endpoint=endpoint, graph=graph, status=status)
        raise EndpointError(message, endpoint=endpoint, graph=graph, status=status)

    def query(self, url: str, sparql: str, *, accept: str = _SPARQL_JSON) -> requests.Response:
        """Run a SPARQL query as a form-encoded POST (Virtuoso hangs on
        ``application/sparql-query`` POSTs); the response is checked."""
        response = self.send("POST", url, accept=accept, body=_form("query", sparql),
                             content_type=_FORM)
        self.check(response)
        return response

    def update(self, url: str, sparql: str, *, graph: str | None = None) -> requests.Response:
        """Send a SPARQL Update as a form-encoded POST; the status is not checked."""
        return self.send("POST", url, accept=_ANY_TEXT, graph=graph,
                         body=_form("update", sparql), content_type=_FORM)


def _form(name: str, text: str) -> bytes:
    # Encoded here (UTF-8, percent-escaped) so the body is bytes with a known length.
    return urlencode({name: text}).encode("ascii")


def _what(method: str, url: str, graph: str | None) -> str:
    return f"{method} {display_url(url)}" + (f" (graph <{graph}>)" if graph else "")


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")]+)")
_CERT = re.compile(r"certificate verify failed: ([^'\"()]+)")


def _reason(exc: BaseException) -> str:
    """A short reason from a requests/urllib3 exception chain (which holds no credentials:
    URLs are stripped of userinfo before use, headers are never in these messages)."""
    text = str(exc)
    for pattern in (_CERT, _ERRNO):
        match = pattern.search(text)
        if match:
            return match.group(1).strip()
    if "timed out" in text.lower():
        return "timed out"
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "connection closed by the server"
    return type(exc).__name__


_TAG = re.compile(r"<[^>]*>")
_XMP = re.compile(r"<xmp>(.*?)</xmp>", re.S | re.I)


def _server_message(response: requests.Response, limit: int = 200) -> str:
    """The server's own short explanation: HTML stripped, the echoed query cut off
    (Virtuoso repeats the whole request after a blank line), one line, at most ``limit``."""
    try:
        text = response.text
    except Exception:  # an undecodable body is no reason to lose the status line
        return ""
    if "<" in text and ">" in text:
        xmp = _XMP.search(text)
        text = xmp.group(1) if xmp else _TAG.sub(" ", re.sub(r"(?is)<head.*?</head>", "", text))
    text = text.strip().split("\n\n", 1)[0]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True)
class LoadOptions:
    """What to do: ``protocol`` auto|gsp|update, ``append`` (POST / no DROP), ``chunk_triples``
    per INSERT DATA, ``verify`` (COUNT per graph afterwards), ``dry_run`` (send nothing),
    ``bulk`` (Oxigraph's non-transactional bulk loader, graphs batched into N-Quads POSTs),
    ``parallel`` (graphs, or bulk batches, in flight at once)."""

    protocol: ProtocolName = "auto"
    append: bool = False
    chunk_triples: int = DEFAULT_CHUNK
    verify: bool = True
    dry_run: bool = False
    bulk: bool = False
    parallel: int = DEFAULT_PARALLEL

    def __post_init__(self) -> None:
        if self.protocol not in ("auto", "gsp", "update"):
            raise ConfigError(f"unknown protocol {self.protocol!r} (auto, gsp or update)")
        if not 1 <= self.chunk_triples <= MAX_CHUNK:
            raise ConfigError(f"chunk_triples must be between 1 and {MAX_CHUNK}")
        if not 1 <= self.parallel <= MAX_PARALLEL:
            raise ConfigError(f"parallel must be between 1 and {MAX_PARALLEL}")
        if self.bulk and self.protocol == "update":
            raise ConfigError("bulk applies to the Graph Store protocol, not to update")


@dataclass(frozen=True)
class GraphLoad:
    """One graph written: how, in how many requests and bytes, how long it took. On the bulk
    path a request carries a batch of graphs: it counts for each of them, ``bytes_sent`` is the
    graph's own share and ``seconds`` the batch's."""

    graph: str
    triples: int
    protocol: str
    requests: int
    bytes_sent: int
    seconds: float


@dataclass(frozen=True)
class PlannedRequest:
    """A request a dry run would send, and the graphs it carries (one, or a bulk batch)."""

    method: str
    url: str
    graphs: tuple[str, ...]
    triples: int
    bytes: int
    drop: bool = False  # a DROP of the graphs (the bulk path's first request per batch)

    @property
    def graph(self) -> str:
        return self.graphs[0]

    def __str__(self) -> str:
        what = (f"graph <{self.graph}>" if len(self.graphs) == 1
                else f"{len(self.graphs)} graphs, <{self.graphs[0]}> … <{self.graphs[-1]}>")
        sent = "DROP" if self.drop else f"{self.triples:,} triples"
        return f"{self.method} {self.url} ({what}): {sent}, {self.bytes:,} bytes"


@dataclass(frozen=True)
class LoadReport:
    """The outcome of ``load_to_endpoint``. ``counts`` are the endpoint's own triple counts
    after the load (when verified); ``seconds`` is the load (writing the terms included),
    ``verify_seconds`` the check after it."""

    endpoint: str
    graphs: tuple[GraphLoad, ...] = ()
    seconds: float = 0.0
    verified: bool = False
    verify_seconds: float = 0.0
    counts: Mapping[str, int] = field(default_factory=dict)
    dry_run: bool = False
    planned: tuple[PlannedRequest, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    @property
    def protocols(self) -> tuple[str, ...]:
        return tuple(sorted({g.protocol for g in self.graphs}))

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        """One line for people: graphs, triples, seconds, triples/s (or the dry-run plan)."""
        if self.dry_run:
            size = sum(r.bytes for r in self.planned)
            graphs = len({g for r in self.planned for g in r.graphs})
            triples = sum(r.triples for r in self.planned)
            return (f"dry run: would send {_count(len(self.planned), 'request')} ({size:,} "
                    f"bytes) for {_count(graphs, 'graph')}, {triples:,} triples to "
                    f"{self.endpoint}; nothing was sent")
        check = ", verified" if self.verified else ""
        return (f"loaded {_count(len(self.graphs), 'graph')}, {self.triples:,} triples into "
                f"{self.endpoint} in {self.seconds:.2f} s ({self.triples_per_second:,.0f} "
                f"triples/s, {'/'.join(self.protocols) or '-'}){check}")


def load_to_endpoint(
    dataset: Dataset, *, endpoint: str | None = None, gsp_endpoint: str | None = None,
    update_endpoint: str | None = None, protocol: ProtocolName = "auto", append: bool = False,
    auth: Auth | None = None, timeout: float | tuple[float, float] = (10.0, 120.0),
    retries: int = 5, backoff: float = 0.5, chunk_triples: int = DEFAULT_CHUNK,
    verify: bool = True, dry_run: bool = False, bulk: bool = False,
    parallel: int = DEFAULT_PARALLEL, tls_verify: bool | str = True,
    on_graph: Callable[[GraphLoad], None] | None = None,
) -> LoadReport:
    """Load every named graph of ``dataset`` into a SPARQL 1.1 endpoint and verify the counts.

    ``endpoint`` is the SPARQL (query) endpoint; the update and Graph Store URLs are derived
    from it (see ``Endpoints``) unless given. ``auth=None`` takes credentials from the URL's
    userinfo, else the environment, else ``~/.netrc`` (``resolve_auth``); ``Auth()`` sends
    none. ``parallel`` graphs are written at once, each over its own connection (the first
    graph goes alone: it settles the protocol and meets a wrong password once). ``on_graph``
    is called in the caller's thread after each graph is written (a progress bar hooks in here).

    Raises ``InputError`` before sending anything when the data cannot be written safely,
    ``ConfigError`` for unusable options, ``EndpointError`` (``AuthError`` for 401/403) when a
    request fails, naming the graphs that loaded and those that did not, or when the counts
    after loading differ from what was sent (``mismatched``).
    """
    started = time.perf_counter()  # the report's seconds include writing the terms
    options = LoadOptions(protocol, append, chunk_triples, verify, dry_run, bulk, parallel)
    endpoints, url_auth = Endpoints.derive(endpoint, gsp=gsp_endpoint, update=update_endpoint)
    if options.protocol == "gsp" and not endpoints.gsp:
        raise ConfigError("protocol gsp needs a Graph Store URL: give --gsp-endpoint")
    if options.protocol == "update" and not endpoints.update:
        raise ConfigError("protocol update needs an update endpoint: give --update-endpoint")
    if options.bulk and not endpoints.gsp:
        raise ConfigError("--bulk needs a Graph Store URL: give --gsp-endpoint")
    if options.bulk and not options.append and not endpoints.update:
        raise ConfigError("--bulk replaces graphs with a DROP through the update endpoint: give "
                          "--update-endpoint (or --append)")
    if options.verify and not options.dry_run and not endpoints.query:
        raise ConfigError("cannot verify the load without a query endpoint: give --endpoint "
                          "(the library: endpoint=, or verify=False)")
    graphs = dataset_graphs(dataset)  # every term written (and checked) before any I/O
    loader = _Loader(endpoints, options, graphs)
    if options.dry_run:
        return loader.plan()
    if auth is None:
        auth = url_auth or resolve_auth(endpoints.update or endpoints.gsp or endpoints.query)
    read_timeout = timeout if isinstance(timeout, tuple) else (min(10.0, timeout), timeout)
    transport = Transport(read_timeout, retries, backoff, tls_verify)
    with _Clients(auth, transport) as clients:
        return loader.run(clients, on_graph, started)


class _Clients:
    """One ``EndpointClient`` per thread: a ``requests.Session`` is not safe to share between
    threads, and Digest authentication keeps per-connection state (nonce counts)."""

    def __init__(self, auth: Auth, transport: Transport) -> None:
        self._auth = auth
        self._transport = transport
        self._local = threading.local()
        self._made: list[EndpointClient] = []
        self._lock = threading.Lock()

    def get(self) -> EndpointClient:
        client: EndpointClient | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = EndpointClient(self._auth, self._transport)
            with self._lock:
                self._made.append(client)
        return client

    def __enter__(self) -> _Clients:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for client in self._made:
            client.close()


class _Loader:
    def __init__(self, endpoints: Endpoints, options: LoadOptions,
                 graphs: Sequence[GraphData]) -> None:
        self.endpoints = endpoints
        self.options = options
        self.graphs = graphs
        self.chunk = options.chunk_triples
        self.protocol = ("gsp" if endpoints.gsp and options.protocol != "update" else "update")
        self.notes: list[str] = []
        self.shown = display_url(endpoints.query or endpoints.update or endpoints.gsp or "")

    def _units(self) -> list[tuple[GraphData, ...]]:
        """What one worker writes at a time: a graph, or on the bulk path a batch of graphs of
        about ``BULK_BATCH`` triples."""
        if not self.options.bulk:
            return [(g,) for g in self.graphs]
        units: list[tuple[GraphData, ...]] = []
        batch: list[GraphData] = []
        size = 0
        for g in self.graphs:
            batch.append(g)
            size += g.triples
            if size >= BULK_BATCH:
                units.append(tuple(batch))
                batch, size = [], 0
        if batch:
            units.append(tuple(batch))
        return units

    # -- dry run ------------------------------------------------------------------------------
    def plan(self) -> LoadReport:
        planned: list[PlannedRequest] = []
        for unit in self._units():
            if self.options.bulk:
                assert self.endpoints.gsp
                names = tuple(g.iri for g in unit)
                if not self.options.append:
                    assert self.endpoints.update
                    body = _form("update", _drop_text(names))
                    planned.append(PlannedRequest("POST", display_url(self.endpoints.update), names,
                                                  0, len(body), drop=True))
                planned.append(PlannedRequest(
                    "POST", display_url(self.endpoints.gsp), names, sum(g.triples for g in unit),
                    len(_nquads(unit))))
                continue
            (g,) = unit
            if self.protocol == "gsp":
                assert self.endpoints.gsp
                method = "POST" if self.options.append else "PUT"
                size = sum(len(line.encode("utf-8")) for line in g.lines)
                planned.append(PlannedRequest(method, display_url(self.endpoints.gsp), (g.iri,),
                                              g.triples, size))
            else:
                assert self.endpoints.update
                for lines, drop in self._chunks(g):
                    body = _form("update", self._update_text(g.iri, lines, drop))
                    planned.append(PlannedRequest("POST", display_url(self.endpoints.update),
                                                  (g.iri,), len(lines), len(body)))
        notes: tuple[str, ...] = ()
        if (self.options.protocol == "auto" and self.protocol == "gsp" and self.endpoints.update
                and not self.options.bulk):
            notes = ("auto: SPARQL Update is used instead if the Graph Store answers "
                     "400/404/405/415/501",)
        return LoadReport(self.shown, dry_run=True, planned=tuple(planned), notes=notes)

    # -- load ---------------------------------------------------------------------------------
    def run(self, clients: _Clients, on_graph: Callable[[GraphLoad], None] | None,
            started: float) -> LoadReport:
        units = self._units()
        done: list[GraphLoad] = []

        def record(loads: Sequence[GraphLoad]) -> None:
            for load in loads:
                done.append(load)
                if on_graph is not None:
                    on_graph(load)

        # The first unit goes alone: it settles the protocol ("auto" falls back to Update when
        # there is no Graph Store) and a wrong password or a dead server fails once, not
        # ``parallel`` times at once.
        if units:
            try:
                if self.options.bulk:
                    self._check_bulk_server(clients.get(), units[0][0].iri)
                record(self._load_unit(clients.get(), units[0]))
            except EndpointError as exc:
                raise self._partial(exc, done) from exc
            except KeyboardInterrupt:
                raise self._partial(LoadInterrupted("interrupted"), done) from None
        failure: EndpointError | None = None
        pool = ThreadPoolExecutor(self.options.parallel, thread_name_prefix="newskg-load")
        futures: list[Future[list[GraphLoad]]] = []
        recorded: set[int] = set()
        try:
            futures = [pool.submit(lambda u: self._load_unit(clients.get(), u), unit)
                       for unit in units[1:]]
            for future in as_completed(futures):
                recorded.add(id(future))
                if future.cancelled():
                    continue
                try:
                    loads = future.result()
                except EndpointError as exc:
                    # Stop sending: graphs not started yet stay untouched; the ones in flight
                    # finish (or fail) and are reported as what they are.
                    if failure is None:
                        failure = exc
                        for other in futures:
                            other.cancel()
                    continue
                record(loads)
        except KeyboardInterrupt:
            failure = LoadInterrupted("interrupted")
        finally:
            # Nothing new starts; what is in flight ends before we return (each graph is then
            # either whole or untouched: a PUT is one transaction).
            pool.shutdown(wait=True, cancel_futures=True)
        if failure is not None:
            for future in futures:  # finished while we stopped: they are loaded
                if (id(future) not in recorded and future.done() and not future.cancelled()
                        and future.exception() is None):
                    done.extend(future.result())
            raise self._partial(failure, done) from (
                None if isinstance(failure, LoadInterrupted) else failure)
        done.sort(key=lambda d: d.graph)
        seconds = time.perf_counter() - started
        report = LoadReport(self.shown, tuple(done), seconds, notes=tuple(self.notes))
        if not self.options.verify:
            return report
        return self._verify(clients.get(), report)

    def _load_unit(self, client: EndpointClient, unit: tuple[GraphData, ...]
                   ) -> list[GraphLoad]:
        if self.options.bulk:
            return self._bulk(client, unit)
        return [self._load_graph(client, g) for g in unit]

    def _load_graph(self, client: EndpointClient, g: GraphData) -> GraphLoad:
        started = time.perf_counter()
        before = (client.requests_sent, client.bytes_sent)
        protocol = self.protocol
        if protocol == "gsp" and not self._gsp(client, g):
            protocol = self.protocol = "update"
        if protocol == "update":
            self._update(client, g)
        return GraphLoad(g.iri, g.triples, protocol, client.requests_sent - before[0],
                         client.bytes_sent - before[1], time.perf_counter() - started)

    def _gsp(self, client: EndpointClient, g: GraphData) -> bool:
        """PUT (or POST) the graph; False when there is no Graph Store and auto may fall back."""
        assert self.endpoints.gsp
        body = "".join(g.lines).encode("utf-8")
        method = "POST" if self.options.append else "PUT"
        response = client.send(method, self.endpoints.gsp, accept=_ANY_TEXT, graph=g.iri,
                               params={"graph": g.iri}, body=body, content_type="text/turtle")
        if (response.status_code in NO_GRAPH_STORE and self.options.protocol == "auto"
                and self.endpoints.update):
            note = (f"no Graph Store at {display_url(self.endpoints.gsp)} (HTTP "
                    f"{response.status_code}): using SPARQL Update")
            log.info(note)
            self.notes.append(note)
            return False
        client.check(response, g.iri)
        return True

    def _check_bulk_server(self, client: EndpointClient, graph: str) -> None:
        """Bulk uses Oxigraph's own extensions (a dataset-level N-Quads POST, ``no_transaction``).
        Another Graph Store may take the same POST as "create a new graph" and store the quads
        under a name of its own (Virtuoso does, with 201), so the server must say it is
        Oxigraph before anything is written. A HEAD of one graph reads only headers."""
        assert self.endpoints.gsp
        response = client.send("HEAD", self.endpoints.gsp, accept=_ANY_TEXT, graph=graph,
                               params={"graph": graph})
        if response.status_code in (401, 403):
            client.check(response, graph)
        product = response.headers.get("Server", "")
        if not product.lower().startswith("oxigraph"):
            said = f"says it is {product!r}" if product else "does not say what it is"
            raise EndpointError(
                f"HEAD {display_url(self.endpoints.gsp)}: the server {said}; bulk is for Oxigraph "
                "(it posts N-Quads with no_transaction): load without bulk",
                endpoint=display_url(self.endpoints.gsp), graph=graph)

    def _bulk(self, client: EndpointClient, batch: tuple[GraphData, ...]) -> list[GraphLoad]:
        """A batch of graphs on Oxigraph's bulk path: one DROP of them all (unless appending),
        then one N-Quads POST to the dataset with ``no_transaction``. Not atomic: a failure
        can leave the batch's graphs emptied or half written (the rerun replaces them)."""
        assert self.endpoints.gsp
        started = time.perf_counter()
        before = client.requests_sent
        names = tuple(g.iri for g in batch)
        where = names[0] if len(names) == 1 else None
        if not self.options.append:
            assert self.endpoints.update
            client.check(client.update(self.endpoints.update, _drop_text(names), graph=where),
                         where)
        body = _nquads(batch)
        response = client.send("POST", self.endpoints.gsp, accept=_ANY_TEXT, graph=where,
                               params={"no_transaction": ""}, body=body,
                               content_type="application/n-quads")
        client.check(response, where)
        requests_sent = client.requests_sent - before
        seconds = time.perf_counter() - started
        triples = sum(g.triples for g in batch) or 1
        return [GraphLoad(g.iri, g.triples, "gsp-bulk", requests_sent,
                          len(body) * g.triples // triples, seconds) for g in batch]

    def _chunks(self, g: GraphData) -> Iterator[tuple[Sequence[str], bool]]:
        size = self.chunk
        drop = not self.options.append
        if not g.lines:
            if drop:
                yield (), True
            return
        for start in range(0, len(g.lines), size):
            yield g.lines[start:start + size], drop and start == 0

    def _update_text(self, iri: str, lines: Sequence[str], drop: bool) -> str:
        name = nt_iri(iri)
        parts = [f"DROP SILENT GRAPH {name}"] if drop else []
        if lines:
            parts.append(f"INSERT DATA {{ GRAPH {name} {{\n{''.join(lines)}}} }}")
        return " ;\n".join(parts)

    def _update(self, client: EndpointClient, g: GraphData) -> None:
        assert self.endpoints.update
        url = self.endpoints.update
        pending = list(self._chunks(g))
        pending.reverse()
        while pending:
            lines, drop = pending.pop()
            if len(lines) > self.chunk:  # a smaller size was learned: split before sending
                pending.append((lines[self.chunk:], False))
                pending.append((lines[:self.chunk], drop))
                continue
            response = client.update(url, self._update_text(g.iri, lines, drop), graph=g.iri)
            if response.status_code in (400, 413) and len(lines) > 1:
                # Too big for this server (Virtuoso SP031, a proxy's 413): halve and go on with
                # the smaller size. Nothing of a refused request was applied, and the first
                # half keeps the DROP, so the result is the same set of triples. (Workers
                # share the learned size; a race only delays the lesson by a request.)
                half = len(lines) // 2
                self.chunk = min(self.chunk, half)
                log.info("%s refused %d triples in one request (HTTP %d): splitting",
                         display_url(url), len(lines), response.status_code)
                pending.append((lines[half:], False))
                pending.append((lines[:half], drop))
                continue
            try:
                client.check(response, g.iri)
            except EndpointError as exc:
                if len(lines) != 1 or response.status_code not in (400, 413):
                    raise
                raise EndpointError(f"{exc.message}; the triple refused: {_short(lines[0])}",
                                    endpoint=exc.endpoint, graph=exc.graph,
                                    status=exc.status) from exc

    def _partial(self, exc: EndpointError, done: Sequence[GraphLoad]) -> EndpointError:
        finished = {d.graph for d in done}
        loaded = tuple(sorted(finished))
        not_loaded = tuple(g.iri for g in self.graphs if g.iri not in finished)
        total = len(loaded) + len(not_loaded)
        message = (f"{exc.message}; loaded {len(loaded)} of {total} graphs"
                   + (f" ({_names(loaded)})" if loaded else "")
                   + f"; not loaded: {_names(not_loaded)}"
                   + ("; rerun to complete (each graph is replaced whole)"
                      if not self.options.append else ""))
        return type(exc)(message, endpoint=exc.endpoint, graph=exc.graph, status=exc.status,
                         loaded=loaded, not_loaded=not_loaded)

    # -- verification -------------------------------------------------------------------------
    def _verify(self, client: EndpointClient, report: LoadReport) -> LoadReport:
        assert self.endpoints.query
        started = time.perf_counter()
        counts = count_graphs(client, self.endpoints.query, [g.graph for g in report.graphs])
        differ = {g.graph: (g.triples, counts.get(g.graph, 0)) for g in report.graphs
                  if (counts.get(g.graph, 0) < g.triples if self.options.append
                      else counts.get(g.graph, 0) != g.triples)}
        if differ:
            shown = "; ".join(f"<{iri}> sent {sent:,}, endpoint has {has:,}"
                              for iri, (sent, has) in list(differ.items())[:5])
            more = f"; and {len(differ) - 5} more" if len(differ) > 5 else ""
            raise EndpointError(
                f"verification failed at {display_url(self.endpoints.query)}: {len(differ)} of "
                f"{len(report.graphs)} graphs differ: {shown}{more}",
                endpoint=display_url(self.endpoints.query),
                loaded=tuple(g.graph for g in report.graphs), mismatched=differ)
        return LoadReport(report.endpoint, report.graphs, report.seconds, True,
                          time.perf_counter() - started, counts, notes=report.notes)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _drop_text(graphs: Sequence[str]) -> str:
    return " ;\n".join(f"DROP SILENT GRAPH {nt_iri(g)}" for g in graphs)


def _nquads(batch: Sequence[GraphData]) -> bytes:
    # "<s> <p> o .\n" -> "<s> <p> o <g> .\n": the graph IRI was checked by dataset_graphs.
    return "".join(f"{line[:-3]} <{g.iri}> .\n" for g in batch for line in g.lines
                   ).encode("utf-8")


def _short(text: str, limit: int = 200) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(iris: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(f"<{iri}>" for iri in iris[:limit])
    return shown + (f" and {len(iris) - limit} more" if len(iris) > limit else "")


def count_graphs(client: EndpointClient, query_url: str, graphs: Sequence[str]) -> dict[str, int]:
    """The endpoint's triple count for each graph (0 for an absent graph), with ``COUNT``:
    reading a graph back would be cut at Virtuoso's 10,000-row result cap."""
    counts = dict.fromkeys(graphs, 0)
    for start in range(0, len(graphs), COUNT_BATCH):
        batch = graphs[start:start + COUNT_BATCH]
        values = " ".join(nt_iri(g) for g in batch)
        sparql = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                  f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        response = client.query(query_url, sparql)
        try:
            rows = response.json()["results"]["bindings"]
            for row in rows:
                counts[row["g"]["value"]] = int(row["n"]["value"])
        except (ValueError, KeyError, TypeError) as exc:
            raise EndpointError(
                f"POST {display_url(query_url)}: the count query's answer is not SPARQL JSON "
                f"results ({type(exc).__name__})", endpoint=display_url(query_url)) from exc
    return counts
