"""End to end through the ``kg`` command: build, validate, schema; exit codes; bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from typer.testing import CliRunner

from kg import __version__
from kg.cli import app
from kg.resources import data_dir

from .conftest import EXAMPLE_DIR, EXAMPLE_FACTS
from .test_factsfile import ERROR_CASES

runner = CliRunner()
ART = "https://w3id.org/newskg/id/article/microsoft-face-recognition-police"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The bundled article built as TriG (its named graph kept, as the canned queries read it
    one article graph at a time), parsed back; triple lookups see the union."""
    out = tmp_path_factory.mktemp("build") / "graph.trig"
    code, _, err = run("build", str(EXAMPLE_FACTS), "-o", str(out))
    assert code == 0, err
    assert "Validation: conforms — 0 violation(s)" in err
    dataset = Dataset(default_union=True)
    dataset.parse(out, format="trig")
    return dataset


def query(graph: Dataset, name: str) -> list[tuple[str | None, ...]]:
    text = (data_dir("queries") / f"{name}.rq").read_text(encoding="utf-8")
    return [tuple(None if v is None else str(v) for v in row)  # type: ignore[union-attr]
            for row in graph.query(text)]


def test_who_announced_what_and_when(built: Dataset) -> None:
    rows = query(built, "announcements")
    by_agent_date = {(r[0], r[2]) for r in rows}
    assert ("Microsoft", "2020-06-11") in by_agent_date
    assert ("Amazon", "2020-06-08") in by_agent_date
    assert ("IBM", "2020-06-08") in by_agent_date
    smith = [r for r in rows if r[4] == "Brad Smith"]
    assert {r[1] for r in smith} == {
        "Microsoft will not sell its facial recognition software to police",
        "Microsoft called on Congress to regulate facial recognition technology",
    }
    assert all(r[3] == "Thursday" and r[5] == ART for r in smith)
    national = [r for r in rows if r[1].startswith("Microsoft, Amazon and IBM are calling")]
    assert {r[0] for r in national} == {"Microsoft", "Amazon", "IBM"}
    assert len(rows) == 7  # 4 single-agent announcements + 1 with three agents


def test_who_said_what(built: Dataset) -> None:
    rows = query(built, "statements")
    direct = {(r[0], r[2], r[3]) for r in rows if r[1] == "DirectQuote"}
    assert direct == {
        ("Brad Smith",
         "If all of the responsible companies in the country cede this market to those that are "
         "not prepared to take a stand, we won't necessarily serve the national interest or the "
         "lives of the black and African American people of this nation well, We need Congress "
         "to act, not just tech companies alone.", None),
        ("Matt Cagle",
         "Congress and legislatures nationwide must swiftly stop law enforcement use of face "
         "recognition, and companies like Microsoft should work with the civil rights community "
         "— not against it — to make that happen,", "2020-06-11"),
    }
    indirect = {(r[0], r[3]) for r in rows if r[1] == "IndirectStatement"}
    assert indirect == {("Brad Smith", "2020-06-11"), ("American Civil Liberties Union", None),
                        ("Microsoft", "P2Y"), ("Microsoft", None)}


def test_organizations_with_wikidata(built: Dataset) -> None:
    rows = query(built, "organizations")
    orgs = {r[1]: r[2] for r in rows}
    wd = "http://www.wikidata.org/entity/"
    assert orgs == {
        "Microsoft": wd + "Q2283", "Amazon": wd + "Q3884", "IBM": wd + "Q37156",
        "United States Congress": wd + "Q11268", "The Washington Post": wd + "Q166032",
        "NEC": None, "Idemia": None, "Gemalto": None,
        "American Civil Liberties Union": wd + "Q21637", "ACLU of Northern California": None,
        "Associated Press": wd + "Q40469", "Reuters": wd + "Q130879", "Gadgets 360": None,
    }


def test_brad_smith_roles(built: Dataset) -> None:
    rows = query(built, "roles")
    assert [r[:3] for r in rows] == [
        ("Brad Smith", "president and chief counsel", "Microsoft"),
        ("Matt Cagle", "attorney", "ACLU of Northern California"),
    ]


def test_evidence_behind_a_fact(built: Dataset) -> None:
    rows = built.query("""
        PREFIX nkg: <https://w3id.org/newskg/ns#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start WHERE {
          ?f nkg:evidence ?e . ?e oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start .
        }""", initBindings={"f": URIRef(f"{ART}/role/smith-microsoft")})
    assert [(str(r[0]), int(r[1])) for r in rows] == [  # type: ignore[index]
        ("Microsoft's president and chief counsel, Brad Smith", 80)]


def test_build_all_formats(tmp_path: Path) -> None:
    sizes = {}
    for ext in ("ttl", "trig", "nt", "nq", "jsonld", "rdf"):
        out = tmp_path / f"g.{ext}"
        code, _, err = run("build", str(EXAMPLE_FACTS), "-o", str(out), "-q")
        assert code == 0, err
        assert err == ""
        sizes[ext] = out.stat().st_size
    assert all(size > 10_000 for size in sizes.values())


def test_build_directory_and_stdout() -> None:
    code, out, _ = run("build", str(EXAMPLE_DIR.parent), "-o", "-", "--format", "nquads", "-q")
    assert code == 0
    ds = Dataset()
    ds.parse(data=out, format="nquads")
    named = [g for g in ds.graphs() if len(g) and g.identifier != ds.default_graph.identifier]
    assert len(named) == 1 and len(named[0]) > 900


def test_builds_are_byte_identical_with_source_date_epoch(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1591963200"}
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("build", str(EXAMPLE_FACTS), "-o", str(a), "-q", env=env)[0] == 0
    assert run("build", str(EXAMPLE_FACTS), "-o", str(b), "-q", env=env)[0] == 0
    assert a.read_bytes() == b.read_bytes()
    assert b'"2020-06-12T12:00:00+00:00"^^xsd:dateTime' in a.read_bytes()


def test_bad_source_date_epoch(tmp_path: Path) -> None:
    code, _, err = run("build", str(EXAMPLE_FACTS), "-o", str(tmp_path / "g.ttl"),
                       env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert code == 2 and "SOURCE_DATE_EPOCH" in err
    assert not (tmp_path / "g.ttl").exists()


@pytest.mark.parametrize("case", ERROR_CASES, ids=[p.stem for p in ERROR_CASES])
def test_bad_facts_exit_2_and_write_nothing(tmp_path: Path, case: Path) -> None:
    out = tmp_path / "graph.ttl"
    code, stdout, err = run("build", str(case), "-o", str(out))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {case}:"), err
    assert "Traceback" not in err and stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_existing_output_untouched_on_error(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("previous")
    code, _, _ = run("build", str(ERROR_CASES[0]), "-o", str(out))
    assert code == 2 and out.read_text() == "previous"


def _violating_facts(tmp_path: Path) -> Path:
    """The example with a statement dated after publication: a SHACL violation."""
    shutil.copy(EXAMPLE_DIR / "article.txt", tmp_path / "article.txt")
    text = EXAMPLE_FACTS.read_text(encoding="utf-8").replace(
        'value: "2020-06-11"\n    precision: day\n    evidence: in a statement Thursday',
        'value: "2020-06-18"\n    precision: day\n    evidence: in a statement Thursday')
    assert "2020-06-18" in text
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_violations_stop_the_write(tmp_path: Path) -> None:
    facts = _violating_facts(tmp_path)
    out = tmp_path / "graph.ttl"
    code, _, err = run("build", str(facts), "-o", str(out))
    assert code == 1
    assert "DOES NOT CONFORM — 1 violation(s)" in err
    assert "dated 2020-06-18, after its article was published" in err
    assert "evidence: “" in err and "nothing written" in err
    assert not out.exists()
    code, _, err = run("build", str(facts), "-o", str(out), "--force")
    assert code == 0 and out.exists() and "--force" in err


def test_validate_exit_codes_and_formats(tmp_path: Path) -> None:
    code, out, _ = run("validate", str(EXAMPLE_FACTS))
    assert code == 0 and out.startswith("Validation: conforms")
    code, out, _ = run("validate", str(_violating_facts(tmp_path)), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["conforms"] is False and report["violations"] == 1
    code, out, _ = run("validate", str(EXAMPLE_FACTS), "--format", "turtle")
    report_graph = Graph()
    report_graph.parse(data=out, format="turtle")
    conforms = URIRef("http://www.w3.org/ns/shacl#conforms")
    # The SHACL report says false: warnings are results; kg's exit code counts violations only.
    assert code == 0 and Literal(False) in set(report_graph.objects(None, conforms))


def test_validate_rdf_files(tmp_path: Path) -> None:
    ttl = tmp_path / "g.ttl"
    assert run("build", str(EXAMPLE_FACTS), "-o", str(ttl), "-q")[0] == 0
    assert run("validate", str(ttl))[0] == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://x/> .\nx:a x:b .\n")
    code, _, err = run("validate", str(broken))
    assert code == 2 and err.startswith(f"kg: error: {broken}: not valid turtle")
    code, _, err = run("validate", str(tmp_path / "g.csv"))
    assert code == 2 and "cannot tell the format from the extension '.csv'" in err


def test_bad_options(tmp_path: Path) -> None:
    code, _, err = run("build", str(EXAMPLE_FACTS), "-o", str(tmp_path / "g.txt"))
    assert code == 2 and "cannot tell the format" in err
    code, _, err = run("build", str(EXAMPLE_FACTS), "--base", "nope", "-o", "-")
    assert code == 2 and "base IRI 'nope'" in err
    code, _, err = run("build", str(tmp_path / "g.ttl"))
    assert code == 2 and "reads facts files" in err
    code, _, err = run("validate", str(EXAMPLE_FACTS), "--format", "xml")
    assert code == 2 and "unknown report format" in err


def test_version_help_schema() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"kg (newskg) {__version__}"
    for command in ("build", "validate", "schema"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "kg " + command in out.replace("\n", " "), command
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "newskg facts file"


def test_console_script_runs() -> None:
    kg = Path(sys.executable).parent / "kg"
    result = subprocess.run([str(kg), "validate", str(EXAMPLE_FACTS)], capture_output=True,
                            text=True, env={**os.environ}, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def test_load_parallel_option(tmp_path: Path) -> None:
    from kg.remote import DEFAULT_PARALLEL, MAX_PARALLEL

    code, out, _ = run("load", "--help")
    flat = " ".join(out.split())
    assert code == 0 and f"Default {DEFAULT_PARALLEL}." in flat
    code, _, err = run("load", str(EXAMPLE_FACTS), "--parallel", "2",
                       "--store", str(tmp_path / "s"))
    assert code == 2 and "--parallel needs an endpoint" in err
    for wrong in ("0", str(MAX_PARALLEL + 1)):
        code, _, err = run("load", str(EXAMPLE_FACTS), "--parallel", wrong,
                           "--endpoint", "http://127.0.0.1:9/query")
        assert code == 2 and "--parallel" in err
    # Both commands declare the connection options once: same help, same checks.
    import typer.main

    group: Any = typer.main.get_command(app)

    def option(command: str, flag: str) -> tuple[object, ...]:
        found = next(p for p in group.commands[command].params if flag in p.opts)
        return (tuple(found.opts), found.help, found.default)

    for flag in ("--user", "--auth", "--timeout", "--retries", "--ca-bundle"):
        assert option("load", flag) == option("query", flag)
