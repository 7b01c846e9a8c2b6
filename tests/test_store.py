"""The embedded store: whole-graph replace, reloads, locking, hostile literals, `kg load`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, Namespace, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import InputError, StoreError
from kg.store import (
    DEFAULT_STORE,
    STORE_ENV,
    LoadSummary,
    _write,
    graph_sizes,
    load_into_store,
    open_store,
    replace_graph_update,
    resolve_store,
)

from .conftest import EXAMPLE_DIR, EXAMPLE_FACTS, store_held_open

EX = Namespace("http://example.org/")
GRAPH = "https://w3id.org/newskg/id/graph/microsoft-face-recognition-police"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def sizes(path: Path) -> dict[str, int]:
    store = open_store(path, create=False)
    try:
        return graph_sizes(store)
    finally:
        del store  # pyoxigraph has no close(): dropping the object releases the lock


def quads(path: Path, graph: str) -> set[ox.Quad]:
    store = open_store(path, create=False)
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


# ---------------------------------------------------------------------------------------------
# Loading and reloading


def test_load_puts_the_article_graph_in_the_store(dataset: Dataset, tmp_path: Path) -> None:
    summary = load_into_store(dataset, tmp_path / "store")
    expected = len(dataset.graph(URIRef(GRAPH)))
    assert summary.graphs == (GRAPH,) and summary.triples == expected > 900
    assert summary.target == str(tmp_path / "store") and summary.seconds > 0
    assert sizes(tmp_path / "store") == {GRAPH: expected}


def test_reload_replaces_never_duplicates(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "store"
    load_into_store(dataset, path)
    first = quads(path, GRAPH)
    load_into_store(dataset, path)
    load_into_store(dataset, path)
    assert quads(path, GRAPH) == first
    assert sizes(path) == {GRAPH: len(first)}


def test_reload_drops_what_the_new_graph_no_longer_has(tmp_path: Path) -> None:
    path = tmp_path / "store"
    old, new = Dataset(), Dataset()
    old.graph(EX.g).add((EX.a, EX.p, Literal("old")))
    old.graph(EX.g).add((EX.a, EX.p, Literal("kept")))
    new.graph(EX.g).add((EX.a, EX.p, Literal("kept")))
    new.graph(EX.g).add((EX.a, EX.p, Literal("new")))
    load_into_store(old, path)
    load_into_store(new, path)
    assert {q.object.value for q in quads(path, str(EX.g))} == {"kept", "new"}


def test_a_load_leaves_other_graphs_alone(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "store"
    other = Dataset()
    other.graph(EX.other).add((EX.a, EX.p, Literal("bystander")))
    load_into_store(other, path)
    before = quads(path, str(EX.other))
    load_into_store(dataset, path)
    load_into_store(dataset, path)
    assert quads(path, str(EX.other)) == before
    assert set(sizes(path)) == {GRAPH, str(EX.other)}


def test_blank_nodes_do_not_pile_up_on_reload(tmp_path: Path) -> None:
    path = tmp_path / "store"
    data = Dataset()
    node = BNode()
    data.graph(EX.g).add((EX.a, EX.p, node))
    data.graph(EX.g).add((node, EX.q, Literal("x")))
    for _ in range(3):
        load_into_store(data, path)
    found = quads(path, str(EX.g))
    assert len(found) == 2
    (link,) = [q for q in found if q.predicate == ox.NamedNode(str(EX.p))]
    assert isinstance(link.object, ox.BlankNode)
    assert ox.Quad(link.object, ox.NamedNode(str(EX.q)), ox.Literal("x"),
                   ox.NamedNode(str(EX.g))) in found


HOSTILE = [
    'ends a long string """ and "',
    "single quotes ''' too",
    "} } ; DROP ALL ; INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }",
    "a backslash \\ and \\\" and a final one \\",
    "the text \\u0022 is not a quote, \\U0001F600 not an emoji",
    "line one\nline two\r\nline three",
    "controls \x01\x02\x07\x08\t\x0b\x0c\x1b[31m\x7f",
    "non-BMP 😀 𝄞 𠜎",
    "<script>alert('x')</script>",
    "# not a comment",
    "\u2028\u2029\ufeff\u200b",
    "",
]


def _hostile_dataset() -> tuple[Dataset, set[ox.Quad]]:
    data = Dataset()
    g = data.graph(EX.hostile)
    expected: set[ox.Quad] = set()
    gn = ox.NamedNode(str(EX.hostile))
    for n, text in enumerate(HOSTILE):
        s, p = EX[f"s{n}"], EX.text
        g.add((s, p, Literal(text)))
        g.add((s, EX.lang, Literal(text, lang="en-GB")))
        g.add((s, EX.typed, Literal(text, datatype=EX["dt-" + str(n)])))
        s_, p_ = ox.NamedNode(str(s)), ox.NamedNode(str(p))
        expected.add(ox.Quad(s_, p_, ox.Literal(text), gn))
        expected.add(ox.Quad(s_, ox.NamedNode(str(EX.lang)), ox.Literal(text, language="en-GB"),
                             gn))
        expected.add(ox.Quad(s_, ox.NamedNode(str(EX.typed)),
                             ox.Literal(text, datatype=ox.NamedNode(str(EX["dt-" + str(n)]))),
                             gn))
    return data, expected


def test_hostile_literals_round_trip_exactly(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "store"
    load_into_store(dataset, path)
    article_before = quads(path, GRAPH)
    data, expected = _hostile_dataset()
    load_into_store(data, path)
    load_into_store(data, path)
    assert quads(path, str(EX.hostile)) == expected
    assert quads(path, GRAPH) == article_before  # nothing else changed
    assert set(sizes(path)) == {GRAPH, str(EX.hostile)}


@pytest.mark.parametrize("iri", ["http://example.org/a b", "http://example.org/a>b",
                                 'http://example.org/a"b', "http://example.org/}",
                                 "no-scheme"])
def test_invalid_iris_are_refused_before_anything_is_written(tmp_path: Path, iri: str) -> None:
    path = tmp_path / "store"
    good = Dataset()
    good.graph(EX.good).add((EX.a, EX.p, Literal("fine")))
    load_into_store(good, path)
    bad = Dataset()
    bad.graph(EX.first).add((EX.a, EX.p, Literal("would be loaded first")))
    bad.graph(EX.second).add((URIRef(iri), EX.p, Literal("x")))
    with pytest.raises(InputError, match="cannot store the IRI"):
        load_into_store(bad, path)
    assert sizes(path) == {str(EX.good): 1}


def test_default_graph_triples_are_refused(tmp_path: Path) -> None:
    data = Dataset()
    data.add((EX.a, EX.p, Literal("no graph")))
    with pytest.raises(InputError, match="1 triple\\(s\\) outside any named graph"):
        load_into_store(data, tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_the_drop_and_the_insert_are_one_update(tmp_path: Path) -> None:
    """A replace that fails leaves the old graph: the DROP never runs on its own."""
    path = tmp_path / "store"
    old = Dataset()
    old.graph(EX.g).add((EX.a, EX.p, Literal("old")))
    load_into_store(old, path)
    store = open_store(path, create=False)
    update = replace_graph_update(f"<{EX.g}>", f"<{EX.a}> <{EX.p}> ")
    assert update.startswith(f"DROP SILENT GRAPH <{EX.g}> ;")
    with pytest.raises(SyntaxError):
        store.update(update)
    del store
    assert {q.object.value for q in quads(path, str(EX.g))} == {"old"}


def test_a_failed_write_names_what_did_and_did_not_load() -> None:
    class FailsSecond:
        def __init__(self) -> None:
            self.calls = 0

        def update(self, text: str) -> None:
            self.calls += 1
            if self.calls == 2:
                raise OSError(28, "No space left on device")

        def flush(self) -> None:
            raise AssertionError("not reached")

    plan = [("http://g/1", "u1"), ("http://g/2", "u2"), ("http://g/3", "u3")]
    with pytest.raises(StoreError) as info:
        _write(FailsSecond(), plan, "st")  # type: ignore[arg-type]
    assert info.value.loaded == ("http://g/1",)
    assert info.value.not_loaded == ("http://g/2", "http://g/3")
    assert str(info.value).startswith("st: the write failed (No space left on device); loaded "
                                      "1 of 3 graph(s); not loaded: http://g/2, http://g/3")


# ---------------------------------------------------------------------------------------------
# Where the store is, and who may open it


def test_store_path_flag_then_env_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STORE_ENV, raising=False)
    assert resolve_store(None) == DEFAULT_STORE == Path("newskg-store")
    monkeypatch.setenv(STORE_ENV, "/data/env-store")
    assert resolve_store(None) == Path("/data/env-store")
    assert resolve_store("flag-store") == Path("flag-store")


def test_never_writes_into_a_directory_that_is_not_a_store(dataset: Dataset,
                                                           tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="non-empty directory that is not an Oxigraph store"):
        load_into_store(dataset, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(StoreError, match="is not a directory"):
        load_into_store(dataset, tmp_path / "notes.txt")


def test_an_empty_directory_and_missing_parents_are_fine(dataset: Dataset,
                                                         tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    load_into_store(dataset, tmp_path / "empty")
    load_into_store(dataset, tmp_path / "a" / "b" / "store")
    assert sizes(tmp_path / "empty") == sizes(tmp_path / "a" / "b" / "store")


def test_opening_a_missing_store_to_read_does_not_create_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "nothing", create=False)
    assert not (tmp_path / "nothing").exists()


def test_a_store_another_process_holds_is_a_clear_error(dataset: Dataset,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "store"
    load_into_store(dataset, path)
    with store_held_open(path):
        with pytest.raises(StoreError, match="in use by another process"):
            load_into_store(dataset, path)
        code, _, err = run("load", str(EXAMPLE_FACTS), "--store", str(path), "-q")
        assert code == 2
        assert err.strip() == (f"kg: error: {path}: the store is in use by another process (a "
                               "kg load or kg query still running?): one process at a time may "
                               "open it")
        code, _, err = run("query", "roles", "--store", str(path))
        assert code == 2 and "in use by another process" in err
    assert load_into_store(dataset, path).graphs == (GRAPH,)


# ---------------------------------------------------------------------------------------------
# kg load, kg build --load


def test_kg_load_prints_a_summary_and_reloads_to_the_same_count(tmp_path: Path) -> None:
    path = tmp_path / "store"
    code, out, err = run("load", str(EXAMPLE_DIR.parent), "--store", str(path))
    assert code == 0 and out == ""
    assert "Validation: conforms — 0 violation(s)" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"Loaded 1 graph(s), 1,002 triples into the store {path} in ")
    assert last.endswith(" triples/s)")
    first = sizes(path)
    assert run("load", str(EXAMPLE_FACTS), "--store", str(path), "-q")[:3] == (0, "", "")
    assert sizes(path) == first == {GRAPH: 1002}


def test_kg_load_uses_the_environment_store(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "env-store"))
    monkeypatch.chdir(tmp_path)
    assert run("load", str(EXAMPLE_FACTS), "-q")[0] == 0
    assert sizes(tmp_path / "env-store") == {GRAPH: 1002}
    assert not (tmp_path / "newskg-store").exists()


def _violating_facts(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE_DIR / "article.txt", tmp_path / "article.txt")
    text = EXAMPLE_FACTS.read_text(encoding="utf-8").replace(
        'value: "2020-06-11"\n    precision: day\n    evidence: in a statement Thursday',
        'value: "2020-06-18"\n    precision: day\n    evidence: in a statement Thursday')
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_violations_stop_the_load_unless_forced(tmp_path: Path) -> None:
    facts, path = _violating_facts(tmp_path), tmp_path / "store"
    code, _, err = run("load", str(facts), "--store", str(path))
    assert code == 1 and "nothing loaded (use --force" in err
    assert not path.exists()
    code, _, err = run("build", str(facts), "--load", "--store", str(path))
    assert code == 1 and "nothing loaded (use --force" in err
    assert not path.exists()
    code, _, err = run("load", str(facts), "--store", str(path), "--force")
    assert code == 0 and "loaded with SHACL violations because of --force" in err
    assert sizes(path) == {GRAPH: 1002}


def test_kg_load_takes_trig_and_nquads_but_not_triples_files(tmp_path: Path) -> None:
    for ext in ("trig", "nq", "ttl"):
        assert run("build", str(EXAMPLE_FACTS), "-o", str(tmp_path / f"g.{ext}"), "-q")[0] == 0
    for ext in ("trig", "nq"):
        path = tmp_path / f"store-{ext}"
        code, _, err = run("load", str(tmp_path / f"g.{ext}"), "--store", str(path), "-q")
        assert code == 0, err
        assert sizes(path) == {GRAPH: 1002}
    code, _, err = run("load", str(tmp_path / "g.ttl"), "--store", str(tmp_path / "s"))
    assert code == 2 and "reads facts files (*.yaml), directories of them, or TriG" in err
    assert not (tmp_path / "s").exists()


def test_kg_build_load(tmp_path: Path) -> None:
    path, out = tmp_path / "store", tmp_path / "g.ttl"
    code, stdout, err = run("build", str(EXAMPLE_FACTS), "--load", "--store", str(path))
    assert code == 0 and stdout == "" and "Loaded 1 graph(s), 1,002 triples" in err
    code, _, err = run("build", str(EXAMPLE_FACTS), "--load", "--store", str(path), "-o",
                       str(out))
    assert code == 0 and out.stat().st_size > 50_000 and "Loaded 1 graph(s)" in err
    assert sizes(path) == {GRAPH: 1002}
    code, _, err = run("build", str(EXAMPLE_FACTS), "--store", str(path))
    assert code == 2 and "add --load" in err
    code, _, err = run("build", str(EXAMPLE_FACTS), "--load", "--format", "nquads")
    assert code == 2 and "--format is the format of -o" in err


def test_store_and_endpoint_exclude_each_other(tmp_path: Path) -> None:
    code, _, err = run("load", str(EXAMPLE_FACTS), "--store", str(tmp_path / "s"),
                       "--endpoint", "http://127.0.0.1:9/query")
    assert code == 2 and "--store and --endpoint exclude each other" in err
    assert not (tmp_path / "s").exists()


def test_load_summary_rate() -> None:
    assert LoadSummary("s", ("g",), 1000, 0.5).triples_per_second == 2000
    assert LoadSummary("s", (), 0, 0.0).triples_per_second == 0


def test_data_read_back_from_the_store_still_validates(dataset: Dataset, tmp_path: Path) -> None:
    """Oxigraph hands integers of every XSD integer type back as xsd:integer (the evidence
    offsets are written as xsd:nonNegativeInteger): the shapes accept both, so a graph read
    back from the store (kg serve's downloads, a CONSTRUCT) is still valid."""
    from kg.validate import validate

    load_into_store(dataset, tmp_path / "store")
    store = open_store(tmp_path / "store", create=False)
    try:
        data = ox.serialize(store, format=ox.RdfFormat.N_QUADS)
    finally:
        del store
    assert data is not None
    back = Dataset()
    back.parse(data=data.decode("utf-8"), format="nquads")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    offsets = {o.datatype for s, p, o, _ in back.quads((None, None, None, None))
               if str(p) in ("http://www.w3.org/ns/oa#start", "http://www.w3.org/ns/oa#end")}
    assert offsets == {URIRef(xsd + "integer")}  # the store's rewrite is real …
    report = validate(back)
    assert report.conforms and not report.violations  # … and still valid
