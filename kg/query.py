"""query: SPARQL 1.1 queries over the embedded store (or any engine behind ``SparqlEngine``; a
remote endpoint is ``kg.endpoint_query``), the canned queries of ``queries/``, and the result
formats.

https://www.w3.org/TR/sparql11-query/ · results: https://www.w3.org/TR/sparql11-results-json/,
https://www.w3.org/TR/sparql11-results-csv-tsv/

**What a query argument is** is decided by its shape alone, never by what happens to exist on
disk (``resolve_query``):

==================================  =================================================
argument                            is
==================================  =================================================
``-``                               query text read from standard input
ends with ``.rq``                   a query file (an error when it cannot be read)
a bare name: letters, digits, - _   a canned query (an error when there is none)
contains white space or ``{``       query text
anything else                       an error that states these rules
==================================  =================================================

**Bindings** (``--bind NAME=VALUE``): the value is one N-Triples term — ``<IRI>``, ``"text"``,
``"text"@en``, ``"42"^^<datatype IRI>`` — read by pyoxigraph's N-Triples parser. It reaches the
query as a trailing ``VALUES`` clause written by pyoxigraph's serializer, never spliced into the
query, so every engine (the embedded store, a remote endpoint) runs the same text. A trailing
VALUES joins with the query's solutions: bind variables that the WHERE clause binds at its top
level (the canned queries' parameters are: their WHERE clause is one ``GRAPH ?graph`` group,
which binds them outside any OPTIONAL).

Queries see the union of all named graphs as their default graph (the data lives in one named
graph per article); ``GRAPH ?g { … }`` still reaches each graph by name. That union is a bag,
not the RDF merge: a triple held by N graphs matches N times, so a join through an entity that
many articles describe multiplies rows. The canned queries therefore match inside one article
graph each (``GRAPH ?graph { … }``; every article graph holds what its facts refer to).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol, TextIO, TypeAlias

import pyoxigraph as ox

from kg.errors import InputError, Location, StoreError
from kg.mapping import PREFIXES
from kg.resources import data_dir
from kg.store import open_store

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Bindable: TypeAlias = ox.NamedNode | ox.Literal
"""What a variable can be bound to: a VALUES clause holds IRIs and literals only."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# ---------------------------------------------------------------------------------------------
# Queries and their bindings


@dataclass(frozen=True)
class Query:
    """SPARQL query text, where it came from, and the values bound to its variables."""

    text: str
    origin: str
    """Where the text came from, for error locations: a file path, ``<argument>``, ``<stdin>``."""
    bindings: tuple[tuple[str, Bindable], ...] = ()

    def sparql(self, *, values: ValuesPlacement = "end") -> str:
        """The text to run: the query, then its bindings as a trailing VALUES clause.

        ``values="group"`` puts the VALUES block first in the query's WHERE group instead
        (on the same line, so line numbers stay), for engines whose trailing VALUES is broken:
        Virtuoso 7.2 silently ignores a trailing VALUES clause when the WHERE clause holds a
        BIND (measured). For variables bound at the top level of the WHERE clause, which is
        what ``--bind`` asks for, both give the same solutions. A query whose WHERE group
        cannot be found keeps the trailing clause.
        """
        if not self.bindings:
            return self.text
        names = " ".join(f"?{name}" for name, _ in self.bindings)
        # str() of a pyoxigraph term is its N-Triples form, valid SPARQL (pyoxigraph's docs).
        terms = " ".join(str(term) for _, term in self.bindings)
        clause = f"VALUES ({names}) {{ ({terms}) }}"
        if values == "group":
            at = where_group(self.text)
            if at is not None:
                return f"{self.text[:at + 1]} {clause} {self.text[at + 1:]}"
        return f"{self.text}\n{clause}\n"

    def bind(self, bindings: Mapping[str, Bindable]) -> Query:
        """This query with ``bindings`` added; each variable must occur in the query, once."""
        bound = {name for name, _ in self.bindings}
        for name in bindings:
            if name in bound:
                raise InputError(f"?{name} is bound already", Location(self.origin))
            if not re.search(rf"[?$]{re.escape(name)}(?!\w)", self.text):
                raise InputError(f"the query has no variable ?{name} to bind",
                                 Location(self.origin))
        return replace(self, bindings=self.bindings + tuple(bindings.items()))


ValuesPlacement: TypeAlias = Literal["end", "group"]

# What the WHERE-group scanner steps over whole: comments, IRIs, strings (long ones first).
_OPAQUE = re.compile("|".join([
    r"\#[^\n]*",
    r"<[^<>\"{}|^`\\\x00-\x20]*>",
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n]|\\.)*"',
    r"'(?:[^'\\\n]|\\.)*'",
]), re.DOTALL)
_WORD_CHAR = re.compile(r"[A-Za-z0-9_:.\-?$]")
# The prologue: white space, comments, BASE <iri>, PREFIX name: <iri>. What follows it is the
# query form. IRIs are scanned loosely (anything up to '>'): the engine checks them.
_PROLOGUE = re.compile(
    r"(?:\s+|\#[^\n]*|(?i:BASE)\s*<[^>\s]*>|(?i:PREFIX)\s*[^\s:<>]*:\s*<[^>\s]*>)*")
_FORM = re.compile(r"(?i:(SELECT|ASK|CONSTRUCT|DESCRIBE))(?![A-Za-z0-9_])")


def query_form(text: str) -> tuple[str | None, int]:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE; None for anything else, such as an
    update) and where it starts: the first keyword after the PREFIX and BASE declarations."""
    prologue = _PROLOGUE.match(text)
    start = prologue.end() if prologue else 0
    found = _FORM.match(text, start)
    return (found.group(1).upper() if found else None), start


def where_group(text: str) -> int | None:
    """The index of the ``{`` that opens the query's WHERE group, or None.

    A small scanner, not a parser: it steps over comments, IRIs and strings, counts
    parentheses and braces, and takes the first top-level ``{`` after a top-level ``WHERE``;
    without the keyword (it is optional), the first top-level group (the second after
    CONSTRUCT, whose first is the template)."""
    groups: list[int] = []
    after_where: int | None = None
    parens = braces = 0
    i, n = 0, len(text)
    while i < n:
        opaque = _OPAQUE.match(text, i)
        if opaque:
            i = opaque.end()
            continue
        ch = text[i]
        if ch == "(":
            parens += 1
        elif ch == ")":
            parens -= 1
        elif ch == "{":
            if braces == 0 and parens == 0:
                if after_where is not None:
                    return i
                groups.append(i)
            braces += 1
        elif ch == "}":
            braces -= 1
        elif (ch in "wW" and braces == 0 and parens == 0 and text[i:i + 5].upper() == "WHERE"
              and not (i and _WORD_CHAR.match(text[i - 1]))
              and not (i + 5 < n and _WORD_CHAR.match(text[i + 5]))):
            after_where = i
            i += 5
            continue
        i += 1
    wanted = 1 if query_form(text)[0] == "CONSTRUCT" else 0
    return groups[wanted] if len(groups) > wanted else None


_VARNAME = re.compile(r"[?$]?([A-Za-z_][A-Za-z0-9_]*)")
_TERM_HELP = 'an IRI in angle brackets <https://…> or a literal "text", "text"@en, "1"^^<IRI>'


def parse_term(text: str) -> Bindable:
    """One N-Triples IRI or literal (what ``--bind`` takes), read by pyoxigraph's parser."""
    if not text.startswith(("<", '"')):
        raise InputError(f"{text!r} is not an RDF term: write {_TERM_HELP}")
    try:
        # The term is parsed as the object of a one-triple N-Triples document; anything that is
        # more than one term yields a syntax error or a second triple, and is refused.
        quads = list(ox.parse(f"<urn:kg:s> <urn:kg:p> {text} .", ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise InputError(f"{text!r} is not an RDF term ({exc}): write {_TERM_HELP}") from exc
    if len(quads) != 1 or not isinstance(quads[0].object, Bindable):
        raise InputError(f"{text!r} is not one IRI or literal: write {_TERM_HELP}")
    return quads[0].object


def parse_binding(spec: str) -> tuple[str, Bindable]:
    """``NAME=VALUE`` (``--bind``) → (variable name, term)."""
    name, sep, value = spec.partition("=")
    match = _VARNAME.fullmatch(name.strip())
    if not sep or match is None:
        raise InputError(f"--bind {spec!r}: write NAME=VALUE, e.g. "
                         "entity='<https://w3id.org/newskg/id/organization/microsoft>'")
    try:
        return match.group(1), parse_term(value.strip())
    except InputError as exc:
        raise InputError(f"--bind {match.group(1)}: {exc}") from exc


def parse_bindings(specs: Iterable[str]) -> dict[str, Bindable]:
    bindings: dict[str, Bindable] = {}
    for spec in specs:
        name, term = parse_binding(spec)
        if name in bindings:
            raise InputError(f"--bind {name} is given twice")
        bindings[name] = term
    return bindings


# ---------------------------------------------------------------------------------------------
# Where the query comes from


@dataclass(frozen=True)
class CannedQuery:
    """A shipped query: ``queries/NAME.rq``, whose first line is ``# one-line description``."""

    name: str
    description: str
    path: Path

    def query(self) -> Query:
        return read_query_file(self.path)


@cache
def canned_queries() -> dict[str, CannedQuery]:
    """The canned queries by name, sorted."""
    found: dict[str, CannedQuery] = {}
    for path in sorted(data_dir("queries").glob("*.rq")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        description = first.lstrip("#").strip() if first.startswith("#") else ""
        found[path.stem] = CannedQuery(path.stem, description, path)
    return found


def read_query_file(path: Path) -> Query:
    try:
        return Query(path.read_text(encoding="utf-8"), str(path))
    except FileNotFoundError as exc:
        raise InputError("no such query file", Location(str(path))) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", Location(str(path))) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", Location(str(path))) from exc


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def resolve_query(arg: str, *, stdin: TextIO | None = None) -> Query:
    """The query an argument names, by the rules in this module's docstring."""
    if arg == "-":
        if stdin is None:
            raise InputError("'-' reads the query from standard input, which is not given")
        return Query(stdin.read(), "<stdin>")
    if arg.lower().endswith(".rq"):
        return read_query_file(Path(arg))
    if _NAME.fullmatch(arg):
        canned = canned_queries().get(arg)
        if canned is None:
            raise InputError(f"no canned query {arg!r} (kg query --list shows them: "
                             f"{', '.join(canned_queries())})")
        return canned.query()
    if "{" in arg or any(ch.isspace() for ch in arg):
        return Query(arg, "<argument>")
    raise InputError(
        f"cannot tell what {arg!r} is: a canned query is a bare name (kg query --list), a query "
        "file ends in .rq, query text holds a space or '{', and - reads standard input")


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class SelectResult:
    """A SELECT result: the variables, and one row of terms (None = unbound) per solution.

    ``notes`` are what the engine wants said about the result (a row cap it may have hit); they
    are not part of the result's value (not compared) and the CLI prints them on stderr."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    notes: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class AskResult:
    """An ASK result."""

    value: bool


@dataclass(frozen=True)
class GraphResult:
    """A CONSTRUCT or DESCRIBE result (``notes`` as for ``SelectResult``)."""

    triples: tuple[ox.Triple, ...]
    notes: tuple[str, ...] = field(default=(), compare=False)


QueryResult: TypeAlias = SelectResult | AskResult | GraphResult


def results_from_oxigraph(raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
                          ) -> QueryResult:
    """pyoxigraph's results (from ``Store.query`` or ``parse_query_results``), read whole."""
    if isinstance(raw, ox.QueryBoolean):
        return AskResult(bool(raw))
    if isinstance(raw, ox.QueryTriples):
        return GraphResult(tuple(raw))
    variables = tuple(v.value for v in raw.variables)
    return SelectResult(variables, tuple(tuple(row) for row in raw))


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def syntax_error(query: Query, message: str) -> InputError:
    """The parser's message as an ``InputError`` located at its line and column."""
    match = _POSITION.match(message)
    if match is None:
        return InputError(f"malformed query: {message}", Location(query.origin))
    line, column, what = int(match.group(1)), int(match.group(2)), match.group(3)
    if query.bindings and line > query.text.count("\n") + 1:
        what += " (in the VALUES clause --bind appends: does the query end with one already?)"
    return InputError(f"malformed query: {what}", Location(query.origin, line, column))


class SparqlEngine(Protocol):
    """Where a query runs: ``EmbeddedStore`` here, a SPARQL 1.1 endpoint in
    ``kg.endpoint_query.EndpointEngine``.

    ``run`` evaluates ``query.sparql()`` with the union of all named graphs as the default graph
    and returns the whole result. It raises ``InputError`` located at ``query.origin`` (see
    ``syntax_error``) for a query the engine rejects, and another ``KgError`` for an engine it
    cannot use.
    """

    def run(self, query: Query) -> QueryResult: ...


class EmbeddedStore:
    """The on-disk Oxigraph store as a ``SparqlEngine``. Use it as a context manager: the store
    stays locked while it is open (pyoxigraph has no close; the lock goes with the object)."""

    def __init__(self, store: ox.Store, name: str) -> None:
        self._store: ox.Store | None = store
        self.name = name

    @classmethod
    def open(cls, path: str | Path) -> EmbeddedStore:
        """Open an existing store (a missing one is a ``StoreError``, never created here)."""
        return cls(open_store(path, create=False), str(path))

    def close(self) -> None:
        self._store = None

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def run(self, query: Query) -> QueryResult:
        if self._store is None:
            raise StoreError("the store is closed", self.name)
        try:
            raw = self._store.query(query.sparql(), use_default_graph_as_union=True)
            return results_from_oxigraph(raw)
        except SyntaxError as exc:
            raise syntax_error(query, str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"the query failed: {exc}", self.name) from exc


# ---------------------------------------------------------------------------------------------
# Formats


RESULT_FORMATS = ("table", "csv", "tsv", "json", "turtle")
TABLE_FORMATS = ("table", "csv", "tsv", "json")
MAX_CELL = 80
"""Display width at which a table cell is cut (with …); csv, tsv and json are never cut."""


def format_result(result: QueryResult, fmt: str | None = None) -> str:
    """``result`` as text. ``fmt`` None: table for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE."""
    if fmt is not None and fmt not in RESULT_FORMATS:
        raise InputError(f"unknown result format {fmt!r} (choose {', '.join(RESULT_FORMATS)})")
    if isinstance(result, GraphResult):
        if fmt not in (None, "turtle"):
            raise InputError("a CONSTRUCT or DESCRIBE result is a graph: use --format turtle")
        return format_turtle(result)
    if fmt == "turtle":
        raise InputError("a SELECT or ASK result is not a graph: use --format "
                         + ", ".join(TABLE_FORMATS))
    if isinstance(result, AskResult):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return ("true" if result.value else "false") + "\n"
    return {"csv": format_csv, "tsv": format_tsv, "json": format_json}.get(
        fmt or "table", format_table)(result)


def format_turtle(result: GraphResult) -> str:
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    return data.decode("utf-8") if data else ""


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def format_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{var: _json_term(term) for var, term in zip(result.variables, row, strict=True)
                 if term is not None} for row in result.rows]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _plain(term: Term | None) -> str:
    """The SPARQL CSV form: IRIs and literals bare, blank nodes as _:label."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def format_csv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results CSV (values only, lines end CRLF as the spec says)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([_plain(term) for term in row] for row in result.rows)
    return buf.getvalue()


def format_tsv(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples form (tabs and newlines escaped)."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _display_width(text: str) -> int:
    # East Asian wide characters take two terminal columns, combining marks none.
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(term: Term | None) -> str:
    """A table cell: one line of printable text, cut at MAX_CELL columns."""
    text = _plain(term)
    # Newlines would break the row and control characters (ESC) could drive the terminal.
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)
    if _display_width(text) <= MAX_CELL:
        return text
    out, width = [], 0
    for ch in text:
        width += _display_width(ch)
        if width > MAX_CELL - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def format_table(result: SelectResult) -> str:
    """Aligned columns for a terminal, a rule under the header, the row count last."""
    header = list(result.variables)
    body = [[_cell(term) for term in row] for row in result.rows]
    widths = [max([_display_width(h)] + [_display_width(r[i]) for r in body])
              for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        padded = [c + " " * (w - _display_width(c)) for c, w in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    lines = [line(header), line(["-" * w for w in widths])] + [line(r) for r in body]
    n = len(body)
    lines.append(f"({n} row{'' if n == 1 else 's'})")
    return "\n".join(lines) + "\n"
