"""`kg serve` against real clients: SPARQLWrapper, rdflib's SPARQLStore and requests.

One server per module (`kg serve --port 0` in a subprocess, on 127.0.0.1), over a store that
holds the bundled article and a hostile article whose texts are HTML and script. The answers
over HTTP are compared with `kg query`'s engine (`EmbeddedStore`) on the same store, opened
while the server runs: the server serves a snapshot and holds no lock.
"""

from __future__ import annotations

import gzip
import html.parser
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from kg.mapping import NKG, OA, SDO
from kg.query import EmbeddedStore, SelectResult, canned_queries
from kg.serve.data import locate
from kg.serve.negotiation import GRAPH_OFFERS, RESOURCE_OFFERS, RESULT_OFFERS, rank
from kg.serve.snapshot import Snapshot
from kg.store import load_into_store

from .conftest import store_held_open

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/newskg/id/"
ID = Namespace(BASE)
ARTICLE = f"{BASE}article/microsoft-face-recognition-police"
MICROSOFT = f"{BASE}organization/microsoft"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TIME_LIMIT = 2.0
MAX_BYTES = 200_000
LOOPBACK = "127.0.0.1"

# Test traffic goes to 127.0.0.1 only: never through a proxy from the environment.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, [os.environ.get("NO_PROXY"), LOOPBACK, "localhost"]))

HOSTILE_QUOTE = "<script>alert('quote')</script>"
HOSTILE_NAME = '"><img src=x onerror=alert(1)>'
HOSTILE_BODY = (f'Hostile Corp said "{HOSTILE_QUOTE}" on Monday. Its name is written '
                f"{HOSTILE_NAME} in the filing. Nothing else happened.")
HOSTILE_ARTICLE = ID["article/hostile"]
HOSTILE_ORG = ID["organization/hostile-corp"]
HOSTILE_STATEMENT = ID["article/hostile/statement/s1"]


def hostile_dataset() -> Dataset:
    """An article whose headline, names, quote and URL are markup and script."""
    data = Dataset()
    g = data.graph(ID["graph/hostile"])
    art, org, st = HOSTILE_ARTICLE, HOSTILE_ORG, HOSTILE_STATEMENT
    ev, quote, pos = (ID["article/hostile/evidence/s1"], ID["article/hostile/evidence/s1/quote"],
                      ID["article/hostile/evidence/s1/position"])
    start = HOSTILE_BODY.index(HOSTILE_QUOTE)
    for triple in [
        (art, RDF.type, NKG.Article), (art, RDF.type, SDO.NewsArticle),
        (art, RDFS.label, Literal(f"<b>{HOSTILE_QUOTE}</b>")),
        (art, SDO.headline, Literal(f"<b>{HOSTILE_QUOTE}</b>")),
        (art, SDO.datePublished, Literal("2020-01-06", datatype=XSD.date)),
        (art, SDO.articleBody, Literal(HOSTILE_BODY)),
        (art, SDO.url, Literal("javascript:alert('url')", datatype=XSD.anyURI)),
        (art, SDO.mentions, org),
        (org, RDF.type, NKG.Organization), (org, RDFS.label, Literal(HOSTILE_NAME)),
        (org, SDO.name, Literal(HOSTILE_NAME)),
        (org, OWL.sameAs, URIRef("javascript:alert('sameAs')")),
        (st, RDF.type, NKG.Statement), (st, RDFS.label, Literal(HOSTILE_QUOTE)),
        (st, SDO.spokenByCharacter, org), (st, SDO.text, Literal(HOSTILE_QUOTE)),
        (st, NKG.statementKind, NKG.DirectQuote), (st, PROV.wasDerivedFrom, art),
        (st, NKG.evidence, ev), (ev, RDF.type, NKG.Evidence), (ev, OA.hasSource, art),
        (ev, OA.hasSelector, quote), (ev, OA.hasSelector, pos),
        (quote, RDF.type, OA.TextQuoteSelector), (quote, OA.exact, Literal(HOSTILE_QUOTE)),
        (pos, RDF.type, OA.TextPositionSelector),
        (pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)),
        (pos, OA.end, Literal(start + len(HOSTILE_QUOTE), datatype=XSD.nonNegativeInteger)),
    ]:
        g.add(triple)
    return data


# ---------------------------------------------------------------------------------------------
# The server


@dataclass
class Served:
    url: str
    store: Path
    process: subprocess.Popen[str]
    log: list[str]

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(self.url + path.lstrip("/"), timeout=30, **kwargs)  # type: ignore[arg-type]

    def sparql(self, query: str, **params: str) -> requests.Response:
        return requests.post(self.url + "sparql", data={"query": query, **params}, timeout=30,
                             headers={"Accept": "application/sparql-results+json"})


def start_server(store: Path, *extra: str) -> Served:
    cmd = [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store",
           str(store), "--host", LOOPBACK, "--port", "0", "--no-access-log", *extra]
    process = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               text=True, start_new_session=True)
    assert process.stderr is not None
    log: list[str] = []
    deadline = time.monotonic() + 60
    url = None
    while url is None:
        line = process.stderr.readline()
        if not line:
            raise AssertionError(f"kg serve exited ({process.wait()}): {''.join(log)}")
        log.append(line)
        if " at http://" in line and "serving" in line:
            url = line.rsplit(" at ", 1)[1].strip()
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"kg serve did not start: {''.join(log)}")
    # Keep reading stderr so the server never blocks on a full pipe.
    threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()  # type: ignore[arg-type]
    return Served(url, store, process, log)


def stop_server(served: Served) -> None:
    served.process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
    try:
        served.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(served.process.pid, signal.SIGKILL)
        served.process.wait()


def build_store(path: Path, dataset: Dataset) -> Path:
    load_into_store(dataset, path)
    load_into_store(hostile_dataset(), path)
    return path


@pytest.fixture(scope="module")
def served(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = build_store(tmp_path_factory.mktemp("serve") / "store", dataset)
    server = start_server(store, "--time-limit", str(TIME_LIMIT), "--workers", "2",
                          "--max-result-bytes", str(MAX_BYTES), "--license", LICENSE)
    yield server
    stop_server(server)
    # uvicorn shuts down cleanly on SIGINT, then ends by the signal (exit 130) as shells expect.
    assert server.process.returncode in (0, 130, -signal.SIGINT), "".join(server.log)
    assert "Application shutdown complete." in "".join(server.log)


# ---------------------------------------------------------------------------------------------
# Helpers


def json_term(value: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])


def rows_of_json(doc: dict[str, object]) -> Counter[tuple[object, ...]]:
    head = doc["head"]
    results = doc["results"]
    assert isinstance(head, dict) and isinstance(results, dict)
    names = head["vars"]
    return Counter(tuple(json_term(b[v]) if v in b else None for v in names)
                   for b in results["bindings"])


def local_rows(store: Path, name: str) -> tuple[tuple[str, ...], Counter[tuple[object, ...]]]:
    with EmbeddedStore.open(store) as engine:
        result = engine.run(canned_queries()[name].query())
    assert isinstance(result, SelectResult)
    return result.variables, Counter(result.rows)


def rdflib_to_ox(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None and term.datatype != XSD.string:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def local_path(iri: str) -> str:
    return "/newskg/id/" + iri[len(BASE):]


class Tags(html.parser.HTMLParser):
    """Every start tag and its attributes, as the browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


# ---------------------------------------------------------------------------------------------
# SPARQL clients give kg query's answers


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_sparqlwrapper_gets_what_kg_query_gets(served: Served, name: str) -> None:
    client = SPARQLWrapper(served.url + "sparql")
    client.setQuery(canned_queries()[name].query().sparql())
    client.setReturnFormat(JSON)
    remote = client.query().convert()
    assert isinstance(remote, dict)
    variables, rows = local_rows(served.store, name)  # opened while kg serve runs
    assert tuple(remote["head"]["vars"]) == variables
    assert rows_of_json(remote) == rows and sum(rows.values()) > 0


def test_rdflib_sparqlstore_gets_what_kg_query_gets(served: Served) -> None:
    # default_union: rdflib then sends no default-graph-uri, so the server's default graph
    # (the union of the article graphs, as kg query has it) answers.
    remote = Dataset(store=SPARQLStore(served.url + "sparql"), default_union=True)
    for name in ("roles", "statements", "organizations"):
        variables, rows = local_rows(served.store, name)
        result = remote.query(canned_queries()[name].query().sparql())
        got = Counter(tuple(rdflib_to_ox(row[v]) for v in variables) for row in result)
        assert got == rows, name
    construct = remote.query(f"CONSTRUCT {{ <{MICROSOFT}> ?p ?o }} WHERE {{ <{MICROSOFT}> ?p ?o }}")
    graph = construct.graph
    assert graph is not None and (URIRef(MICROSOFT), RDFS.label, Literal("Microsoft")) in graph


def test_get_post_form_and_post_query_agree(served: Served) -> None:
    query = canned_queries()["roles"].query().sparql()
    accept = {"Accept": "application/sparql-results+json"}
    answers = [
        requests.get(served.url + "sparql", params={"query": query}, headers=accept, timeout=30),
        requests.post(served.url + "sparql", data={"query": query}, headers=accept, timeout=30),
        requests.post(served.url + "sparql", data=query.encode("utf-8"), timeout=30, headers={
            **accept, "Content-Type": "application/sparql-query"}),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/sparql-results+json"
        assert "query;dur=" in answer.headers["server-timing"]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert len(answers[0].json()["results"]["bindings"]) == 2


@pytest.mark.parametrize(("accept", "fmt", "media_type", "marker"), [
    ("application/sparql-results+xml", None, "application/sparql-results+xml", "<sparql"),
    ("text/csv", None, "text/csv; charset=utf-8", "person,title,organization,article\r\n"),
    ("text/tab-separated-values", None, "text/tab-separated-values; charset=utf-8",
     "?person\t?title\t?organization\t?article\n"),
    (None, "xml", "application/sparql-results+xml", "<sparql"),
    ("text/csv", "json", "application/sparql-results+json", '"bindings"'),
    ("*/*", None, "application/sparql-results+json", '"bindings"'),
])
def test_result_formats(served: Served, accept: str | None, fmt: str | None, media_type: str,
                        marker: str) -> None:
    params = {"query": canned_queries()["roles"].query().sparql()}
    if fmt:
        params["format"] = fmt
    answer = requests.get(served.url + "sparql", params=params, timeout=30,
                          headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == media_type
    assert marker in answer.text and "Brad Smith" in answer.text
    assert answer.headers["vary"] == "Accept"


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json",
                                                                 "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_construct_in_every_graph_format(served: Served, accept: str, rdf_format: str) -> None:
    query = f"DESCRIBE <{MICROSOFT}>"
    answer = requests.get(served.url + "sparql", params={"query": query},
                          headers={"Accept": accept}, timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.content, format=rdf_format)
    assert (URIRef(MICROSOFT), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q2283")) in graph


def test_ask(served: Served) -> None:
    answer = served.sparql(f"ASK {{ <{MICROSOFT}> ?p ?o }}")
    assert answer.status_code == 200 and answer.json() == {"head": {}, "boolean": True}


def test_malformed_query_is_400_with_the_parsers_message(served: Served) -> None:
    answer = served.sparql("SELECT ?s WHERE { ?s ?p }")
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.text.startswith("malformed query: ") and "(line 1, column " in answer.text


def test_no_update_is_accepted(served: Served) -> None:
    update = f"INSERT DATA {{ <{MICROSOFT}> <http://example.org/p> 1 }}"
    by_form = requests.post(served.url + "sparql", data={"update": update}, timeout=30)
    by_body = requests.post(served.url + "sparql", data=update, timeout=30,
                            headers={"Content-Type": "application/sparql-update"})
    as_query = served.sparql(update)
    assert by_form.status_code == by_body.status_code == 403
    assert "read-only" in by_form.text
    assert as_query.status_code == 400
    assert served.sparql(f"ASK {{ <{MICROSOFT}> <http://example.org/p> 1 }}").json()[
        "boolean"] is False


def test_unacceptable_and_wrong_formats(served: Served) -> None:
    query = canned_queries()["roles"].query().sparql()
    answer = requests.get(served.url + "sparql", params={"query": query},
                          headers={"Accept": "image/png"}, timeout=30)
    assert answer.status_code == 406 and "application/sparql-results+json" in answer.text
    answer = requests.get(served.url + "sparql", params={"query": query, "format": "turtle"},
                          timeout=30)
    assert answer.status_code == 400 and "cannot express a SELECT/ASK result" in answer.text
    answer = requests.get(served.url + "sparql", params={"query": query, "format": "yaml"},
                          timeout=30)
    assert answer.status_code == 400


def test_a_result_over_the_size_limit_is_refused_not_cut(served: Served) -> None:
    answer = served.sparql("SELECT * WHERE { ?s ?p ?o }")
    assert answer.status_code == 400
    assert f"limit of {MAX_BYTES:,} bytes" in answer.text
    assert served.sparql("SELECT * WHERE { ?s ?p ?o } LIMIT 10").status_code == 200


def test_a_runaway_query_hits_the_time_limit_while_others_answer(served: Served) -> None:
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        outcome["answer"] = served.sparql(cross)
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)  # the cross product now holds one of the two workers
    latencies = []
    while thread.is_alive():
        start = time.monotonic()
        answer = served.sparql(f"ASK {{ <{MICROSOFT}> ?p ?o }}")
        latencies.append(time.monotonic() - start)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        time.sleep(0.05)
    thread.join()
    answer = outcome["answer"]
    assert isinstance(answer, requests.Response)
    assert answer.status_code == 503, answer.text
    assert f"ran past the time limit of {TIME_LIMIT:g} s and was stopped" in answer.text
    assert TIME_LIMIT <= float(outcome["seconds"]) < TIME_LIMIT + 3  # type: ignore[arg-type]
    # None waited for the runaway (1.5 s: leeway for a busy 2-core CI machine).
    assert len(latencies) >= 10 and max(latencies) < 1.5
    # The killed worker is replaced: two queries at once still run side by side.
    with_two = [threading.Thread(target=lambda: served.sparql("ASK { ?s ?p ?o }"))
                for _ in range(2)]
    for t in with_two:
        t.start()
    for t in with_two:
        t.join(timeout=30)
    assert served.sparql("ASK { ?s ?p ?o }").json()["boolean"] is True


def test_service_description(served: Served) -> None:
    answer = served.get("sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=answer.text, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (URIRef(served.url + "sparql"), sd.endpoint, URIRef(served.url + "sparql")) in graph
    page = served.get("sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="query-form"' in page.text


# ---------------------------------------------------------------------------------------------
# Linked Data


def iris_under_base(store: Path) -> set[str]:
    with EmbeddedStore.open(store) as engine:
        from kg.query import Query

        result = engine.run(Query(
            "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } "
            f'FILTER (isIRI(?x) && STRSTARTS(STR(?x), "{BASE}")) }}', "<test>"))
    assert isinstance(result, SelectResult)
    return {row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode)}


def test_every_iri_under_the_base_dereferences(served: Served) -> None:
    iris = iris_under_base(served.store)
    assert len(iris) > 150
    with requests.Session() as session:
        for iri in sorted(iris):
            answer = session.get(served.url.rstrip("/") + local_path(iri), timeout=30,
                                 headers={"Accept": "application/n-triples"})
            assert answer.status_code == 200, iri
            subjects = {q.subject for q in ox.parse(answer.content,
                                                     format=ox.RdfFormat.N_TRIPLES)}
            objects = {q.object for q in ox.parse(answer.content,
                                                   format=ox.RdfFormat.N_TRIPLES)}
            assert ox.NamedNode(iri) in subjects | objects, iri


@pytest.mark.parametrize(("accept", "media_type", "rdf_format"), [
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml;q=0.9, text/html;q=0.1", "application/rdf+xml", "xml"),
])
def test_content_negotiation_of_a_resource(served: Served, accept: str, media_type: str,
                                           rdf_format: str) -> None:
    answer = served.get(local_path(MICROSOFT), headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == media_type
    assert answer.headers["vary"] == "Accept"
    assert answer.headers["link"] == f'<{MICROSOFT}>; rel="canonical"'
    graph = Graph().parse(data=answer.content, format=rdf_format)
    microsoft, article = URIRef(MICROSOFT), URIRef(ARTICLE)
    assert (microsoft, RDFS.label, Literal("Microsoft")) in graph  # out
    assert (article, SDO.mentions, microsoft) in graph  # in
    assert (article, RDFS.label, None) in graph  # a neighbour's label


def test_html_and_format_parameter_and_errors(served: Served) -> None:
    page = served.get(local_path(MICROSOFT), headers={"Accept": "text/html"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["vary"] == "Accept"
    assert served.get(local_path(MICROSOFT), headers={"Accept": "*/*"}).headers[
        "content-type"].startswith("text/html")
    turtle = served.get(local_path(MICROSOFT) + "?format=ttl",
                        headers={"Accept": "text/html"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    missing = served.get("/newskg/id/organization/nobody", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and missing.headers["vary"] == "Accept"
    assert "https://w3id.org/newskg/id/organization/nobody" in missing.text
    assert served.get("/newskg/id/organization/nobody").status_code == 404
    refused = served.get(local_path(MICROSOFT), headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "text/turtle" in refused.text
    assert served.get("/nowhere").status_code == 404


def test_organization_page_in_words(served: Served) -> None:
    page = served.get(local_path(MICROSOFT)).text
    assert "<h1>Microsoft</h1>" in page
    assert 'href="http://www.wikidata.org/entity/Q2283"' in page and "Wikidata Q2283" in page
    assert ">Brad Smith</a> is president and chief counsel at" in page
    assert "announced: Microsoft will not sell its facial recognition software to police" in page
    assert "2020-06-11</a> (“Thursday”)" in page
    assert "<mark>Microsoft&#39;s president and chief counsel, Brad Smith</mark>" in page
    assert 'href="/newskg/id/person/brad-smith"' in page  # the base mapped to this server


def test_statement_page_shows_its_evidence_in_the_sentence(served: Served) -> None:
    with EmbeddedStore.open(served.store) as engine:
        from kg.query import Query

        result = engine.run(Query(
            "SELECT ?s ?exact WHERE { ?s a <https://w3id.org/newskg/ns#Statement> ; "
            "<https://w3id.org/newskg/ns#statementKind> "
            "<https://w3id.org/newskg/ns#DirectQuote> ; <https://w3id.org/newskg/ns#evidence>/"
            "<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact . "
            f'FILTER STRSTARTS(STR(?s), "{ARTICLE}") }} LIMIT 1', "<test>"))
    assert isinstance(result, SelectResult)
    (statement, exact), = result.rows
    assert isinstance(statement, ox.NamedNode) and isinstance(exact, ox.Literal)
    page = served.get(local_path(statement.value)).text
    assert "said: “" in page
    escaped = exact.value.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;")
    assert f"<mark>{escaped}</mark>" in page
    assert "quoted words" in page
    assert f'href="{local_path(ARTICLE)}"' in page


def test_article_page(served: Served) -> None:
    page = served.get(local_path(ARTICLE)).text
    assert "Microsoft Bans Face-Recognition Sales to Police" in page
    assert "2020-06-12T12:17:00+05:30 (“12 June 2020 12:17 IST”)" in page
    for section in ("Announcements", "Statements", "Roles", "Dates"):
        assert f"<h2>{section}</h2>" in page
    assert 'href="/download/article/microsoft-face-recognition-police.ttl"' in page


def test_hostile_data_renders_as_text(served: Served) -> None:
    for iri in (HOSTILE_STATEMENT, HOSTILE_ORG, HOSTILE_ARTICLE):
        page = served.get(local_path(str(iri))).text
        found = tags(page)
        scripts = [attrs.get("src") for tag, attrs in found if tag == "script"]
        assert scripts == ["/static/app.js"], iri
        assert not [tag for tag, _ in found if tag == "img"], iri
        assert not [name for _, attrs in found for name in attrs if name.startswith("on")], iri
        hrefs = [attrs.get("href") or "" for _, attrs in found]
        assert not [h for h in hrefs if h.lower().startswith("javascript:")], iri
        assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in page, iri
    page = served.get(local_path(str(HOSTILE_ORG))).text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    statement = served.get(local_path(str(HOSTILE_STATEMENT))).text
    assert "<mark>&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;</mark>" in statement
    assert "Content-Security-Policy" in served.get("/").headers


# ---------------------------------------------------------------------------------------------
# Home, downloads, VoID, ontology


def test_home_page(served: Served) -> None:
    page = served.get("/").text
    assert '<th scope="row">articles</th><td>2</td>' in page
    assert '<th scope="row">organizations</th><td>14</td>' in page
    assert f'href="{local_path(ARTICLE)}"' in page
    for name in canned_queries():
        assert f'<option value="{name}"' in page
    for name in ("newskg.ttl", "newskg.trig", "newskg.nq.gz"):
        assert f'href="/download/{name}"' in page


def union_triples(store: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.Store.read_only(str(store))}


def test_downloads(served: Served) -> None:
    expected = union_triples(served.store)
    quads = {q for q in ox.Store.read_only(str(served.store))}
    for name, media_type in (("newskg.ttl", "text/turtle; charset=utf-8"),
                             ("newskg.trig", "application/trig"),
                             ("newskg.nq.gz", "application/gzip")):
        answer = served.get(f"/download/{name}")
        assert answer.status_code == 200
        assert answer.headers["content-type"] == media_type
        assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'
        etag, modified = answer.headers["etag"], answer.headers["last-modified"]
        assert etag.startswith('"') and modified.endswith(" GMT")
        assert served.get(f"/download/{name}", headers={"If-None-Match": etag}).status_code == 304
        assert served.get(f"/download/{name}",
                          headers={"If-Modified-Since": modified}).status_code == 304
        again = served.get(f"/download/{name}")
        assert again.headers["etag"] == etag and again.content == answer.content
        if name == "newskg.ttl":
            got = {q.triple for q in ox.parse(answer.content, format=ox.RdfFormat.TURTLE)}
            assert got == expected
        elif name == "newskg.trig":
            assert set(ox.parse(answer.content, format=ox.RdfFormat.TRIG)) == quads
        else:
            data = gzip.decompress(answer.content)
            assert set(ox.parse(data, format=ox.RdfFormat.N_QUADS)) == quads
    one = served.get("/download/article/microsoft-face-recognition-police.ttl")
    assert one.headers["content-disposition"] == (
        'attachment; filename="microsoft-face-recognition-police.ttl"')
    assert len(list(ox.parse(one.content, format=ox.RdfFormat.TURTLE))) == 1002
    assert served.get("/download/article/nothing.ttl").status_code == 404
    assert served.get("/download/other.zip").status_code == 404


def test_void_description(served: Served) -> None:
    answer = served.get("/.well-known/void")
    assert answer.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=answer.text, format="turtle")
    void = Namespace("http://rdfs.org/ns/void#")
    dcterms = Namespace("http://purl.org/dc/terms/")
    dataset = URIRef(served.url + ".well-known/void#dataset")
    assert (dataset, RDF.type, void.Dataset) in graph
    assert graph.value(dataset, void.triples).toPython() == len(union_triples(served.store))
    assert graph.value(dataset, dcterms.license) == URIRef(LICENSE)
    assert graph.value(dataset, void.sparqlEndpoint) == URIRef(served.url + "sparql")
    assert graph.value(dataset, void.uriSpace) == Literal(BASE)
    assert graph.value(dataset, void.entities).toPython() > 150
    classes = {graph.value(p, void["class"]) for p in graph.objects(dataset, void.classPartition)}
    assert NKG.Statement in classes and NKG.Organization in classes
    dumps = set(graph.objects(dataset, void.dataDump))
    assert URIRef(served.url + "download/newskg.nq.gz") in dumps and len(dumps) == 3


def test_ontology(served: Served) -> None:
    page = served.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["vary"] == "Accept"
    assert 'id="Statement"' in page.text and "nkg:Statement" in page.text
    assert "A news article: the source of every fact in its named graph." in page.text
    turtle = served.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.content == (ROOT / "ontology" / "newskg.ttl").read_bytes()
    jsonld = served.get("/ontology", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.content, format="json-ld")) == len(
        Graph().parse(data=turtle.content, format="turtle"))
    redirect = served.get("/newskg/ns", allow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/ontology"
    # Ontology terms in pages link to their anchors there.
    assert 'href="/ontology#Organization"' in served.get(local_path(MICROSOFT)).text


# ---------------------------------------------------------------------------------------------
# kg serve itself


def test_kg_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "serve",
                           "--store", str(tmp_path / "none"), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("no store here (create one with: kg load FILE… "
                                        "--store PATH)")


def test_kg_serve_waits_a_bounded_time_for_a_busy_store(dataset: Dataset,
                                                       tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_into_store(dataset, store)
    with store_held_open(store):
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()",
                               "serve", "--store", str(store), "--port", "0", "--lock-wait",
                               "1"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and time.monotonic() - start < 30
        assert "in use by another process" in proc.stderr
        assert "kg serve waited 1 s for it (--lock-wait)" in proc.stderr


# ---------------------------------------------------------------------------------------------
# The snapshot


def test_the_served_default_graph_is_the_merge_of_the_graphs(tmp_path: Path) -> None:
    ex = Namespace("http://example.org/")
    data = Dataset()
    for name in ("a", "b"):  # two article graphs that both name the same organization
        data.graph(ex[name]).add((ex.x, RDFS.label, Literal("X")))
    data.graph(ex.a).add((ex.y, RDFS.label, Literal("Y")))
    store = tmp_path / "store"
    load_into_store(data, store)
    label = ("SELECT ?l WHERE { <http://example.org/x> "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    snap = Snapshot.take(store, lock_wait=0)
    try:
        assert snap.merged and snap.path != store
        assert len(list(snap.store.query(label))) == 1  # the merge: each triple once
        per_graph = snap.store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert sorted(row["g"].value for row in per_graph) == [str(ex.a), str(ex.a), str(ex.b)]
        # The served store holds no lock: kg load writes the source meanwhile, the snapshot
        # keeps what it had.
        more = Dataset()
        more.graph(ex.c).add((ex.z, RDFS.label, Literal("Z")))
        load_into_store(more, store)
        assert len(list(snap.store.query("SELECT * WHERE { GRAPH <http://example.org/c> "
                                         "{ ?s ?p ?o } }"))) == 0
    finally:
        snap.close()
    assert not snap.path.exists()
    source = ox.Store.read_only(str(store))
    assert not list(source.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    # Oxigraph's union default graph repeats the triple once per graph: why the merge is made.
    assert len(list(source.query(label, use_default_graph_as_union=True))) == 2


# ---------------------------------------------------------------------------------------------
# Units


def test_accept_ranking() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert rank(browser, RESULT_OFFERS)[:2] == ["html", "xml"]
    assert rank(browser, RESOURCE_OFFERS)[0] == "html"
    assert rank(None, RESULT_OFFERS)[0] == "json"
    assert rank("*/*", GRAPH_OFFERS)[0] == "turtle"
    assert rank("text/*;q=0.5, text/turtle;q=0", GRAPH_OFFERS) == ["ntriples", "html"]
    assert "turtle" not in rank("text/*;q=0.5, text/turtle;q=0", GRAPH_OFFERS)
    assert rank("image/png", RESULT_OFFERS) == []
    assert rank("application/json", GRAPH_OFFERS) == ["jsonld"]


def test_evidence_sentence() -> None:
    body = "First sentence here. Then he said “no” today. Last one.\nNew paragraph."
    start = body.index("said")
    span = locate(ox.NamedNode("http://e/1"), None, body, "said “no”", start, start + 9)
    assert span.located
    assert (span.before, span.exact, span.after) == ("Then he ", "said “no”", " today.")
    wrong = locate(ox.NamedNode("http://e/1"), None, body, "other", start, start + 5)
    assert not wrong.located and wrong.exact == "other"
    last = locate(ox.NamedNode("http://e/2"), None, body, "Last one.", body.index("Last"),
                  body.index("Last") + 9)
    assert (last.before, last.after) == ("", "")
