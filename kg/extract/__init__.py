"""extract: draft a FactSheet from an article's text — deterministic and offline.

One module per fact kind: ``entities`` (organizations, people, places), ``roles``, ``quotes``
(direct and indirect statements), ``announcements``, ``dates``. Every fact's evidence is a
verbatim span of the article text, with offsets, so ``kg build`` can check it and a person can
review it in the facts file. Rules that guess carry a confidence below 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from spacy.tokens import Span

from kg import __version__
from kg.authority import lookup
from kg.errors import InputError, Location
from kg.extract.analysis import Analysis, Mention, Paragraph, split_paragraphs
from kg.extract.announcements import find_announcements
from kg.extract.dates import TIMESTAMP, resolve, trim_relative
from kg.extract.entities import build_entities
from kg.extract.nlp import load_nlp, model_version
from kg.extract.quotes import Resolver, find_indirect, find_quotes
from kg.extract.roles import find_roles
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
from kg.factsfile import CONTEXT_CHARS
from kg.ingest import Document
from kg.iris import slugify

__all__ = ["ArticleText", "MetaName", "article_from_document", "extract", "extract_many"]

OCCASION = re.compile(
    r"\b(?:[Ii]n|[Dd]uring|[Aa]t|[Oo]n)\s+((?:a|an|the|his|her|its|their)\s+"
    r"(?:[\w’'-]+\s+){0,5}?(?:statement|tweet|interview|letter|event|speech|conference|"
    r"hearing|blog post|post|press conference|news conference|briefing|filing|email|call))\b")


@dataclass(frozen=True)
class MetaName:
    """A name the page's metadata gives (byline, agency, credit) and where it is written."""

    name: str
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class ArticleText:
    """What extract needs of an ingested article (``kg.ingest.Document`` provides it)."""

    id: str
    text: str
    published: str
    """ISO 8601 date-time with zone: relative dates are resolved against it."""
    headline: str
    body: Sequence[tuple[int, int]] = ()
    """(start, end) of each body paragraph in ``text``; empty: every non-blank line."""
    published_as_written: str | None = None
    url: str | None = None
    language: str = "en"
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    source_organization: str | None = None
    credits: tuple[str, ...] = ()
    names: tuple[MetaName, ...] = ()
    """Byline, agency and credit names with their place in ``text``: entities NER can't see,
    since they stand outside the body."""
    text_start: int = 0
    """Where the page text starts (after a file's own header block)."""
    published_at: int = -1
    """Where the date line is in ``text`` (-1: not in the page text, e.g. from a header)."""


def _meta_type(name: str) -> str:
    if lookup("organization", (name,)) is not None:
        return "organization"
    words = name.split()
    # "Isobel Asher Hamilton": capitalised words, no organization word: a person.
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(
            w.lower().strip(".") in ("press", "news", "media", "inc", "first", "group", "times",
                                     "post", "agency", "network", "images", "wire")
            for w in words):
        return "person"
    return "organization"


def _stand_in_headline(doc: Document) -> str:
    """A page stored without its headline: its lead sentence stands in (verbatim, so the
    facts file can still point at it), cut at a word boundary."""
    if not doc.body:
        return ""
    lead = doc.text[doc.body[0].start:doc.body[0].end]
    sentence = re.match(r".+?[.!?](?=\s|$)", lead)
    text = sentence.group(0) if sentence else lead
    if len(text) > 120:
        text = text[:120].rsplit(" ", 1)[0]
    return text


def _after_header(doc: Document) -> int:
    if not doc.header:
        return 0
    m = re.search(r"^---[ \t]*$\n?", doc.text, re.MULTILINE)
    return m.end() if m else 0


def article_from_document(doc: Document, *, article_id: str | None = None) -> ArticleText:
    """What extract needs of an ingested ``Document``.

    A source with a publication day but no time keeps just the day; one with no date at all
    cannot have its relative dates resolved: an ``InputError``.
    """
    # Only the day when that is all the source says: a made-up midnight would date the
    # article before what it reports that afternoon.
    published = doc.published or doc.published_date
    if published is None:
        raise InputError("no publication date in the article: relative dates ('Thursday') "
                         "cannot be resolved; give one with --published",
                         Location(doc.source))
    ident = article_id or slugify(Path(doc.source).stem if doc.kind == "text"
                                  and doc.source != "-" else (doc.headline or "article"))[:80]
    names: list[MetaName] = []
    spans = [s for s in (doc.byline_span, *doc.credit_spans) if s is not None]
    wanted = [*doc.authors, *([doc.source_organization] if doc.source_organization else []),
              *doc.credits]
    for name in dict.fromkeys(wanted):
        for span in spans:
            pos = doc.text.find(name, span.start, span.end)
            if pos >= 0:
                names.append(MetaName(name, _meta_type(name), pos, pos + len(name)))
                break
    headline = doc.headline or _stand_in_headline(doc)
    return ArticleText(
        id=ident, text=doc.text, published=published, headline=headline,
        body=tuple((s.start, s.end) for s in doc.body),
        published_as_written=doc.published_as_written, url=doc.url,
        language=doc.language or "en", publisher=doc.publisher, authors=doc.authors,
        source_organization=doc.source_organization, credits=doc.credits, names=tuple(names),
        text_start=_after_header(doc),
        published_at=doc.published_span.start if doc.published_span
        and doc.published_span.start >= _after_header(doc) else -1)


def _evidence(text: str, start: int, end: int) -> Evidence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(text[start:end], start, end, text[max(0, start - CONTEXT_CHARS):start],
                    text[end:end + CONTEXT_CHARS])


def _sentence_span(a: Analysis, start: int, end: int) -> tuple[int, int]:
    found = a.sentence_at(start)
    if found is None:
        return start, end
    p, sent = found
    s, e = p.abs(sent)
    last = a.sentence_at(max(start, end - 1))
    if last is not None:
        e = max(e, last[0].abs(last[1])[1])
    return min(s, start), max(e, end)


class _Builder:
    def __init__(self, article: ArticleText, a: Analysis) -> None:
        self.article = article
        self.a = a
        self.published = datetime.fromisoformat(article.published.replace("Z", "+00:00"))
        self.dates: list[DateValue] = []
        self.date_spans: list[tuple[int, int, str]] = []

    def build(self) -> FactSheet:
        a, text = self.a, self.a.text
        extra = [Mention(n.start, n.end, n.name, n.type, -1) for n in self.article.names]
        drafts = build_entities(a, extra)
        entity_of = {(m.start, m.end): d.id for d in drafts for m in d.mentions}
        types = {d.id: d.type for d in drafts}
        r = Resolver(a, entity_of, types)
        entities = tuple(
            Entity(id=d.id, type=d.type, name=d.name,  # type: ignore[arg-type]
                   evidence=_evidence(text, *_sentence_span(a, d.first.start, d.first.end)),
                   aliases=tuple(sorted(d.aliases)), confidence=0.8)
            for d in drafts)
        self._dates()
        roles_found = find_roles(a, entity_of)
        roles = tuple(
            Role(id=f"{x.person}-{slugify(x.title)[:40]}-{x.organization}"[:90].strip("-"),
                 person=x.person, organization=x.organization, title=x.title,
                 evidence=_evidence(text, x.start, x.end), confidence=x.confidence)
            for x in roles_found)
        role_org = {x.person: x.organization for x in roles_found}

        statements: list[Statement] = []
        quotes = find_quotes(a, r)
        for n, q in enumerate(quotes, start=1):
            spans = tuple(_evidence(text, s.start, s.end) for s in q.segments)
            starts = [s.open_mark if s.open_mark is not None else s.start for s in q.segments]
            ends = [(s.close_mark + 1) if s.close_mark is not None else s.end
                    for s in q.segments]
            lo, hi = min(starts), max(ends)
            if q.cue_start is not None and q.cue_end is not None:
                lo, hi = min(lo, q.cue_start), max(hi, q.cue_end)
            lo, hi = _sentence_span(a, lo, hi)
            cue_sentence = ((q.cue_start, q.cue_end) if q.cue_start is not None
                            and q.cue_end is not None else (lo, hi))
            statements.append(Statement(
                id=f"quote-{n}-{q.speaker}"[:90], speaker=q.speaker or "", kind="direct",
                text=" ".join(sp.exact.strip() for sp in spans), evidence=_evidence(text, lo, hi),
                quote_spans=spans, date=self._date_in(*_sentence_span(a, *cue_sentence)),
                occasion=self._occasion(lo, hi, spans), implicit_speaker=q.implicit,
                confidence=q.confidence))
        for n, ind in enumerate(find_indirect(a, r, quotes), start=1):
            statements.append(Statement(
                id=f"statement-{n}-{ind.speaker}"[:90], speaker=ind.speaker, kind="indirect",
                text=ind.text, evidence=_evidence(text, ind.start, ind.end),
                date=self._date_in(ind.start, ind.end), confidence=0.6))

        announcements: list[Announcement] = []
        for n, an in enumerate(find_announcements(a, r, role_org, types), start=1):
            announcements.append(Announcement(
                id=f"announcement-{n}-{an.agents[0]}"[:90], agents=an.agents, what=an.what,
                evidence=_evidence(text, an.start, an.end), spokesperson=an.spokesperson,
                date=self._date_in(an.start, an.end) or (
                    "published" if an.now and any(d.id == "published" for d in self.dates)
                    else None), addressee=an.addressee,
                occasion=self._occasion(an.start, an.end, ()), confidence=an.confidence))

        art = self.article

        def ref(name: str | None) -> str | None:
            if not name:
                return None
            key = name.casefold()
            return next((d.id for d in drafts if key in {d.name.casefold(),
                                                         *(x.casefold() for x in d.aliases)}),
                        None)

        authors = tuple(x for x in (ref(n) for n in art.authors) if x)
        credits = tuple(x for x in (ref(n) for n in art.credits) if x)
        meta = ArticleMeta(
            id=art.id, text=text, headline=art.headline, published=art.published,
            published_as_written=art.published_as_written if art.published_as_written
            and art.published_as_written in text else None,
            url=art.url, language=art.language, publisher=ref(art.publisher),
            authors=tuple(dict.fromkeys(authors)),
            source_organization=ref(art.source_organization),
            credits=tuple(c for c in dict.fromkeys(credits) if c not in authors),
            evidence=(_evidence(text, text.find(art.headline),
                                text.find(art.headline) + len(art.headline)),)
            if art.headline in text else ())
        return FactSheet(article=meta, entities=entities, roles=roles, dates=tuple(self.dates),
                         announcements=tuple(announcements), statements=tuple(statements),
                         extracted_by=f"newskg {__version__} extract; spaCy {model_version()}")

    def _dates(self) -> None:
        a, text = self.a, self.a.text
        seen: dict[str, int] = {}
        written_pub = self.article.published_as_written
        pub_pos = self.article.published_at if written_pub else -1
        pub_span = (pub_pos, pub_pos + len(written_pub or "")) if pub_pos >= 0 else (-1, -1)
        for p in [*a.paragraphs, *a.asides]:
            for ent in p.doc.ents:
                if ent.label_ in ("LAW", "EVENT"):
                    self._year_inside(p, ent, seen)
                    continue
                if ent.label_ not in ("DATE", "TIME"):
                    continue
                s, e = p.abs(ent)
                if s < pub_span[1] and pub_span[0] < e:
                    continue  # part of the date line: the publication date-time below
                trimmed = trim_relative(text[s:e])
                s = s + text[s:e].rfind(trimmed) if trimmed != text[s:e] else s
                e = s + len(trimmed)
                written = self._widen_time(p, s, e)
                resolved = resolve(text[written[0]:written[1]], self.published)
                if resolved is None:
                    continue
                s, e = written
                base = slugify(text[s:e])[:40]
                seen[base] = seen.get(base, 0) + 1
                ident = f"date-{base}" + (f"-{seen[base]}" if seen[base] > 1 else "")
                sent_s, sent_e = _sentence_span(a, s, e)
                self.dates.append(DateValue(
                    id=ident, text=text[s:e], value=resolved.value,
                    precision=resolved.precision,  # type: ignore[arg-type]
                    resolved_against=self.article.published,
                    evidence=_evidence(text, sent_s, sent_e), end=resolved.end,
                    confidence=0.9))
                self.date_spans.append((s, e, ident))
        if written_pub and pub_pos >= 0:
            self._add_line_date("published", pub_pos, pub_pos + len(written_pub),
                                self._publication_value(written_pub))
        self._chrome_dates(pub_span)

    def _year_inside(self, p: Paragraph, ent: Span, seen: dict[str, int]) -> None:
        """'the FTC Act of 1914': a year is a year, even inside a name."""
        s, e = p.abs(ent)
        for m in re.finditer(r"\b(1[5-9]\d\d|20\d\d)\b", self.a.text[s:e]):
            ys, ye = s + m.start(), s + m.end()
            seen[m.group(1)] = seen.get(m.group(1), 0) + 1
            ident = f"date-{m.group(1)}" + (f"-{seen[m.group(1)]}" if seen[m.group(1)] > 1
                                            else "")
            sent_s, sent_e = _sentence_span(self.a, ys, ye)
            self.dates.append(DateValue(
                id=ident, text=m.group(1), value=m.group(1), precision="year",
                resolved_against=self.article.published,
                evidence=_evidence(self.a.text, sent_s, sent_e), confidence=0.7))
            self.date_spans.append((ys, ye, ident))

    def _publication_value(self, written: str) -> tuple[str, str]:
        """The date line's value: to the minute when it gives a time, else the day."""
        if re.search(r"\d:\d\d", written):
            precision = "minute" if self.published.second == 0 else "instant"
            return self.article.published, precision
        return self.published.date().isoformat(), "day"

    def _add_line_date(self, ident: str, start: int, end: int, value: tuple[str, str]) -> None:
        text = self.a.text
        line_s = text.rfind("\n", 0, start) + 1
        line_e = text.find("\n", end)
        self.dates.append(DateValue(
            id=ident, text=text[start:end], value=value[0],
            precision=value[1],  # type: ignore[arg-type]
            resolved_against=self.article.published,
            evidence=_evidence(text, line_s, line_e if line_e >= 0 else len(text)),
            confidence=0.8))
        self.date_spans.append((start, end, ident))

    def _chrome_dates(self, pub_span: tuple[int, int]) -> None:
        """Date lines of the page outside the body ('Wed, Jul 24, 2019'): short lines that are
        nothing but a full date."""
        text = self.a.text
        body = [(p.start, p.end) for p in self.a.paragraphs]
        start = self.article.text_start
        n = 0
        for m in re.finditer(r"[^\n]+", text[start:]):
            s, e = start + m.start(), start + m.end()
            line = m.group(0).strip(" ,")
            inside = TIMESTAMP.search(line) if len(line) <= 60 else None
            if inside and not any(bs <= s < be for bs, be in body) and not any(
                    ds < e and s < de for ds, de, _ in self.date_spans):
                stamp = resolve(inside.group(0), self.published)
                pos = text.find(inside.group(0), s, e)
                if stamp is not None and not (pos < pub_span[1] and pub_span[0] < pos + 1):
                    n += 1
                    self._add_line_date(f"date-line-{n}", pos, pos + len(inside.group(0)),
                                        (stamp.value, stamp.precision))
                    continue
            if (len(line) > 40 or not re.search(r"\b(19|20)\d\d\b", line)
                    or any(bs <= s < be for bs, be in body) or (s < pub_span[1] and pub_span[0] < e)
                    or any(ds < e and s < de for ds, de, _ in self.date_spans)):
                continue
            core = re.sub(r"^(?:date|posted|updated|published)\b:?\s*(?:at\s+|on\s+)?", "",
                          line, flags=re.IGNORECASE)
            core = re.sub(r"\s+close$", "", core)
            resolved = resolve(core, self.published)
            if resolved is None or resolved.precision not in ("day", "minute", "instant"):
                continue
            pos = text.find(core, s, e)
            n += 1
            self._add_line_date(f"date-line-{n}", pos, pos + len(core),
                                (resolved.value, resolved.precision))

    def _widen_time(self, p: Paragraph, s: int, e: int) -> tuple[int, int]:
        """'1:12pm ET, Thursday December 14th, 2017': the model splits the time off."""
        before = self.a.text[p.start:s]
        m = re.search(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s*m\.?\s+[A-Z]{2,4},?\s*$", before,
                      re.IGNORECASE)
        return (s - len(m.group(0)), e) if m else (s, e)

    def _date_in(self, start: int, end: int) -> str | None:
        for s, e, ident in self.date_spans:
            if start <= s and e <= end:
                d = next(d for d in self.dates if d.id == ident)
                if d.precision != "duration":
                    return ident
        return None

    def _occasion(self, start: int, end: int, spans: Iterable[Evidence]) -> str | None:
        frame = self.a.text[start:end]
        for sp in spans:
            frame = frame.replace(sp.exact, " " * len(sp.exact))
        m = OCCASION.search(frame)
        return m.group(1) if m else None


def _summary_lines(art: ArticleText, body: Sequence[tuple[int, int]]
                   ) -> list[tuple[int, int]]:
    """Summary bullets above the story ("• … started last year."): read for dates only — the
    story repeats their other facts."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"(?m)^[ \t]*[•·▪][ \t]+(\S.*)$", art.text[art.text_start:]):
        s, e = art.text_start + m.start(1), art.text_start + m.end(1)
        if not any(bs <= s < be for bs, be in body):
            out.append((s, e))
    return out


def extract_many(articles: Sequence[ArticleText]) -> list[FactSheet]:
    """Draft the facts of each article; all paragraphs go through one ``nlp.pipe``."""
    nlp = load_nlp()
    spans_of = [list(art.body) or split_paragraphs(art.text) for art in articles]
    asides_of = [_summary_lines(art, spans) for art, spans in zip(articles, spans_of,
                                                                  strict=True)]
    texts = [art.text[s:e] for art, spans, asides in zip(articles, spans_of, asides_of,
                                                         strict=True)
             for s, e in [*spans, *asides]]
    docs = iter(nlp.pipe(texts))
    sheets: list[FactSheet] = []
    for art, spans, asides in zip(articles, spans_of, asides_of, strict=True):
        paragraphs = [Paragraph(i, s, next(docs)) for i, (s, _) in enumerate(spans)]
        aside = [Paragraph(-1, s, next(docs)) for s, _ in asides]
        a = Analysis(text=art.text, paragraphs=paragraphs, published=art.published,
                     asides=aside)
        sheets.append(_Builder(art, a).build())
    return sheets


def extract(article: ArticleText) -> FactSheet:
    """Draft the facts of one article."""
    return extract_many([article])[0]
