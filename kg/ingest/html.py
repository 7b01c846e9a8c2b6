"""HTML pages: metadata from JSON-LD ``NewsArticle`` first, then OpenGraph and meta tags; the body
with trafilatura.

- JSON-LD: https://schema.org/NewsArticle (headline, datePublished, dateModified, author,
  publisher, sourceOrganization, url, inLanguage), found in ``<script type="application/ld+json">``
  blocks, ``@graph`` containers and ``@id`` references included.
- OpenGraph: https://ogp.me/ (``og:title``, ``og:url``, ``og:site_name``) with its ``article:``
  extension (``article:published_time``, ``article:modified_time``, ``article:author``).
- Body: trafilatura (best F on its 990-page benchmark among Python extractors, FIELD-NOTES);
  its output goes through the same line rules as plain text, so an "Advertisement" or
  "Related Stories" it lets through stays out of the body.

``Document.text`` is the headline, a blank line, then the extracted article text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from html import unescape
from typing import Any
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from kg.errors import ArticleError, IngestError, Location
from kg.ingest import boilerplate as bp
from kg.ingest.dates import ResolvedDate, find_dates, resolve
from kg.ingest.document import Document, Span
from kg.ingest.text import body_units

# schema.org types a news page uses for its article, best first.
_NEWS_TYPES = {
    "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "SatiricalArticle",
    "LiveBlogPosting",
}
_ARTICLE_TYPES = {"Article", "BlogPosting", "Report", "TechArticle", "SocialMediaPosting",
                  "WebPage"}
_META_KEYS = {
    "headline": ("og:title", "twitter:title", "title", "dc.title", "headline"),
    "published": ("article:published_time", "og:published_time", "datepublished",
                  "pubdate", "publishdate", "publish-date", "date", "dc.date.issued",
                  "dcterms.created", "dc.date", "parsely-pub-date", "sailthru.date"),
    "modified": ("article:modified_time", "og:updated_time", "datemodified",
                 "dcterms.modified", "last-modified"),
    "authors": ("author", "article:author", "parsely-author", "sailthru.author", "byl",
                "dc.creator"),
    "publisher": ("og:site_name", "application-name", "publisher", "dc.publisher"),
    "url": ("og:url", "twitter:url"),
    "language": ("og:locale", "content-language", "language", "dc.language"),
}
# Enough running text to call a page an article (about two sentences) when nothing in its
# metadata says it is one.
_MIN_WORDS = 30


def _parse(html: str, where: str) -> lxml.html.HtmlElement:
    # lxml refuses a str that still carries an XML encoding declaration (XHTML pages).
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ArticleError(f"the HTML page is empty or unreadable ({exc})",
                           Location(where)) from exc


# --- JSON-LD ----------------------------------------------------------------------------------

def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD block, ``@graph`` and nested lists flattened."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _nodes(data["@graph"])


def _types(node: Mapping[str, Any]) -> set[str]:
    raw = node.get("@type", [])
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rsplit("/", 1)[-1].removeprefix("schema:") for n in names}


def _jsonld_nodes(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            # strict=False: pages put raw newlines inside JSON strings.
            data = json.loads(script.text_content(), strict=False)
        except ValueError:
            continue  # one broken block must not hide the others
        found.extend(_nodes(data))
    return found


def _jsonld_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    for wanted in (_NEWS_TYPES, _ARTICLE_TYPES - {"WebPage"}, {"WebPage"}):
        for node in nodes:
            if _types(node) & wanted:
                return node
    return None


def _deref(value: Any, index: Mapping[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"}:
        return index.get(str(value["@id"]), value)
    return value


def _names(value: Any, index: Mapping[str, dict[str, Any]]) -> list[str]:
    """Names from a schema.org value: a string, a Person/Organization, or a list of them."""
    value = _deref(value, index)
    if isinstance(value, list):
        return [name for item in value for name in _names(item, index)]
    if isinstance(value, dict):
        name = value.get("name")
        return _names(name, index) if name else []
    if isinstance(value, str) and value.strip() and "://" not in value:
        return [unescape(value).strip()]  # JSON-LD strings often keep HTML entities (&amp;)
    return []


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name")
    return unescape(value).strip() if isinstance(value, str) and value.strip() else None


# --- meta tags --------------------------------------------------------------------------------

def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """``<meta property|name|itemprop|http-equiv=K content=V>`` as K (lowercased) → values."""
    tags: dict[str, list[str]] = {}
    for meta in tree.xpath("//meta[@content]"):
        content = (meta.get("content") or "").strip()
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key and content:
                tags.setdefault(key.strip().lower(), []).append(content)
    for time in tree.xpath("//time[@itemprop][@datetime]"):
        tags.setdefault(str(time.get("itemprop")).lower(), []).append(str(time.get("datetime")))
    return tags


def _first_meta(tags: Mapping[str, list[str]], field: str) -> str | None:
    return next((tags[k][0] for k in _META_KEYS[field] if k in tags), None)


def _canonical(tree: lxml.html.HtmlElement) -> str | None:
    links = tree.xpath('//link[@rel="canonical"]/@href')
    return str(links[0]).strip() if links else None


def _title(tree: lxml.html.HtmlElement, site: str | None) -> str | None:
    titles = tree.xpath("//title")
    title = titles[0].text_content().strip() if titles else ""
    if site and title:
        title = re.sub(rf"\s*[|–—:-]\s*{re.escape(site)}\s*$", "", title)
    if title:
        return title
    h1 = tree.xpath("//h1")
    return h1[0].text_content().strip() or None if h1 else None


# --- assembling -------------------------------------------------------------------------------

def _date(value: str | None, zone: tzinfo | None) -> ResolvedDate | None:
    if not value:
        return None
    found = next(find_dates(value), None)
    return resolve(found, zone) if found else None


def _language(tree: lxml.html.HtmlElement, article: Mapping[str, Any] | None,
              tags: Mapping[str, list[str]]) -> str | None:
    lang = _text(article.get("inLanguage")) if article else None
    lang = lang or tree.get("lang") or tree.get("xml:lang") or _first_meta(tags, "language")
    return lang.replace("_", "-").strip() if lang else None


def _extract_body(html: str, url: str | None) -> str:
    import trafilatura  # here, not at the top: 0.1 s to import, and text-only runs skip it

    text = trafilatura.extract(html, url=url, output_format="txt", include_comments=False,
                               include_tables=False, deduplicate=False)
    return (text or "").strip()


@dataclass(frozen=True)
class _Page:
    """A parsed page's metadata sources: the JSON-LD article node and the meta tags."""

    tree: lxml.html.HtmlElement
    article: dict[str, Any] | None
    index: Mapping[str, dict[str, Any]]
    """JSON-LD nodes by ``@id``, to follow references such as ``"author": {"@id": …}``."""
    tags: Mapping[str, list[str]]

    def get(self, key: str) -> Any:
        return self.article.get(key) if self.article else None

    @property
    def declares_article(self) -> bool:
        if self.article is not None and "WebPage" not in _types(self.article):
            return True
        return "article" in self.tags.get("og:type", [])


def _read_page(html: str, where: str) -> _Page:
    tree = _parse(html, where)
    nodes = _jsonld_nodes(tree)
    index = {str(n["@id"]): n for n in nodes if "@id" in n}
    return _Page(tree, _jsonld_article(nodes), index, _meta_tags(tree))


def _publisher(page: _Page) -> str | None:
    names = _names(page.get("publisher"), page.index)
    return names[0] if names else _first_meta(page.tags, "publisher")


def _headline(page: _Page, publisher: str | None) -> str | None:
    headline = _text(page.get("headline") or page.get("name")) \
        or _first_meta(page.tags, "headline") or _title(page.tree, publisher)
    return re.sub(r"\s+", " ", headline).strip() if headline else None


def _article_text(html: str, url: str | None, page: _Page, headline: str | None) -> str:
    """The headline, a blank line, the extracted body (JSON-LD ``articleBody`` if none)."""
    body = _extract_body(html, url)
    if headline and body.split("\n", 1)[0].strip() == headline:  # the page's <h1> again
        body = body.split("\n", 1)[1].lstrip() if "\n" in body else ""
    if not body and isinstance(page.get("articleBody"), str):
        body = page.get("articleBody").strip()
    return f"{headline}\n\n{body}" if headline else body


def _agency(page: _Page, authors: list[str], first_paragraph: str) -> str | None:
    """``sourceOrganization``, else an agency among the authors, else "CITY (AP) —"."""
    declared = next(iter(_names(page.get("sourceOrganization"), page.index)), None)
    if declared:
        return bp.agency(declared) or declared
    return next((bp.agency(a) for a in authors if bp.agency(a)), None) \
        or bp.dateline_agency(first_paragraph)


def _page_url(page: _Page, url: str | None) -> str | None:
    """The URL the page declares for itself (absolute http(s)), else the one it came from."""
    declared = _text(page.get("url")) or _text(page.get("mainEntityOfPage")) \
        or _first_meta(page.tags, "url") or _canonical(page.tree)
    resolved = urljoin(url or "", declared) if declared else None
    return resolved if resolved and re.match(r"https?://", resolved) else url


def _date_notes(published: ResolvedDate | None, modified: ResolvedDate | None) -> list[str]:
    notes = [d.note for d in (published, modified) if d is not None and d.note]
    if published is not None and published.iso is None and published.found.has_time:
        notes.append(f"{published.found.as_written!r} gives no time zone; give one to date it")
    return notes


def document_from_html(html: str, *, url: str | None = None, source: str | None = None,
                       timezone: tzinfo | None = None) -> Document:
    """A Document from an HTML page (already decoded: see ``decode.decode_html``)."""
    where = source or url or "<html>"
    page = _read_page(html, where)
    publisher = _publisher(page)
    headline = _headline(page, publisher)
    text = _article_text(html, url, page, headline)
    spans, (credits, credit_spans) = body_units(text, len(headline) + 2 if headline else 0)
    words = sum(len(bp.words(span.of(text))) for span in spans)
    if not spans or (words < _MIN_WORDS and not page.declares_article):
        raise IngestError("no article found in the HTML page (no paragraphs of running text)",
                          Location(where))
    published = _date(_text(page.get("datePublished")) or _first_meta(page.tags, "published"),
                      timezone)
    modified = _date(_text(page.get("dateModified")) or _first_meta(page.tags, "modified"),
                     timezone)
    authors = _names(page.get("author"), page.index) \
        or _names(_first_meta(page.tags, "authors"), page.index)
    authors = list(dict.fromkeys(re.sub(r"^by\s+", "", a, flags=re.IGNORECASE) for a in authors))
    return Document(
        text=text,
        body=tuple(spans),
        source=where,
        kind="html",
        headline=headline,
        headline_span=Span(0, len(headline)) if headline else None,
        published=published.iso if published else None,
        published_date=published.day if published else None,
        published_as_written=published.found.as_written if published else None,
        modified=modified.iso if modified else None,
        authors=tuple(authors),
        source_organization=_agency(page, authors, spans[0].of(text)),
        publisher=publisher,
        credits=credits,
        credit_spans=credit_spans,
        url=_page_url(page, url),
        language=_language(page.tree, page.article, page.tags),
        notes=tuple(_date_notes(published, modified)),
    )
