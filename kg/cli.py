"""The ``kg`` command: a thin layer that parses arguments, calls the library, formats output.

Exit codes (as pySHACL's CLI): 0 success / conforms, 1 the graph has SHACL violations (or a
check failed), 2 bad input (facts file, article, RDF file, query, option) or a store or endpoint
that cannot be used. ``format_*`` functions return strings; only the command functions print.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from xml.sax import SAXException

import typer
from rdflib import Dataset
from rdflib.exceptions import ParserError
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg import __version__
from kg.errors import (
    ConfigError,
    EndpointError,
    InputError,
    KgError,
    LoadInterrupted,
    Location,
    RdfInputError,
)
from kg.export import FORMATS, format_for, write_atomic, write_dataset
from kg.facts import FactSheet
from kg.factsfile import dump_facts, facts_schema, find_facts_files, load_facts
from kg.iris import resolve_base
from kg.mapping import bind_prefixes, map_many
from kg.query import (
    RESULT_FORMATS,
    AskResult,
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

if TYPE_CHECKING:  # kg.remote is imported on use (kg starts faster without the HTTP stack)
    from kg.remote import Auth, GraphLoad

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
EXIT_INTERRUPTED = 130  # the shell's code for a process stopped by SIGINT


def _err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _errors() -> Iterator[None]:
    """Map the library's error tree to one line on stderr and exit code 2."""
    try:
        yield
    except LoadInterrupted as exc:
        _err(f"kg: {exc}")
        raise typer.Exit(EXIT_INTERRUPTED) from None
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


AuthName = Literal["auto", "basic", "digest", "bearer", "none"]
ProtocolChoice = Literal["auto", "gsp", "update"]


@dataclass(frozen=True)
class EndpointOptions:
    """How ``kg load`` / ``kg query`` talk to a SPARQL endpoint (the CLI's options, checked).

    Passwords and tokens are never options: ``kg.remote.resolve_auth`` reads them from the
    environment or ``~/.netrc``."""

    gsp_endpoint: str | None = None
    update_endpoint: str | None = None
    protocol: ProtocolChoice = "auto"
    append: bool = False
    bulk: bool = False
    parallel: int | None = None
    chunk: int | None = None
    user: str | None = None
    auth: AuthName = "auto"
    timeout: float | None = None
    retries: int | None = None
    ca_bundle: Path | None = None
    dry_run: bool = False

    def given(self) -> list[str]:
        """The options set away from their defaults (they need an endpoint)."""
        default = EndpointOptions()
        return ["--" + f.name.replace("_", "-") for f in fields(self)
                if getattr(self, f.name) != getattr(default, f.name)]

    def timeout_pair(self, default: float) -> tuple[float, float]:
        read = default if self.timeout is None else self.timeout
        if read <= 0:
            raise InputError(f"--timeout {read:g}: give a number of seconds above 0")
        return (min(10.0, read), read)

    def tls_verify(self) -> bool | str:
        if self.ca_bundle is None:
            return True
        if not self.ca_bundle.is_file():
            raise InputError("no such CA bundle file", Location(str(self.ca_bundle)))
        return str(self.ca_bundle)


def _needs_endpoint(flags: Sequence[str], instead: str) -> InputError:
    verb = "needs" if len(flags) == 1 else "need"
    return InputError(f"{', '.join(flags)} {verb} an endpoint: add --endpoint URL (or drop "
                      f"{'it' if len(flags) == 1 else 'them'} to {instead})")


def _no_password_in(urls: Sequence[str | None]) -> None:
    """Secrets come from the environment or ~/.netrc: a password in a URL (visible in the
    process list and the shell history) is refused, and never repeated."""
    from urllib.parse import urlsplit

    for url in urls:
        if url and urlsplit(url).password is not None:
            raise InputError(
                "an endpoint URL holds a password: remove it and set NEWSKG_ENDPOINT_PASSWORD "
                "(or add the host to ~/.netrc); --user names the user")


def _credentials(url: str, options: EndpointOptions) -> Auth:
    from kg.remote import resolve_auth

    return resolve_auth(url, user=options.user, scheme=options.auth)


def _describe_auth(auth: Auth) -> str:
    if auth.scheme == "none":
        return "no credentials (none found in the environment or ~/.netrc)"
    who = f" as {auth.user!r}" if auth.user else ""
    how = ("Digest or Basic, whichever the server asks for" if auth.scheme == "auto"
           else auth.scheme)
    return f"credentials: {how}{who}, from {auth.source}"


class _Progress:
    """One line on stderr, rewritten per graph, for loads of several graphs on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.triples = 0
        self.started = time.perf_counter()
        self.last = 0.0
        self.shown = False

    def __call__(self, graph: GraphLoad) -> None:
        self.done += 1
        self.triples += graph.triples
        now = time.perf_counter()
        if now - self.last < 0.1 and self.done < self.total:
            return  # at most ten lines a second
        self.last = now
        rate = self.triples / (now - self.started) if now > self.started else 0.0
        sys.stderr.write(f"\r\x1b[K  {self.done:,}/{self.total:,} graphs, {self.triples:,} "
                         f"triples, {rate:,.0f} triples/s")
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _load(dataset: Dataset, store: Path | None, endpoint: str | None, *,
          options: EndpointOptions | None = None, progress: bool = False) -> str:
    """The seam that puts a dataset into the store or an endpoint; returns what to print
    (the summary line; for a dry run, the requests that would be sent first)."""
    options = options or EndpointOptions()
    remote = endpoint or options.gsp_endpoint or options.update_endpoint
    if remote is None:
        if options.given():
            raise _needs_endpoint(options.given(), "load the embedded store")
        return format_load_summary(load_into_store(dataset, resolve_store(store)))
    if store is not None:
        raise InputError("--store and --endpoint exclude each other: give one")
    # Imported on use: only --endpoint needs the HTTP stack, and kg starts faster without it.
    from kg.remote import DEFAULT_CHUNK, DEFAULT_PARALLEL, Endpoints, load_to_endpoint

    _no_password_in([endpoint, options.gsp_endpoint, options.update_endpoint])
    endpoints, _ = Endpoints.derive(endpoint, gsp=options.gsp_endpoint,
                                    update=options.update_endpoint)
    auth = _credentials(endpoints.update or endpoints.gsp or endpoints.query or remote, options)
    graphs = sum(1 for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID)
    shown = _Progress(graphs) if progress and graphs > 1 and not options.dry_run else None
    try:
        report = load_to_endpoint(
            dataset, endpoint=endpoint, gsp_endpoint=options.gsp_endpoint,
            update_endpoint=options.update_endpoint, protocol=options.protocol,
            append=options.append, auth=auth, timeout=options.timeout_pair(120.0),
            retries=LOAD_RETRIES if options.retries is None else options.retries,
            chunk_triples=options.chunk or DEFAULT_CHUNK, dry_run=options.dry_run,
            bulk=options.bulk, parallel=options.parallel or DEFAULT_PARALLEL,
            tls_verify=options.tls_verify(), on_graph=shown)
    finally:
        if shown is not None:
            shown.end()
    lines = [str(r) for r in report.planned]
    if report.dry_run:
        lines.append(_describe_auth(auth))
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join([*lines, report.summary()])


def _engine(store: Path | None, endpoint: str | None, *,
            options: EndpointOptions | None = None) -> AbstractContextManager[SparqlEngine]:
    """The seam that picks where ``kg query`` runs: the embedded store or an endpoint."""
    options = options or EndpointOptions()
    if endpoint is None:
        if options.given():
            raise _needs_endpoint(options.given(), "query the embedded store")
        return EmbeddedStore.open(resolve_store(store))
    if store is not None:
        raise InputError("--store and --endpoint exclude each other: give one")
    from kg.endpoint_query import EndpointEngine

    _no_password_in([endpoint])
    return EndpointEngine(endpoint, auth=_credentials(endpoint, options),
                          timeout=options.timeout_pair(120.0),
                          retries=QUERY_RETRIES if options.retries is None else options.retries,
                          tls_verify=options.tls_verify())


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
# A load is long and its writes are worth waiting for; a query is interactive.
LOAD_RETRIES = 5
QUERY_RETRIES = 3

# The connection options kg load and kg query share, declared once.
UserOption = Annotated[str | None, typer.Option(
    "--user", help="User for the endpoint (else $NEWSKG_ENDPOINT_USER, else ~/.netrc).",
    show_default=False)]
AuthOption = Annotated[AuthName, typer.Option(
    "--auth", help="How to authenticate: auto answers the server's challenge with Digest or "
                   "Basic (Virtuoso's -auth endpoints want Digest); a token is sent as bearer.")]
TimeoutOption = Annotated[float | None, typer.Option(
    "--timeout", help="Seconds to wait for each answer (connecting: at most 10). Default 120.",
    show_default=False)]
RetriesOption = Annotated[int | None, typer.Option(
    "--retries", min=0, help="Retries of a request on connection errors, 429, 502, 503, 504 "
                             f"(with backoff). Default {LOAD_RETRIES} for kg load, "
                             f"{QUERY_RETRIES} for kg query.", show_default=False)]
CaBundleOption = Annotated[Path | None, typer.Option(
    "--ca-bundle", help="CA bundle (PEM) to verify the endpoint's TLS certificate with, "
                        "instead of the system's.", show_default=False)]


@app.command(name="load")
def load_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        help="Facts files (*.yaml), directories of them, or TriG / N-Quads files (.trig .nq).",
        show_default=False)],
    store: Annotated[Path | None, typer.Option("--store", help=STORE_HELP,
                                               show_default=False)] = None,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="A SPARQL 1.1 endpoint to load into instead of the embedded store. "
                           "Oxigraph: http://HOST:7878/query; Virtuoso: "
                           "http://HOST:8890/sparql-auth (Digest) or /sparql. The update and "
                           "Graph Store URLs are derived from it.", show_default=False)] = None,
    gsp_endpoint: Annotated[str | None, typer.Option(
        "--gsp-endpoint", help="Graph Store URL when it is not derived from --endpoint "
                               "(Fuseki: …/data).", show_default=False)] = None,
    update_endpoint: Annotated[str | None, typer.Option(
        "--update-endpoint", help="SPARQL Update URL when it is not derived from --endpoint.",
        show_default=False)] = None,
    protocol: Annotated[ProtocolChoice, typer.Option(
        "--protocol", help="gsp: Graph Store PUT per graph; update: DROP + INSERT DATA in "
                           "chunks; auto: gsp, falling back to update where there is no Graph "
                           "Store.")] = "auto",
    append: Annotated[bool, typer.Option(
        "--append", help="Add to the endpoint's graphs instead of replacing them.")] = False,
    bulk: Annotated[bool, typer.Option(
        "--bulk", help="Oxigraph only: graphs batched into N-Quads POSTs to its bulk loader "
                       "(&no_transaction), after a DROP of them; about 3x faster, but not "
                       "atomic: a failed load can leave graphs emptied or half written (the "
                       "check says so; rerun).")] = False,
    parallel: Annotated[int | None, typer.Option(
        "--parallel", min=1, max=32, help="Graphs (with --bulk: batches) sent at once, each "
                                          "over its own connection. Default 4.",
        show_default=False)] = None,
    chunk: Annotated[int | None, typer.Option(
        "--chunk", min=1, help="Triples per INSERT DATA request with --protocol update "
                               "(default 200; a chunk the server refuses is halved).",
        show_default=False)] = None,
    user: UserOption = None,
    auth: AuthOption = "auto",
    timeout: TimeoutOption = None,
    retries: RetriesOption = None,
    ca_bundle: CaBundleOption = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print the requests that would be sent (method, URL, graph, triples, "
                          "bytes) and send nothing.")] = False,
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

    With --endpoint the graphs go to a SPARQL 1.1 server instead (Graph Store PUT, or SPARQL
    Update where there is no Graph Store), each replaced whole. Afterwards every graph's
    triples are counted on the endpoint: a count that differs from what was sent exits 1 and
    names the graphs; an endpoint that fails exits 2 and names the graphs that did and did not
    load (rerun to complete); Ctrl-C lets the graphs in flight finish, says the same and exits
    130. Graphs go --parallel at a time (default 4); --bulk is Oxigraph's faster, non-atomic
    path for big first loads. A summary line follows (graphs, triples, seconds, triples/s); on
    a terminal a progress line shows each graph. Passwords and tokens are never options: set
    NEWSKG_ENDPOINT_PASSWORD (with --user or NEWSKG_ENDPOINT_USER) or NEWSKG_ENDPOINT_TOKEN
    (bearer), or put the host in ~/.netrc ($NETRC names another file).

    Examples:

      kg load examples/

      kg load facts.yaml --store /data/news-store

      kg load graph.trig --store ./newskg-store

      kg load examples/ --endpoint http://127.0.0.1:7878/query

      kg load examples/ --endpoint http://127.0.0.1:7878/query --dry-run

      export NEWSKG_ENDPOINT_PASSWORD=…

      kg load examples/ --user dba --endpoint http://127.0.0.1:8890/sparql-auth
    """
    options = EndpointOptions(
        gsp_endpoint=gsp_endpoint, update_endpoint=update_endpoint, protocol=protocol,
        append=append, bulk=bulk, parallel=parallel, chunk=chunk, user=user, auth=auth,
        timeout=timeout, retries=retries, ca_bundle=ca_bundle, dry_run=dry_run)
    with _errors():
        for p in inputs:
            suffix = p.suffix.lower()
            if not p.is_dir() and suffix not in FACTS_SUFFIXES + LOAD_RDF_SUFFIXES:
                raise InputError(
                    "kg load reads facts files (*.yaml), directories of them, or TriG / N-Quads "
                    "files (the named graphs they hold are what it replaces)", Location(str(p)))
        if endpoint is None and not (gsp_endpoint or update_endpoint) and options.given():
            raise _needs_endpoint(options.given(), "load the embedded store")
        dataset, report = _checked_dataset(inputs, resolve_base(base), force=force,
                                           verb="would be loaded" if dry_run else "loaded")
        try:
            summary = _load(dataset, store, endpoint, options=options,
                            progress=not quiet and sys.stderr.isatty())
        except EndpointError as exc:
            if not exc.mismatched:
                raise
            _err(f"kg: {exc}")  # the loaded graphs differ from what was sent: a failed check
            raise typer.Exit(EXIT_VIOLATIONS) from None
    if not quiet:
        _err(format_report(report))
        _err(summary)
        if not report.conforms:
            _err("kg: loaded with SHACL violations because of --force")
    elif dry_run:
        _err(summary)


QUERY_ENDPOINT_EXAMPLES = """Examples with an endpoint (the password from the environment):

  kg query timeline --endpoint http://127.0.0.1:7878/query

  kg query roles --format csv --endpoint http://127.0.0.1:7878/query

  export NEWSKG_ENDPOINT_PASSWORD=…

  kg query roles --user dba --endpoint http://127.0.0.1:8890/sparql-auth
"""


@app.command(name="query", epilog=QUERY_ENDPOINT_EXAMPLES)
def query_cmd(
    query: Annotated[str | None, typer.Argument(
        help="A canned query NAME (see --list), a FILE.rq, SPARQL text (anything holding a "
             "space or '{'), or - to read the query from stdin.", show_default=False)] = None,
    store: Annotated[Path | None, typer.Option("--store", help=STORE_HELP,
                                               show_default=False)] = None,
    endpoint: Annotated[str | None, typer.Option(
        "--endpoint", help="A SPARQL 1.1 query endpoint to ask instead of the embedded store "
                           "(Oxigraph: http://HOST:7878/query; Virtuoso: "
                           "http://HOST:8890/sparql).", show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help=f"Result format ({', '.join(RESULT_FORMATS)}); default: table "
                               "for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE.",
        show_default=False)] = None,
    bind: Annotated[list[str] | None, typer.Option(
        "--bind", "-b", help="NAME=VALUE: bind ?NAME to an N-Triples term, <IRI> or \"text\" "
                             "(repeatable). Added as a VALUES clause, never spliced in.",
        show_default=False)] = None,
    user: UserOption = None,
    auth: AuthOption = "auto",
    timeout: TimeoutOption = None,
    retries: RetriesOption = None,
    ca_bundle: CaBundleOption = None,
    list_: Annotated[bool, typer.Option("--list", help="List the canned queries and exit.")
                     ] = False,
) -> None:
    """Run a SPARQL query on the store (or a SPARQL endpoint) and print the result.

    What QUERY is follows from its shape alone: - reads stdin; a name ending in .rq is a file;
    a bare name (letters, digits, - and _) is a canned query; text holding a space or '{' is
    SPARQL. Anything else is an error. The default graph is the union of all article graphs.
    A malformed query is reported with the parser's line and column (exit 2).

    With --endpoint the query goes to a SPARQL 1.1 server as a form POST, with the default
    graph as the union of its graphs there too (Oxigraph: the union-default-graph parameter;
    Virtuoso's default is the union), and prints the same formats. The server's message is
    shown for a malformed query (exit 2); updates are refused. A result of exactly 10,000 rows
    may have been cut by Virtuoso's result cap: kg says so on stderr. Passwords and tokens come
    from NEWSKG_ENDPOINT_PASSWORD / NEWSKG_ENDPOINT_TOKEN or ~/.netrc, never from options.

    Examples:

      kg query --list

      kg query announcements

      kg query statements --format csv > statements.csv

      kg query entity -b 'entity=<https://w3id.org/newskg/id/person/brad-smith>'

      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' -f json

      echo 'ASK { ?s ?p ?o }' | kg query - --store /data/news-store

      kg query my-question.rq --format json

    (Examples with --endpoint follow the options.)
    """
    options = EndpointOptions(user=user, auth=auth, timeout=timeout, retries=retries,
                              ca_bundle=ca_bundle)
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
        with _engine(store, endpoint, options=options) as engine:
            result = engine.run(q)
        text = format_result(result, fmt)
    for note in result.notes if not isinstance(result, AskResult) else ():
        _err(f"kg: warning: {note}")
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


# ---------------------------------------------------------------------------------------------
# kg serve (appended: the command stays at the end of this file)


@app.command(name="serve")
def serve_cmd(
    store: Annotated[Path | None, typer.Option(
        "--store", help=f"Store directory to publish (default: ${STORE_ENV}, else "
                        "./newskg-store). It is never written: the server publishes a "
                        "read-only snapshot taken at start.", show_default=False)] = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on (loopback by default; 0.0.0.0 opens it to the "
                       "network).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                      help="Port (0: any free port, printed at start).")
                    ] = 8000,
    base: Annotated[str | None, typer.Option(
        "--base", help="Base IRI of the data (default: $NEWSKG_BASE, newskg.toml, else "
                       "https://w3id.org/newskg/id/). IRIs under it are served at its path "
                       "on this server.", show_default=False)] = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", help="Seconds a SPARQL query may run before it is stopped (503).")
                          ] = 10.0,
    max_result_bytes: Annotated[int, typer.Option(
        "--max-result-bytes", help="Largest serialized SPARQL result; a larger one is "
                                   "refused (400), never cut short.")] = 64 * 1024 * 1024,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="SPARQL worker processes, queries evaluated at once "
                                 "(default: the number of CPUs, at least 2).",
        show_default=False)] = None,
    lock_wait: Annotated[float, typer.Option(
        "--lock-wait", help="Seconds to wait at start while another kg command holds the "
                            "store.")] = 30.0,
    license_iri: Annotated[str | None, typer.Option(
        "--license", help="License IRI of the data, stated in /.well-known/void.",
        show_default=False)] = None,
    access_log: Annotated[bool, typer.Option(
        "--access-log/--no-access-log", help="Log one line per request.")] = True,
) -> None:
    """Publish the store as Linked Data: SPARQL endpoint, HTML pages, dumps.

    Serves http://HOST:PORT/ until interrupted (Ctrl-C). /sparql speaks the SPARQL 1.1
    Protocol (queries only); every IRI under the base dereferences (HTML, Turtle, JSON-LD,
    N-Triples by Accept); /download/ has Turtle, TriG and gzipped N-Quads dumps;
    /.well-known/void describes the dataset; /ontology documents the ontology.

    The store is read once at start, into a read-only snapshot: kg load and kg query can use
    the store while it serves, and a new load is published by restarting kg serve. Each query
    runs in a worker process that is stopped at --time-limit, so a runaway query cannot hold
    the server; the others keep answering.

    Examples:

      kg serve

      kg serve --store /data/news-store --port 8080 --time-limit 30

      kg serve --base https://news.example.org/id/ --license https://creativecommons.org/licenses/by/4.0/
    """
    from kg.serve import ServeConfig, Snapshot, serve

    def ready(url: str, snapshot: Snapshot) -> None:
        base_path = config.base.split("://", 1)[-1].partition("/")[2]
        _err(f"kg serve: serving a read-only snapshot of {snapshot.source} (taken "
             f"{snapshot.taken:%Y-%m-%d %H:%M:%S} UTC) at {url}")
        _err(f"kg serve: SPARQL endpoint {url}sparql; {config.base} is served at "
             f"{url}{base_path}")

    with _errors():
        config = ServeConfig(
            store=resolve_store(store), base=resolve_base(base), host=host, port=port,
            time_limit=time_limit, max_result_bytes=max_result_bytes,
            **({"workers": workers} if workers else {}), lock_wait=lock_wait,
            license=license_iri, access_log=access_log)
        serve(config, on_ready=ready)
