"""The flow has one direction: a stage imports only stages before it. The public API is pinned."""

from __future__ import annotations

import ast
from pathlib import Path

import kg

PKG = Path(kg.__file__).parent

# In flow order; a module may import only modules listed before it.
LAYERS = [
    "errors", "facts", "resources", "ingest", "factsfile", "iris", "authority", "extract",
    "mapping", "validate", "export", "store", "remote", "query", "endpoint_query", "serve",
    "evaluate",
    "cli",
]


def _sources(module: str) -> list[Path]:
    """A stage is a module ``kg/X.py`` or a subpackage ``kg/X/``."""
    if (PKG / module).is_dir():
        return sorted((PKG / module).rglob("*.py"))
    return [PKG / f"{module}.py"]


def _kg_imports(module: str) -> set[str]:
    found: set[str] = set()
    for source in _sources(module):
        found |= _imports_of(source)
    # A subpackage's modules import each other freely.
    return found - {module}


def _imports_of(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "kg":
                found.update(alias.name for alias in node.names if alias.name != "__version__")
            elif node.module.startswith("kg."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("kg."))
    return found


def test_every_module_has_a_layer() -> None:
    modules = {p.stem for p in PKG.glob("*.py")} - {"__init__"}
    packages = {p.parent.name for p in PKG.glob("*/__init__.py")}
    assert modules | packages == set(LAYERS)


def test_stages_import_only_earlier_stages() -> None:
    for i, module in enumerate(LAYERS):
        later = set(LAYERS[i:])
        bad = _kg_imports(module) & later
        assert not bad, f"kg.{module} imports later stage(s) {sorted(bad)}"


def test_public_api() -> None:
    assert sorted(kg.__all__) == sorted([
        "DEFAULT_BASE", "FORMATS", "Announcement", "ArticleError", "ArticleMeta", "ConfigError",
        "DateValue", "Entity", "Evidence", "EvidenceError", "FactSheet", "FactsFileError",
        "InputError", "KgError", "Location", "RdfInputError", "Role", "ShapesError",
        "Statement", "ValidationReport", "ValidationResult", "__version__", "dump_facts",
        "facts_schema", "load_facts", "load_shapes", "map_facts", "map_many", "parse_facts",
        "resolve_base", "serialize", "validate", "write_dataset",
        # load and query
        "AskResult", "EmbeddedStore", "GraphResult", "LoadSummary", "Query", "QueryResult",
        "SelectResult", "SparqlEngine", "StoreError", "canned_queries", "format_result",
        "load_into_store", "resolve_query", "resolve_store",
    ])
    for name in kg.__all__:
        assert hasattr(kg, name), name


def test_library_never_prints_or_exits() -> None:
    for module in LAYERS[:-1]:
        for source in _sources(module):
            _no_print_or_exit(module, source)


def _no_print_or_exit(module: str, source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "exit", "quit"), f"kg.{module}"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) != ("sys", "exit"), f"kg.{module}"
