"""newskg: news articles → facts → RDF knowledge graph, validated with SHACL.

The flow, one module per stage, each importing only from stages before it::

    facts (FactSheet data types)
      └─ factsfile (YAML ⇄ FactSheet, evidence anchoring, JSON Schema)
           └─ mapping (FactSheet → rdflib Dataset; IRIs from iris, Wikidata from authority)
                └─ validate (pyshacl + shapes/ → ValidationReport)
                     └─ export (Dataset → Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML)

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
from kg.validate import ValidationReport, ValidationResult, load_shapes, validate

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "Announcement",
    "ArticleError",
    "ArticleMeta",
    "ConfigError",
    "DateValue",
    "Entity",
    "Evidence",
    "EvidenceError",
    "FactSheet",
    "FactsFileError",
    "InputError",
    "KgError",
    "Location",
    "RdfInputError",
    "Role",
    "ShapesError",
    "Statement",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "dump_facts",
    "facts_schema",
    "load_facts",
    "load_shapes",
    "map_facts",
    "map_many",
    "parse_facts",
    "resolve_base",
    "serialize",
    "validate",
    "write_dataset",
]
