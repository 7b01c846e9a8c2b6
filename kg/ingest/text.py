"""Plain text as pasted or saved from a web page: find the article body and the page's metadata.

The text is kept whole — header lines, ads and footers included — so that every offset found
later is an offset into the input itself. What ingest decides is which stretches of it are the
article's paragraphs (``Document.body``) and what the page says about the article:

1. An optional header block (``Key: value`` lines, then a line ``---``) as the project's
   article files carry (``Source-URL:``, ``Publication-date:``); the page text starts after it.
2. Units: the non-blank lines; or, in hard-wrapped text, the blank-line-separated blocks.
3. Each unit is classified with ``boilerplate`` (ad, button, credit, highlights, promotion,
   end-of-article heading, prose …), then in context: the line before a photo credit is its
   caption, the items under a "Highlights" heading are a summary, and a heading such as
   "Related Stories" ends the article when fewer paragraphs follow it than precede it.
4. The metadata comes from the units that are not body: the headline (the first title-like
   line before the first paragraph), the byline ("By X", or a name next to the date line), the
   date line(s), the wire agency, photo credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import tzinfo

from kg.errors import ArticleError, Location
from kg.ingest import boilerplate as bp
from kg.ingest.dates import FoundDate, ResolvedDate, find_dates, resolve, with_zone_of
from kg.ingest.document import Document, Span

_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*?)\s*")
_HEADER_KEYS = {
    "url": {"source-url", "url", "source", "link", "canonical-url", "source_url"},
    "date": {"publication-date", "published", "date", "date-published", "pubdate",
             "publication_date", "published-at", "datepublished"},
    "headline": {"title", "headline"},
    "authors": {"author", "authors", "byline"},
    "publisher": {"publisher", "site", "site-name", "source-name"},
    "language": {"language", "lang"},
}
# Words that may stand around a date on a date line without making it a sentence.
_DATE_LABELS = {
    "posted", "published", "updated", "last", "modified", "edited", "created", "first", "on",
    "at", "date", "and", "close", "time", "by", "pm", "am", "|", "-",
}
# "Updated 3 hours ago", "5 min read": page furniture that shares a line with the date.
_AGE = re.compile(r"\b\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?)(?:\s+ago|\s+read)?\b",
                  re.IGNORECASE)
_MODIFIED = re.compile(r"\b(?:updated|modified|edited|revised)\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|written by|words by|reported by|story by|posted by|authors?:)\s+"
    r"(?P<names>[^|•·]+?)\s*(?:[|•·]\s*(?P<rest>.*))?$", re.IGNORECASE)
# "By Jane Doe in Washington", "By Jane Doe for the Daily Planet": the place or outlet goes.
_NAME_TAIL = re.compile(r"\s+(?:in|for|at|from)\s+.*$")
# "Associated Press Writers", "Jane Doe, Staff Reporter": the role goes.
_ROLE_TAIL = re.compile(
    r"\s*\b(?:senior |chief |staff |special )?(?:writers?|reporters?|correspondents?|staff"
    r"|editors?|contributors?)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    text: str
    gap_before: bool
    """A blank line (or the start of the page) precedes this unit."""


@dataclass(frozen=True)
class _HeaderField:
    key: str
    value: str
    start: int
    """Offset of the value in the text."""


@dataclass
class _Meta:
    """What the page says about the article, filled in step by step."""

    headline: str | None = None
    headline_span: Span | None = None
    authors: list[str] = field(default_factory=list)
    byline_span: Span | None = None
    agency: str | None = None
    credits: list[str] = field(default_factory=list)
    credit_spans: list[Span] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- units ------------------------------------------------------------------------------------

def _read_header(text: str) -> tuple[list[_HeaderField], int]:
    """The ``Key: value`` lines before a ``---`` line at the top, and where the page starts."""
    fields: list[_HeaderField] = []
    pos = 0
    lines = text.splitlines(keepends=True)
    first = 1 if lines and lines[0].strip() == "---" else 0  # YAML-style front matter
    pos = len(lines[0]) if first else 0
    for line in lines[first:]:
        if line.strip() == "---" and fields:
            return fields, pos + len(line)
        match = _HEADER_LINE.fullmatch(line.rstrip("\r\n"))
        if not match:
            break
        fields.append(_HeaderField(match.group(1), match.group(2), pos + match.start(2)))
        pos += len(line)
    return [], 0


def _lines(text: str, offset: int) -> list[_Unit]:
    units: list[_Unit] = []
    gap = True
    for match in re.finditer(r"^.*$", text[offset:], re.MULTILINE):
        line = match.group(0)
        stripped = line.strip()
        if not stripped:
            gap = True
            continue
        start = offset + match.start() + (len(line) - len(line.lstrip()))
        units.append(_Unit(start, start + len(stripped), stripped, gap))
        gap = False
    return units


def _groups(units: list[_Unit]) -> list[list[_Unit]]:
    """The units between blank lines."""
    groups: list[list[_Unit]] = []
    for unit in units:
        if unit.gap_before or not groups:
            groups.append([unit])
        else:
            groups[-1].append(unit)
    return groups


def _wrapped(group: list[_Unit], width: int) -> bool:
    """A paragraph broken over lines: every line but the last runs close to the wrap width."""
    return len(group) >= 2 and all(len(u.text) >= width - 25 for u in group[:-1])


def _units(text: str, offset: int) -> list[_Unit]:
    """Non-blank lines; in text hard-wrapped at a fixed width (no line over 100 characters and
    most multi-line groups filling the width), each wrapped paragraph joined into one unit."""
    units = _lines(text, offset)
    if not units or max(len(u.text) for u in units) > 100:
        return units
    lengths = sorted(len(u.text) for u in units)
    width = lengths[int(0.95 * (len(lengths) - 1))]
    groups = _groups(units)
    multi = [g for g in groups if len(g) >= 2]
    wrapped = [g for g in multi if _wrapped(g, width)]
    if len(wrapped) < 2 or len(wrapped) < 0.5 * len(multi):
        return units
    joined: list[_Unit] = []
    for group in groups:
        if _wrapped(group, width):
            first, last = group[0], group[-1]
            joined.append(_Unit(first.start, last.end, text[first.start : last.end], True))
        else:
            joined.extend(group)
    return joined


# --- classification ---------------------------------------------------------------------------

def _first_pass(unit: _Unit) -> str:
    t = unit.text
    if bp.is_ad(t):
        return "ad"
    if bp.is_end_marker(t):
        return "end"
    if bp.is_footer(t):
        return "footer"
    if bp.is_ui(t):
        return "ui"
    if bp.is_highlights_heading(t):
        return "highlights"
    if bp.is_captioned(t):
        return "caption"
    if bp.credit_names(t) is not None:
        return "credit"
    if bp.is_bullet(t):
        return "bullet"
    if bp.is_promo(t):
        return "promo"
    if _BYLINE.match(t) and len(bp.words(t)) <= 20:
        return "other"  # "By Jane Doe and John Roe, Associated Press Writers."
    dates = list(find_dates(t))
    if dates and _is_dateline(unit, dates):
        return "other"  # "Published June 12, 2020. Updated June 13, 2020."
    return "prose" if bp.is_prose(t) else "other"


def _cut(kinds: list[str]) -> int:
    """Index of the heading or footer that ends the article, or len(kinds)."""
    for i, kind in enumerate(kinds):
        if kind in ("end", "footer"):
            before = kinds[:i].count("prose")
            after = kinds[i + 1 :].count("prose")
            if before and after <= before:
                return i
    return len(kinds)


def _mark_highlights(units: list[_Unit], kinds: list[str]) -> None:
    """The items under a "Highlights" heading: bullets, or the lines right below it."""
    for i, kind in enumerate(kinds):
        if kind != "highlights":
            continue
        for j in range(i + 1, len(units)):
            if kinds[j] == "bullet" or (not units[j].gap_before and kinds[j] in ("prose", "other")):
                kinds[j] = "summary"
            else:
                break


def _mark_captions(units: list[_Unit], kinds: list[str]) -> None:
    """The line before a photo credit is the photo's caption (unless it is a date line)."""
    for i in range(1, len(kinds)):
        if kinds[i] == "credit" and kinds[i - 1] in ("prose", "other") \
                and not any(True for _ in find_dates(units[i - 1].text)):
            kinds[i - 1] = "caption"


def _mark_lists(kinds: list[str]) -> None:
    """Bullets are article text only inside it (prose on both sides); else a summary box."""
    i = 0
    while i < len(kinds):
        if kinds[i] != "bullet":
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] == "bullet":
            j += 1
        inside = i > 0 and kinds[i - 1] == "prose" and j < len(kinds) and kinds[j] == "prose"
        for k in range(i, j):
            kinds[k] = "prose" if inside else "summary"
        i = j


def _is_headline(unit: _Unit, kind: str) -> bool:
    t = unit.text
    if kind not in ("other", "prose") or not bp.starts_like_text(t):
        return False
    n = len(bp.words(t))
    if n < 3 or n > 30 or t.endswith("."):
        return False
    return not any(True for _ in find_dates(t)) and not _BYLINE.match(t)


def _classify(units: list[_Unit], *, find_headline: bool = True) -> tuple[list[str], int | None]:
    """Each unit's kind ("body" for the article's paragraphs), and the headline's index."""
    kinds = [_first_pass(u) for u in units]
    cut = _cut(kinds)
    for i in range(cut, len(kinds)):
        kinds[i] = "trailing"
    _mark_highlights(units, kinds)
    _mark_captions(units, kinds)
    _mark_lists(kinds)
    headline = _find_headline(units, kinds) if find_headline else None
    if headline is not None:
        kinds[headline] = "headline"
    _mark_short_paragraphs(units, kinds)
    kinds = ["body" if k == "prose" else k for k in kinds]
    return kinds, headline


def _find_headline(units: list[_Unit], kinds: list[str]) -> int | None:
    """The first title-like line before the first paragraph; a section label ("Press Release
    Net Neutrality") or a short line (a site name such as "The Washington Post") gives way to a
    longer title-like line that follows it."""
    first_stop = next((i for i, (u, k) in enumerate(zip(units, kinds, strict=True))
                       if k == "prose" and bp.terminated(u.text)), len(units))
    found = [i for i in range(first_stop) if _is_headline(units[i], kinds[i])]
    if len(found) > 1:
        first, second = units[found[0]].text, units[found[1]].text
        site_name = len(bp.words(first)) <= 4 and len(bp.words(second)) >= 6
        if bp.is_label(first) or site_name:
            return found[1]
    return found[0] if found else None


def _mark_short_paragraphs(units: list[_Unit], kinds: list[str]) -> None:
    """A short sentence between two paragraphs ("He declined to comment.") is a paragraph."""
    prose = [i for i, k in enumerate(kinds) if k == "prose"]
    if len(prose) < 2:
        return
    for i in range(prose[0] + 1, prose[-1]):
        text = units[i].text
        if kinds[i] == "other" and bp.terminated(text) and bp.starts_like_text(text) \
                and not any(True for _ in find_dates(text)):
            kinds[i] = "prose"


# --- metadata ---------------------------------------------------------------------------------

def _header_value(fields: list[_HeaderField], name: str) -> _HeaderField | None:
    return next((f for f in fields if f.key.lower() in _HEADER_KEYS[name] and f.value), None)


def _byline_names(names: str) -> list[str]:
    """The names in a byline's name part; roles ("Staff Writer") and places are left out."""
    found = []
    for part in _NAME_SPLIT.split(names.strip(" .,")):
        part = _ROLE_TAIL.sub("", _NAME_TAIL.sub("", part.strip(" .,")))
        if part and (bp.agency(part) or bp.looks_like_name(part) or len(part.split()) == 1):
            found.append(part)
    return found


def _name_line(text: str) -> list[str] | None:
    """A line that is only names ("Jane Doe", "Jane Doe | Reuters", "AFP"), or None."""
    parts = [p.strip() for p in re.split(r"\s*[|,•·]\s*|\s+and\s+", text) if p.strip()]
    if parts and all(bp.agency(p) or bp.looks_like_name(p) for p in parts):
        return parts
    return None


def _is_dateline(unit: _Unit, dates: list[FoundDate]) -> bool:
    """The dates stand (nearly) alone on their line: a date line, not a date in a sentence."""
    byline = _BYLINE.match(unit.text)
    rest = (byline.group("rest") or "") if byline else unit.text
    for found in dates:
        rest = rest.replace(found.as_written, " ")
    rest = _AGE.sub(" ", rest)
    others = [w for w in bp.words(rest) if w.lower().strip(".:") not in _DATE_LABELS]
    return len(others) <= 2


def _date_candidates(units: list[_Unit], kinds: list[str],
                     head: int) -> list[tuple[int, FoundDate]]:
    """Date lines among the non-body units of the top of the page: (unit index, date)."""
    found: list[tuple[int, FoundDate]] = []
    for i in range(head):
        if kinds[i] in ("body", "headline", "caption", "trailing"):
            continue
        dates = list(find_dates(units[i].text))
        if dates and _is_dateline(units[i], dates):
            found.extend((i, d) for d in dates)
    return found


def _precision(resolved: ResolvedDate) -> int:
    return 2 if resolved.iso else (1 if resolved.found.has_time else 0)


@dataclass(frozen=True)
class _Dates:
    published: ResolvedDate | None
    published_span: Span | None
    modified: ResolvedDate | None
    notes: tuple[str, ...]


def _pick_dates(units: list[_Unit], candidates: list[tuple[int, FoundDate]],
                header: _HeaderField | None, zone: tzinfo | None) -> _Dates:
    posted: list[tuple[ResolvedDate, Span]] = []
    updated: list[tuple[ResolvedDate, Span]] = []
    for i, found in candidates:
        unit = units[i]
        label = unit.text[: found.start]
        target = updated if _MODIFIED.search(label) else posted
        target.append((resolve(found, zone),
                       Span(unit.start + found.start, unit.start + found.end)))
    if header is not None:
        for found in find_dates(header.value):
            posted.append((resolve(found, zone),
                           Span(header.start + found.start, header.start + found.end)))
            break
    notes: list[str] = []
    modified = max(updated, key=lambda c: _precision(c[0]), default=None)
    if not posted and modified is not None:
        posted = [modified]
        notes.append("the page gives only an update time; it is taken as the publication time")
        modified = None
    # Most precise first; among equals the page's own line before the header's value.
    best = max(posted, key=lambda c: _precision(c[0]), default=None)
    if best is None:
        return _Dates(None, None, None, ())
    published, span = best
    if published.iso is None and modified is not None and modified[0].value is not None:
        inferred = with_zone_of(published.found, modified[0].value)
        if inferred is not None:
            published = inferred
    notes.extend(n for n in (published.note, modified[0].note if modified else None) if n)
    if published.iso is None and published.found.has_time:
        notes.append(f"{published.found.as_written!r} gives no time zone; give one to date it")
    return _Dates(published, span, modified[0] if modified else None, tuple(notes))


def _bylines(units: list[_Unit], kinds: list[str], head: int, datelines: set[int],
             meta: _Meta) -> None:
    """Authors from a "By …" line, else from a name on the line next to the date line."""
    for i in range(head):
        match = _BYLINE.match(units[i].text) if kinds[i] not in ("body", "headline") else None
        if match:
            meta.authors = _byline_names(match.group("names"))
            meta.byline_span = Span(units[i].start, units[i].end)
            return
    for i in sorted(datelines):
        for j in (i - 1, i + 1):
            if 0 <= j < head and kinds[j] in ("other", "ui") and j not in datelines:
                names = _name_line(units[j].text)
                if names:
                    meta.authors = names
                    meta.byline_span = Span(units[j].start, units[j].end)
                    return


def _agency(units: list[_Unit], kinds: list[str], head: int, meta: _Meta) -> None:
    """The wire agency: a byline name, a line of its own at the top, or "CITY (AP) —"."""
    for name in meta.authors:
        if bp.agency(name):
            meta.agency = bp.agency(name)
            return
    for i in range(head):
        if kinds[i] not in ("body", "headline") and bp.agency(units[i].text):
            meta.agency = bp.agency(units[i].text)
            return
    first_body = next((u for u, k in zip(units, kinds, strict=True) if k == "body"), None)
    if first_body is not None:
        meta.agency = bp.dateline_agency(first_body.text)
    if meta.agency is None:  # a sign-off: "(With inputs from PTI)", "— AP", "Source: Reuters"
        meta.agency = next((a for u, k in zip(units, kinds, strict=True)
                            if k != "body" and (a := bp.signoff_agency(u.text))), None)


def _credits(units: list[_Unit], kinds: list[str], meta: _Meta) -> None:
    for unit, kind in zip(units, kinds, strict=True):
        if kind in ("credit", "caption") and bp.credit_names(unit.text):
            for name in bp.credit_names(unit.text) or ():
                if name not in meta.credits:
                    meta.credits.append(name)
            meta.credit_spans.append(Span(unit.start, unit.end))


def body_units(text: str, offset: int) -> tuple[list[Span], tuple[tuple[str, ...],
                                                                   tuple[Span, ...]]]:
    """The body paragraphs of already-extracted article text from ``offset`` on (HTML), and
    the photo credits among its lines: (names, spans)."""
    units = _units(text, offset)
    kinds, _ = _classify(units, find_headline=False)
    meta = _Meta()
    _credits(units, kinds, meta)
    spans = [Span(u.start, u.end) for u, k in zip(units, kinds, strict=True) if k == "body"]
    return spans, (tuple(meta.credits), tuple(meta.credit_spans))


# --- the entry --------------------------------------------------------------------------------

def _fallback_body(units: list[_Unit], kinds: list[str]) -> list[str]:
    """Text with no paragraph-shaped line (a short note): every line that is not chrome."""
    return ["body" if k in ("other", "prose") else k for k in kinds]


def document_from_text(text: str, *, source: str, timezone: tzinfo | None = None,
                       url: str | None = None) -> Document:
    """A Document from plain text; ``text`` is kept whole and the offsets index it."""
    if "\x00" in text:
        raise ArticleError("the article is binary data, not text", Location(source))
    if not text.strip():
        raise ArticleError("the article is empty", Location(source))
    fields, offset = _read_header(text)
    units = _units(text, offset)
    kinds, headline = _classify(units)
    if "body" not in kinds:
        kinds = _fallback_body(units, kinds)
    if "body" not in kinds:
        raise ArticleError("no article text found: only page chrome (ads, links, credits)",
                           Location(source))
    body = [Span(u.start, u.end) for u, k in zip(units, kinds, strict=True) if k == "body"]
    # The top of the page, where date and byline lines sit: up to the third paragraph (the
    # first may be a standfirst above the byline).
    body_index = [i for i, k in enumerate(kinds) if k == "body"]
    head = body_index[2] if len(body_index) > 2 else len(units)

    meta = _Meta()
    if headline is not None:
        unit = units[headline]
        marker = len(unit.text) - len(unit.text.lstrip("# "))  # a Markdown "# " heading mark
        meta.headline = unit.text[marker:]
        meta.headline_span = Span(unit.start + marker, unit.end)
    candidates = _date_candidates(units, kinds, head)
    dates = _pick_dates(units, candidates, _header_value(fields, "date"), timezone)
    _bylines(units, kinds, head, {i for i, _ in candidates}, meta)
    _agency(units, kinds, head, meta)
    _credits(units, kinds, meta)
    return _document(text, source, body, meta, dates, fields, url)


def _document(text: str, source: str, body: list[Span], meta: _Meta, dates: _Dates,
              fields: list[_HeaderField], url: str | None) -> Document:
    header_headline = _header_value(fields, "headline")
    if header_headline is not None and meta.headline is None:
        meta.headline = header_headline.value
        meta.headline_span = Span(header_headline.start,
                                  header_headline.start + len(header_headline.value))
    header_authors = _header_value(fields, "authors")
    if header_authors is not None and not meta.authors:
        meta.authors = _byline_names(header_authors.value)
    header_url = _header_value(fields, "url")
    if url is None and header_url is not None and re.match(r"https?://", header_url.value):
        url = header_url.value
    publisher = _header_value(fields, "publisher")
    language = _header_value(fields, "language")
    published = dates.published
    return Document(
        text=text,
        body=tuple(body),
        source=source,
        kind="text",
        headline=meta.headline,
        headline_span=meta.headline_span,
        published=published.iso if published else None,
        published_date=published.day if published else None,
        published_as_written=published.found.as_written if published else None,
        published_span=dates.published_span,
        modified=dates.modified.iso if dates.modified else None,
        authors=tuple(meta.authors),
        byline_span=meta.byline_span,
        source_organization=meta.agency,
        publisher=publisher.value if publisher else None,
        credits=tuple(meta.credits),
        credit_spans=tuple(meta.credit_spans),
        url=url,
        language=language.value if language else None,
        header=tuple((f.key, f.value) for f in fields),
        notes=(*meta.notes, *dates.notes),
    )
