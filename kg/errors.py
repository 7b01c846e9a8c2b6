"""The one exception tree of newskg.

::

    KgError                      anything newskg raises on purpose (the CLI maps it to exit 2)
    ├── InputError               the user's input is wrong; carries a location when it has one
    │   ├── FactsFileError       a facts file: YAML syntax, unknown field, bad value, bad reference
    │   ├── EvidenceError        a fact's evidence is not verbatim in the article
    │   ├── ArticleError         the article text: unreadable, not UTF-8, empty
    │   └── RdfInputError        an RDF file that does not parse, or has an unknown extension
    ├── ConfigError              a configuration value (base IRI, config file) is unusable
    └── ShapesError              the shapes graph itself is ill-formed (SHACL "failure")

I/O failures (a missing file, a full disk) are mapped to ``InputError`` at the edge with the
original ``OSError`` kept as ``__cause__``. Validation *results* are not exceptions: a graph
that does not conform is an answer, returned as a ``ValidationReport``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in a file a problem is: 1-based line and column, and the field path."""

    path: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.field:
            where += f": {self.field}"
        return where


class KgError(Exception):
    """Base of every error newskg raises on purpose."""


class InputError(KgError):
    """The input is wrong. ``str()`` is one line: location first, then what is wrong."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class FactsFileError(InputError):
    """A facts file is malformed, has an unknown field, a bad value or a dangling reference."""


class EvidenceError(InputError):
    """A fact's evidence text is not found verbatim in the article."""


class ArticleError(InputError):
    """The article text cannot be used (unreadable, not UTF-8, empty)."""


class RdfInputError(InputError):
    """An RDF input file does not parse or its format cannot be told from its name."""


class ConfigError(KgError):
    """A configuration value is unusable (e.g. a base IRI that is not an absolute IRI)."""


class ShapesError(KgError):
    """The shapes graph is ill-formed; no validation result can be given."""
