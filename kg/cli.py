"""The ``kg`` command: a thin layer that parses arguments, calls the library, formats output.

Exit codes (as pySHACL's CLI): 0 success / conforms, 1 the graph has SHACL violations (or a
check failed), 2 bad input (facts file, article, RDF file, query, option) or a store or endpoint
that cannot be used. ``format_*`` functions return strings; only the command functions print.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from xml.sax import SAXException

import typer
from rdflib import Dataset
from rdflib.exceptions import ParserError

from kg import __version__
from kg.errors import ConfigError, InputError, KgError, Location, RdfInputError
from kg.export import FORMATS, format_for, write_atomic, write_dataset
from kg.facts import FactSheet
from kg.factsfile import dump_facts, facts_schema, find_facts_files, load_facts
from kg.iris import resolve_base
from kg.mapping import bind_prefixes, map_many
from kg.query import (
    RESULT_FORMATS,
    CannedQuery,
    EmbeddedStore,
    SparqlEngine,
    canned_queries,
    format_result,
    parse_bindings,
    resolve_query,
)
from kg.store import STORE_ENV, LoadSummary, load_into_store, resolve_store
from kg.validate import ValidationReport, validate

app = typer.Typer(
    name="kg",
    help="newskg: news articles → facts → a validated linked-data knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    # Locals can hold credentials (endpoint passwords): never print them in a traceback.
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2


def _err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _errors() -> Iterator[None]:
    """Map the library's error tree to one line on stderr and exit code 2."""
    try:
        yield
    except KgError as exc:
        _err(f"kg: error: {exc}")
        raise typer.Exit(EXIT_INPUT) from None


def generated_at() -> datetime:
    """Build time: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise ConfigError(f"SOURCE_DATE_EPOCH={raw!r} is not a Unix time in seconds") from exc


# ---------------------------------------------------------------------------------------------
# Formatting


def format_report_brief(report: ValidationReport) -> str:
    """Counts, then one line per warning: what kg build prints on success."""
    lines = [format_report(report, verbose_warnings=False)]
    if report.results:
        lines.append("")
    for r in report.results:
        lines.append(f"  {r.severity}: {r.message} — {r.focus_label or r.focus}"[:160])
    if report.warnings:
        lines.append("  (kg validate shows each result in full, with its evidence)")
    return "\n".join(lines)


def format_report(report: ValidationReport, *, verbose_warnings: bool = True) -> str:
    """The validation report for people: counts first, then each result."""
    lines: list[str] = []
    n_v, n_w = len(report.violations), len(report.warnings)
    other = len(report.results) - n_v - n_w
    head = "conforms" if report.conforms else "DOES NOT CONFORM"
    lines.append(f"Validation: {head} — {n_v} violation(s), {n_w} warning(s)"
                 + (f", {other} info(s)" if other else ""))
    if report.results:
        lines.append("")
        lines.append(f"  {'severity':<10} {'count':>5}  shape / path")
        for severity, shape, path, count in report.counts():
            lines.append(f"  {severity:<10} {count:>5}  {shape} / {path}")
    shown = [r for r in report.results if verbose_warnings or r.severity == "Violation"]
    for r in shown:
        lines.append("")
        focus = f"{r.focus_label} <{r.focus}>" if r.focus_label else f"<{r.focus}>"
        lines.append(f"{r.severity}: {r.message}")
        lines.append(f"  focus:    {focus}")
        if r.path:
            lines.append(f"  path:     {r.path}")
        if r.value is not None:
            lines.append(f"  value:    {r.value}")
        if r.shape:
            lines.append(f"  shape:    {r.shape} ({r.constraint})")
        if r.evidence:
            ev = r.evidence if len(r.evidence) <= 160 else r.evidence[:157] + "..."
            lines.append(f"  evidence: “{ev}”")
    return "\n".join(lines)


def format_report_json(report: ValidationReport) -> str:
    return json.dumps({
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "counts": [{"severity": s, "shape": sh, "path": p, "count": n}
                   for s, sh, p, n in report.counts()],
        "results": [r.__dict__ for r in report.results],
    }, indent=2, ensure_ascii=False)


def format_load_summary(summary: LoadSummary) -> str:
    return (f"Loaded {len(summary.graphs)} graph(s), {summary.triples:,} triples into the store "
            f"{summary.target} in {summary.seconds:.2f} s "
            f"({summary.triples_per_second:,.0f} triples/s)")


def format_canned_list(queries: dict[str, CannedQuery]) -> str:
    width = max((len(name) for name in queries), default=0)
    return "\n".join(f"{name:<{width}}  {q.description}" for name, q in queries.items())


def format_build_summary(dataset: Dataset, out: str, fmt_name: str) -> str:
    graphs = {str(ctx.identifier) for ctx in dataset.graphs()
              if str(ctx.identifier) != str(dataset.default_graph.identifier) and len(ctx)}
    where = "stdout" if out == "-" else out
    return f"Built {len(graphs)} article graph(s), {len(dataset)} triples → {where} ({fmt_name})"


# ---------------------------------------------------------------------------------------------
# Inputs


RDF_SUFFIXES = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads",
                ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".xml": "xml",
                ".owl": "xml"}
FACTS_SUFFIXES = (".yaml", ".yml")


def _load_rdf(path: Path, dataset: Dataset) -> None:
    fmt = RDF_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise RdfInputError(
            f"cannot tell the format from the extension {path.suffix or '(none)'!r} "
            f"(facts files: {', '.join(FACTS_SUFFIXES)}; RDF: {', '.join(RDF_SUFFIXES)})",
            Location(str(path)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RdfInputError(f"cannot read: {exc.strerror}", Location(str(path))) from exc
    try:
        if fmt in ("trig", "nquads", "json-ld"):
            dataset.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
        else:
            dataset.default_graph.parse(data=data, format=fmt,
                                          publicID=path.resolve().as_uri())
    except (ParserError, SyntaxError, ValueError, SAXException) as exc:
        # rdflib's parsers raise several unrelated types for bad syntax (BadSyntax is a
        # SyntaxError, JSON errors are ValueErrors, RDF/XML raises SAX errors).
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RdfInputError(f"not valid {fmt}: {first}", Location(str(path))) from exc


ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")


def is_article_source(source: str) -> bool:
    """An article to extract: a URL, stdin, or a text / HTML file (by its extension)."""
    return (source == "-" or source.startswith(("http://", "https://"))
            or Path(source).suffix.lower() in ARTICLE_SUFFIXES)


def _draft(sources: Sequence[str], timezone: str | None, published: str | None
           ) -> list[FactSheet]:
    # Imported on use: spaCy takes a second or two to load, and only extraction needs it.
    from kg.extract import article_from_document, extract_many
    from kg.ingest import ingest

    articles = []
    for source in sources:
        doc = ingest(source, timezone=timezone)
        if published:
            doc = replace(doc, published=_published_option(published))
        articles.append(article_from_document(doc))
    return extract_many(articles)


def _published_option(value: str) -> str:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"--published {value!r} is not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise InputError(f"--published {value!r} needs a zone offset (e.g. +00:00)")
    return parsed.isoformat()


def _read_inputs(paths: Sequence[Path | str], base: str, *, timezone: str | None = None,
                 published: str | None = None) -> Dataset:
    """Facts files are mapped; articles are extracted, then mapped; RDF files are parsed."""
    facts_paths: list[Path] = []
    rdf_paths: list[Path] = []
    articles: list[str] = []
    for raw in paths:
        if isinstance(raw, str) and is_article_source(raw):
            articles.append(raw)
            continue
        p = Path(raw)
        if p.is_dir() or p.suffix.lower() in FACTS_SUFFIXES:
            facts_paths.extend(find_facts_files([p]))
        else:
            rdf_paths.append(p)
    sheets = [load_facts(p) for p in facts_paths]
    if articles:
        sheets += _draft(articles, timezone, published)
    try:
        dataset = map_many(sheets, base=base, generated_at=generated_at())
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    if not sheets:
        bind_prefixes(dataset, base)
    for p in rdf_paths:
        _load_rdf(p, dataset)
    return dataset


# ---------------------------------------------------------------------------------------------
# Commands


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kg (newskg) {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """newskg: news articles → facts → a validated linked-data knowledge graph.

    Examples:

      kg build examples/microsoft-face-recognition-police/facts.yaml -o graph.ttl

      kg validate graph.ttl --format json

      kg schema > facts.schema.json
    """


FORMAT_NAMES = ", ".join(FORMATS)
STORE_HELP = (f"Store directory (default: ${STORE_ENV}, else ./newskg-store); created when "
              "missing, never inside a non-empty directory that is not a store.")
ENDPOINT_HELP = "A SPARQL 1.1 endpoint URL to use instead of the embedded store."


def _checked_dataset(inputs: Sequence[Path | str], base: str, *, force: bool, verb: str,
                     timezone: str | None = None, published: str | None = None
                     ) -> tuple[Dataset, ValidationReport]:
    """Read and validate; SHACL violations stop here (exit 1) unless ``force``."""
    dataset = _read_inputs(inputs, base, timezone=timezone, published=published)
    report = validate(dataset)
    if not report.conforms and not force:
        _err(format_report(report, verbose_warnings=False))
        _err(f"kg: the graph has SHACL violations: nothing {verb} (use --force to go on "
             "anyway)")
        raise typer.Exit(EXIT_VIOLATIONS)
    return dataset, report


def _load(dataset: Dataset, store: Path | None, endpoint: str | None) -> str:
    """The seam that puts a dataset into the store or an endpoint; returns the summary line."""
    if endpoint is None:
        return format_load_summary(load_into_store(dataset, resolve_store(store)))
    if store is not None:
        raise InputError("--store and --endpoint exclude each other: give one")
    # Imported on use: only --endpoint needs the HTTP stack, and kg starts faster without it.
    from kg.remote import load_to_endpoint

    return load_to_endpoint(dataset, endpoint=endpoint).summary()


def _engine(store: Path | None, endpoint: str | None) -> AbstractContextManager[SparqlEngine]:
    """The seam that picks where ``kg query`` runs: the embedded store or an endpoint."""
    if endpoint is None:
        return EmbeddedStore.open(resolve_store(store))
    if store is not None:
        raise InputError("--store and --endpoint exclude each other: give one")
    # kg.remote loads into endpoints but has no query engine yet; one plugs in here as a
    # kg.query.SparqlEngine (run(Query) -> QueryResult).
    raise InputError("kg query --endpoint is not wired yet: query the embedded store, or send "
                     "the query to the endpoint directly")


TIMEZONE_HELP = ("Zone of a date line without one, or to read an ambiguous abbreviation "
                 "(IANA name like America/New_York, or an offset like +05:30).")
PUBLISHED_HELP = ("Publication date-time (ISO 8601 with offset) when the article gives none: "
                  "relative dates ('Thursday') are resolved against it.")


@app.command()
def build(
    inputs: Annotated[list[str], typer.Argument(
        help="Facts files (*.yaml), directories holding facts.yaml / *.facts.yaml, or articles "
             "to extract first (.txt, .html, a URL, - for stdin).", show_default=False)],
    output: Annotated[str | None, typer.Option(
        "-o", "--output", help="Output file, or - for stdout (the default, except with --load: "
                               "then no file unless -o is given).", show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help=f"Output format ({FORMAT_NAMES}); default: from the extension.",
        show_default=False)] = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Base IRI for instance data (else $NEWSKG_BASE, ./newskg.toml, "
                       "https://w3id.org/newskg/id/).", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Write (and load) the graph even when it has SHACL violations.")
    ] = False,
    load: Annotated[bool, typer.Option(
        "--load", help="Also load each article's graph into the store, replacing it.")] = False,
    store: Annotated[Path | None, typer.Option(
        "--store", help=STORE_HELP + " Needs --load.", show_default=False)] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help=TIMEZONE_HELP,
                                                 show_default=False)] = None,
    published: Annotated[str | None, typer.Option("--published", help=PUBLISHED_HELP,
                                                  show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="Print nothing but errors.")] = False,
) -> None:
    """Load facts files, map them to RDF, validate with SHACL, and write the graph.

    An article (.txt, .html, URL) is extracted first, as kg extract does, without a review.

    Turtle, N-Triples and RDF/XML hold the merged graph; TriG, N-Quads and JSON-LD keep one
    named graph per article. Violations stop the write (exit 1) unless --force; warnings are
    printed. The write is atomic: on any error no output file is created or changed. With
    --load the graphs also go into the embedded store (as kg load does).

    Examples:

      kg build examples/microsoft-face-recognition-police/facts.yaml -o graph.ttl

      kg build examples/ -o graph.trig --base https://example.org/news/

      kg build facts.yaml -o - --format jsonld | jq .

      kg build examples/ --load --store ./newskg-store
    """
    with _errors():
        if store is not None and not load:
            raise InputError("--store names where --load puts the graph: add --load")
        out = output if output is not None else (None if load else "-")
        if out is None and fmt is not None:
            raise InputError("--format is the format of -o: with --load, no file is written "
                             "unless -o is given")
        f = format_for(fmt, out) if out is not None else None
        resolved_base = resolve_base(base)
        for raw in inputs:
            p = Path(raw)
            if not (is_article_source(raw) or p.is_dir() or p.suffix.lower() in FACTS_SUFFIXES):
                raise InputError("kg build reads facts files (*.yaml), directories of them, "
                                 "or articles (.txt, .html, a URL)", Location(raw))
        done = [v for v, on in (("written", out is not None), ("loaded", load)) if on]
        dataset, report = _checked_dataset(inputs, resolved_base, force=force,
                                           verb=" or ".join(done), timezone=timezone,
                                           published=published)
        if out is not None and f is not None:
            write_dataset(dataset, out, f.name)
        loaded = _load(dataset, store, None) if load else None
    if not quiet:
        _err(format_report_brief(report))
        if out is not None and f is not None:
            _err(format_build_summary(dataset, out, f.name))
        if loaded:
            _err(loaded)
        if not report.conforms:
            _err(f"kg: {' and '.join(done)} with SHACL violations because of --force")


LOAD_RDF_SUFFIXES = (".trig", ".nq")


@app.command(name="load")
def load_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        help="Facts files (*.yaml), directories of them, or TriG / N-Quads files (.trig .nq).",
        show_default=False)],
    store: Annotated[Path | None, typer.Option("--store", help=STORE_HELP,
                                               show_default=False)] = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help=ENDPOINT_HELP,
                                                 show_default=False)] = None,
    base: Annotated[str | None, typer.Option("--base", help="Base IRI for facts files.",
                                             show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Load the graph even when it has SHACL violations.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="Print nothing but errors.")] = False,
) -> None:
    """Build and validate, then put each article's named graph into the store, replacing it.

    Facts files are mapped and validated as kg build does; TriG and N-Quads files are loaded
    as they are (validated too), one named graph each. Violations stop the load (exit 1)
    unless --force. Each graph replaces the store's graph of the same name in one
    transaction, so loading again gives the same triples, never duplicates. The store is an
    on-disk Oxigraph database: no server needed; one process at a time may open it.

    Examples:

      kg load examples/

      kg load facts.yaml --store /data/news-store

      kg load graph.trig --store ./newskg-store
    """
    with _errors():
        for p in inputs:
            suffix = p.suffix.lower()
            if not p.is_dir() and suffix not in FACTS_SUFFIXES + LOAD_RDF_SUFFIXES:
                raise InputError(
                    "kg load reads facts files (*.yaml), directories of them, or TriG / N-Quads "
                    "files (the named graphs they hold are what it replaces)", Location(str(p)))
        dataset, report = _checked_dataset(inputs, resolve_base(base), force=force,
                                           verb="loaded")
        summary = _load(dataset, store, endpoint)
    if not quiet:
        _err(format_report(report))
        _err(summary)
        if not report.conforms:
            _err("kg: loaded with SHACL violations because of --force")


@app.command(name="query")
def query_cmd(
    query: Annotated[str | None, typer.Argument(
        help="A canned query NAME (see --list), a FILE.rq, SPARQL text (anything holding a "
             "space or '{'), or - to read the query from stdin.", show_default=False)] = None,
    store: Annotated[Path | None, typer.Option("--store", help=STORE_HELP,
                                               show_default=False)] = None,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help=ENDPOINT_HELP,
                                                 show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help=f"Result format ({', '.join(RESULT_FORMATS)}); default: table "
                               "for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE.",
        show_default=False)] = None,
    bind: Annotated[list[str] | None, typer.Option(
        "--bind", "-b", help="NAME=VALUE: bind ?NAME to an N-Triples term, <IRI> or \"text\" "
                             "(repeatable). Added as a VALUES clause, never spliced in.",
        show_default=False)] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the canned queries and exit.")
                     ] = False,
) -> None:
    """Run a SPARQL query on the store and print the result.

    What QUERY is follows from its shape alone: - reads stdin; a name ending in .rq is a file;
    a bare name (letters, digits, - and _) is a canned query; text holding a space or '{' is
    SPARQL. Anything else is an error. The default graph is the union of all article graphs.
    A malformed query is reported with the parser's line and column (exit 2).

    Examples:

      kg query --list

      kg query announcements

      kg query statements --format csv > statements.csv

      kg query entity -b 'entity=<https://w3id.org/newskg/id/person/brad-smith>'

      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' -f json

      echo 'ASK { ?s ?p ?o }' | kg query - --store /data/news-store

      kg query my-question.rq --format json
    """
    with _errors():
        if list_:
            typer.echo(format_canned_list(canned_queries()))
            return
        if query is None:
            raise InputError("give a QUERY (a canned query name, a FILE.rq, SPARQL text, or -) "
                             "or --list")
        if fmt is not None and fmt not in RESULT_FORMATS:
            raise InputError(f"unknown result format {fmt!r} (choose "
                             f"{', '.join(RESULT_FORMATS)})")
        q = resolve_query(query, stdin=sys.stdin).bind(parse_bindings(bind or []))
        with _engine(store, endpoint) as engine:
            result = engine.run(q)
        text = format_result(result, fmt)
    sys.stdout.write(text)


class ReportFormat:
    TEXT, TURTLE, JSON = "text", "turtle", "json"


@app.command(name="validate")
def validate_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        help="Facts files (*.yaml), directories of them, or RDF files (.ttl .trig .nt .nq "
             ".jsonld .rdf).", show_default=False)],
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="Report format: text, turtle (the SHACL report graph) or json."
    )] = "text",
    base: Annotated[str | None, typer.Option("--base", help="Base IRI for facts files.",
                                             show_default=False)] = None,
) -> None:
    """Validate facts files or RDF files against the newskg SHACL shapes.

    Exit 0 when the graph conforms (warnings allowed), 1 with violations, 2 on bad input.

    Examples:

      kg validate examples/microsoft-face-recognition-police/facts.yaml

      kg validate graph.ttl --format turtle > report.ttl
    """
    with _errors():
        if fmt not in (ReportFormat.TEXT, ReportFormat.TURTLE, ReportFormat.JSON):
            raise InputError(f"unknown report format {fmt!r} (choose text, turtle or json)")
        dataset = _read_inputs(inputs, resolve_base(base))
        if len(dataset) == 0:
            raise InputError("the input holds no triples")
        report = validate(dataset)
    if fmt == ReportFormat.TURTLE:
        sys.stdout.write(report.graph.serialize(format="turtle"))
    elif fmt == ReportFormat.JSON:
        typer.echo(format_report_json(report))
    else:
        typer.echo(format_report(report))
    raise typer.Exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


@app.command()
def extract(
    source: Annotated[str, typer.Argument(
        help="The article: a text file, an HTML file, an http(s) URL, or - for stdin.",
        show_default=False)],
    output: Annotated[str, typer.Option(
        "-o", "--output", help="Facts file to write, or - for stdout.")] = "-",
    timezone: Annotated[str | None, typer.Option("--timezone", help=TIMEZONE_HELP,
                                                 show_default=False)] = None,
    published: Annotated[str | None, typer.Option("--published", help=PUBLISHED_HELP,
                                                  show_default=False)] = None,
) -> None:
    """Draft a facts file from a news article, every fact anchored to its text span.

    Review the YAML (fix, delete, add facts: each evidence is verbatim text of the article),
    then build it. A local text file is referred to by its path; an HTML page or a URL has its
    extracted text written next to the facts file (ARTICLE.txt) or kept inline on stdout.

    Examples:

      kg extract article.txt -o article.facts.yaml

      kg extract https://example.org/news/story.html -o story.facts.yaml --timezone Europe/Paris

      kg extract article.txt | kg build - ...   (or simply: kg build article.txt -o graph.ttl)
    """
    with _errors():
        (sheet,) = _draft([source], timezone, published)
        text_file: str | None = None
        local = source != "-" and not source.startswith(("http://", "https://"))
        if output != "-":
            out_dir = Path(output).resolve().parent
            if local and Path(source).suffix.lower() not in (".html", ".htm", ".xhtml"):
                text_file = os.path.relpath(Path(source).resolve(), out_dir)
            else:
                text_path = Path(output).with_suffix("").with_suffix(".txt")
                write_atomic(text_path, sheet.article.text.encode("utf-8"))
                text_file = text_path.name
        elif local and Path(source).suffix.lower() not in (".html", ".htm", ".xhtml"):
            text_file = os.path.relpath(Path(source).resolve(), Path.cwd())
        data = dump_facts(sheet, text_file=text_file).encode("utf-8")
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            write_atomic(Path(output), data)
    counts = (f"{len(sheet.entities)} entities, {len(sheet.roles)} roles, "
              f"{len(sheet.dates)} dates, {len(sheet.announcements)} announcements, "
              f"{len(sheet.statements)} statements")
    _err(f"Drafted {counts} → {'stdout' if output == '-' else output}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the facts file (for editors: yaml-language-server, VS Code).

    Example:

      kg schema > facts.schema.json
    """
    typer.echo(json.dumps(facts_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    app()
