"""newskg: news articles → facts → RDF knowledge graph, validated with SHACL.

The flow, one module per stage, each importing only from stages before it::

    facts (FactSheet data types)
      └─ factsfile (YAML ⇄ FactSheet, evidence anchoring, JSON Schema)
           └─ mapping (FactSheet → rdflib Dataset; IRIs from iris, Wikidata from authority)
                └─ validate (pyshacl + shapes/ → ValidationReport)
                     └─ export (Dataset → Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)
                          └─ store (Dataset → the embedded on-disk Oxigraph store, graph by graph)
                               └─ query (SPARQL over the store or an endpoint; canned queries)

``cli`` is a thin layer on top; the library never prints and never exits.
"""

from __future__ import annotations

__version__ = "0.1.0"

from kg.errors import (
    ArticleError,
    ConfigError,
    EvidenceError,
    FactsFileError,
    InputError,
    KgError,
    Location,
    RdfInputError,
    ShapesError,
    StoreError,
)
from kg.export import FORMATS, serialize, write_dataset
from kg.facts import (
    Announcement,
    ArticleMeta,
    DateValue,
    Entity,
    Evidence,
    FactSheet,
    Role,
    Statement,
)
from kg.factsfile import dump_facts, facts_schema, load_facts, parse_facts
from kg.iris import DEFAULT_BASE, resolve_base
from kg.mapping import map_facts, map_many
from kg.query import (
    AskResult,
    EmbeddedStore,
    GraphResult,
    Query,
    QueryResult,
    SelectResult,
    SparqlEngine,
    canned_queries,
    format_result,
    resolve_query,
)
from kg.store import LoadSummary, load_into_store, resolve_store
from kg.validate import ValidationReport, ValidationResult, load_shapes, validate

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "Announcement",
    "ArticleError",
    "ArticleMeta",
    "AskResult",
    "ConfigError",
    "DateValue",
    "EmbeddedStore",
    "Entity",
    "Evidence",
    "EvidenceError",
    "FactSheet",
    "FactsFileError",
    "GraphResult",
    "InputError",
    "KgError",
    "LoadSummary",
    "Location",
    "Query",
    "QueryResult",
    "RdfInputError",
    "Role",
    "SelectResult",
    "ShapesError",
    "SparqlEngine",
    "Statement",
    "StoreError",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "canned_queries",
    "dump_facts",
    "facts_schema",
    "format_result",
    "load_facts",
    "load_into_store",
    "load_shapes",
    "map_facts",
    "map_many",
    "parse_facts",
    "resolve_base",
    "resolve_query",
    "resolve_store",
    "serialize",
    "validate",
    "write_dataset",
]
