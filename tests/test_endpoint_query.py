"""`kg load --endpoint` and `kg query --endpoint` against real Oxigraph and Virtuoso servers.

No mocks: every request reaches a real store on 127.0.0.1 (tests/servers.py). The canned
queries run over the union of the named graphs, so they get servers of this module's own
(``private``) holding the bundled article and nothing else; the other tests use the shared
per-worker servers with a base IRI of their own.

Where the rows differ, it is a store's rewrite, named here and pinned by its own test:

- Oxigraph (the embedded store and the server alike) keeps integers as ``xsd:integer``:
  ``oa:start`` / ``oa:end``, written ``xsd:nonNegativeInteger``, come back as ``xsd:integer``.
  Virtuoso keeps ``xsd:nonNegativeInteger``; the comparison reads it as ``xsd:integer``.
- Virtuoso 7.2 rewrites ``xsd:duration`` values: a year-month duration comes back as its
  number of months (``"P2Y"`` → ``"24"``, not a valid ``xsd:duration``), a day-time one as
  seconds. The comparison turns the embedded store's ``P2Y`` into ``24`` for Virtuoso.
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Dataset, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import QUERY_ENDPOINT_EXAMPLES, EndpointOptions, _load, app, load_cmd
from kg.query import (
    EmbeddedStore,
    Query,
    SelectResult,
    canned_queries,
    parse_bindings,
    resolve_query,
    where_group,
)
from tests.conftest import EXAMPLE_FACTS
from tests.servers import (
    LOOPBACK,
    FrontConfig,
    HttpFront,
    OxigraphServer,
    VirtuosoServer,
    require,
)

SERVERS = ["oxigraph", "virtuoso"]
ID = "https://w3id.org/newskg/id/"
A = f"{ID}article/microsoft-face-recognition-police"
XSD = "http://www.w3.org/2001/XMLSchema#"
runner = CliRunner()

# Every canned query, the parameterised ones also with a --bind from the bundled article.
CASES: list[tuple[str, tuple[str, ...]]] = [
    ("announcements", ()),
    ("statements", ()),
    ("organizations", ()),
    ("roles", ()),
    ("timeline", ()),
    ("evidence", ()),
    ("evidence", (f"fact=<{A}/role/smith-microsoft>",)),
    ("evidence", (f"fact=<{A}/statement/smith-quote>",)),
    ("entity", ()),
    ("entity", (f"entity=<{ID}person/brad-smith>",)),
    ("entity", (f"entity=<{ID}organization/microsoft>",)),
]


@dataclass
class Target:
    """A server and what ``kg`` needs to reach it: URL, extra arguments, environment."""

    name: str
    server: OxigraphServer | VirtuosoServer
    endpoint: str
    args: tuple[str, ...]
    env: dict[str, str | None]


def env_for(password: str | None = None) -> dict[str, str | None]:
    """A clean credential environment (no ~/.netrc, no inherited variables), fixed build time."""
    return {"NEWSKG_ENDPOINT_USER": None, "NEWSKG_ENDPOINT_TOKEN": None,
            "NEWSKG_ENDPOINT_PASSWORD": password, "NETRC": "/nonexistent/netrc",
            "SOURCE_DATE_EPOCH": "1591963200", "NEWSKG_STORE": None}


def target(name: str, server: OxigraphServer | VirtuosoServer) -> Target:
    if isinstance(server, VirtuosoServer):  # Digest, as a production load would
        return Target(name, server, f"{server.base}/sparql-auth", ("--user", server.user),
                      env_for(server.password))
    return Target(name, server, server.query_url, (), env_for())


def kg(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env or env_for())
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def count(t: Target, graph: str) -> int:
    """An independent check (plain requests, not kg): the graph's triple count."""
    response = requests.post(
        t.endpoint, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> "
                                   "{ ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"}, auth=t.server.query_auth(),
        timeout=30)
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(params=SERVERS)
def shared(request: pytest.FixtureRequest) -> Target:
    """The per-worker server shared with other tests (use a base IRI of the test's own)."""
    return target(request.param, request.getfixturevalue(request.param))


@pytest.fixture
def base() -> str:
    return f"https://test.newskg.example/{uuid.uuid4().hex[:12]}/"


def graph_of(base: str) -> str:
    return f"{base}graph/microsoft-face-recognition-police"


# ---------------------------------------------------------------------------------------------
# Every canned query: the same rows from each server as from the embedded store


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("embedded") / "store"
    code, _, err = kg("load", str(EXAMPLE_FACTS), "--store", str(path), "-q")
    assert code == 0, err
    return path


@pytest.fixture(scope="module", params=SERVERS)
def private(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Target]:
    """A server of this module's own holding only the bundled article, loaded by kg load."""
    server: OxigraphServer | VirtuosoServer
    if request.param == "oxigraph":
        server = OxigraphServer(tmp_path_factory.mktemp("private-oxigraph") / "store")
        require(server.start, "the Oxigraph server")
    else:
        server = VirtuosoServer(tmp_path_factory.mktemp("private-virtuoso"))
        require(server.start, "Virtuoso")
    try:
        t = target(request.param, server)
        code, _, err = kg("load", str(EXAMPLE_FACTS), "--endpoint", t.endpoint, *t.args,
                          env=t.env)
        assert code == 0, err
        assert "verified" in err
        yield t
    finally:
        server.kill() if isinstance(server, VirtuosoServer) else server.stop()


Cell = tuple[str, str, str, str]


def _months(duration: str) -> str:
    match = re.fullmatch(r"(-?)P(?:(\d+)Y)?(?:(\d+)M)?", duration)
    if match is None or not (match.group(2) or match.group(3)):
        return duration
    months = int(match.group(2) or 0) * 12 + int(match.group(3) or 0)
    return f"{match.group(1)}{months}"


def cell(binding: dict[str, str] | None, virtuoso: bool) -> Cell:
    """One value as strings: (kind, lexical form, datatype, language)."""
    if binding is None:
        return ("", "", "", "")
    kind, value = binding["type"], binding["value"]
    datatype, lang = binding.get("datatype", ""), binding.get("xml:lang", "")
    if virtuoso and datatype == XSD + "nonNegativeInteger":
        datatype = XSD + "integer"  # Oxigraph's rewrite, which the embedded store has made
    if virtuoso and datatype == XSD + "duration":
        value = _months(value)  # Virtuoso's rewrite of the embedded store's "P2Y"
    return (kind, value, datatype, lang)


def json_rows(output: str, virtuoso: bool) -> tuple[list[str], Counter[tuple[Cell, ...]]]:
    doc = json.loads(output)
    variables = doc["head"]["vars"]
    rows = Counter(tuple(cell(b.get(v), virtuoso) for v in variables)
                   for b in doc["results"]["bindings"])
    return variables, rows


def binds(bind: tuple[str, ...]) -> list[str]:
    return [arg for spec in bind for arg in ("--bind", spec)]


def test_every_canned_query_has_a_case() -> None:
    assert {name for name, _ in CASES} == set(canned_queries())


@pytest.mark.parametrize(("name", "bind"), CASES,
                         ids=[f"{n}{'-' + b[0].split('/')[-1][:-1] if b else ''}"
                              for n, b in CASES])
def test_canned_query_gives_the_embedded_stores_rows(
        private: Target, embedded: Path, name: str, bind: tuple[str, ...]) -> None:
    virtuoso = private.name == "virtuoso"
    code, local, err = kg("query", name, *binds(bind), "--store", str(embedded), "-f", "json")
    assert code == 0, err
    code, remote, err = kg("query", name, *binds(bind), "--endpoint", private.endpoint,
                           *private.args, "-f", "json", env=private.env)
    assert code == 0, err
    assert err == ""  # no warning
    want_vars, want = json_rows(local, virtuoso)
    got_vars, got = json_rows(remote, virtuoso)
    assert got_vars == want_vars
    assert sum(want.values()) > 0
    assert got == want
    if not virtuoso:  # the same engine: the same text, order included, in every format
        for fmt in ("table", "csv", "tsv"):
            args = ("query", name, *binds(bind), "-f", fmt)
            assert kg(*args, "--endpoint", private.endpoint)[1] == kg(
                *args, "--store", str(embedded))[1]


def test_the_stores_rewrites_that_the_comparison_reads_through(private: Target) -> None:
    """Pinned, so the normalisation above hides nothing else (and notices a fixed server)."""
    code, out, err = kg("query", "SELECT ?start ?when WHERE { ?s <http://www.w3.org/ns/oa#start> "
                        "?start . OPTIONAL { ?f <https://w3id.org/newskg/ns#value> ?when FILTER "
                        "(DATATYPE(?when) = <http://www.w3.org/2001/XMLSchema#duration>) } } "
                        "LIMIT 1", "--endpoint", private.endpoint, *private.args, "-f", "json",
                        env=private.env)
    assert code == 0, err
    row = json.loads(out)["results"]["bindings"][0]
    start_type = "nonNegativeInteger" if private.name == "virtuoso" else "integer"
    assert row["start"]["datatype"] == XSD + start_type
    assert row["when"]["value"] == ("24" if private.name == "virtuoso" else "P2Y")


def test_the_default_graph_is_the_union_of_the_graphs(private: Target) -> None:
    # Oxigraph's server answers from its (empty) default graph unless asked for the union;
    # Virtuoso's default dataset is the union already.
    query = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/newskg/ns#Article> }")
    plain = requests.post(private.server.query_url, data={"query": query}, timeout=30,
                          headers={"Accept": "application/sparql-results+json"},
                          auth=private.server.query_auth()).json()
    plain_n = int(plain["results"]["bindings"][0]["n"]["value"])
    assert plain_n == (1 if private.name == "virtuoso" else 0)
    code, out, err = kg("query", query, "--endpoint", private.endpoint, *private.args,
                        "-f", "csv", env=private.env)
    assert (code, out.split()) == (0, ["n", "1"]), err


def test_ask_construct_and_formats(private: Target, embedded: Path) -> None:
    construct = "CONSTRUCT { ?r ?p ?o } WHERE { ?r a <https://w3id.org/newskg/ns#Role> ; ?p ?o }"
    args = ("--endpoint", private.endpoint, *private.args)
    code, remote, err = kg("query", construct, *args, env=private.env)
    assert code == 0, err
    local = kg("query", construct, "--store", str(embedded))[1]
    parsed = [set(Dataset().parse(data=text, format="turtle")) for text in (remote, local)]
    assert parsed[0] == parsed[1] and len(parsed[0]) > 10
    assert kg("query", "ASK { ?s a <https://w3id.org/newskg/ns#Role> }", *args,
              env=private.env)[1] == "true\n"
    code, out, err = kg("query", "ASK { ?s a <https://w3id.org/newskg/ns#Nothing> }", *args,
                        "-f", "json", env=private.env)
    assert (code, json.loads(out)["boolean"]) == (0, False), err


def test_the_endpoint_help_examples_run(private: Target) -> None:
    """The --endpoint examples of `kg query --help` (its epilog), against real servers."""
    examples = [line.strip() for line in QUERY_ENDPOINT_EXAMPLES.splitlines()
                if line.strip().startswith("kg query ")]
    assert len(examples) >= 3
    host = "http://127.0.0.1:8890" if private.name == "virtuoso" else "http://127.0.0.1:7878"
    for example in examples:
        if host not in example:
            continue
        args = shlex.split(example.replace(host, private.server.base))[1:]
        code, out, err = kg(*args, env=private.env)
        assert code == 0 and "microsoft-face-recognition-police" in out, (example, err)


# ---------------------------------------------------------------------------------------------
# --bind: Virtuoso ignores a trailing VALUES clause when the WHERE clause has a BIND


def test_virtuoso_ignores_a_trailing_values_clause_after_a_bind(private: Target) -> None:
    """Why kg sends Virtuoso the VALUES block inside the WHERE group (Query.sparql)."""
    text = ("SELECT ?e ?m WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?n . "
            "BIND (STR(?n) AS ?m) }")
    query = Query(text, "<t>").bind({"e": ox.NamedNode(f"{ID}person/brad-smith")})
    sizes = {}
    for placement in ("end", "group"):
        response = requests.post(
            private.server.query_url, data={"query": query.sparql(values=placement),
                                            "union-default-graph": ""},
            headers={"Accept": "application/sparql-results+json"},
            auth=private.server.query_auth(), timeout=30)
        response.raise_for_status()
        sizes[placement] = len(response.json()["results"]["bindings"])
    labels = 44  # every rdfs:label of the bundled article: the binding was dropped
    assert sizes == ({"end": labels, "group": 1} if private.name == "virtuoso"
                     else {"end": 1, "group": 1})


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("select * { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("PREFIX w: <http://x/where#>\n# WHERE { not here }\nSELECT ?where (\"WHERE {\" AS ?x) "
     "FROM <http://g/{}> WHERE { ?where w:where '''}''' }", "{ ?where w:where '''}''' }"),
    ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
     "{ { SELECT ?s WHERE { ?s ?p ?o } } }"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
    ("ASK { ?s ?p ?o } VALUES ?s { <http://x> }", "{ ?s ?p ?o } VALUES ?s { <http://x> }"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER (?o < 3 && ?o > 1) } GROUP BY ?s",
     "{ ?s ?p ?o FILTER (?o < 3 && ?o > 1) } GROUP BY ?s"),
    ("DESCRIBE <http://x>", None),
])
def test_the_where_group_is_found(text: str, expected: str | None) -> None:
    at = where_group(text)
    assert (None if at is None else text[at:]) == expected


@pytest.mark.parametrize(("name", "bind"), [c for c in CASES if c[1]])
def test_values_in_the_group_give_the_trailing_clauses_rows(
        embedded: Path, name: str, bind: tuple[str, ...]) -> None:
    query = resolve_query(name).bind(parse_bindings(bind))
    grouped = query.sparql(values="group")
    assert grouped.count("\n") == query.text.count("\n")  # line numbers kept
    with EmbeddedStore.open(embedded) as engine:
        end = engine.run(query)
        group = engine.run(replace(query, text=grouped, bindings=()))
    assert isinstance(end, SelectResult) and isinstance(group, SelectResult)
    assert end.rows and Counter(end.rows) == Counter(group.rows)


# ---------------------------------------------------------------------------------------------
# Malformed queries, updates, Virtuoso's result cap


def test_a_malformed_query_gets_the_servers_message_and_exit_2(private: Target) -> None:
    code, out, err = kg("query", "SELECT * WHERE { ?s ?p ?o } LIMT 3", "--endpoint",
                        private.endpoint, *private.args, env=private.env)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    if private.name == "oxigraph":  # located like the embedded store's parser error
        assert err.startswith("kg: error: <argument>:1:35: malformed query: expected one of")
    else:
        assert err.startswith("kg: error: <argument>: malformed query (HTTP 400 from ")
        assert "SP030: SPARQL compiler, line 1: syntax error at 'LIMT'" in err


def test_an_update_is_refused_before_sending(private: Target) -> None:
    # Virtuoso runs an update sent as query= (it writes): kg query never sends one.
    graph = "urn:newskg:test:must-not-exist"
    update = f"PREFIX x: <urn:x#>\nINSERT DATA {{ GRAPH <{graph}> {{ x:a x:b x:c }} }}"
    code, _, err = kg("query", update, "--endpoint", private.endpoint, *private.args,
                      env=private.env)
    assert code == 2 and "<argument>:2:1: INSERT is a SPARQL Update" in err
    assert count(private, graph) == 0


CROSS = " ".join(str(i) for i in range(110))  # 110 x 110 = 12,100 solutions, no data needed
BIG_SELECT = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {CROSS} }} VALUES ?b {{ {CROSS} }} }}"
BIG_CONSTRUCT = (f"CONSTRUCT {{ ?x <urn:p> ?b }} WHERE {{ VALUES ?a {{ {CROSS} }} VALUES ?b "
                 f"{{ {CROSS} }} BIND (IRI(CONCAT('urn:n:', STR(?a))) AS ?x) }}")


def test_virtuosos_silent_result_cap_is_reported_on_stderr(private: Target) -> None:
    args = ("--endpoint", private.endpoint, *private.args)
    code, out, err = kg("query", BIG_SELECT, *args, "-f", "tsv", env=private.env)
    rows = len(out.splitlines()) - 1
    code2, out2, err2 = kg("query", BIG_CONSTRUCT, *args, env=private.env)
    triples = len(Dataset().parse(data=out2, format="turtle"))
    assert code == code2 == 0
    if private.name == "virtuoso":
        assert rows == 10_000 and triples == 10_001  # cut, and Virtuoso does not say so
        for text in (err, err2):
            assert text.startswith("kg: warning: the result has 10,0")
            assert "Virtuoso's default result cap of 10,000" in text
    else:
        assert rows == triples == 12_100 and err == err2 == ""


# ---------------------------------------------------------------------------------------------
# kg load --endpoint


def test_load_twice_gives_the_same_counts(shared: Target, base: str) -> None:
    args = ("load", str(EXAMPLE_FACTS), "--base", base, "--endpoint", shared.endpoint,
            *shared.args)
    summaries = []
    for _ in range(2):
        code, out, err = kg(*args, env=shared.env)
        assert code == 0 and out == "", err
        summaries.append(err.strip().splitlines()[-1])
        assert count(shared, graph_of(base)) == 1002
    for line in summaries:
        assert re.fullmatch(r"loaded 1 graph, 1,002 triples into \S+ in [\d.]+ s "
                            r"\([\d,]+ triples/s, gsp\), verified", line), line
    code, _, err = kg(*args, "--protocol", "update", "-q", env=shared.env)
    assert code == 0 and err == "" and count(shared, graph_of(base)) == 1002


def test_wrong_credentials_exit_non_zero_with_a_clear_message_and_no_secret(
        shared: Target, base: str) -> None:
    wrong = f"wrong-{uuid.uuid4().hex}"
    if shared.name == "virtuoso":
        endpoint, user = shared.endpoint, "dba"
        front = None
    else:  # Oxigraph has no authentication: a front that wants Basic alice/right
        assert isinstance(shared.server, OxigraphServer)
        front = HttpFront(FrontConfig((LOOPBACK, shared.server.port), basic=("alice", "right")))
        front.__enter__()
        endpoint, user = f"{front.base}/query", "alice"
    try:
        env = {**shared.env, "NEWSKG_ENDPOINT_PASSWORD": wrong}
        for args in (("load", str(EXAMPLE_FACTS), "--base", base, "-q"), ("query", "roles")):
            code, out, err = kg(*args, "--endpoint", endpoint, "--user", user, env=env)
            assert code == 2, err
            assert "HTTP 401" in err and "the credentials were rejected" in err
            assert len(err.strip().splitlines()) == 1
            assert wrong not in out + err
        code, _, err = kg("query", "roles", "--endpoint", endpoint)  # no credentials at all
        assert code == 2 and "authentication required" in err
    finally:
        if front is not None:
            front.__exit__(None, None, None)
    assert count(shared, graph_of(base)) == 0


def test_a_password_in_the_url_is_refused_and_not_repeated(shared: Target) -> None:
    secret = f"s3cret-{uuid.uuid4().hex[:6]}"
    url = shared.endpoint.replace("://", f"://dba:{secret}@")
    for args in (("load", str(EXAMPLE_FACTS)), ("query", "roles")):
        code, out, err = kg(*args, "--endpoint", url)
        assert code == 2 and "holds a password" in err and secret not in out + err


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_dry_run_sends_nothing(shared: Target, base: str, protocol: str) -> None:
    port = (shared.server.http_port if isinstance(shared.server, VirtuosoServer)
            else shared.server.port)
    config = FrontConfig((LOOPBACK, port))
    path = "/sparql" if shared.name == "virtuoso" else "/query"
    with HttpFront(config) as front:
        code, out, err = kg("load", str(EXAMPLE_FACTS), "--base", base, "--endpoint",
                            f"{front.base}{path}", "--protocol", protocol, "--dry-run", "-q",
                            *shared.args, env=shared.env)
    assert code == 0 and out == "", err
    assert config.seen == []  # not a single request
    assert count(shared, graph_of(base)) == 0
    lines = err.strip().splitlines()
    assert lines[-1].startswith("dry run: would send ") and "nothing was sent" in lines[-1]
    requests_shown = [line for line in lines if f"(graph <{graph_of(base)}>)" in line]
    if protocol == "gsp":
        crud = "/sparql-graph-crud" if shared.name == "virtuoso" else "/store"
        assert requests_shown == [line for line in requests_shown
                                  if line.startswith(f"PUT {front.base}{crud} ")]
        assert len(requests_shown) == 1 and "1,002 triples" in requests_shown[0]
    else:
        assert len(requests_shown) == 6
        assert all(line.startswith(f"POST {front.base}") for line in requests_shown)


def test_a_verification_mismatch_exits_1_naming_the_graph(
        virtuoso: VirtuosoServer, base: str, tmp_path: Path) -> None:
    # Virtuoso stores "abc"^^xsd:integer and "def"^^xsd:integer as one "0": 3 sent, 2 counted.
    name = f"{base}graph/ill-typed"
    trig = tmp_path / "ill-typed.trig"
    trig.write_text(f'<{name}> {{ <{base}s> <{base}p> "abc"^^<{XSD}integer>, '
                    f'"def"^^<{XSD}integer>, "fine" . }}\n', encoding="utf-8")
    t = target("virtuoso", virtuoso)
    code, _, err = kg("load", str(trig), "--force", "-q", "--endpoint", t.endpoint, *t.args,
                      env=t.env)
    assert code == 1
    assert f"1 of 1 graphs differ: <{name}> sent 3, endpoint has 2" in err


def test_options_that_need_an_endpoint_say_so(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    code, _, err = kg("load", str(EXAMPLE_FACTS), "--store", store, "--protocol", "update")
    assert code == 2 and "--protocol needs an endpoint" in err
    code, _, err = kg("query", "roles", "--store", store, "--user", "x", "--timeout", "3")
    assert code == 2 and "--user, --timeout need an endpoint" in err
    code, _, err = kg("load", str(EXAMPLE_FACTS), "--protocol", "nope")
    assert code == 2 and "'nope' is not one of" in err


def test_progress_line_per_graph_on_a_terminal(oxigraph: OxigraphServer, base: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ds = Dataset()
    for n in range(3):
        ds.graph(URIRef(f"{base}graph/{n}")).add(
            (URIRef(f"{base}s"), URIRef(f"{base}p"), Literal(n)))
    summary = _load(ds, None, oxigraph.query_url,
                    options=EndpointOptions(auth="none", timeout=30), progress=True)
    shown = capsys.readouterr().err
    assert "\r\x1b[K  3/3 graphs, 3 triples," in shown and shown.endswith("\r\x1b[K")
    assert summary.startswith("loaded 3 graphs, 3 triples into ")


def test_help_names_the_options_and_where_secrets_come_from() -> None:
    code, out, _ = kg("load", "--help")
    flat = " ".join(out.split())
    assert code == 0
    for option in ("--gsp-endpoint", "--update-endpoint", "--protocol", "--append", "--user",
                   "--auth", "--dry-run", "--timeout", "--bulk", "--chunk", "--retries"):
        assert option in flat
    assert "NEWSKG_ENDPOINT_PASSWORD" in flat and "~/.netrc" in flat
    assert "kg load examples/ --endpoint http://127.0.0.1:7878/query" in (load_cmd.__doc__ or "")
    code, out, _ = kg("query", "--help")
    assert code == 0 and "Examples with an endpoint" in out
