"""kg.remote against real servers on 127.0.0.1: Oxigraph (PyPI) and Virtuoso 7 (Debian).

No mocks: every request reaches a real store. A few tests put tests/servers.py's ``HttpFront``
in front of a real Oxigraph to add what Oxigraph lacks (Basic/Bearer authentication, TLS, an
injected 429/503) and to see the requests as they cross the wire. Each test uses graph IRIs of
its own (a fresh base IRI), so tests share a server per xdist worker without seeing each other.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import AuthError, ConfigError, EndpointError, InputError, LoadInterrupted
from kg.facts import FactSheet
from kg.mapping import map_many
from kg.remote import (
    DEFAULT_CHUNK,
    Auth,
    Endpoints,
    GraphLoad,
    Secret,
    load_to_endpoint,
    nt_line,
    nt_term,
    resolve_auth,
)
from tests.conftest import BUILD_TIME
from tests.servers import (
    LOOPBACK,
    FrontConfig,
    HttpFront,
    OxigraphServer,
    Server,
    VirtuosoServer,
    free_port,
    require,
    self_signed_cert,
)

SERVERS = ["oxigraph", "virtuoso"]
# Not rdflib's XSD namespace object: pytest probes module globals, and rdflib warns on the probe.
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
FAST: dict[str, Any] = {"retries": 1, "backoff": 0.05}  # tests that expect a failure


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> Server:
    """Each test runs against both servers (one instance of each per xdist worker)."""
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


@pytest.fixture
def base() -> str:
    """A base IRI of the test's own: its graphs are not any other test's."""
    return f"https://test.newskg.example/{uuid.uuid4().hex[:12]}/"


def build(sheet: FactSheet, base: str, ids: tuple[str, ...] = ()) -> Dataset:
    """The bundled article, or copies of it under other article ids (one graph each)."""
    sheets = [replace(sheet, article=replace(sheet.article, id=i)) for i in ids] or [sheet]
    return map_many(sheets, base=base, generated_at=BUILD_TIME)


def synthetic(base: str, triples: int, name: str = "synthetic") -> Dataset:
    """One named graph of ``triples`` varied triples (IRIs, strings, tagged and typed)."""
    ds = Dataset()
    graph = ds.graph(URIRef(f"{base}graph/{name}"))
    for i in range(triples):
        s = URIRef(f"{base}thing/{i // 4}")
        kind = i % 4
        if kind == 0:
            graph.add((s, URIRef(f"{base}p/label"), Literal(f"thing number {i}")))
        elif kind == 1:
            graph.add((s, URIRef(f"{base}p/n"), Literal(i)))
        elif kind == 2:
            graph.add((s, URIRef(f"{base}p/note"), Literal(f"note {i}", lang="en")))
        else:
            graph.add((s, URIRef(f"{base}p/next"), URIRef(f"{base}thing/{i + 1}")))
    return ds


def local_counts(ds: Dataset) -> dict[str, int]:
    return {str(g.identifier): len(g) for g in ds.graphs()
            if g.identifier != DATASET_DEFAULT_GRAPH_ID}


# Independent checks: plain requests, not kg.remote, so the loader does not grade itself.

def select(server: Server, query: str) -> list[dict[str, Any]]:
    response = requests.post(server.query_url, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"},
                             auth=server.query_auth(), timeout=30)
    response.raise_for_status()
    return response.json()["results"]["bindings"]  # type: ignore[no-any-return]


def count(server: Server, graph: str) -> int:
    rows = select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def graph_names(server: Server) -> set[str]:
    rows = select(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"]["value"] for row in rows}


def _term(binding: dict[str, str]) -> URIRef | Literal:
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    datatype = binding.get("datatype")
    if datatype == XSD_STRING:
        datatype = None
    return Literal(binding["value"], lang=binding.get("xml:lang"),
                   datatype=URIRef(datatype) if datatype else None)


def read_graph(server: Server, graph: str) -> set[tuple[Any, Any, Any]]:
    rows = select(server, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(_term(r["s"]), _term(r["p"]), _term(r["o"])) for r in rows}


def raw_update(server: Server, sparql: str) -> None:
    url = server.query_url.replace("/query", "/update")
    response = requests.post(url, data={"update": sparql}, auth=server.query_auth(), timeout=30)
    response.raise_for_status()


def no_secret_anywhere(exc: BaseException, secret: str, caplog: pytest.LogCaptureFixture
                       ) -> None:
    text = "".join(traceback.format_exception(exc))
    assert secret not in text
    assert secret not in repr(exc)
    assert secret not in caplog.text


# ---------------------------------------------------------------------------------------------
# Loading the bundled article


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_bundled_article_loads_and_reloads_with_the_same_counts(
        server: Server, sheet: FactSheet, base: str, protocol: Any) -> None:
    ds = build(sheet, base)
    expected = local_counts(ds)
    assert list(expected.values()) == [1002]
    for _ in range(2):  # the second load replaces, it does not add
        report = load_to_endpoint(ds, protocol=protocol, **server.load_args())
        assert report.verified
        assert report.protocols == (protocol,)
        assert dict(report.counts) == expected
        assert {g: count(server, g) for g in expected} == expected
    assert report.triples == 1002
    assert report.triples_per_second > 0
    assert "verified" in report.summary() and "1,002 triples" in report.summary()


def test_auto_falls_back_to_update_where_there_is_no_graph_store(
        server: Server, sheet: FactSheet, base: str) -> None:
    # A real URL with no Graph Store behind it: Oxigraph answers 404, Virtuoso 501.
    args = server.load_args()
    missing = args["endpoint"].rsplit("/", 1)[0] + "/no-graph-store-here"
    ds = build(sheet, base)
    report = load_to_endpoint(ds, gsp_endpoint=missing, **args)
    assert report.protocols == ("update",)
    assert "no Graph Store" in report.notes[0]
    assert dict(report.counts) == local_counts(ds)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_append_adds_and_a_normal_load_replaces(server: Server, base: str, protocol: Any
                                                ) -> None:
    ds = synthetic(base, 40)
    (graph,) = local_counts(ds)
    extra = Dataset()
    extra.graph(URIRef(graph)).add((URIRef(f"{base}x"), URIRef(f"{base}p/added"), Literal("+")))
    load_to_endpoint(ds, protocol=protocol, **server.load_args())
    for _ in range(2):  # the same triple appended twice is still one triple
        report = load_to_endpoint(extra, append=True, protocol=protocol, **server.load_args())
        assert report.verified
    assert count(server, graph) == 41
    load_to_endpoint(extra, protocol=protocol, **server.load_args())
    assert count(server, graph) == 1


# ---------------------------------------------------------------------------------------------
# Hostile terms: written by the N-Triples writer, never spliced in


HOSTILE_TEXTS = [
    '"""', "'''", '"', "}", "} } ; DROP ALL ; INSERT DATA { <a> <b> <c> } #", "\\",
    "ends with a backslash \\", 'multi\nline ending in backslash-quote \\"', "line\nbreak",
    "cr\r\nlf", "tab\there", "".join(chr(c) for c in range(1, 32)) + "\x7f", "\n\x0c", "\x0c\r",
    "😀 non-BMP 𝄞 and ünïcødé", "<script>alert('x')</script>", "\\u0022 is not a quote",
    "\\U0001F600", "", " ", "\u2028\u2029\x85\ufeff", "# not a comment", "?s ?p ?o . GRAPH ?g",
]
HOSTILE_IRIS = [
    "http://example.org/😀", "http://example.org/it's", "http://example.org/a(b);c&d=e$f!g*h+i,j~",
    "http://example.org/%7D%3E%22", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
    "http://example.org/ü#frag", "http://example.org/q?x=1&y=2",
]


def hostile(base: str) -> tuple[Dataset, str]:
    name = f"{base}graph/it's-😀-(hostile)"
    ds = Dataset()
    graph = ds.graph(URIRef(name))
    subject = URIRef(f"{base}hostile")
    for i, text in enumerate(HOSTILE_TEXTS):
        graph.add((subject, URIRef(f"{base}p/{i}"), Literal(text)))
    graph.add((subject, URIRef(f"{base}p/tagged"), Literal("}\"@x", lang="en-gb")))
    graph.add((subject, URIRef(f"{base}p/typed"),
               Literal('}"', datatype=URIRef(f"{base}datatype/it's(x)"))))
    for iri in HOSTILE_IRIS:
        graph.add((URIRef(iri), URIRef(f"{base}p/iri"), URIRef(iri)))
    return ds, name


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_hostile_literals_and_iris_round_trip_and_nothing_else_changes(
        server: Server, sheet: FactSheet, base: str, protocol: Any) -> None:
    sentinel = build(sheet, base)
    (sentinel_graph,) = local_counts(sentinel)
    load_to_endpoint(sentinel, protocol="gsp", **server.load_args())
    before_graphs = graph_names(server)
    before = read_graph(server, sentinel_graph)

    ds, name = hostile(base)
    report = load_to_endpoint(ds, protocol=protocol, **server.load_args())

    assert report.verified
    assert read_graph(server, name) == set(ds.graph(URIRef(name)))
    assert graph_names(server) == before_graphs | {name}
    assert read_graph(server, sentinel_graph) == before


def test_terms_are_written_in_canonical_n_triples() -> None:
    text = 'q" b\\ n\n r\r t\t b\b f\f nul\x00 vt\x0b del\x7f 😀 é'
    assert nt_term(Literal(text)) == (
        '"q\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000 vt\\u000B del\\u007F 😀 é"')
    assert nt_term(Literal("x", lang="en-gb")) == '"x"@en-gb'
    assert nt_term(Literal("x", datatype=URIRef(XSD_STRING))) == '"x"'
    assert nt_term(Literal("1", datatype=XSD_INTEGER)) == f'"1"^^<{XSD_INTEGER}>'
    assert nt_term(URIRef("http://example.org/😀?a=1&b='2'")) == "<http://example.org/😀?a=1&b='2'>"


@pytest.mark.parametrize("position", ["subject", "object", "graph", "datatype"])
@pytest.mark.parametrize("iri", [
    "http://example.org/a>b", "http://example.org/a b", "http://example.org/}",
    "http://example.org/a\nb", "http://example.org/\\u003E", "relative/iri",
    "http://example.org/{x}", "http://example.org/`", "http://example.org/^", "http://x/\x00",
])
def test_an_iri_that_cannot_be_written_is_refused_before_sending(iri: str, position: str
                                                                ) -> None:
    ok, bad = URIRef("http://example.org/ok"), URIRef(iri)
    ds = Dataset()
    graph = ds.graph(bad if position == "graph" else ok)
    obj: URIRef | Literal = Literal("x", datatype=bad) if position == "datatype" else (
        bad if position == "object" else ok)
    graph.add((bad if position == "subject" else ok, ok, obj))
    nobody = f"http://{LOOPBACK}:{free_port()}/query"  # a request would fail differently
    with pytest.raises(InputError, match="cannot write the IRI"):
        load_to_endpoint(ds, endpoint=nobody, **FAST)


@pytest.mark.parametrize("case", ["blank node", "default graph", "surrogate", "lang tag"])
def test_data_that_cannot_be_loaded_safely_is_refused_before_sending(case: str) -> None:
    ds = Dataset()
    iri = URIRef("http://example.org/s")
    graph = ds.graph(URIRef("http://example.org/g"))
    if case == "blank node":
        graph.add((BNode(), iri, iri))
    elif case == "default graph":
        ds.graph(DATASET_DEFAULT_GRAPH_ID).add((iri, iri, iri))
    elif case == "surrogate":
        graph.add((iri, iri, Literal("bad \udc80 text")))
    else:
        literal = Literal("x", lang="en")
        literal._language = "en} ; DROP ALL"  # rdflib checks tags; a subclass may not
        graph.add((iri, iri, literal))
    nobody = f"http://{LOOPBACK}:{free_port()}/query"
    with pytest.raises(InputError):
        load_to_endpoint(ds, endpoint=nobody, **FAST)


# ---------------------------------------------------------------------------------------------
# Credentials


@pytest.fixture
def guarded(oxigraph: OxigraphServer) -> Iterator[HttpFront]:
    """Oxigraph behind a front that wants Basic alice/right-password or Bearer the-token."""
    config = FrontConfig((LOOPBACK, oxigraph.port), basic=("alice", "right-password"),
                         token="the-token")
    with HttpFront(config) as front:
        yield front


@pytest.mark.parametrize("kind", SERVERS)
def test_wrong_password_is_a_clear_one_line_error_without_the_secret(
        kind: str, request: pytest.FixtureRequest, sheet: FactSheet, base: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # requests/urllib3/kg.remote at their most talkative
    wrong = "wrong-Pa55word-" + uuid.uuid4().hex[:8]
    if kind == "virtuoso":  # Digest on /sparql-auth and /sparql-graph-crud-auth
        server: VirtuosoServer = request.getfixturevalue("virtuoso")
        endpoint = f"{server.base}/sparql-auth"
        user = "dba"
    else:  # Basic, in front of Oxigraph
        front: HttpFront = request.getfixturevalue("guarded")
        endpoint = f"{front.base}/query"
        user = "alice"
    auth = resolve_auth(endpoint, user=user, password=wrong, environ={}, use_netrc=False)
    assert wrong not in repr(auth)
    ds = build(sheet, base)
    (graph,) = local_counts(ds)
    with pytest.raises(AuthError) as info:
        load_to_endpoint(ds, endpoint=endpoint, auth=auth, **FAST)
    message = str(info.value)
    assert "\n" not in message
    assert "HTTP 401" in message and "credentials were rejected" in message
    assert endpoint.rsplit("/", 1)[0] in message and f"<{graph}>" in message
    assert info.value.status == 401 and info.value.not_loaded == (graph,)
    no_secret_anywhere(info.value, wrong, caplog)


def test_basic_to_a_digest_only_endpoint_is_refused_clearly(virtuoso: VirtuosoServer,
                                                            sheet: FactSheet, base: str) -> None:
    # Virtuoso answers an unasked-for Basic header with a bare 401 (no challenge): "auto"
    # (the default) waits for the challenge instead; forcing Basic gives a clean AuthError.
    auth = Auth("basic", user="dba", password=Secret(virtuoso.password))
    with pytest.raises(AuthError, match="HTTP 401"):
        load_to_endpoint(build(sheet, base), endpoint=f"{virtuoso.base}/sparql-auth", auth=auth,
                         **FAST)


def test_basic_bearer_netrc_and_environment_credentials_reach_the_server(
        guarded: HttpFront, sheet: FactSheet, base: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ds = build(sheet, base)
    endpoint = f"{guarded.base}/query"
    for env in ({"NEWSKG_ENDPOINT_USER": "alice", "NEWSKG_ENDPOINT_PASSWORD": "right-password"},
                {"NEWSKG_ENDPOINT_TOKEN": "the-token"}):
        auth = resolve_auth(endpoint, environ=env, use_netrc=False)
        assert load_to_endpoint(ds, endpoint=endpoint, auth=auth).verified
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine {LOOPBACK} login alice password right-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    for name in ("NEWSKG_ENDPOINT_USER", "NEWSKG_ENDPOINT_PASSWORD", "NEWSKG_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert load_to_endpoint(ds, endpoint=endpoint).verified  # auth=None: netrc
    # credentials in the URL are used, and kept out of every message
    wrong = uuid.uuid4().hex
    url = f"http://alice:{wrong}@{LOOPBACK}:{guarded.port}/query"
    with pytest.raises(AuthError) as info:
        load_to_endpoint(ds, endpoint=url, **FAST)
    assert wrong not in "".join(traceback.format_exception(info.value))
    assert f"http://{LOOPBACK}:{guarded.port}/store" in str(info.value)
    assert not guarded.config.seen[-1].authorized


def test_credentials_come_from_arguments_then_environment_then_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine example.org login nick password netrc-secret\n")
    netrc.chmod(0o600)
    url = "https://example.org/sparql"
    env = {"NEWSKG_ENDPOINT_USER": "eve", "NEWSKG_ENDPOINT_PASSWORD": "env-secret"}
    from_netrc = resolve_auth(url, environ={}, netrc_file=netrc)
    assert (from_netrc.user, from_netrc.source) == ("nick", "netrc")
    assert from_netrc.password == Secret("netrc-secret")
    from_env = resolve_auth(url, environ=env, netrc_file=netrc)
    assert (from_env.user, from_env.source) == ("eve", "environment")
    from_args = resolve_auth(url, user="ann", password="arg-secret", environ=env,
                             netrc_file=netrc)
    assert (from_args.user, from_args.source) == ("ann", "arguments")
    # a user given without a password takes the netrc password only for that same user
    assert resolve_auth(url, user="nick", environ={}, netrc_file=netrc).password == Secret(
        "netrc-secret")
    with pytest.raises(ConfigError, match="no password for user 'ann'"):
        resolve_auth(url, user="ann", environ={}, netrc_file=netrc)
    token = resolve_auth(url, environ={"NEWSKG_ENDPOINT_TOKEN": "tok-secret"}, netrc_file=netrc)
    assert token.scheme == "bearer"
    assert resolve_auth(url, environ={}, use_netrc=False) == Auth()
    for auth in (from_netrc, from_env, from_args, token):
        shown = f"{auth!r} {auth}"
        assert "secret" not in shown.replace("Secret(", "") and "***" in shown
    netrc.write_text("netrc-secret machine example.org\n")  # the parser would quote the token
    with pytest.raises(ConfigError) as info:
        resolve_auth(url, environ={}, netrc_file=netrc)
    assert "netrc-secret" not in str(info.value)


# ---------------------------------------------------------------------------------------------
# Failures mid-load, late servers, refused writes, retries


@pytest.mark.parametrize("kind", SERVERS)
def test_server_stopped_midway_names_the_graphs_and_a_rerun_completes(
        kind: str, fresh_server: Callable[[str], Server], sheet: FactSheet, base: str) -> None:
    server = fresh_server(kind)
    require(server.start, kind)
    ds = build(sheet, base, ids=("story-1", "story-2", "story-3"))
    expected = local_counts(ds)
    graphs = sorted(expected)

    def stop_after_first(done: GraphLoad) -> None:
        if done.graph == graphs[0]:
            server.stop()

    with pytest.raises(EndpointError) as info:
        load_to_endpoint(ds, on_graph=stop_after_first, **FAST, **server.load_args())
    error = info.value
    assert error.loaded == (graphs[0],) and error.not_loaded == tuple(graphs[1:])
    message = str(error)
    assert "\n" not in message
    assert "loaded 1 of 3 graphs" in message and "rerun" in message
    assert all(f"<{g}>" in message for g in graphs)
    assert f"{LOOPBACK}:" in message

    require(server.start, kind)
    report = load_to_endpoint(ds, **server.load_args())
    assert report.verified and dict(report.counts) == expected


@pytest.mark.parametrize("kind", SERVERS)
def test_a_server_still_starting_is_waited_for_by_the_retries(
        kind: str, fresh_server: Callable[[str], Server], sheet: FactSheet, base: str) -> None:
    server = fresh_server(kind)
    if kind == "virtuoso":  # a restart: the database and the dba password exist already
        require(server.start, kind)
        server.stop()
    problems: list[BaseException] = []

    def start_late() -> None:
        time.sleep(1.5)
        try:
            server.start()
        except BaseException as exc:  # reported by the test thread below
            problems.append(exc)

    ds = build(sheet, base)
    starter = threading.Thread(target=start_late)
    began = time.monotonic()
    starter.start()
    try:
        report = load_to_endpoint(ds, retries=8, backoff=0.25, **server.load_args())
    finally:
        starter.join()
    assert not problems, problems
    assert time.monotonic() - began >= 1.5  # it really waited for the server
    assert report.verified and dict(report.counts) == local_counts(ds)


def test_a_refused_write_is_one_line_naming_endpoint_graph_and_status(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    read_only = OxigraphServer(oxigraph.location, read_only=True)  # no lock: same directory
    require(read_only.start, "a read-only Oxigraph")
    try:
        ds = build(sheet, base)
        (graph,) = local_counts(ds)
        started = time.monotonic()
        with pytest.raises(AuthError) as info:
            load_to_endpoint(ds, endpoint=read_only.query_url, protocol="gsp")
        assert time.monotonic() - started < 2  # a 403 is not retried
    finally:
        read_only.stop()
    assert str(info.value) == (
        f"PUT {read_only.base}/store (graph <{graph}>): HTTP 403 Forbidden: The server is "
        f"read-only (not allowed to write here); loaded 0 of 1 graphs; not loaded: <{graph}>; "
        "rerun to complete (each graph is replaced whole)")


def test_429_and_503_are_retried_with_backoff_and_500_is_not(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base)
    config = FrontConfig((LOOPBACK, oxigraph.port),
                         faults=[(503, {"Retry-After": "1"}), (429, {}), (502, {})])
    with HttpFront(config) as front:
        started = time.monotonic()
        report = load_to_endpoint(ds, endpoint=f"{front.base}/query", retries=3, backoff=0.05)
        assert report.verified
        assert time.monotonic() - started >= 1  # Retry-After: 1 was honoured
        assert [s.method for s in config.seen[:4]] == ["PUT"] * 4  # 3 refused, then stored
        config.seen.clear()
        config.faults.append((500, {}))
        with pytest.raises(EndpointError) as info:
            load_to_endpoint(ds, endpoint=f"{front.base}/query", retries=3, backoff=0.05)
        assert info.value.status == 500
        assert [s.method for s in config.seen] == ["PUT"]


def test_a_redirect_is_reported_not_followed(oxigraph: OxigraphServer, sheet: FactSheet,
                                            base: str) -> None:
    # requests would turn a redirected PUT into a GET and the data would be lost quietly.
    elsewhere = f"http://{LOOPBACK}:{free_port()}/store"
    config = FrontConfig((LOOPBACK, oxigraph.port), faults=[(301, {"Location": elsewhere})])
    with HttpFront(config) as front, pytest.raises(EndpointError) as info:
        load_to_endpoint(build(sheet, base), endpoint=f"{front.base}/query", **FAST)
    assert info.value.status == 301
    assert f"redirected to {elsewhere}: use that URL" in str(info.value)
    assert [s.method for s in config.seen] == ["PUT"]


def test_every_request_has_accept_a_length_and_no_sparql_query_body(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    # Virtuoso's quirks, checked on the wire: a chunked body is silently dropped and a POST of
    # application/sparql-query hangs. Every request has Accept and Content-Length, queries
    # and updates are form-encoded.
    ds = build(sheet, base)
    config = FrontConfig((LOOPBACK, oxigraph.port))
    with HttpFront(config) as front:
        for protocol in ("gsp", "update"):
            assert load_to_endpoint(ds, endpoint=f"{front.base}/query", protocol=protocol,
                                    chunk_triples=300).verified
    methods = [s.method for s in config.seen]
    assert methods.count("PUT") == 1 and methods.count("POST") == 1 + 4 + 1
    for seen in config.seen:
        assert seen.headers.get("Accept")
        assert "Transfer-Encoding" not in seen.headers
        assert int(seen.headers["Content-Length"]) == seen.body_length > 0
        expected = "text/turtle" if seen.method == "PUT" else "application/x-www-form-urlencoded"
        assert seen.headers["Content-Type"] == expected


def test_tls_certificates_are_verified_by_default(oxigraph: OxigraphServer, sheet: FactSheet,
                                                  base: str, tmp_path: Path) -> None:
    cert, key = self_signed_cert(tmp_path)
    ds = build(sheet, base)
    with HttpFront(FrontConfig((LOOPBACK, oxigraph.port)), tls=(cert, key)) as front:
        endpoint = f"{front.base}/query"
        with pytest.raises(EndpointError, match=r"TLS failed: .*certificate"):
            load_to_endpoint(ds, endpoint=endpoint, **FAST)
        assert load_to_endpoint(ds, endpoint=endpoint, tls_verify=str(cert)).verified


@pytest.mark.parametrize("kind", SERVERS)
def test_a_graph_changed_by_someone_else_fails_verification(
        kind: str, request: pytest.FixtureRequest, sheet: FactSheet, base: str) -> None:
    server: Server = request.getfixturevalue(kind)
    ds = build(sheet, base, ids=("story-a", "story-b"))
    graphs = sorted(local_counts(ds))

    def meddle(done: GraphLoad) -> None:  # another writer adds a triple to the first graph
        if done.graph == graphs[0]:
            sparql = (f"INSERT DATA {{ GRAPH <{done.graph}> {{ <{base}x> <{base}y> \"z\" }} }}")
            if kind == "virtuoso":
                assert isinstance(server, VirtuosoServer)
                requests.post(f"{server.base}/sparql-auth", data={"update": sparql},
                              auth=server.query_auth(), timeout=30).raise_for_status()
            else:
                raw_update(server, sparql)

    with pytest.raises(EndpointError) as info:
        load_to_endpoint(ds, on_graph=meddle, **server.load_args())
    assert info.value.mismatched == {graphs[0]: (1002, 1003)}
    assert f"1 of 2 graphs differ: <{graphs[0]}> sent 1,002, endpoint has 1,003" in str(
        info.value)


def test_dry_run_sends_nothing(oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base)
    (graph,) = local_counts(ds)
    config = FrontConfig((LOOPBACK, oxigraph.port))
    with HttpFront(config) as front:
        gsp = load_to_endpoint(ds, endpoint=f"{front.base}/query", dry_run=True)
        update = load_to_endpoint(ds, endpoint=f"{front.base}/query", protocol="update",
                                  dry_run=True)
    assert config.seen == []
    assert count(oxigraph, graph) == 0
    assert [(r.method, r.graph, r.triples) for r in gsp.planned] == [("PUT", graph, 1002)]
    assert gsp.planned[0].bytes > 100_000 and "nothing was sent" in gsp.summary()
    assert len(update.planned) == -(-1002 // DEFAULT_CHUNK)
    assert sum(r.triples for r in update.planned) == 1002


def test_endpoint_urls_are_derived_for_oxigraph_and_virtuoso() -> None:
    ox, _ = Endpoints.derive("http://h:7878/query")
    assert (ox.update, ox.gsp) == ("http://h:7878/update", "http://h:7878/store")
    virt, _ = Endpoints.derive("http://h:8890/sparql-auth")
    assert (virt.update, virt.gsp) == ("http://h:8890/sparql-auth",
                                       "http://h:8890/sparql-graph-crud-auth")
    only_update, _ = Endpoints.derive(update="http://h:7878/update")
    assert only_update.query == "http://h:7878/query"
    other, auth = Endpoints.derive("https://u:pw@h/repositories/x")
    assert (other.query, other.update, other.gsp) == ("https://h/repositories/x",) * 2 + (None,)
    assert auth is not None and auth.user == "u" and auth.password == Secret("pw")
    with pytest.raises(ConfigError):
        Endpoints.derive("ftp://h/sparql")


# ---------------------------------------------------------------------------------------------
# Virtuoso quirks, each shown raw on the real server and then handled by the loader


def test_virtuoso_refuses_big_insert_data_and_the_loader_splits_it(
        virtuoso: VirtuosoServer, base: str) -> None:
    ds = synthetic(base, 3200)
    (graph,) = local_counts(ds)
    lines = "".join(nt_line(s, p, o) for s, p, o in ds.graph(URIRef(graph)))
    raw = requests.post(f"{virtuoso.base}/sparql-auth", auth=virtuoso.query_auth(), timeout=60,
                        data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ {lines} }} }}"})
    assert raw.status_code == 400 and "SP031" in raw.text  # the quirk is real
    assert count(virtuoso, graph) == 0

    report = load_to_endpoint(ds, protocol="update", **virtuoso.load_args())
    assert report.verified and report.counts[graph] == 3200
    assert report.graphs[0].requests >= -(-3200 // DEFAULT_CHUNK)
    # a chunk size the server refuses: halved until it passes
    report = load_to_endpoint(ds, protocol="update", chunk_triples=3200, **virtuoso.load_args())
    assert report.verified and report.counts[graph] == 3200


def test_virtuoso_drops_a_chunked_body_but_the_loader_sends_a_length(
        virtuoso: VirtuosoServer, base: str) -> None:
    ds = synthetic(base, 20)
    (graph,) = local_counts(ds)
    body = "".join(nt_line(s, p, o) for s, p, o in ds.graph(URIRef(graph))).encode()
    raw = requests.put(f"{virtuoso.base}/sparql-graph-crud-auth", params={"graph": graph},
                       data=iter([body]), headers={"Content-Type": "text/turtle"},
                       auth=virtuoso.query_auth(), timeout=30)
    assert raw.ok and count(virtuoso, graph) == 0  # "created", nothing stored
    report = load_to_endpoint(ds, protocol="gsp", **virtuoso.load_args())
    assert report.verified and count(virtuoso, graph) == 20


def test_virtuoso_hangs_on_a_sparql_query_post_but_the_loader_uses_forms(
        virtuoso: VirtuosoServer, sheet: FactSheet, base: str) -> None:
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(f"{virtuoso.base}/sparql", data=b"ASK {}", timeout=(2, 1.5),
                      headers={"Content-Type": "application/sparql-query"})
    assert load_to_endpoint(build(sheet, base), **virtuoso.load_args()).verified


def test_virtuoso_caps_results_at_10000_rows_so_the_loader_counts(
        virtuoso: VirtuosoServer, base: str) -> None:
    ds = synthetic(base, 12_000)
    (graph,) = local_counts(ds)
    report = load_to_endpoint(ds, protocol="gsp", **virtuoso.load_args())
    assert report.verified and report.counts[graph] == 12_000
    assert len(read_graph(virtuoso, graph)) == 10_000  # reading back would have lied


def test_virtuoso_silent_rewrites_are_caught_by_verification(
        virtuoso: VirtuosoServer, base: str) -> None:
    ds = Dataset()
    name = f"{base}graph/ill-typed"
    graph = ds.graph(URIRef(name))
    s, p = URIRef(f"{base}s"), URIRef(f"{base}p")
    for text in ("abc", "def"):  # Virtuoso stores both as "0": one triple
        graph.add((s, p, Literal(text, datatype=XSD_INTEGER)))
    graph.add((s, p, Literal("fine")))
    with pytest.raises(EndpointError) as info:
        load_to_endpoint(ds, **virtuoso.load_args())
    assert info.value.mismatched == {name: (3, 2)}


def test_virtuoso_corrupts_raw_controls_next_to_an_escape_so_the_loader_escapes_them(
        virtuoso: VirtuosoServer, base: str) -> None:
    name = f"{base}graph/controls"
    raw = f'<{base}s> <{base}p> "\\n\x0c" .\n'.encode()  # a raw form feed after an escape
    requests.put(f"{virtuoso.base}/sparql-graph-crud-auth", params={"graph": name}, data=raw,
                 headers={"Content-Type": "text/turtle"}, auth=virtuoso.query_auth(),
                 timeout=30).raise_for_status()
    assert read_graph(virtuoso, name) != {(URIRef(f"{base}s"), URIRef(f"{base}p"),
                                           Literal("\n\x0c"))}
    ds = Dataset()
    ds.graph(URIRef(name)).add((URIRef(f"{base}s"), URIRef(f"{base}p"), Literal("\n\x0c")))
    load_to_endpoint(ds, protocol="gsp", **virtuoso.load_args())
    assert read_graph(virtuoso, name) == set(ds.graph(URIRef(name)))


def test_virtuoso_anonymous_endpoints_after_the_grant(virtuoso: VirtuosoServer,
                                                      sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base)
    for protocol in ("gsp", "update"):
        report = load_to_endpoint(ds, endpoint=f"{virtuoso.base}/sparql", auth=Auth(),
                                  protocol=protocol)
        assert report.verified and report.counts == local_counts(ds)


# ---------------------------------------------------------------------------------------------
# Oxigraph's bulk path


def test_oxigraph_bulk_path_is_opt_in_and_still_replaces(oxigraph: OxigraphServer,
                                                         base: str) -> None:
    ds = synthetic(base, 10_000)
    (graph,) = local_counts(ds)
    for _ in range(2):
        report = load_to_endpoint(ds, bulk=True, **oxigraph.load_args())
        assert report.verified and report.counts[graph] == 10_000
    smaller = synthetic(base, 10)
    assert load_to_endpoint(smaller, bulk=True, **oxigraph.load_args()).counts[graph] == 10
    with pytest.raises(ConfigError):
        load_to_endpoint(smaller, bulk=True, protocol="update", **oxigraph.load_args())


# ---------------------------------------------------------------------------------------------
# Graphs in parallel, bulk batches


@pytest.mark.parametrize("kind", SERVERS)
def test_parallel_load_reports_each_graph_in_the_callers_thread(
        kind: str, request: pytest.FixtureRequest, sheet: FactSheet, base: str) -> None:
    server: Server = request.getfixturevalue(kind)
    ds = build(sheet, base, ids=tuple(f"story-{i:02d}" for i in range(12)))
    expected = local_counts(ds)
    threads: set[str] = set()
    seen: list[str] = []

    def progress(done: GraphLoad) -> None:
        threads.add(threading.current_thread().name)
        seen.append(done.graph)

    for _ in range(2):  # twice: each graph replaced, not doubled, under concurrency too
        seen.clear()
        report = load_to_endpoint(ds, parallel=4, on_graph=progress, **server.load_args())
        assert report.verified and dict(report.counts) == expected
        assert sorted(seen) == sorted(expected) and len(seen) == len(expected)
        assert [g.graph for g in report.graphs] == sorted(expected)
    assert threads == {threading.main_thread().name}
    assert all(count(server, g) == n for g, n in expected.items())


def test_a_failure_in_parallel_stops_new_graphs_and_names_each_graph_once(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base, ids=tuple(f"story-{i:02d}" for i in range(12)))
    graphs = sorted(local_counts(ds))
    bad = graphs[5]
    config = FrontConfig((LOOPBACK, oxigraph.port),
                         path_faults=[(quote(bad, safe=""), 400)])
    with HttpFront(config) as front, pytest.raises(EndpointError) as info:
        load_to_endpoint(ds, endpoint=f"{front.base}/query", protocol="gsp", parallel=3,
                         **FAST)
    error = info.value
    assert error.status == 400 and error.graph == bad
    assert bad in error.not_loaded
    assert set(error.loaded) | set(error.not_loaded) == set(graphs)
    assert not set(error.loaded) & set(error.not_loaded)
    # What the error calls loaded is on the server, whole; nothing else is.
    on_server = {g for g in graphs if count(oxigraph, g)}
    assert on_server == set(error.loaded)
    assert all(count(oxigraph, g) == 1002 for g in error.loaded)
    # Graphs after the failure were not started: with 3 workers, at most the ones in flight.
    assert len(error.loaded) < len(graphs) - 1
    report = load_to_endpoint(ds, **oxigraph.load_args())
    assert report.verified and len(report.graphs) == len(graphs)


def test_parallel_is_bounded(oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base)
    for wrong in (0, 33):
        with pytest.raises(ConfigError, match="parallel"):
            load_to_endpoint(ds, parallel=wrong, **oxigraph.load_args())


def test_bulk_batches_graphs_into_nquads_posts_and_replaces_them(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.remote

    monkeypatch.setattr(kg.remote, "BULK_BATCH", 2000)  # two graphs of 1,002 per batch
    ds = build(sheet, base, ids=("a", "b", "c", "d", "e"))
    expected = local_counts(ds)
    config = FrontConfig((LOOPBACK, oxigraph.port))
    with HttpFront(config) as front:
        endpoint = f"{front.base}/query"
        plan = load_to_endpoint(ds, endpoint=endpoint, bulk=True, dry_run=True)
        assert [(r.method, len(r.graphs), r.triples) for r in plan.planned] == [
            ("POST", 2, 0), ("POST", 2, 2004), ("POST", 2, 0), ("POST", 2, 2004),
            ("POST", 1, 0), ("POST", 1, 1002)]
        assert "5 graphs, 5,010 triples" in plan.summary()
        assert not config.seen
        for _ in range(2):
            report = load_to_endpoint(ds, endpoint=endpoint, bulk=True, parallel=2)
            assert report.verified and dict(report.counts) == expected
            assert report.protocols == ("gsp-bulk",)
        writes = [s for s in config.seen if s.method == "POST" and "store" in s.path]
        assert len(writes) == 6 and all("no_transaction" in s.path for s in writes)
        assert {s.headers.get("Content-Type") for s in writes} == {"application/n-quads"}
        # A smaller graph replaces the bigger one: the DROP ran before the POST.
        one = synthetic(base, 10, name="a")
        big = synthetic(base, 3000, name="a")
        load_to_endpoint(big, endpoint=endpoint, bulk=True)
        assert load_to_endpoint(one, endpoint=endpoint, bulk=True).counts == local_counts(one)
        # Appending keeps what is there.
        other = synthetic(base, 10, name="a")
        other.graph(URIRef(f"{base}graph/a")).add(
            (URIRef(f"{base}extra"), URIRef(f"{base}p/x"), Literal("x")))
        assert load_to_endpoint(other, endpoint=endpoint, bulk=True,
                                append=True).counts[f"{base}graph/a"] == 11


def test_bulk_needs_a_graph_store_that_takes_nquads(virtuoso: VirtuosoServer,
                                                    sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base)
    with pytest.raises(EndpointError, match="bulk is for Oxigraph"):
        load_to_endpoint(ds, bulk=True, **FAST, **virtuoso.load_args())


def test_urls_in_messages_lose_userinfo_and_query_but_keep_ipv6_brackets() -> None:
    from kg.remote import display_url

    assert display_url("http://dba:s3cret@[::1]:8890/sparql-auth?x=1") == (
        "http://[::1]:8890/sparql-auth")
    assert display_url("https://u:p@example.org/sparql?token=abc") == "https://example.org/sparql"


def test_ctrl_c_lets_graphs_in_flight_finish_and_says_what_loaded(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str) -> None:
    ds = build(sheet, base, ids=tuple(f"story-{i:02d}" for i in range(12)))
    graphs = sorted(local_counts(ds))
    seen: list[str] = []

    def interrupt(done: GraphLoad) -> None:  # on_graph runs in the caller's thread
        seen.append(done.graph)
        if len(seen) == 3:
            raise KeyboardInterrupt

    config = FrontConfig((LOOPBACK, oxigraph.port), delay=0.05)
    with HttpFront(config) as front, pytest.raises(LoadInterrupted) as info:
        load_to_endpoint(ds, endpoint=f"{front.base}/query", parallel=2, on_graph=interrupt)
    error = info.value
    assert set(seen) <= set(error.loaded)
    assert set(error.loaded) | set(error.not_loaded) == set(graphs)
    assert error.not_loaded and "interrupted; loaded" in str(error) and "rerun" in str(error)
    # Every graph it calls loaded is whole on the server; the others were never written.
    assert {g for g in graphs if count(oxigraph, g)} == set(error.loaded)
    assert all(count(oxigraph, g) == 1002 for g in error.loaded)


def test_kg_load_stopped_with_sigint_exits_130_naming_the_graphs(
        oxigraph: OxigraphServer, sheet: FactSheet, base: str, tmp_path: Path) -> None:
    trig = tmp_path / "many.trig"
    build(sheet, base, ids=tuple(f"story-{i:02d}" for i in range(16))).serialize(
        trig, format="trig")
    config = FrontConfig((LOOPBACK, oxigraph.port), delay=0.3)
    with HttpFront(config) as front:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "kg"), "load", str(trig), "--endpoint",
             f"{front.base}/query", "--parallel", "2", "--auth", "none", "-q"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not any(s.method == "PUT" for s in config.seen):  # validated, now loading
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    (line,) = err.strip().splitlines()
    assert line.startswith("kg: interrupted; loaded ") and " of 16 graphs" in line
    assert "Traceback" not in err
