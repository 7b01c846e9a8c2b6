"""The W3C SHACL test suite, run through newskg's own validation wrapper.

The suite (a verbatim copy, see ``tests/w3c/shacl-test-suite/SOURCE.md``) is walked from its
top manifest: every ``mf:Manifest`` either ``mf:include``s further manifests or lists
``sht:Validate`` entries in ``mf:entries``. Each entry becomes one pytest case, validated with
``kg.validate.validate_graphs`` and graded with pyshacl's conformance oracle
``check_sht_result``. An ``sht:Failure`` entry passes when the wrapper raises ``ShapesError``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
import rdflib
from pyshacl.validator_conformance import check_sht_result
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node, _toPythonMapping

from kg.errors import ShapesError
from kg.validate import validate_graphs

SUITE = Path(__file__).parent / "w3c" / "shacl-test-suite" / "tests"
TOP_MANIFEST = SUITE / "manifest.ttl"
EXPECTED_COUNT = 120

# A plain URIRef, not rdflib's XSD namespace object: pytest probes module globals for mock
# attributes and XSD warns on every unknown name it is asked for.
XSD_BOOLEAN = URIRef("http://www.w3.org/2001/XMLSchema#boolean")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

log = logging.getLogger(__name__)

# Engine misses of pyshacl 0.40.1, each verified by running the case and reading the failure:
# id -> (the exception the miss raises, why). strict=True: if pyshacl fixes one, the XPASS fails
# the run and the entry must go; raises=: failing in any other way is a real failure.
KNOWN_MISSES: dict[str, tuple[type[BaseException], str]] = {
    "sparql/pre-binding/shapesGraph-001": (
        NotImplementedError,
        "pyshacl 0.40.1 cannot pre-bind $shapesGraph in SPARQL constraints (optional SHACL "
        "feature): SPARQLQueryHelper raises NotImplementedError('SPARQL Constraint text has "
        "$shapesGraph in it, but Shapes Graph is not currently supported.')",
    ),
}


@contextmanager
def _literals_as_written() -> Iterator[None]:
    """Parse literals the way pyshacl parses the shapes files it loads itself.

    pyshacl (``pyshacl.monkey.rdflib_bool_patch``, applied around ``load_from_source`` in
    ``pyshacl.entrypoints.validate``) turns rdflib's literal normalisation off and reads only
    ``"true"`` as a true ``xsd:boolean``. Both are process-wide switches in rdflib, so they are
    flipped only for the duration of one parse and restored in ``finally``. Without this
    ``"1"^^xsd:boolean`` becomes ``"true"`` (normalisation) or at least has the Python value
    ``True``, and ``core/property/uniqueLang-002`` (which says ``sh:uniqueLang "1"^^xsd:boolean``
    must be ignored) fails.
    """
    saved_normalize = rdflib.NORMALIZE_LITERALS
    saved_boolean: Callable[[str], Any] | None = _toPythonMapping.get(XSD_BOOLEAN)
    rdflib.NORMALIZE_LITERALS = False
    _toPythonMapping[XSD_BOOLEAN] = lambda lexical: lexical.lower() == "true"
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved_normalize
        if saved_boolean is None:
            _toPythonMapping.pop(XSD_BOOLEAN, None)
        else:
            _toPythonMapping[XSD_BOOLEAN] = saved_boolean


def _parse(path: Path) -> Graph:
    graph = Graph()
    with _literals_as_written():
        graph.parse(path, format="turtle")
    return graph


def _path(iri: Node) -> Path:
    """The local file a suite IRI (``file:`` after resolution against the manifest) names."""
    parts = urlsplit(str(iri))
    if parts.scheme != "file":
        raise ValueError(f"suite IRI is not a local file: {iri}")
    return Path(url2pathname(parts.path))


@dataclass(frozen=True)
class SuiteCase:
    id: str
    """The test's IRI relative to the suite's ``tests/`` folder, e.g. ``core/node/class-001``."""
    entry: URIRef
    manifest: Path
    data: Path
    shapes: Path
    expects_failure: bool


def _walk(manifest: Path, seen: set[Path]) -> Iterator[SuiteCase]:
    if manifest in seen:
        return
    seen.add(manifest)
    graph = _parse(manifest)
    for node in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(node, MF.include):
            yield from _walk(_path(include), seen)
        for entries in graph.objects(node, MF.entries):
            for entry in Collection(graph, entries):
                if (entry, RDF.type, SHT.Validate) not in graph:
                    raise ValueError(f"{manifest}: unsupported test type for {entry}")
                action = graph.value(entry, MF.action)
                result = graph.value(entry, MF.result)
                data = graph.value(action, SHT.dataGraph)
                shapes = graph.value(action, SHT.shapesGraph)
                if not isinstance(entry, URIRef) or None in (action, result, data, shapes):
                    raise ValueError(f"{manifest}: incomplete test entry {entry}")
                assert data is not None and shapes is not None
                yield SuiteCase(
                    id=_path(entry).relative_to(SUITE).as_posix(),
                    entry=entry,
                    manifest=manifest,
                    data=_path(data),
                    shapes=_path(shapes),
                    expects_failure=result == SHT.Failure,
                )


CASES: list[SuiteCase] = sorted(_walk(TOP_MANIFEST, set()), key=lambda c: c.id)


def _param(case: SuiteCase) -> Any:
    miss = KNOWN_MISSES.get(case.id)
    if miss is None:
        return pytest.param(case, id=case.id)
    raises, reason = miss
    mark = pytest.mark.xfail(strict=True, raises=raises, reason=reason)
    return pytest.param(case, id=case.id, marks=mark)


def test_suite_walk_finds_all_tests() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == EXPECTED_COUNT
    assert len(set(ids)) == len(ids)
    assert set(KNOWN_MISSES) <= set(ids)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_w3c_shacl(case: SuiteCase) -> None:
    # Fresh graphs per role: the oracle edits the expected-result graph, and data and shapes
    # are often the same file but must not be the same Graph object.
    data = _parse(case.data)
    shapes = _parse(case.shapes)
    if case.expects_failure:
        with pytest.raises(ShapesError):
            validate_graphs(data, shapes)
        return
    report = validate_graphs(data, shapes)
    sht_graph = _parse(case.manifest)
    expected = sht_graph.value(case.entry, MF.result)
    assert expected is not None
    assert check_sht_result(report.graph, sht_graph, expected, log), (
        f"report differs from the expected result of {case.id} (see the captured log):\n"
        + report.graph.serialize(format="turtle")
    )
