"""`kg query`: every canned query on the bundled article, the argument rule, bindings, formats,
malformed queries."""

from __future__ import annotations

import csv
import io
import json
import shlex
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg.cli import app, query_cmd
from kg.errors import InputError, StoreError
from kg.facts import FactSheet
from kg.mapping import NKG, map_facts, map_many
from kg.query import (
    MAX_CELL,
    AskResult,
    EmbeddedStore,
    GraphResult,
    Query,
    QueryResult,
    SelectResult,
    canned_queries,
    format_result,
    parse_binding,
    parse_bindings,
    resolve_query,
)
from kg.resources import data_dir
from kg.store import load_into_store, open_store

from .conftest import BUILD_TIME, EXAMPLE_FACTS
from .test_store import HOSTILE

A = "https://w3id.org/newskg/id/article/microsoft-face-recognition-police"
ID = "https://w3id.org/newskg/id/"
WD = "http://www.wikidata.org/entity/"
EX = Namespace("http://example.org/")
runner = CliRunner()

Row = tuple[str | None, ...]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store_path(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled article loaded, plus a graph of hostile literals; tests only read it."""
    path = tmp_path_factory.mktemp("query") / "store"
    load_into_store(dataset, path)
    hostile = Dataset()
    for n, text in enumerate(HOSTILE):
        hostile.graph(EX.hostile).add((EX[f"s{n}"], EX.text, Literal(text)))
    load_into_store(hostile, path)
    return path


@pytest.fixture()
def engine(store_path: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore.open(store_path) as opened:
        yield opened


def rows(result: QueryResult) -> list[Row]:
    assert isinstance(result, SelectResult)
    return [tuple(None if t is None else t.value.replace(A, "{A}") if isinstance(t, ox.NamedNode)
                  else t.value for t in row) for row in result.rows]


def canned(engine: EmbeddedStore, name: str, **bind: str) -> QueryResult:
    query = resolve_query(name).bind(parse_bindings(f"{k}={v}" for k, v in bind.items()))
    return engine.run(query)


# ---------------------------------------------------------------------------------------------
# The canned queries, each with the exact rows it gives on the bundled article


def test_every_canned_query_is_described_and_tested() -> None:
    names = {p.stem for p in data_dir("queries").glob("*.rq")}
    assert set(canned_queries()) == names == {
        "announcements", "statements", "organizations", "roles", "timeline", "evidence",
        "entity"}
    for q in canned_queries().values():
        first = q.path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and q.description == first[2:] and len(first) <= 140
        assert q.description[0].isupper() and q.description.endswith(".")


def test_announcements(engine: EmbeddedStore) -> None:
    result = canned(engine, "announcements")
    assert isinstance(result, SelectResult)
    assert result.variables == ("agent", "what", "date", "asWritten", "spokesperson", "article")
    national = ("Microsoft, Amazon and IBM are calling on Congress to set national rules over how "
                "police use facial recognition")
    assert rows(result) == [
        ("Amazon", national, None, None, None, "{A}"),
        ("IBM", national, None, None, None, "{A}"),
        ("Microsoft", national, None, None, None, "{A}"),
        ("Amazon", "Amazon stepped back from selling its facial recognition technology to police",
         "2020-06-08", "this week", None, "{A}"),
        ("IBM", "IBM stepped back from selling its facial recognition technology to police",
         "2020-06-08", "this week", None, "{A}"),
        ("Microsoft", "Microsoft called on Congress to regulate facial recognition technology",
         "2020-06-11", "Thursday", "Brad Smith", "{A}"),
        ("Microsoft", "Microsoft will not sell its facial recognition software to police",
         "2020-06-11", "Thursday", "Brad Smith", "{A}"),
    ]


SMITH_QUOTE = (
    "If all of the responsible companies in the country cede this market to those that are not "
    "prepared to take a stand, we won't necessarily serve the national interest or the lives of "
    "the black and African American people of this nation well, We need Congress to act, not "
    "just tech companies alone.")
CAGLE_QUOTE = (
    "Congress and legislatures nationwide must swiftly stop law enforcement use of face "
    "recognition, and companies like Microsoft should work with the civil rights community — "
    "not against it — to make that happen,")
SMITH_SALES = ("Microsoft currently doesn't sell its face recognition software to any US police "
               "departments.")
OPPOSES = ("Microsoft has opposed outright bans on government use of the technology passed in "
           "San Francisco and other cities.")
WARNINGS = ("The potential dangers of face-scanning technology being abused to enable "
            "oppressive mass surveillance.")
LOBBYING = ("Microsoft is lobbying for weak regulations that could end up legitimizing and "
            "expanding police use of facial recognition.")


def test_statements(engine: EmbeddedStore) -> None:
    result = canned(engine, "statements")
    assert isinstance(result, SelectResult)
    assert result.variables == ("speaker", "kind", "text", "date", "article")
    assert rows(result) == [
        ("American Civil Liberties Union", "IndirectStatement", LOBBYING, None, "{A}"),
        ("Brad Smith", "DirectQuote", SMITH_QUOTE, None, "{A}"),
        ("Brad Smith", "IndirectStatement", SMITH_SALES, "2020-06-11", "{A}"),
        ("Matt Cagle", "DirectQuote", CAGLE_QUOTE, "2020-06-11", "{A}"),
        ("Microsoft", "IndirectStatement", OPPOSES, None, "{A}"),
        ("Microsoft", "IndirectStatement", WARNINGS, "P2Y", "{A}"),
    ]


def test_organizations(engine: EmbeddedStore) -> None:
    result = canned(engine, "organizations")
    assert isinstance(result, SelectResult)
    assert result.variables == ("article", "organization", "wikidata")
    assert rows(result) == [
        ("{A}", "ACLU of Northern California", None),
        ("{A}", "Amazon", WD + "Q3884"),
        ("{A}", "American Civil Liberties Union", WD + "Q21637"),
        ("{A}", "Associated Press", WD + "Q40469"),
        ("{A}", "Gadgets 360", None),
        ("{A}", "Gemalto", None),
        ("{A}", "IBM", WD + "Q37156"),
        ("{A}", "Idemia", None),
        ("{A}", "Microsoft", WD + "Q2283"),
        ("{A}", "NEC", None),
        ("{A}", "Reuters", WD + "Q130879"),
        ("{A}", "The Washington Post", WD + "Q166032"),
        ("{A}", "United States Congress", WD + "Q11268"),
    ]


def test_roles(engine: EmbeddedStore) -> None:
    result = canned(engine, "roles")
    assert isinstance(result, SelectResult)
    assert result.variables == ("person", "title", "organization", "article")
    assert rows(result) == [
        ("Brad Smith", "president and chief counsel", "Microsoft", "{A}"),
        ("Matt Cagle", "attorney", "ACLU of Northern California", "{A}"),
    ]


def test_timeline(engine: EmbeddedStore) -> None:
    result = canned(engine, "timeline")
    assert isinstance(result, SelectResult)
    assert result.variables == ("date", "precision", "asWritten", "kind", "who", "what", "fact",
                                "article")
    assert rows(result) == [
        ("2020-06-08", "week", "this week", "announcement", "Amazon",
         "Amazon stepped back from selling its facial recognition technology to police",
         "{A}/announcement/amazon-halts-police-sales", "{A}"),
        ("2020-06-08", "week", "this week", "announcement", "IBM",
         "IBM stepped back from selling its facial recognition technology to police",
         "{A}/announcement/ibm-halts-police-sales", "{A}"),
        ("2020-06-11", "day", "Thursday", "announcement", "Microsoft",
         "Microsoft called on Congress to regulate facial recognition technology",
         "{A}/announcement/microsoft-calls-on-congress", "{A}"),
        ("2020-06-11", "day", "Thursday", "announcement", "Microsoft",
         "Microsoft will not sell its facial recognition software to police",
         "{A}/announcement/microsoft-stops-police-sales", "{A}"),
        ("2020-06-11", "day", "Thursday", "statement", "Brad Smith", SMITH_SALES,
         "{A}/statement/smith-current-sales", "{A}"),
        ("2020-06-11", "day", "Thursday", "statement", "Matt Cagle", CAGLE_QUOTE,
         "{A}/statement/cagle-quote", "{A}"),
        ("2020-06-12T12:17:00+05:30", "instant", "12 June 2020 12:17 IST", "publication",
         "Gadgets 360",
         "Microsoft Bans Face-Recognition Sales to Police as Big Tech Reacts to Protests",
         "{A}", "{A}"),
    ]


def test_evidence_of_one_fact(engine: EmbeddedStore) -> None:
    result = canned(engine, "evidence", fact=f"<{A}/role/smith-microsoft>")
    assert isinstance(result, SelectResult)
    assert result.variables == ("fact", "exact", "start", "end", "article")
    assert rows(result) == [("{A}/role/smith-microsoft",
                             "Microsoft's president and chief counsel, Brad Smith", "80", "131",
                             "{A}")]
    assert rows(canned(engine, "evidence", fact=f"<{A}/statement/smith-quote>")) == [
        ("{A}/statement/smith-quote",
         "“If all of the responsible companies in the country cede this market to those that "
         "are not prepared to take a stand, we won't necessarily serve the national interest or "
         "the lives of the black and African American people of this nation well,\" Smith said. "
         "\"We need Congress to act, not just tech companies alone.”", "2180", "2491", "{A}")]


def test_evidence_of_every_fact(engine: EmbeddedStore, dataset: Dataset) -> None:
    got = rows(canned(engine, "evidence"))
    # The oracle: every node with nkg:evidence in the built dataset, read with rdflib.
    expected = {str(s).replace(A, "{A}") for s, _, _, _ in
                dataset.quads((None, NKG.evidence, None, None))}
    article_text = EXAMPLE_FACTS.with_name("article.txt").read_text(encoding="utf-8")
    assert len(got) == 44 and {r[0] for r in got} == expected
    for _, exact, start, end, article in got:
        assert start is not None and end is not None and article == "{A}"
        assert article_text[int(start):int(end)] == exact  # the offsets point at the span
    starts = [int(r[2] or 0) for r in got]
    assert starts == sorted(starts)


def test_what_one_entity_did(engine: EmbeddedStore) -> None:
    smith = ID + "person/brad-smith"
    result = canned(engine, "entity", entity=f"<{smith}>")
    assert isinstance(result, SelectResult)
    assert result.variables == ("entity", "name", "did", "what", "date", "fact", "article")
    assert rows(result) == [
        (smith, "Brad Smith", "holds the role", "president and chief counsel, Microsoft", None,
         "{A}/role/smith-microsoft", "{A}"),
        (smith, "Brad Smith", "said", SMITH_QUOTE, None, "{A}/statement/smith-quote", "{A}"),
        (smith, "Brad Smith", "announced as spokesperson",
         "Microsoft called on Congress to regulate facial recognition technology", "2020-06-11",
         "{A}/announcement/microsoft-calls-on-congress", "{A}"),
        (smith, "Brad Smith", "announced as spokesperson",
         "Microsoft will not sell its facial recognition software to police", "2020-06-11",
         "{A}/announcement/microsoft-stops-police-sales", "{A}"),
        (smith, "Brad Smith", "said", SMITH_SALES, "2020-06-11",
         "{A}/statement/smith-current-sales", "{A}"),
    ]
    microsoft = ID + "organization/microsoft"
    assert [r[2:5] for r in rows(canned(engine, "entity", entity=f"<{microsoft}>"))] == [
        ("announced", "Microsoft, Amazon and IBM are calling on Congress to set national rules "
                      "over how police use facial recognition", None),
        ("said", OPPOSES, None),
        ("announced", "Microsoft called on Congress to regulate facial recognition technology",
         "2020-06-11"),
        ("announced", "Microsoft will not sell its facial recognition software to police",
         "2020-06-11"),
        ("said", WARNINGS, "P2Y"),
    ]


def test_what_every_entity_did(engine: EmbeddedStore) -> None:
    got = rows(canned(engine, "entity"))
    assert [(r[1], r[2]) for r in got] == [
        ("Amazon", "announced"), ("Amazon", "announced"),
        ("American Civil Liberties Union", "said"),
        ("Brad Smith", "holds the role"), ("Brad Smith", "said"),
        ("Brad Smith", "announced as spokesperson"), ("Brad Smith", "announced as spokesperson"),
        ("Brad Smith", "said"),
        ("IBM", "announced"), ("IBM", "announced"),
        ("Matt Cagle", "holds the role"), ("Matt Cagle", "said"),
        ("Microsoft", "announced"), ("Microsoft", "said"), ("Microsoft", "announced"),
        ("Microsoft", "announced"), ("Microsoft", "said"),
    ]


# ---------------------------------------------------------------------------------------------
# Many articles: each solution comes from one article graph


def articles_sharing_entities(sheet: FactSheet) -> list[FactSheet]:
    """Three articles whose graphs describe the same entities: the bundled one, a copy under
    another id, and a variant without announcements that writes Matt Cagle's name differently
    (``Matt Cagle.``: the same IRI, another label in that article's graph)."""
    copy = replace(sheet, article=replace(sheet.article, id="second-copy"))
    variant = replace(
        sheet, article=replace(sheet.article, id="third-variant"), announcements=(),
        entities=tuple(replace(e, name="Matt Cagle.") if e.id == "matt-cagle" else e
                       for e in sheet.entities))
    return [sheet, copy, variant]


@pytest.fixture(scope="module")
def shared_stores(sheet: FactSheet, tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[Path, list[Path]]:
    """A store holding the three article graphs, and one store per article."""
    sheets = articles_sharing_entities(sheet)
    root = tmp_path_factory.mktemp("shared")
    load_into_store(map_many(sheets, generated_at=BUILD_TIME), root / "all")
    for n, one in enumerate(sheets):
        load_into_store(map_facts(one, generated_at=BUILD_TIME), root / f"article-{n}")
    return root / "all", [root / f"article-{n}" for n in range(len(sheets))]


SHARED_CASES = [(name, "") for name in sorted(canned_queries())] + [
    ("entity", f"entity=<{ID}organization/microsoft>"),
    ("entity", f"entity=<{ID}person/matt-cagle>"),
    ("evidence", f"fact=<{A}/role/smith-microsoft>"),
    ("timeline", f"graph=<{ID}graph/third-variant>"),
]


@pytest.mark.parametrize(("name", "bind"), SHARED_CASES)
def test_canned_queries_answer_per_article_graph(shared_stores: tuple[Path, list[Path]],
                                                 name: str, bind: str) -> None:
    """On articles that share entities, a canned query gives exactly the rows of running it on
    each article alone, each once: the union default graph repeats a triple once per graph
    holding it (a bag), so a query matching it would multiply rows and mix one article's facts
    with another article's labels."""
    query = resolve_query(name).bind(parse_bindings([bind] if bind else []))
    together, alone = shared_stores
    with EmbeddedStore.open(together) as engine:
        result = engine.run(query)
        # Where Virtuoso gets the --bind values (first in the WHERE group) gives the same rows.
        grouped = engine.run(Query(query.sparql(values="group"), "<t>"))
    assert isinstance(result, SelectResult) and isinstance(grouped, SelectResult)
    got = Counter(result.rows)
    expected: Counter[tuple[object, ...]] = Counter()
    for path in alone:
        with EmbeddedStore.open(path) as engine:
            each = engine.run(query)
        assert isinstance(each, SelectResult)
        expected.update(each.rows)
    assert max(got.values(), default=1) == 1, "duplicate rows"
    assert got == expected
    assert Counter(grouped.rows) == got
    assert got


@pytest.mark.parametrize(("name", "var", "value"), [
    ("evidence", "fact", f"<{A}/statement/cagle-quote>"),
    ("entity", "entity", f"<{ID}organization/microsoft>"),
    ("entity", "entity", f"<{ID}person/nobody>"),
])
def test_values_binding_equals_substitution(store_path: Path, name: str, var: str,
                                            value: str) -> None:
    """The trailing VALUES clause gives what binding the variable up front (SEP-0007) gives."""
    query = resolve_query(name)
    term = parse_binding(f"{var}={value}")[1]
    with EmbeddedStore.open(store_path) as engine:
        by_values = engine.run(query.bind({var: term}))
    store = open_store(store_path, create=False)
    raw = store.query(query.text, use_default_graph_as_union=True,
                      substitutions={ox.Variable(var): term})
    assert isinstance(raw, ox.QuerySolutions)
    by_substitution = [tuple(row) for row in raw]
    del raw, store
    assert isinstance(by_values, SelectResult)
    assert list(by_values.rows) == by_substitution


# ---------------------------------------------------------------------------------------------
# Bindings


def test_hostile_literals_bind_exactly(engine: EmbeddedStore) -> None:
    query = Query("SELECT ?s WHERE { ?s <http://example.org/text> ?text }", "<test>")
    for n, text in enumerate(HOSTILE):
        result = engine.run(query.bind({"text": ox.Literal(text)}))
        assert rows(result) == [(str(EX[f"s{n}"]),)], text


@pytest.mark.parametrize(("spec", "name", "term"), [
    ("fact=<http://example.org/f>", "fact", ox.NamedNode("http://example.org/f")),
    ("?x = \"a \\\"quoted\\\" }\"", "x", ox.Literal('a "quoted" }')),
    ("$x=\"chat\"@fr", "x", ox.Literal("chat", language="fr")),
    ("n=\"7\"^^<http://www.w3.org/2001/XMLSchema#integer>", "n", ox.Literal(7)),
])
def test_parse_binding(spec: str, name: str, term: ox.NamedNode | ox.Literal) -> None:
    assert parse_binding(spec) == (name, term)


@pytest.mark.parametrize(("spec", "message"), [
    ("fact", "write NAME=VALUE"),
    ("1x=<http://a/>", "write NAME=VALUE"),
    ("fact=https://example.org/f", "is not an RDF term: write an IRI in angle brackets"),
    ("fact=Microsoft", "is not an RDF term"),
    ("fact=<relative>", "is not an RDF term"),
    ("fact=<http://a/> . <http://b/> <http://c/> <http://d/>", "is not an RDF term"),
    ('fact="a" . <http://b/> <http://c/> "d"', "is not an RDF term"),
    ('fact="unterminated', "is not an RDF term"),
])
def test_bad_bindings(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", "\\(")):
        parse_binding(spec)


def test_binding_a_variable_the_query_lacks() -> None:
    with pytest.raises(InputError, match=r"has no variable \?nope to bind"):
        resolve_query("roles").bind({"nope": ox.Literal("x")})
    with pytest.raises(InputError, match="--bind x is given twice"):
        parse_bindings(['x="1"', 'x="2"'])
    once = resolve_query("roles").bind({"title": ox.Literal("attorney")})
    with pytest.raises(InputError, match=r"\?title is bound already"):
        once.bind({"title": ox.Literal("president")})


def test_kg_query_bind(store_path: Path) -> None:
    code, out, err = run("query", "evidence", "--store", str(store_path), "--format", "csv",
                         "--bind", f"fact=<{A}/role/cagle-aclu-northern-california>")
    assert code == 0, err
    assert list(csv.reader(io.StringIO(out))) == [
        ["fact", "exact", "start", "end", "article"],
        [f"{A}/role/cagle-aclu-northern-california",
         "Matt Cagle, an attorney with the ACLU of Northern California", "3202", "3262", A]]


# ---------------------------------------------------------------------------------------------
# What the query argument is


def test_the_argument_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # A file that happens to be named like a canned query does not change what the name means.
    Path("roles").write_text("SELECT * WHERE { ?s ?p ?o }")
    assert resolve_query("roles").origin == str(canned_queries()["roles"].path)
    Path("mine.rq").write_text("ASK {}")
    assert resolve_query("mine.rq") == Query("ASK {}", "mine.rq")
    assert resolve_query("ASK{}") == Query("ASK{}", "<argument>")
    assert resolve_query("ASK {}").origin == "<argument>"
    assert resolve_query("-", stdin=io.StringIO("ASK {}")) == Query("ASK {}", "<stdin>")
    with pytest.raises(InputError, match=r"missing\.rq: no such query file"):
        resolve_query("missing.rq")
    with pytest.raises(InputError, match=r"no canned query 'rolez' .*: announcements, entity"):
        resolve_query("rolez")
    with pytest.raises(InputError, match=r"cannot tell what 'queries/x\.sparql' is"):
        resolve_query("queries/x.sparql")


def test_kg_query_list() -> None:
    code, out, _ = run("query", "--list")
    assert code == 0
    lines = out.strip().splitlines()
    assert [line.split()[0] for line in lines] == sorted(canned_queries())
    for line, q in zip(lines, canned_queries().values(), strict=True):
        assert line.endswith("  " + q.description)


def test_kg_query_reads_files_and_stdin(store_path: Path, tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    code, out, _ = run("query", str(rq), "--store", str(store_path), "-f", "tsv")
    expected = f"?n\n\"{1002 + len(HOSTILE)}\"^^<http://www.w3.org/2001/XMLSchema#integer>\n"
    assert code == 0 and out == expected
    code, out, _ = run("query", "-", "--store", str(store_path), "-f", "tsv",
                       stdin=rq.read_text())
    assert code == 0 and out == expected


def test_kg_query_needs_a_store_and_a_query(tmp_path: Path) -> None:
    code, _, err = run("query", "roles", "--store", str(tmp_path / "none"))
    assert code == 2 and err == f"kg: error: {tmp_path / 'none'}: no store here (create one " \
                                "with: kg load FILE… --store PATH)\n"
    assert not (tmp_path / "none").exists()
    code, _, err = run("query", "--store", str(tmp_path))
    assert code == 2 and "give a QUERY" in err
    code, _, err = run("query", "roles", "--endpoint", "http://127.0.0.1:9/query", "--retries",
                       "0")
    assert code == 2 and err == ("kg: error: POST http://127.0.0.1:9/query: no answer: "
                                 "Connection refused (after up to 0 retries, timeouts 10/120 s)\n")


# ---------------------------------------------------------------------------------------------
# Malformed queries


def test_malformed_query_argument_reports_line_and_column(store_path: Path) -> None:
    code, out, err = run("query", "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s <not an iri> ?o }",
                         "--store", str(store_path))
    assert code == 2 and out == ""
    assert err.startswith("kg: error: <argument>:3:") and "malformed query: expected" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_malformed_query_file_reports_its_path(store_path: Path, tmp_path: Path) -> None:
    rq = tmp_path / "broken.rq"
    rq.write_text("# a comment line\nPREFIX x: <http://x/>\nSELECT ?a WHERE { ?a x:b }\n")
    code, _, err = run("query", str(rq), "--store", str(store_path))
    assert code == 2 and err.startswith(f"kg: error: {rq}:3:") and "malformed query" in err


def test_a_doubled_values_clause_is_explained(engine: EmbeddedStore) -> None:
    query = Query("SELECT ?a WHERE { ?a ?b ?c } VALUES ?a { <http://x/> }", "<t>")
    with pytest.raises(InputError, match="in the VALUES clause --bind appends") as info:
        engine.run(query.bind({"a": ox.NamedNode("http://y/")}))
    assert info.value.location is not None and info.value.location.line == 2


# ---------------------------------------------------------------------------------------------
# Formats


def test_formats_parse_back_to_the_same_terms(engine: EmbeddedStore) -> None:
    result = engine.run(Query("""
        SELECT ?s ?text ?lang ?n ?unbound WHERE {
          ?s <http://example.org/text> ?text .
          BIND (STRLANG(?text, "en-GB") AS ?lang) BIND (STRLEN(?text) AS ?n)
        } ORDER BY ?s""", "<t>"))
    assert isinstance(result, SelectResult) and len(result.rows) == len(HOSTILE)
    expected = [tuple(row) for row in result.rows]
    for fmt, rfmt in (("json", ox.QueryResultsFormat.JSON), ("tsv", ox.QueryResultsFormat.TSV)):
        back = ox.parse_query_results(format_result(result, fmt), rfmt)
        assert isinstance(back, ox.QuerySolutions)
        assert [v.value for v in back.variables] == list(result.variables)
        assert [tuple(row) for row in back] == expected, fmt
    # CSV keeps values only (the SPARQL CSV format drops types and language tags).
    read = list(csv.reader(io.StringIO(format_result(result, "csv"), newline="")))
    assert read[0] == list(result.variables)
    assert read[1:] == [["" if t is None else t.value for t in row] for row in expected]
    assert format_result(result, "csv").count("\r\n") >= len(HOSTILE) + 1


def test_json_follows_the_sparql_results_format() -> None:
    result = SelectResult(("a", "b", "c", "d"), ((
        ox.NamedNode("http://x/"), ox.Literal("hi", language="en"), ox.Literal(3), None),
        (ox.BlankNode("b0"), ox.Literal("plain"), None, None)))
    assert json.loads(format_result(result, "json")) == {
        "head": {"vars": ["a", "b", "c", "d"]},
        "results": {"bindings": [
            {"a": {"type": "uri", "value": "http://x/"},
             "b": {"type": "literal", "value": "hi", "xml:lang": "en"},
             "c": {"type": "literal", "value": "3",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
            {"a": {"type": "bnode", "value": "b0"}, "b": {"type": "literal", "value": "plain"}},
        ]}}


def test_ask(engine: EmbeddedStore) -> None:
    yes = engine.run(Query(f"ASK {{ <{ID}person/brad-smith> ?p ?o }}", "<t>"))
    no = engine.run(Query(f"ASK {{ <{ID}person/nobody> ?p ?o }}", "<t>"))
    assert yes == AskResult(True) and no == AskResult(False)
    assert format_result(yes) == "true\n" and format_result(no, "table") == "false\n"
    assert json.loads(format_result(yes, "json")) == {"head": {}, "boolean": True}


def test_construct_prints_turtle(engine: EmbeddedStore, dataset: Dataset) -> None:
    smith = URIRef(ID + "person/brad-smith")
    result = engine.run(Query(f"CONSTRUCT WHERE {{ <{smith}> ?p ?o }}", "<t>"))
    assert isinstance(result, GraphResult)
    text = format_result(result)
    assert text == format_result(result, "turtle")
    assert "@prefix schema: <http://schema.org/>" in text
    parsed = {(t.subject, t.predicate, t.object)
              for t in ox.parse(text, ox.RdfFormat.TURTLE)}
    assert parsed == {(t.subject, t.predicate, t.object) for t in result.triples}
    assert len(parsed) == len({q[:3] for q in dataset.quads((smith, None, None, None))}) == 9
    with pytest.raises(InputError, match="is a graph: use --format turtle"):
        format_result(result, "csv")
    described = engine.run(Query(f"DESCRIBE <{smith}>", "<t>"))
    assert isinstance(described, GraphResult) and len(described.triples) == len(parsed)


def test_format_mismatch_is_an_error(store_path: Path) -> None:
    code, out, err = run("query", "roles", "--store", str(store_path), "-f", "turtle")
    assert code == 2 and out == "" and "not a graph: use --format table, csv, tsv, json" in err
    code, _, err = run("query", "roles", "--store", str(store_path), "-f", "xml")
    assert code == 2 and "unknown result format 'xml'" in err


def test_table_is_aligned_one_line_per_row_and_cut() -> None:
    result = SelectResult(("name", "note"), (
        (ox.Literal("東京"), ox.Literal("two\nlines\x1b[31m")),
        (ox.Literal("x" * 200), None)))
    lines = format_result(result).splitlines()
    assert lines == [
        "name" + " " * (MAX_CELL - 4) + "  note",
        "-" * MAX_CELL + "  " + "-" * len("two\\nlines\\x1b[31m"),
        "東京" + " " * (MAX_CELL - 4) + "  two\\nlines\\x1b[31m",
        "x" * (MAX_CELL - 1) + "…",
        "(2 rows)",
    ]
    assert format_result(SelectResult(("a",), ())) == "a\n-\n(0 rows)\n"


def test_kg_query_table(store_path: Path) -> None:
    code, out, _ = run("query", "roles", "--store", str(store_path))
    assert code == 0
    assert out.splitlines()[0].split() == ["person", "title", "organization", "article"]
    assert out.splitlines()[2].startswith("Brad Smith  president and chief counsel  Microsoft")
    assert out.endswith("(2 rows)\n")


def test_help_texts_have_examples() -> None:
    for command in ("load", "query"):
        code, out, _ = run(command, "--help")
        flat = " ".join(out.split())
        assert code == 0 and f"kg {command} " in flat and "Examples:" in flat
        assert "NEWSKG_STORE" in flat and "newskg-store" in flat


def test_a_closed_engine_says_so(store_path: Path) -> None:
    with EmbeddedStore.open(store_path) as engine:
        pass
    with pytest.raises(StoreError, match="the store is closed"):
        engine.run(Query("ASK {}", "<t>"))


def test_the_help_examples_run(store_path: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `kg query` example of the help text runs (the store comes from $NEWSKG_STORE)."""
    monkeypatch.setenv("NEWSKG_STORE", str(store_path))
    monkeypatch.chdir(tmp_path)
    Path("my-question.rq").write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    examples = [line.strip() for line in (query_cmd.__doc__ or "").splitlines()
                if "kg query " in line]
    assert len(examples) >= 6
    for example in examples:
        stdin = None
        if " | " in example:  # echo 'QUERY' | kg query - …
            feed, example = example.split(" | ")
            stdin = shlex.split(feed)[1]
        args = shlex.split(example.split(" > ")[0])[1:]
        args = [a for a in args if a != "--store" and not a.startswith("/data/")]
        code, out, err = run(*args, stdin=stdin)
        assert code == 0 and out, (example, err)
