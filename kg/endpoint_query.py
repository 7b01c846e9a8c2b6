"""endpoint_query: SPARQL queries on a remote SPARQL 1.1 endpoint, as a ``kg.query.SparqlEngine``.

Specifications:

- SPARQL 1.1 Protocol, query operation   https://www.w3.org/TR/sparql11-protocol/#query-operation
- SPARQL 1.1 Query Results JSON          https://www.w3.org/TR/sparql11-results-json/
- N-Triples                               https://www.w3.org/TR/rdf12-n-triples/

``EndpointEngine.run`` sends ``Query.sparql()`` (the query and its ``--bind`` VALUES clause: the
same text the embedded store runs) through ``kg.remote.EndpointClient``, the one network seam
(timeouts, retries with backoff, credentials, TLS verification), and reads the answer back into
``SelectResult`` / ``AskResult`` / ``GraphResult``, so the same formatters print it.

- **Always a form-encoded POST** (``query=…``), never ``Content-Type: application/sparql-query``
  (Virtuoso 7 hangs on it), and **always an Accept header** chosen by the query form: SPARQL
  JSON results for SELECT and ASK, N-Triples (Turtle as second choice) for CONSTRUCT and
  DESCRIBE. The form is read from the text (the first keyword after the PREFIX/BASE prologue):
  Virtuoso answers a CONSTRUCT asked for JSON results with ``?s ?p ?o`` bindings, Oxigraph
  with 406, so one Accept for every form would not do. The answer is parsed by its
  Content-Type with pyoxigraph's parsers (they read Virtuoso's ``"typed-literal"`` too).
- **Queries only.** Text whose form is not SELECT, ASK, CONSTRUCT or DESCRIBE is refused
  before sending: Virtuoso runs a SPARQL Update sent as ``query=`` (``INSERT DATA`` on
  ``/sparql`` writes), and ``kg query`` must not change a store (the embedded one refuses
  updates too).
- **The union of the named graphs is the default graph**, as on the embedded store. Oxigraph's
  server takes a ``union-default-graph`` request parameter (read by its ``/query`` handler next
  to ``default-graph-uri``; ``oxigraph serve --union-default-graph`` makes it the default);
  Virtuoso's default dataset is already the union of all graphs (its own system graphs
  included; the canned queries never match those). The parameter is sent when the URL is
  Oxigraph's (``…/query``), or once the answer's ``Server`` header says Oxigraph (the query is
  then sent again with it). Servers that do not know it ignore it.
- **``--bind`` on Virtuoso.** Virtuoso 7.2 silently ignores a trailing VALUES clause when the
  WHERE clause holds a BIND, also one nested in a GRAPH group (the canned ``entity`` query: all
  17 rows instead of the bound entity's 5). For Virtuoso (a ``/sparql`` URL, or a
  ``Server: Virtuoso`` answer: the query is then sent again) the VALUES block goes first inside
  the WHERE group instead (``Query.sparql(values="group")``), which gives the same solutions
  for the variables ``--bind`` binds; every other server gets the same text as the embedded
  store.
- **A malformed query** (HTTP 400) is an ``InputError`` with the server's own message; an
  Oxigraph message (``error at LINE:COLUMN: …``) is located like the embedded store's.
- **Virtuoso's row cap.** Virtuoso cuts results at ``ResultSetMaxRows`` (10,000 by default)
  without saying so: a SELECT at exactly 10,000 rows, a CONSTRUCT at 10,001 triples (measured
  on 7.2.5: a 12,100- or 20,000-triple result comes back as 10,001). A SELECT result of exactly
  ``row_cap`` rows, or a graph of ``row_cap`` or ``row_cap + 1`` triples, from a server that is
  not Oxigraph carries a note (``SelectResult.notes`` / ``GraphResult.notes``) that it may be
  cut; the CLI prints it on stderr.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import TracebackType
from typing import Final, Literal
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import requests

from kg.errors import EndpointError, InputError, Location
from kg.query import (
    AskResult,
    GraphResult,
    Query,
    QueryResult,
    SelectResult,
    ValuesPlacement,
    query_form,
    results_from_oxigraph,
    syntax_error,
)
from kg.remote import Auth, EndpointClient, Endpoints, Transport, display_url, resolve_auth

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
_FORMS: Final[dict[str, QueryForm]] = {
    "SELECT": "SELECT", "ASK": "ASK", "CONSTRUCT": "CONSTRUCT", "DESCRIBE": "DESCRIBE"}

SPARQL_JSON: Final = "application/sparql-results+json"
RDF_ACCEPT: Final = "application/n-triples, text/turtle;q=0.9"
ACCEPT: Final[dict[str, str]] = {"SELECT": SPARQL_JSON, "ASK": SPARQL_JSON,
                                 "CONSTRUCT": RDF_ACCEPT, "DESCRIBE": RDF_ACCEPT}
FORM: Final = "application/x-www-form-urlencoded"
UNION_PARAMETER: Final = "union-default-graph"
VIRTUOSO_ROW_CAP: Final = 10_000
"""Virtuoso's default ``ResultSetMaxRows``: results longer than this are cut silently."""

_UPDATE = re.compile(
    r"(?i:(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH))(?![A-Za-z0-9_])")


def checked_form(query: Query) -> QueryForm:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (``kg.query.query_form``).

    Raises ``InputError`` located at the first keyword for an update or anything else.
    """
    form, start = query_form(query.text)
    if form is not None:
        return _FORMS[form]
    text = query.text
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    where = Location(query.origin, line, column)
    update = _UPDATE.match(text, start)
    if update:
        raise InputError(f"{update.group(1).upper()} is a SPARQL Update: kg query runs queries "
                         "only (SELECT, ASK, CONSTRUCT, DESCRIBE) and never changes a store",
                         where)
    word = text[start:start + 20].split(maxsplit=1)
    shown = f"{word[0]!r}" if word else "the end of the query"
    raise InputError(f"malformed query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after the "
                     f"PREFIX and BASE declarations, found {shown}", where)


class EndpointEngine:
    """A SPARQL 1.1 query endpoint as a ``SparqlEngine``. Use it as a context manager (it
    holds an HTTP session).

    ``auth=None`` takes credentials from the URL's userinfo, else the environment, else
    ``~/.netrc`` (``kg.remote.resolve_auth``); ``Auth()`` sends none. ``union_parameter``:
    ``None`` sends Oxigraph's ``union-default-graph`` where the server is Oxigraph (see the
    module docstring), ``True``/``False`` always/never. ``row_cap``: a result of exactly this
    many rows from a server other than Oxigraph gets a note that it may be cut.
    """

    def __init__(self, endpoint: str, *, auth: Auth | None = None,
                 timeout: float | tuple[float, float] = (10.0, 120.0), retries: int = 3,
                 backoff: float = 0.5, tls_verify: bool | str = True,
                 union_parameter: bool | None = None, row_cap: int = VIRTUOSO_ROW_CAP,
                 session: requests.Session | None = None) -> None:
        endpoints, url_auth = Endpoints.derive(endpoint)
        assert endpoints.query is not None
        self.url = endpoints.query
        self.name = display_url(self.url)
        if auth is None:
            auth = url_auth or resolve_auth(self.url)
        read = timeout if isinstance(timeout, tuple) else (min(10.0, timeout), timeout)
        self._client: EndpointClient | None = EndpointClient(
            auth, Transport(read, retries, backoff, tls_verify), session)
        # First guesses from the URL (Oxigraph's /query, Virtuoso's /sparql), corrected by the
        # first answer's Server header (see run).
        last = urlsplit(self.url).path.rstrip("/").rsplit("/", 1)[-1]
        self._union = (last == "query") if union_parameter is None else union_parameter
        self._union_fixed = union_parameter is not None
        self._values: ValuesPlacement = "group" if last in ("sparql", "sparql-auth") else "end"
        self.row_cap = row_cap
        self.server: str | None = None
        """The ``Server`` header of the last answer (``Oxigraph/0.5.13``, ``Virtuoso/07.20…``)."""

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> EndpointEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def is_oxigraph(self) -> bool:
        return (self.server or "").lower().startswith("oxigraph")

    @property
    def is_virtuoso(self) -> bool:
        return (self.server or "").lower().startswith("virtuoso")

    def run(self, query: Query) -> QueryResult:
        if self._client is None:
            raise EndpointError(f"{self.name}: the engine is closed", endpoint=self.name)
        form = checked_form(query)
        response = self._send(self._client, query, form)
        if self._learn(query):  # the server is not what the URL suggested: ask again
            response = self._send(self._client, query, form)
        result = self._read(response, form)
        return self._noted(result)

    def _learn(self, query: Query) -> bool:
        """Adapt to the server the answer names; True when the query must be sent again."""
        again = False
        if not self._union and not self._union_fixed and self.is_oxigraph:
            self._union = again = True  # Oxigraph at another URL (behind a proxy)
        if self._values == "end" and self.is_virtuoso:
            self._values = "group"
            again = again or bool(query.bindings)
        return again

    def _send(self, client: EndpointClient, query: Query, form: QueryForm) -> requests.Response:
        fields = [("query", query.sparql(values=self._values))]
        if self._union:
            fields.append((UNION_PARAMETER, ""))
        response = client.send("POST", self.url, accept=ACCEPT[form], content_type=FORM,
                               body=urlencode(fields).encode("ascii"))
        self.server = (response.headers.get("Server") or "").strip() or None
        if response.status_code == 400:
            raise _malformed(query, response)
        client.check(response)
        return response

    def _read(self, response: requests.Response, form: QueryForm) -> QueryResult:
        media = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        what = f"POST {self.name}: the answer to a {form} query"
        try:
            if form in ("SELECT", "ASK"):
                results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
                if results_format is None:
                    raise EndpointError(f"{what} is {media or 'untyped'}, not SPARQL results",
                                        endpoint=self.name)
                raw = ox.parse_query_results(response.content, format=results_format)
                result = results_from_oxigraph(raw)
            else:
                rdf_format = ox.RdfFormat.from_media_type(media) if media else None
                if rdf_format is None:
                    raise EndpointError(f"{what} is {media or 'untyped'}, not RDF",
                                        endpoint=self.name)
                quads = ox.parse(response.content, format=rdf_format)
                result = GraphResult(tuple(quad.triple for quad in quads))
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{what} does not parse as {media}: {_first_line(str(exc))}",
                                endpoint=self.name) from exc
        expected = AskResult if form == "ASK" else SelectResult if form == "SELECT" else None
        if expected is not None and not isinstance(result, expected):
            raise EndpointError(f"{what} is not a {form} result", endpoint=self.name)
        return result

    def _noted(self, result: QueryResult) -> QueryResult:
        if self.is_oxigraph or isinstance(result, AskResult):
            return result
        if isinstance(result, SelectResult):
            size, unit, hit = len(result.rows), "rows", len(result.rows) == self.row_cap
        else:  # Virtuoso 7.2 cuts a CONSTRUCT at cap + 1 triples (measured)
            size, unit = len(result.triples), "triples"
            hit = size in (self.row_cap, self.row_cap + 1)
        if not hit:
            return result
        note = (f"the result has {size:,} {unit}: at Virtuoso's default result cap of "
                f"{self.row_cap:,} (ResultSetMaxRows), which cuts results without saying so; "
                f"{self.name} ({self.server or 'server unknown'}) may have cut it: narrow the "
                "query, or page through it with ORDER BY, LIMIT and OFFSET below the cap")
        if isinstance(result, SelectResult):
            return SelectResult(result.variables, result.rows, notes=(*result.notes, note))
        return GraphResult(result.triples, notes=(*result.notes, note))


def _malformed(query: Query, response: requests.Response) -> InputError:
    """The server's message for a query it refused (400), located where the server says."""
    text = _server_text(response)
    if text.startswith("error at "):  # Oxigraph's parser: "error at LINE:COLUMN: …"
        return syntax_error(query, text)
    return InputError(f"malformed query (HTTP 400 from {display_url(response.url or '')}): "
                      f"{text or response.reason}", Location(query.origin))


_TAG = re.compile(r"<[^>]*>")


def _server_text(response: requests.Response, limit: int = 1000) -> str:
    """The server's explanation: HTML tags removed, the echoed query after the first blank line
    dropped (Virtuoso repeats the query there), at most ``limit`` characters."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        return ""
    if "<html" in text[:200].lower():
        text = _TAG.sub(" ", re.sub(r"(?is)<head.*?</head>", "", text))
    text = text.strip().split("\n\n", 1)[0].strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_line(text: str) -> str:
    lines: Sequence[str] = text.strip().splitlines() or [""]
    return lines[0]

