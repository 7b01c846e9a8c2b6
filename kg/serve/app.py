"""The ASGI application of ``kg serve`` (Starlette) and the function that runs it (uvicorn).

Routes (``create_app``):

=============================  ===========================================================
``/``                          home: counts, articles, downloads, the query form
``/articles``                  every article
``/sparql``                    SPARQL 1.1 Protocol, queries only (GET, POST form, POST
                               ``application/sparql-query``); a service description without
                               a query
``{base path}…``               Linked Data: each IRI under the base, by content negotiation
``{ontology path}``            the ontology namespace's document: 303 to ``/ontology``
``/ontology``                  the ontology: HTML documentation, or its RDF by negotiation
``/.well-known/void``          VoID / DCAT description of the dataset
``/download/{file}``           ``newskg.ttl``, ``newskg.trig``, ``newskg.nq.gz``
``/download/article/{id}.ttl`` one article's named graph
``/static/…``                  the stylesheet and the form's script
=============================  ===========================================================

Read-only by construction: the data is a snapshot opened with ``Store.read_only``
(``kg.serve.snapshot``), and no route accepts SPARQL Update (403).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jinja2
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.errors import ConfigError, InputError
from kg.iris import DEFAULT_BASE
from kg.mapping import NKG
from kg.query import Query, canned_queries, syntax_error
from kg.serve import negotiation as neg
from kg.serve.data import DataView, serialize
from kg.serve.downloads import Download, Downloads
from kg.serve.ontology_doc import ontology_as, ontology_doc
from kg.serve.pages import Link, Pages, Site, environment
from kg.serve.pool import QueryJob, QueryOutcome, QueryPool
from kg.serve.snapshot import LOCK_WAIT, Snapshot
from kg.serve.void import VOID_PREFIXES, void_triples

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 1 << 20
"""Largest request body (a POSTed query) in bytes."""

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
SECURITY_HEADERS = {
    # Defence in depth beside escaping: no inline script or style runs, nothing is framed.
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
VOID_OFFERS = (*(o for o in neg.RESOURCE_OFFERS if o[1] != "html"), ("text/html", "html"))
"""The VoID document is for programs first: Turtle unless a page is asked for."""


def _default_workers() -> int:
    return max(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServeConfig:
    """Everything ``kg serve`` is told. Limits are per query."""

    store: Path
    base: str = DEFAULT_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    time_limit: float = 10.0
    """Seconds a SPARQL query may run (evaluation and serialization) before it is stopped."""
    max_result_bytes: int = 64 * 1024 * 1024
    """Largest serialized SPARQL result; a bigger one is refused (400), never cut short."""
    workers: int = field(default_factory=_default_workers)
    """SPARQL worker processes: queries evaluated at once."""
    lock_wait: float = LOCK_WAIT
    license: str | None = None
    access_log: bool = True


@dataclass
class State:
    config: ServeConfig
    site: Site
    snapshot: Snapshot
    data: DataView
    pool: QueryPool
    downloads: Downloads
    env: jinja2.Environment
    workdir: Path


# ---------------------------------------------------------------------------------------------
# Responses


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def _not_modified(request: Request, etag: str | None, modified: datetime) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None and etag is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        with contextlib.suppress(TypeError, ValueError):
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    return False


def _cache_headers(etag: str | None, modified: datetime) -> dict[str, str]:
    headers = {"Last-Modified": _http_date(modified)}
    if etag:
        headers["ETag"] = etag
    return headers


def _prefers_html(request: Request) -> bool:
    ranked = neg.rank(request.headers.get("accept"), (("text/plain", "text"),
                                                      ("text/html", "html")))
    return bool(ranked) and ranked[0] == "html"


class Renderer:
    def __init__(self, state: State) -> None:
        self.state = state

    def html(self, request: Request, template: str, status: int = 200,
             headers: Mapping[str, str] | None = None, **context: Any) -> Response:
        site = self.state.site
        body = self.state.env.get_template(template).render(
            root=request.scope.get("root_path", ""), site=site, Link=Link, **context)
        return Response(body, status, media_type="text/html; charset=utf-8",
                        headers={**SECURITY_HEADERS, **(headers or {})})

    def error(self, request: Request, status: int, message: str,
              headers: Mapping[str, str] | None = None) -> Response:
        if _prefers_html(request):
            return self.html(request, "error.html", status, headers, code=status,
                             message=message, title=f"{status}")
        return PlainTextResponse(message + "\n", status, headers=dict(headers or {}))


# ---------------------------------------------------------------------------------------------
# The application


def create_app(config: ServeConfig, snapshot: Snapshot | None = None, *,
               on_ready: Callable[[Snapshot], None] | None = None) -> Starlette:
    """The app. Its lifespan starts the SPARQL workers and counts the data; it takes the
    snapshot itself unless given one (``serve`` takes it first, so a store that cannot be
    opened is an error before anything listens). ``on_ready`` is called once it serves."""
    holder: dict[str, State] = {}

    def state() -> State:
        return holder["state"]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        snap: Snapshot
        if snapshot is not None:
            snap = snapshot
        else:
            snap = await asyncio.to_thread(Snapshot.take, config.store,
                                           lock_wait=config.lock_wait)
        workdir = snap.workdir or Path(tempfile.mkdtemp(prefix="kg-serve-"))
        pool = QueryPool(snap.path, size=config.workers, time_limit=config.time_limit,
                         max_bytes=config.max_result_bytes)
        try:
            data = DataView(snap.store, config.base, merged=snap.merged)
            await asyncio.to_thread(lambda: data.overview)  # counted once, before serving
            await pool.start()
            holder["state"] = State(
                config, Site(config.base), snap, data, pool,
                Downloads(snap.store, workdir, snap.taken, merged=snap.merged), environment(),
                workdir)
            if on_ready is not None:
                on_ready(snap)
            yield
        finally:
            await pool.close()
            if snap.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)
            # Here and not (only) in serve(): after a graceful shutdown on SIGTERM, uvicorn
            # re-raises the signal, whose default action ends the process before any
            # `finally` of the caller runs. close() is idempotent.
            snap.close()

    site = Site(config.base)

    def negotiate(request: Request, offers: tuple[neg.Offer, ...], what: str,
                  vary: dict[str, str]) -> str | Response:
        """The format to answer in (by Accept and ?format=), or the error to answer with:
        400 for a malformed request, 406 when nothing offered is acceptable."""
        try:
            formats = neg.choose(request.headers.get("accept"),
                                 request.query_params.get("format"), offers, what=what)
        except InputError as exc:
            return render(request).error(request, 400, str(exc), vary)
        return formats[0] if formats else _not_acceptable(request, offers, vary)

    def render(request: Request) -> Renderer:
        return Renderer(state())

    async def home(request: Request) -> Response:
        overview = state().data.overview
        return render(request).html(
            request, "home.html", title="newskg", overview=overview,
            articles=overview.articles[:100], more=max(0, len(overview.articles) - 100),
            counts=_counts(overview), canned=_canned(), downloads=DOWNLOAD_LINKS,
            default_query=_canned()[0]["text"] if _canned() else "")

    async def articles(request: Request) -> Response:
        overview = state().data.overview
        return render(request).html(request, "articles.html", title="Articles",
                                    articles=overview.articles, more=0)

    async def resource(request: Request) -> Response:
        st = state()
        raw = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
        root = request.scope.get("root_path", "")
        raw = raw[len(root):] if root and raw.startswith(root) else raw
        iri = next((i for i in st.site.iris_for_path(raw) if st.data.exists(i)), None)
        vary = {"Vary": "Accept"}
        if iri is None:
            return render(request).error(request, 404, "Nothing is known about "
                                         f"{st.site.iris_for_path(raw)[0]}", vary)
        fmt = negotiate(request, neg.RESOURCE_OFFERS, "a resource", vary)
        if isinstance(fmt, Response):
            return fmt
        headers = {**vary, "Link": f'<{iri}>; rel="canonical"',
                   "Last-Modified": _http_date(st.snapshot.taken)}
        if fmt == "html":
            kind, context = await asyncio.to_thread(Pages(st.data, st.site).page, iri)
            return render(request).html(request, f"{kind}.html", headers=headers, **context)
        body = await asyncio.to_thread(lambda: serialize(st.data.describe(iri),
                                                         RDF_FORMATS[fmt]))
        return Response(body, media_type=neg.MEDIA_TYPES[fmt], headers=headers)

    async def ontology_redirect(request: Request) -> Response:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/ontology", 303)

    async def ontology(request: Request) -> Response:
        vary = {"Vary": "Accept"}
        fmt = negotiate(request, neg.RESOURCE_OFFERS, "the ontology", vary)
        if isinstance(fmt, Response):
            return fmt
        doc = ontology_doc()
        if fmt == "html":
            return render(request).html(request, "ontology.html", headers=vary,
                                        title=doc.label or "Ontology", doc=doc)
        body = doc.turtle if fmt == "turtle" else await asyncio.to_thread(
            ontology_as, RDF_FORMATS[fmt])
        return Response(body, media_type=neg.MEDIA_TYPES[fmt], headers=vary)

    async def void(request: Request) -> Response:
        st = state()
        vary = {"Vary": "Accept"}
        fmt = negotiate(request, VOID_OFFERS, "the VoID description", vary)
        if isinstance(fmt, Response):
            return fmt
        server = str(request.base_url).rstrip("/")
        triples = void_triples(st.data.overview, server=server, base=st.config.base,
                               license_iri=st.config.license, modified=st.snapshot.taken)
        headers = {**vary, **_cache_headers(None, st.snapshot.taken)}
        if fmt == "html":
            turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=VOID_PREFIXES)
            return render(request).html(request, "void.html", headers=headers,
                                        title="Dataset description (VoID)",
                                        turtle=(turtle or b"").decode("utf-8"))
        body = ox.serialize(triples, format=RDF_FORMATS[fmt],
                            prefixes=VOID_PREFIXES) or b""
        return Response(body, media_type=neg.MEDIA_TYPES[fmt], headers=headers)

    async def download(request: Request) -> Response:
        st = state()
        name = request.path_params["name"]
        made = await asyncio.to_thread(st.downloads.dump, name)
        if made is None:
            return render(request).error(request, 404, f"No download named {name}")
        return _send_download(request, made)

    async def download_article(request: Request) -> Response:
        st = state()
        article_id = request.path_params["article"]
        made = await asyncio.to_thread(st.downloads.article_graph,
                                       f"{st.config.base}graph/{article_id}",
                                       f"{article_id}.ttl")
        if made is None:
            return render(request).error(request, 404, f"No article graph {article_id}")
        return _send_download(request, made)

    async def sparql(request: Request) -> Response:
        return await _sparql(request, state(), render(request))

    routes = [
        Route("/", home),
        Route("/articles", articles),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/ontology", ontology),
        Route("/.well-known/void", void),
        Route("/download/article/{article}.ttl", download_article),
        Route("/download/{name}", download),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route(site.ontology_doc_path, ontology_redirect),
        Route(site.ontology_doc_path + "/{rest:path}", ontology_redirect),
        Route(site.base_path.rstrip("/") + "/{rest:path}", resource),
    ]
    return Starlette(routes=routes, lifespan=lifespan, max_body_size=MAX_BODY)


def _send_download(request: Request, made: Download) -> Response:
    headers = {**_cache_headers(made.etag, made.last_modified),
               "Content-Disposition": f'attachment; filename="{made.name}"'}
    if _not_modified(request, made.etag, made.last_modified):
        return Response(status_code=304, headers=headers)
    if made.data is not None:
        return Response(made.data, media_type=made.media_type, headers=headers)
    assert made.path is not None
    response = FileResponse(made.path, media_type=made.media_type, headers=headers)
    # FileResponse computes its own ETag from the file's mtime; ours is the content's hash.
    response.headers["etag"] = made.etag
    return response


def _not_acceptable(request: Request, offers: tuple[neg.Offer, ...],
                    headers: Mapping[str, str]) -> Response:
    types = ", ".join(dict.fromkeys(m for m, _ in offers))
    return PlainTextResponse(f"None of the accepted media types can be served; available: "
                             f"{types}\n", 406, headers=dict(headers))


def _counts(overview: Any) -> list[tuple[str, int]]:
    return [("triples", overview.triples), ("article graphs", overview.graphs),
            ("articles", overview.count(NKG.Article)),
            ("organizations", overview.count(NKG.Organization)),
            ("people", overview.count(NKG.Person)), ("places", overview.count(NKG.Place)),
            ("topics", overview.count(NKG.Topic)),
            ("announcements", overview.count(NKG.Announcement)),
            ("statements", overview.count(NKG.Statement)),
            ("roles", overview.count(NKG.Role)),
            ("evidence spans", overview.count(NKG.Evidence))]


def _canned() -> list[dict[str, str]]:
    return [{"name": q.name, "description": q.description,
             "text": q.path.read_text(encoding="utf-8")} for q in canned_queries().values()]


DOWNLOAD_LINKS = (("newskg.ttl", "the whole graph, Turtle"),
                  ("newskg.trig", "every article's named graph, TriG"),
                  ("newskg.nq.gz", "every article's named graph, N-Quads, gzipped"))


# ---------------------------------------------------------------------------------------------
# SPARQL 1.1 Protocol


async def _sparql(request: Request, st: State, render: Renderer) -> Response:
    params: list[tuple[str, str]] = list(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if content_type == "application/x-www-form-urlencoded":
            try:
                params += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                return render.error(request, 400, "the form is not UTF-8")
        elif content_type == "application/sparql-query":
            try:
                query = body.decode("utf-8")
            except UnicodeDecodeError:
                return render.error(request, 400, "the query is not UTF-8")
        elif content_type == "application/sparql-update":
            return _read_only(render, request)
        else:
            return render.error(request, 415, "POST a query as application/sparql-query or as "
                                "the form field query (application/x-www-form-urlencoded)")
    names = [name for name, _ in params]
    if "update" in names or "using-graph-uri" in names:
        return _read_only(render, request)
    queries = [value for name, value in params if name == "query"]
    if query is not None:
        queries.append(query)
    if len(queries) > 1:
        return render.error(request, 400, "give one query (the request has "
                            f"{len(queries)})")
    if not queries:
        if request.method == "POST":
            return render.error(request, 400, "no query: send the form field query, or the "
                                "query as application/sparql-query")
        return _service_description(request, st, render)
    text = queries[0]
    fmt = next((value for name, value in params if name == "format"), None)
    accept = request.headers.get("accept")
    select_formats = _formats(accept, fmt, neg.RESULT_OFFERS)
    graph_formats = _formats(accept, fmt, neg.GRAPH_OFFERS)
    if fmt and not select_formats and not graph_formats:
        return render.error(request, 400, f"format={fmt!r} is not a result format (choose "
                            "json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml or html)")
    job = QueryJob(text, tuple(select_formats), tuple(graph_formats),
                   default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
                   named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
                   union=not st.snapshot.merged)
    outcome = await st.pool.run(job)
    timing = {"Server-Timing": f"query;dur={outcome.seconds * 1000:.1f}"}
    if outcome.status == 200:
        if outcome.format == "html":
            return _results_page(request, render, text, outcome, timing)
        return Response(outcome.body, media_type=outcome.media_type,
                        headers={**timing, "Vary": "Accept"})
    return _query_error(request, render, st, job, fmt, outcome, timing)


def _formats(accept: str | None, fmt: str | None, offers: tuple[neg.Offer, ...]) -> list[str]:
    try:
        return neg.choose(accept, fmt, offers, what="this query")
    except InputError:
        return []


def _read_only(render: Renderer, request: Request) -> Response:
    return render.error(request, 403, "this endpoint is read-only: SPARQL Update is not "
                        "accepted (load data with kg load, then restart kg serve)")


def _query_error(request: Request, render: Renderer, st: State, job: QueryJob,
                 fmt: str | None, outcome: QueryOutcome, timing: dict[str, str]) -> Response:
    kind = outcome.kind
    if kind == "syntax":
        error = syntax_error(Query(job.query, "query"), outcome.error)
        loc = error.location
        where = (f" (line {loc.line}, column {loc.column})"
                 if loc is not None and loc.line is not None else "")
        return render.error(request, 400, f"{error.message}{where}", timing)
    if kind == "format":
        what = "a graph (CONSTRUCT/DESCRIBE)" if outcome.form == "graph" else (
            "a SELECT/ASK result")
        offers = neg.GRAPH_OFFERS if outcome.form == "graph" else neg.RESULT_OFFERS
        if fmt:
            return render.error(request, 400, f"format={fmt!r} cannot express {what}", timing)
        return _not_acceptable(request, offers, {**timing, "Vary": "Accept"})
    if kind == "size":
        limit = st.config.max_result_bytes
        return render.error(request, 400, (
            f"the result is larger than this server's limit of {limit:,} bytes "
            "(kg serve --max-result-bytes): ask for less, e.g. add LIMIT"), timing)
    if kind == "timeout":
        return render.error(request, 503, (
            f"{outcome.error} (kg serve --time-limit): make the query more selective or add "
            "LIMIT"), timing)
    if kind == "busy":
        return render.error(request, 503, outcome.error, {**timing, "Retry-After": "1"})
    return render.error(request, outcome.status, outcome.error or "the query failed", timing)


def _results_page(request: Request, render: Renderer, text: str, outcome: QueryOutcome,
                  timing: dict[str, str]) -> Response:
    site = render.state.site
    variables: list[str] = []
    rows: list[list[Any]] = []
    boolean: bool | None = None
    if outcome.form == "graph":
        variables = ["subject", "predicate", "object"]
        for quad in ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES):
            rows.append([_cell(site, t) for t in (quad.subject, quad.predicate, quad.object)])
    else:
        doc = json.loads(outcome.body)
        if "boolean" in doc:
            boolean = bool(doc["boolean"])
        else:
            variables = list(doc["head"]["vars"])
            for binding in doc["results"]["bindings"]:
                rows.append([_json_cell(site, binding.get(v)) for v in variables])
    return render.html(request, "results.html", headers={**timing, "Vary": "Accept"},
                       title="Query results", query=text, variables=variables, rows=rows,
                       boolean=boolean, seconds=outcome.seconds)


def _cell(site: Site, term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return site.link(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _json_cell(site: Site, value: dict[str, Any] | None) -> Any:
    if value is None:
        return ""
    if value.get("type") == "uri":
        return site.link(str(value["value"]))
    if value.get("type") == "bnode":
        return f"_:{value['value']}"
    if value.get("type") == "triple":
        return json.dumps(value["value"])
    return str(value.get("value", ""))


def _service_description(request: Request, st: State, render: Renderer) -> Response:
    if _prefers_html(request):
        return render.html(request, "sparql.html", headers={"Vary": "Accept"},
                           title="SPARQL endpoint", canned=_canned(),
                           default_query=_canned()[0]["text"] if _canned() else "")
    endpoint = str(request.url.replace(query=""))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = "http://www.w3.org/ns/formats/"
    lines = [f"@prefix sd: <{sd}> .", f"@prefix formats: <{formats}> .", "",
             f"<{endpoint}> a sd:Service ;", f"  sd:endpoint <{endpoint}> ;",
             "  sd:supportedLanguage sd:SPARQL11Query ;",
             "  sd:feature sd:UnionDefaultGraph ;",
             "  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, "
             "formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle, "
             "formats:N-Triples, formats:JSON-LD, formats:RDF_XML ."]
    return Response("\n".join(lines) + "\n", media_type="text/turtle; charset=utf-8",
                    headers={"Vary": "Accept"})


# ---------------------------------------------------------------------------------------------
# Running


def serve(config: ServeConfig, *, on_ready: Callable[[str, Snapshot], None] | None = None
          ) -> None:
    """Run the server until interrupted. ``on_ready(url, snapshot)`` is called once it answers
    (the URL has the real port when ``config.port`` is 0).

    The snapshot is taken and the socket bound before uvicorn starts, so that a busy or
    missing store and a port in use are ``KgError``s here rather than uvicorn's exit. uvicorn
    writes its own log lines (its loggers, never the root logger)."""
    import uvicorn

    check_config(config)
    snapshot = Snapshot.take(config.store, lock_wait=config.lock_wait)
    try:
        sock = bind(config.host, config.port)
        host, port = sock.getsockname()[:2]
        url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
        app = create_app(config, snapshot,
                         on_ready=None if on_ready is None else lambda snap: on_ready(url, snap))
        uv_config = uvicorn.Config(app, access_log=config.access_log, lifespan="on",
                                   log_level="info", server_header=False)
        with sock:
            uvicorn.Server(uv_config).run(sockets=[sock])
    finally:
        snapshot.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ConfigError(f"--host {host!r}: cannot resolve it ({exc.strerror})") from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(512)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def check_config(config: ServeConfig) -> None:
    """Limits that make no sense, as ``InputError``s, before anything starts."""
    if config.time_limit <= 0:
        raise InputError(f"--time-limit {config.time_limit:g}: give seconds above 0")
    if config.max_result_bytes < 1024:
        raise InputError("--max-result-bytes must be at least 1024")
    if config.workers < 1:
        raise InputError("--workers must be at least 1")
    if config.lock_wait < 0:
        raise InputError("--lock-wait must be 0 or more seconds")
