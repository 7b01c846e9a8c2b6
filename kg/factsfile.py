"""The facts file: YAML ⇄ FactSheet, with evidence anchored to character offsets.

The format is published as a JSON Schema (``kg/facts.schema.json``, printed by ``kg schema``).
Loading goes: YAML (with line/column marks) → JSON Schema → cross-references and values →
evidence anchoring. Each failure raises one ``FactsFileError`` / ``EvidenceError`` /
``ArticleError`` naming the file, line, column and field. Nothing is guessed: an evidence text
must occur verbatim in the article, else the fact is rejected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jsonschema
import yaml

from kg.errors import ArticleError, EvidenceError, FactsFileError, Location
from kg.facts import (
    Announcement,
    ArticleMeta,
    DateValue,
    Entity,
    Evidence,
    FactSheet,
    Precision,
    Role,
    Statement,
)

CONTEXT_CHARS = 32
"""Characters of prefix / suffix kept with each evidence span (W3C TextQuoteSelector)."""

FORMAT_VERSION = 1


@cache
def facts_schema() -> dict[str, Any]:
    """The JSON Schema of the facts file (draft 2020-12)."""
    text = resources.files("kg").joinpath("facts.schema.json").read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


# ---------------------------------------------------------------------------------------------
# YAML with positions


# libyaml's parser when PyYAML was built with it (~3x faster); its marks are the same.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps dates as strings: the schema, not YAML, decides what a value is."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

PathPart = str | int


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _field(path: Sequence[PathPart]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class _Doc:
    """A parsed YAML document: the data and the node tree, to map a field path to a place."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise FactsFileError("the facts file is empty", Location(path, 1, 1))
            self._check_keys(node, [])
            self.data: Any = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
            problem = exc.problem or exc.context or "malformed YAML"
            raise FactsFileError(f"malformed YAML: {problem}", Location(path, line, col)) from exc
        except yaml.YAMLError as exc:
            raise FactsFileError(f"malformed YAML: {exc}", Location(path)) from exc
        finally:
            loader.dispose()
        self.root = node

    def _check_keys(self, node: yaml.Node, path: list[PathPart]) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                k = str(key.value)
                if k in seen:
                    line, col = _mark(key)
                    raise FactsFileError(
                        f"duplicate field {k!r}",
                        Location(self.path, line, col, _field([*path, k])),
                    )
                seen.add(k)
                self._check_keys(value, [*path, k])
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._check_keys(item, [*path, i])

    def node_at(self, path: Sequence[PathPart], *, key: bool = False) -> yaml.Node:
        """The deepest node on ``path`` (the key node of the last part when ``key``)."""
        node: yaml.Node = self.root
        for i, part in enumerate(path):
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == part:
                        node = k if (key and i == len(path) - 1) else v
                        break
                else:
                    return node
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return node
                node = node.value[part]
            else:
                return node
        return node

    def loc(self, path: Sequence[PathPart], *, key: bool = False) -> Location:
        line, col = _mark(self.node_at(path, key=key))
        return Location(self.path, line, col, _field(path))


# ---------------------------------------------------------------------------------------------
# Schema errors → one located message


def _schema_error(doc: _Doc, error: jsonschema.ValidationError) -> FactsFileError:
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(cast(Mapping[str, Any], error.schema).get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            hint = ", ".join(sorted(allowed))
            return FactsFileError(
                f"unknown field {extra[0]!r} (allowed here: {hint})",
                doc.loc([*path, extra[0]], key=True),
            )
    if error.validator == "required":
        return FactsFileError(error.message.replace("is a required property", "is required"),
                              doc.loc(path))
    if error.validator == "oneOf" and error.context:
        # Report the alternative that got furthest, not "is not valid under any of the schemas".
        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            return _schema_error(doc, best)
    if (error.validator == "pattern"
            and cast(Mapping[str, Any], error.schema).get("pattern") == "^[a-z0-9][a-z0-9-]*$"):
        return FactsFileError(
            f"{error.instance!r} is not a valid id (use lower-case letters, digits and hyphens)",
            doc.loc(path),
        )
    desc = cast(Mapping[str, Any], error.schema).get("description")
    message = error.message + (f" ({desc})" if desc and error.validator == "pattern" else "")
    return FactsFileError(message, doc.loc(path))


def _check_schema(doc: _Doc) -> None:
    validator = jsonschema.Draft202012Validator(facts_schema())
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    # The error deepest in the first failing item is the most specific one.
    first = errors[0]
    best = jsonschema.exceptions.best_match([first]) or first
    raise _schema_error(doc, best)


# ---------------------------------------------------------------------------------------------
# Values


_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)


def _parse_moment(value: str) -> None:
    """A date-time with its zone, or a day alone (a publication known only to the day)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        date.fromisoformat(value)
    else:
        _parse_datetime(value)


def _parse_datetime(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        raise ValueError("it has no time zone offset")
    return dt


def check_date_value(value: str, precision: Precision) -> str | None:
    """Why ``value`` is not a valid value at ``precision``, or None when it is."""
    try:
        if precision in ("instant", "minute"):
            if "T" not in value:
                return "a date-time (YYYY-MM-DDThh:mm with a zone offset) is needed"
            _parse_datetime(value)
        elif precision in ("day", "week"):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return "a date YYYY-MM-DD is needed"
            date.fromisoformat(value)
        elif precision == "month":
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
                return "a month YYYY-MM is needed"
        elif precision == "year":
            if not re.fullmatch(r"\d{4}", value):
                return "a year YYYY is needed"
        elif precision == "duration" and not _DURATION.match(value):
            return "an ISO 8601 duration such as P2Y or P3D is needed"
    except ValueError as exc:
        return str(exc)
    return None


# ---------------------------------------------------------------------------------------------
# Evidence


def _norm(text: str) -> str:
    text = re.sub(r"[“”„‟″]", '"', text)
    text = re.sub(r"[‘’‚‛′´]", "'", text)
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    return re.sub(r"\s+", " ", text)


def anchor(article: str, exact: str, occurrence: int = 1, *, within: Evidence | None = None
           ) -> Evidence | None:
    """The span of the ``occurrence``-th verbatim ``exact`` in ``article`` (inside ``within``)."""
    lo, hi = (within.start, within.end) if within else (0, len(article))
    pos = lo - 1
    for _ in range(occurrence):
        pos = article.find(exact, pos + 1, hi)
        if pos < 0:
            return None
    end = pos + len(exact)
    return Evidence(
        exact=exact,
        start=pos,
        end=end,
        prefix=article[max(0, pos - CONTEXT_CHARS):pos],
        suffix=article[end:end + CONTEXT_CHARS],
    )


def _near_miss(article: str, exact: str) -> str:
    """A hint when the text is there up to quote marks, dashes or spacing."""
    wanted = _norm(exact).strip()
    if not wanted:
        return ""
    normed = _norm(article)
    if wanted in normed:
        return (" (a text that differs only in quote marks, dashes or spacing is there: copy it "
                "from the article exactly)")
    return ""


# ---------------------------------------------------------------------------------------------
# Building the FactSheet


class _Builder:
    def __init__(self, doc: _Doc, article_text: str) -> None:
        self.doc = doc
        self.text = article_text

    def evidence(self, raw: Any, path: list[PathPart], fact: str,
                 within: Evidence | None = None) -> Evidence:
        if isinstance(raw, str):
            exact, occurrence = raw, 1
        else:
            exact, occurrence = raw["text"], int(raw.get("occurrence", 1))
        ev = anchor(self.text, exact, occurrence, within=within)
        if ev is None:
            where = " inside the fact's evidence" if within else ""
            count = self.text.count(exact)
            if count and occurrence > count:
                why = f"occurs {count} time(s) in the article, not {occurrence}"
            else:
                why = f"is not verbatim in the article{where}" + _near_miss(self.text, exact)
            shown = exact if len(exact) <= 80 else exact[:77] + "..."
            raise EvidenceError(f"evidence of {fact}: {shown!r} {why}", self.doc.loc(path))
        return ev

    def ref(self, value: str, path: list[PathPart], kinds: Mapping[str, str],
            allowed: tuple[str, ...], what: str) -> str:
        kind = kinds.get(value)
        if kind is None:
            raise FactsFileError(f"{what} {value!r} is not defined in this file",
                                 self.doc.loc(path))
        if kind not in allowed:
            raise FactsFileError(
                f"{what} {value!r} is a {kind}, expected {' or '.join(allowed)}", self.doc.loc(path)
            )
        return value


def _opt_conf(item: Mapping[str, Any]) -> float | None:
    value = item.get("confidence")
    return None if value is None else float(value)


def _read_article(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read the article: {exc.strerror}", Location(str(path))) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the article is not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x})",
            Location(str(path)),
        ) from exc
    if "\x00" in text:
        raise ArticleError("the article is a binary file, not text", Location(str(path)))
    if not text.strip():
        raise ArticleError("the article is empty", Location(str(path)))
    return text.removeprefix("\ufeff")


def parse_facts(text: str, *, path: str = "<facts>", base_dir: Path | None = None) -> FactSheet:
    """Parse a facts file's text into a FactSheet (``base_dir`` resolves ``text_file``)."""
    doc = _Doc(text, path)
    if not isinstance(doc.data, dict):
        raise FactsFileError("a facts file is a mapping with 'newskg' and 'article' fields",
                             Location(path, 1, 1))
    _check_schema(doc)
    data: dict[str, Any] = doc.data
    art: dict[str, Any] = data["article"]

    if "text_file" in art:
        article_path = (base_dir or Path(".")) / art["text_file"]
        try:
            article_text = _read_article(article_path)
        except ArticleError as exc:
            loc = doc.loc(["article", "text_file"])
            raise ArticleError(f"{exc.message} ({article_path})", loc) from exc
    else:
        article_text = art["text"]
        if not article_text.strip():
            raise ArticleError("the article text is empty", doc.loc(["article", "text"]))

    b = _Builder(doc, article_text)

    # Ids are unique across the file, so a reference names one thing.
    kinds: dict[str, str] = {}
    for section in ("entities", "roles", "dates", "announcements", "statements"):
        for i, item in enumerate(data.get(section, [])):
            fid = item["id"]
            if fid in kinds:
                raise FactsFileError(f"id {fid!r} is used twice", b.doc.loc([section, i, "id"]))
            kinds[fid] = item["type"] if section == "entities" else section[:-1]

    published: str = art["published"]
    try:
        _parse_moment(published)
    except ValueError as exc:
        raise FactsFileError(f"invalid date-time {published!r}: {exc}",
                             doc.loc(["article", "published"])) from exc

    org_or_person = ("organization", "person")
    entities: list[Entity] = []
    for i, e in enumerate(data.get("entities", [])):
        p: list[PathPart] = ["entities", i]
        fact = f"entity {e['id']!r}"
        located_in = e.get("located_in")
        if located_in:
            b.ref(located_in, [*p, "located_in"], kinds, ("place",), "place")
        part_of = e.get("part_of")
        if part_of:
            allowed = ("organization",) if e["type"] == "organization" else (e["type"],)
            b.ref(part_of, [*p, "part_of"], kinds, allowed, "entity")
        entities.append(Entity(
            id=e["id"], type=e["type"], name=e["name"],
            evidence=b.evidence(e["evidence"], [*p, "evidence"], fact),
            aliases=tuple(e.get("aliases", ())), description=e.get("description"),
            wikidata=e.get("wikidata"), located_in=located_in, part_of=part_of,
            confidence=_opt_conf(e),
        ))

    art_evidence = [b.evidence(raw, ["article", "evidence", i], "the article metadata")
                    for i, raw in enumerate(art.get("evidence", []))]
    headline_ev = anchor(article_text, art["headline"])
    if headline_ev is None:
        raise EvidenceError(
            f"the headline {art['headline']!r} is not verbatim in the article"
            + _near_miss(article_text, art["headline"]),
            doc.loc(["article", "headline"]),
        )
    art_evidence.insert(0, headline_ev)
    publisher = art.get("publisher")
    if publisher:
        b.ref(publisher, ["article", "publisher"], kinds, ("organization",), "publisher")
    source_org = art.get("source_organization")
    if source_org:
        b.ref(source_org, ["article", "source_organization"], kinds, ("organization",),
              "source organization")
    for i, a in enumerate(art.get("authors", [])):
        b.ref(a, ["article", "authors", i], kinds, org_or_person, "author")
    for i, c in enumerate(art.get("credits", [])):
        b.ref(c, ["article", "credits", i], kinds, org_or_person, "credited entity")
    if "published_as_written" in art and art["published_as_written"] not in article_text:
        raise EvidenceError(
            f"published_as_written {art['published_as_written']!r} is not verbatim in the article",
            doc.loc(["article", "published_as_written"]),
        )

    meta = ArticleMeta(
        id=art["id"], text=article_text, headline=art["headline"], published=published,
        published_as_written=art.get("published_as_written"), url=art.get("url"),
        language=art.get("language", "en"), publisher=publisher,
        authors=tuple(art.get("authors", ())), source_organization=source_org,
        credits=tuple(art.get("credits", ())), evidence=tuple(art_evidence),
    )

    roles: list[Role] = []
    for i, r in enumerate(data.get("roles", [])):
        p = ["roles", i]
        roles.append(Role(
            id=r["id"],
            person=b.ref(r["person"], [*p, "person"], kinds, ("person",), "person"),
            organization=b.ref(r["organization"], [*p, "organization"], kinds,
                               ("organization",), "organization"),
            title=r["title"],
            evidence=b.evidence(r["evidence"], [*p, "evidence"], f"role {r['id']!r}"),
            confidence=_opt_conf(r),
        ))

    dates: list[DateValue] = []
    for i, d in enumerate(data.get("dates", [])):
        p = ["dates", i]
        fact = f"date {d['id']!r}"
        problem = check_date_value(d["value"], d["precision"])
        if problem:
            raise FactsFileError(f"invalid date value {d['value']!r} for precision "
                                 f"{d['precision']!r}: {problem}", doc.loc([*p, "value"]))
        end = d.get("end")
        if end is not None:
            if d["precision"] != "week":
                raise FactsFileError("'end' is only for week precision", doc.loc([*p, "end"]))
            problem = check_date_value(end, "day")
            if problem:
                raise FactsFileError(f"invalid date {end!r}: {problem}", doc.loc([*p, "end"]))
        against = d.get("resolved_against", published)
        try:
            _parse_moment(against)
        except ValueError as exc:
            raise FactsFileError(f"invalid date-time {against!r}: {exc}",
                                 doc.loc([*p, "resolved_against"])) from exc
        ev = b.evidence(d["evidence"], [*p, "evidence"], fact)
        if d["text"] not in ev.exact:
            raise EvidenceError(f"{fact}: the text {d['text']!r} is not inside its evidence",
                                doc.loc([*p, "text"]))
        dates.append(DateValue(
            id=d["id"], text=d["text"], value=d["value"], precision=d["precision"],
            resolved_against=against, evidence=ev, end=end, confidence=_opt_conf(d),
        ))

    announcements: list[Announcement] = []
    for i, a in enumerate(data.get("announcements", [])):
        p = ["announcements", i]
        agents = tuple(b.ref(x, [*p, "agents", j], kinds, org_or_person, "agent")
                       for j, x in enumerate(a["agents"]))
        spokesperson = a.get("spokesperson")
        if spokesperson:
            b.ref(spokesperson, [*p, "spokesperson"], kinds, ("person",), "spokesperson")
        date_ref = a.get("date")
        if date_ref:
            b.ref(date_ref, [*p, "date"], kinds, ("date",), "date")
        addressee = a.get("addressee")
        if addressee:
            b.ref(addressee, [*p, "addressee"], kinds, org_or_person, "addressee")
        announcements.append(Announcement(
            id=a["id"], agents=agents, what=a["what"],
            evidence=b.evidence(a["evidence"], [*p, "evidence"], f"announcement {a['id']!r}"),
            spokesperson=spokesperson, date=date_ref, occasion=a.get("occasion"),
            addressee=addressee, confidence=_opt_conf(a),
        ))

    statements: list[Statement] = []
    for i, s in enumerate(data.get("statements", [])):
        p = ["statements", i]
        fact = f"statement {s['id']!r}"
        speaker = b.ref(s["speaker"], [*p, "speaker"], kinds, org_or_person, "speaker")
        date_ref = s.get("date")
        if date_ref:
            b.ref(date_ref, [*p, "date"], kinds, ("date",), "date")
        about = tuple(b.ref(x, [*p, "about", j], kinds, ("organization", "person", "place",
                                                           "topic"), "entity")
                      for j, x in enumerate(s.get("about", ())))
        ev = b.evidence(s["evidence"], [*p, "evidence"], fact)
        spans: tuple[Evidence, ...] = ()
        if s["kind"] == "direct":
            segments = [s["quote"]] if isinstance(s["quote"], str) else list(s["quote"])
            qpath: list[PathPart] = [*p, "quote"]
            spans = tuple(
                b.evidence(seg, qpath if isinstance(s["quote"], str) else [*qpath, j],
                           f"{fact} (quote segment {j + 1})", within=ev)
                for j, seg in enumerate(segments)
            )
            text = " ".join(seg.strip() for seg in segments)
        else:
            text = s["text"]
        statements.append(Statement(
            id=s["id"], speaker=speaker, kind=s["kind"], text=text, evidence=ev,
            quote_spans=spans, date=date_ref, occasion=s.get("occasion"), about=about,
            implicit_speaker=bool(s.get("implicit_speaker", False)), confidence=_opt_conf(s),
        ))

    return FactSheet(
        article=meta, entities=tuple(entities), roles=tuple(roles), dates=tuple(dates),
        announcements=tuple(announcements), statements=tuple(statements),
        extracted_by=data.get("extracted_by"), source_path=path,
    )


def load_facts(path: str | Path) -> FactSheet:
    """Read and check one facts file (``text_file`` is resolved next to it)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FactsFileError(f"cannot read the facts file: {exc.strerror}",
                             Location(str(p))) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactsFileError(f"the facts file is not UTF-8 (byte {exc.start})",
                             Location(str(p))) from exc
    if not text.strip():
        raise FactsFileError("the facts file is empty", Location(str(p), 1, 1))
    return parse_facts(text, path=str(p), base_dir=p.parent)


def find_facts_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Facts files named directly, and ``*.facts.yaml`` / ``facts.yaml`` under directories."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted({*p.rglob("facts.yaml"), *p.rglob("*.facts.yaml")})
            if not found:
                raise FactsFileError("no facts.yaml or *.facts.yaml in this directory",
                                     Location(str(p)))
            yield from found
        else:
            yield p


# ---------------------------------------------------------------------------------------------
# Writing


def _evidence_out(article: str, ev: Evidence, within: Evidence | None = None) -> Any:
    lo = within.start if within else 0
    occurrence = max(1, article[lo:ev.start + len(ev.exact)].count(ev.exact))
    return ev.exact if occurrence == 1 else {"text": ev.exact, "occurrence": occurrence}


def facts_to_data(sheet: FactSheet, *, text_file: str | None = None) -> dict[str, Any]:
    """The facts file's data for ``sheet`` (plain dicts and lists, schema-valid)."""
    a = sheet.article
    text = a.text
    art: dict[str, Any] = {"id": a.id}
    if text_file:
        art["text_file"] = text_file
    else:
        art["text"] = text
    art["headline"] = a.headline
    art["published"] = a.published
    for key, value in (("published_as_written", a.published_as_written), ("url", a.url),
                       ("language", a.language), ("publisher", a.publisher),
                       ("source_organization", a.source_organization)):
        if value:
            art[key] = value
    if a.authors:
        art["authors"] = list(a.authors)
    if a.credits:
        art["credits"] = list(a.credits)
    extra = [ev for ev in a.evidence if ev.exact != a.headline]
    if extra:
        art["evidence"] = [_evidence_out(text, ev) for ev in extra]

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, (), [], False)}

    out: dict[str, Any] = {"newskg": FORMAT_VERSION}
    if sheet.extracted_by:
        out["extracted_by"] = sheet.extracted_by
    out["article"] = art
    out["entities"] = [clean({
        "id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases),
        "description": e.description, "wikidata": e.wikidata, "located_in": e.located_in,
        "part_of": e.part_of, "evidence": _evidence_out(text, e.evidence),
        "confidence": e.confidence,
    }) for e in sheet.entities]
    out["roles"] = [clean({
        "id": r.id, "person": r.person, "organization": r.organization, "title": r.title,
        "evidence": _evidence_out(text, r.evidence), "confidence": r.confidence,
    }) for r in sheet.roles]
    out["dates"] = [clean({
        "id": d.id, "text": d.text, "value": d.value, "end": d.end, "precision": d.precision,
        "resolved_against": None if d.resolved_against == a.published else d.resolved_against,
        "evidence": _evidence_out(text, d.evidence), "confidence": d.confidence,
    }) for d in sheet.dates]
    out["announcements"] = [clean({
        "id": n.id, "agents": list(n.agents), "spokesperson": n.spokesperson, "what": n.what,
        "date": n.date, "occasion": n.occasion, "addressee": n.addressee,
        "evidence": _evidence_out(text, n.evidence), "confidence": n.confidence,
    }) for n in sheet.announcements]
    statements = []
    for s in sheet.statements:
        item: dict[str, Any] = {"id": s.id, "speaker": s.speaker, "kind": s.kind}
        if s.kind == "direct":
            quotes = [_evidence_out(text, q, s.evidence) for q in s.quote_spans]
            item["quote"] = quotes[0] if len(quotes) == 1 else quotes
        else:
            item["text"] = s.text
        item.update(clean({
            "date": s.date, "occasion": s.occasion, "about": list(s.about),
            "implicit_speaker": s.implicit_speaker,
            "evidence": _evidence_out(text, s.evidence), "confidence": s.confidence,
        }))
        statements.append(item)
    out["statements"] = statements
    return out


def dump_facts(sheet: FactSheet, *, text_file: str | None = None) -> str:
    """The facts file (YAML) for ``sheet``; ``parse_facts`` reads it back to an equal sheet."""
    return yaml.safe_dump(facts_to_data(sheet, text_file=text_file), sort_keys=False,
                          allow_unicode=True, width=100)
