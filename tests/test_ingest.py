"""Ingest: text, HTML, URL and stdin sources → Document; body spans, metadata, bad input.

The cases on disk (``tests/ingest_cases/expected.yaml``) hold the seven project articles and
small pages written for these tests; the URL tests run a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
import yaml

import kg
from kg.errors import ArticleError, ConfigError, IngestError, InputError
from kg.ingest import (
    DEFAULT_MAX_BYTES,
    Document,
    Span,
    ingest,
    ingest_html,
    ingest_path,
    ingest_stdin,
    ingest_text,
    ingest_url,
    parse_timezone,
)
from kg.ingest.dates import find_dates, resolve

CASES = Path(__file__).parent / "ingest_cases"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CASES / "expected.yaml").read_text(encoding="utf-8"))
ARTICLES = sorted((CASES / "articles").glob("*.txt"))
META_FIELDS = ("headline", "published", "published_date", "published_as_written", "modified",
               "url", "source_organization", "publisher", "language")


# --- the cases on disk ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name: ingest_path(CASES / name) for name in EXPECTED}


def test_every_article_has_expectations() -> None:
    assert ARTICLES and {f"articles/{p.name}" for p in ARTICLES} <= set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(name: str, docs: dict[str, Document]) -> None:
    doc, want = docs[name], EXPECTED[name]
    for field in META_FIELDS:
        if field in want:
            assert getattr(doc, field) == want[field], field
    for field in ("authors", "credits"):
        if field in want:
            assert list(getattr(doc, field)) == want[field], field


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body(name: str, docs: dict[str, Document]) -> None:
    doc, want = docs[name], EXPECTED[name]
    paragraphs = doc.paragraphs
    assert len(paragraphs) == want["paragraphs"], paragraphs
    assert paragraphs[0].startswith(want["first"])
    if "last" in want:
        assert paragraphs[-1].startswith(want["last"])
    for text in want.get("includes", []):
        assert any(text in p for p in paragraphs), text
    for text in want.get("excludes", []):
        assert not any(text in p for p in paragraphs), text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_spans_index_the_text(name: str, docs: dict[str, Document]) -> None:
    doc = docs[name]
    previous = Span(0, 0)
    for span in doc.body:
        piece = span.of(doc.text)
        assert piece and piece == piece.strip()
        assert span.start >= previous.end and span.end <= len(doc.text)
        previous = span
    if doc.headline_span is not None:
        assert doc.headline_span.of(doc.text) == doc.headline
    if doc.published_span is not None:
        assert doc.published_span.of(doc.text) == doc.published_as_written
    if doc.byline_span is not None:
        assert doc.authors[0] in doc.byline_span.of(doc.text)
    for span in doc.credit_spans:
        assert any(name in span.of(doc.text) for name in doc.credits)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_text_source_keeps_the_whole_file(path: Path) -> None:
    """Offsets index the file itself, header lines included."""
    doc = ingest_path(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.kind == "text" and doc.source == str(path)


def test_header_lines_are_kept_as_written() -> None:
    doc = ingest_path(CASES / "articles" / "dev-03-fcc-repeals-net-neutrality-blog.txt")
    assert [key for key, _ in doc.header] == ["Source-URL", "Publication-date", "Note"]
    assert doc.published_span is not None
    assert doc.text[: doc.published_span.start].endswith("Publication-date: ")
    assert all(span.start > doc.text.index("\n---\n") for span in doc.body)


def test_byline_span_is_the_curated_evidence() -> None:
    doc = ingest_path(CASES / "articles" / "microsoft-face-recognition-police.txt")
    assert doc.byline_span is not None and doc.credit_spans
    assert doc.byline_span.of(doc.text) == "By Associated Press | Updated: 12 June 2020 12:17 IST"
    assert doc.credit_spans[0].of(doc.text) == "Photo Credit: Reuters"
    assert any("IST read as India Standard Time" in note for note in doc.notes)


def test_html_text_is_headline_then_body() -> None:
    doc = ingest_path(CASES / "html" / "newsarticle-jsonld.html")
    assert doc.kind == "html"
    assert doc.text.startswith(f"{doc.headline}\n\nHARBOR CITY (AP)")
    assert doc.published_span is None  # the date came from metadata, not from the text


# --- time zones -------------------------------------------------------------------------------

@pytest.mark.parametrize(("zone", "expected"), [
    ("America/Chicago", "2023-06-03T10:30:00-05:00"),
    ("+02:00", "2023-06-03T10:30:00+02:00"),
    ("UTC", "2023-06-03T10:30:00+00:00"),
    ("GMT-3", "2023-06-03T10:30:00-03:00"),
])
def test_timezone_option_dates_a_zoneless_time(zone: str, expected: str) -> None:
    doc = ingest_path(CASES / "text" / "zone-missing.txt", timezone=zone)
    assert doc.published == expected
    assert any("given time zone" in note for note in doc.notes)


def test_timezone_option_decides_an_ambiguous_abbreviation() -> None:
    path = CASES / "articles" / "microsoft-face-recognition-police.txt"
    assert ingest_path(path, timezone="Europe/Dublin").published == "2020-06-12T12:17:00+01:00"
    assert ingest_path(path, timezone="Asia/Kolkata").published == "2020-06-12T12:17:00+05:30"


def test_timezone_option_does_not_override_a_written_offset() -> None:
    path = CASES / "articles" / "dev-05-eu-apple-app-store-charge.txt"
    assert ingest_path(path, timezone="Asia/Tokyo").published == "2021-04-30T10:19:40+00:00"


@pytest.mark.parametrize("bad", ["Mars/Olympus", "IST", "+25:00", "tomorrow", ""])
def test_unknown_timezone_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError, match="unknown time zone"):
        parse_timezone(bad)


@pytest.mark.parametrize(("line", "written", "iso"), [
    ("By Associated Press | Updated: 12 June 2020 12:17 IST", "12 June 2020 12:17 IST",
     "2020-06-12T12:17:00+05:30"),
    ("1:12pm ET, Thursday December 14th, 2017", "1:12pm ET, Thursday December 14th, 2017",
     "2017-12-14T13:12:00-05:00"),
    ("June 12, 2020 at 5:30 p.m. (EDT)", "June 12, 2020 at 5:30 p.m. (EDT)",
     "2020-06-12T17:30:00-04:00"),
    ("Fri, 12 Jun 2020 06:47:00 GMT", "Fri, 12 Jun 2020 06:47:00 GMT",
     "2020-06-12T06:47:00+00:00"),
    ("last updated 2016-02-17 16:18:26-05", "2016-02-17 16:18:26-05",
     "2016-02-17T16:18:26-05:00"),
    ("2020-06-12T06:47:00.000Z", "2020-06-12T06:47:00.000Z", "2020-06-12T06:47:00+00:00"),
    ("Sept. 25, 2024", "Sept. 25, 2024", None),
])
def test_date_lines(line: str, written: str, iso: str | None) -> None:
    (found,) = find_dates(line)
    assert found.as_written == written
    assert resolve(found, None).iso == iso


@pytest.mark.parametrize("line", [
    "We said on Thursday that May would be busy.",
    "Published 03/04/2020",  # day/month order unknown: not read
    "In June 2020 the commission opened an investigation.",
])
def test_no_date_is_guessed(line: str) -> None:
    assert list(find_dates(line)) == []


# --- bad input: one clear line each -----------------------------------------------------------

def _one_line(exc: pytest.ExceptionInfo[InputError], where: str) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(where), message
    return message


@pytest.mark.parametrize(("content", "error", "says"), [
    (b"", ArticleError, "the article is empty"),
    (b"  \n\n\t\n", ArticleError, "the article is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ArticleError, "a PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ArticleError, "a PDF document"),
    (b"some text\x00\x01\x02 more", ArticleError, "binary data"),
    ("Caf\u00e9 owners protest new rules.\n".encode("latin-1"), ArticleError,
     "not UTF-8 text (byte 3: 0xe9)"),
    (b"Advertisement\nShare\nRelated Stories\n", ArticleError, "no article text found"),
])
def test_bad_text_file(tmp_path: Path, content: bytes, error: type[InputError],
                       says: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(error) as exc:
        ingest(str(path))
    assert says in _one_line(exc, str(path))


@pytest.mark.parametrize(("content", "says"), [
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article found"),
    ((CASES / "html" / "no-article.html").read_bytes(), "no article found"),
    (b"<html><head><title>Nothing</title></head><body></body></html>", "no article found"),
])
def test_html_without_an_article(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(content)
    with pytest.raises(IngestError) as exc:
        ingest(str(path))
    assert says in _one_line(exc, str(path))


def test_html_not_utf8_and_undeclared(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes("<html><body><p>Caf\u00e9</p></body></html>".encode("latin-1"))
    with pytest.raises(ArticleError) as exc:
        ingest(str(path))
    assert "not UTF-8 text" in _one_line(exc, str(path))
    assert "declares no charset" in str(exc.value)


def test_html_declared_charset_is_honoured() -> None:
    page = (CASES / "html" / "opengraph-only.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    page = page.replace("harbour", "harbour caf\u00e9")
    doc = ingest_html(page.encode("latin-1"))
    assert "harbour caf\u00e9" in doc.body_text


def test_jsonld_article_body_when_the_page_shows_none() -> None:
    data = {"@type": "ReportageNewsArticle", "headline": "Bridge reopens after repairs",
            "datePublished": "2023-09-01T07:00:00",
            "articleBody": "The river bridge reopened on Friday after eight months of repairs."
                           "\n\nTraffic was light in the first hours, the city said."}
    page = (f'<html><head><script type="application/ld+json">{json.dumps(data)}</script>'
            '</head><body><div id="app"></div></body></html>')
    doc = ingest_html(page, url="https://news.example/bridge")
    assert doc.headline == "Bridge reopens after repairs"
    assert doc.body_text.startswith("The river bridge reopened on Friday")
    assert doc.body_text.endswith("the city said.")
    assert doc.published is None and doc.published_date == "2023-09-01"
    assert doc.url == "https://news.example/bridge"
    dated = ingest_html(page, timezone="Europe/Paris")
    assert dated.published == "2023-09-01T07:00:00+02:00"


def test_xhtml_with_an_xml_declaration() -> None:
    page = (CASES / "html" / "opengraph-only.html").read_text(encoding="utf-8")
    doc = ingest_html('<?xml version="1.0" encoding="utf-8"?>\n' + page.split("\n", 1)[1])
    assert doc.headline == "Ferry operator halts night crossings after storm damage"


@pytest.mark.parametrize(("name", "says"), [
    ("article.pdf", "unknown file type '.pdf'"),
    ("article.docx", "unknown file type '.docx'"),
])
def test_unknown_file_type(tmp_path: Path, name: str, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(IngestError) as exc:
        ingest(str(path))
    assert says in _one_line(exc, str(path))


def test_kind_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved.page"
    path.write_bytes((CASES / "html" / "opengraph-only.html").read_bytes())
    assert ingest_path(path, kind="html").headline == (
        "Ferry operator halts night crossings after storm damage")


def test_a_missing_path_is_not_read_as_text(tmp_path: Path) -> None:
    """A mistyped path is an unreadable file, never an article made of the path's words."""
    missing = tmp_path / "Apple buys Beats"
    with pytest.raises(ArticleError) as exc:
        ingest(str(missing))
    assert "cannot read the article: No such file or directory" in _one_line(exc, str(missing))


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ArticleError) as exc:
        ingest(str(tmp_path))
    assert "cannot read the article" in _one_line(exc, str(tmp_path))


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Word " * 300)
    with pytest.raises(IngestError) as exc:
        ingest_path(path, max_bytes=1000)
    assert "over the 1,000-byte limit" in _one_line(exc, str(path))


def test_other_url_schemes_are_refused() -> None:
    with pytest.raises(IngestError) as exc:
        ingest("ftp://127.0.0.1/article.txt")
    assert "only http:// and https:// URLs" in _one_line(exc, "ftp://127.0.0.1/article.txt")


def test_byline_place_and_signoff_agency() -> None:
    doc = ingest_text(
        "Floods cut off hill villages\n\nBy Ravi Kumar in Shimla\n\nJune 12, 2020\n\n"
        "Heavy rain cut off a dozen villages in the hills on Friday, officials said.\n\n"
        "The state government said it would release emergency funds on Monday.\n\n"
        "(With inputs from PTI)\n")
    assert doc.authors == ("Ravi Kumar",)
    assert doc.source_organization == "Press Trust of India"
    assert doc.published_date == "2020-06-12" and len(doc.body) == 2


@pytest.mark.parametrize(("byline", "authors", "agency"), [
    ("By Jane Doe and John Roe, Associated Press Writers.", ("Jane Doe", "John Roe",
                                                            "Associated Press"),
     "Associated Press"),
    ("By Jane Doe, Staff Reporter", ("Jane Doe",), None),
    ("By JANE DOE for the Daily Planet", ("JANE DOE",), None),
    ("Written by Jane Doe & John Roe", ("Jane Doe", "John Roe"), None),
])
def test_byline_lines(byline: str, authors: tuple[str, ...], agency: str | None) -> None:
    doc = ingest_text(
        f"Floods cut off hill villages\n\n{byline}\n\n"
        "Published June 12, 2020. Updated June 13, 2020.\n\n"
        "Heavy rain cut off a dozen villages in the hills on Friday, officials said.\n\n"
        "The state government said it would release emergency funds on Monday.\n")
    assert doc.authors == authors
    assert doc.source_organization == agency
    assert doc.published_date == "2020-06-12"
    assert doc.paragraphs[0].startswith("Heavy rain") and len(doc.body) == 2


def test_markdown_heading_mark_is_not_part_of_the_headline(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Bridge reopens after eight months\n\n"
                    "The river bridge reopened on Friday after eight months of repairs.\n",
                    encoding="utf-8")
    doc = ingest(str(path))
    assert doc.headline == "Bridge reopens after eight months"
    assert doc.headline_span is not None and doc.headline_span.start == 2


def test_text_given_as_a_string() -> None:
    doc = ingest_text("Apple buys Beats for $3 billion in its largest deal.\n", source="note")
    assert doc.paragraphs == ("Apple buys Beats for $3 billion in its largest deal.",)
    with pytest.raises(ArticleError, match=r"^note: the article is empty$"):
        ingest_text(" \n", source="note")


# --- stdin ------------------------------------------------------------------------------------

def test_stdin_is_text_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (CASES / "articles" / "dev-02-apple-fbi-iphone-order.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    doc = ingest("-")
    assert doc.source == "-" and doc.kind == "text"
    assert doc.published == "2016-02-17T04:18:00-05:00"


def test_stdin_as_html() -> None:
    raw = (CASES / "html" / "newsarticle-jsonld.html").read_bytes()
    doc = ingest_stdin(io.BytesIO(raw), kind="html")
    assert doc.source == "-" and doc.authors == ("Ana Ruiz", "Ben Osei")


def test_empty_stdin() -> None:
    with pytest.raises(ArticleError, match=r"^-: the article is empty$"):
        ingest_stdin(io.BytesIO(b""))


# --- URLs: a real server on 127.0.0.1 ---------------------------------------------------------

HUGE = 50 * 1024 * 1024
Route = Callable[["_Handler"], None]


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    sent: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        # The client may stop reading early, as it should (size cap, timeout).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def reply(self, body: bytes, content_type: str | None, status: int = 200) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _page(name: str, content_type: str | None = "text/html; charset=utf-8") -> Route:
    body = (CASES / name).read_bytes()
    return lambda h: h.reply(body, content_type)


def _redirect(to: str) -> Route:
    def route(h: _Handler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return route


def _slow(h: _Handler) -> None:
    time.sleep(2.0)  # longer than the 0.5 s the test allows
    h.reply(b"<html><body><p>late</p></body></html>", "text/html")


def _stream(declare_length: bool) -> Route:
    """50 MB of HTML made on the fly, 64 KiB at a time; never held in memory."""
    def route(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        if declare_length:
            h.send_header("Content-Length", str(HUGE))
        h.end_headers()
        chunk = b"<p>" + b"filler text " * 5457 + b"</p>\n"
        key = "declared" if declare_length else "streamed"
        h.sent[key] = 0
        while h.sent[key] < HUGE:
            h.wfile.write(chunk)
            h.sent[key] += len(chunk)
    return route


def _chunked(h: _Handler) -> None:
    """The article in HTTP/1.1 chunked transfer encoding, a few hundred bytes per chunk."""
    body = (CASES / "html" / "newsarticle-jsonld.html").read_bytes()
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                  b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    for i in range(0, len(body), 300):
        piece = body[i : i + 300]
        h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
    h.wfile.write(b"0\r\n\r\n")


def _truncated(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.write(b"<html><body><p>The first part of the page and then nothing")
    h.close_connection = True


def _trickle(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(40):  # 4 s at most, bounded
        h.wfile.write(b"<p>slow</p>" * 10)
        h.wfile.flush()
        time.sleep(0.1)


_Handler.routes.update({
    "/article": _page("html/newsarticle-jsonld.html"),
    "/plain": _page("articles/microsoft-face-recognition-police.txt", "text/plain; charset=utf-8"),
    "/latin1": lambda h: h.reply(
        (CASES / "html" / "opengraph-only.html").read_text(encoding="utf-8")
        .replace('<meta charset="utf-8">', "").replace("harbour", "caf\u00e9 harbour")
        .encode("latin-1"), "text/html; charset=ISO-8859-1"),
    "/latin1-undeclared": lambda h: h.reply(
        "Caf\u00e9 owners protest new rules.\n".encode("latin-1"), "text/plain"),
    "/binary": lambda h: h.reply(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "text/html"),
    "/octets": lambda h: h.reply(bytes(range(256)), "application/octet-stream"),
    "/pdf": lambda h: h.reply(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
    "/untyped": lambda h: h.reply(b"<html><body><p>x</p></body></html>", None),
    "/no-article": _page("html/no-article.html"),
    "/gone": lambda h: h.reply(b"gone", "text/plain", status=410),
    "/slow": _slow,
    "/loop-a": _redirect("/loop-b"),
    "/loop-b": _redirect("/loop-a"),
    "/hop-1": _redirect("/hop-2"),
    "/hop-2": _redirect("http://127.0.0.1:{port}/article"),  # absolute; port filled in below
    "/far-1": _redirect("/far-2"), "/far-2": _redirect("/far-3"), "/far-3": _redirect("/far-4"),
    "/far-4": _redirect("/far-5"), "/far-5": _redirect("/article"),
    "/to-file": _redirect("file:///etc/passwd"),
    "/huge": _stream(declare_length=False),
    "/huge-declared": _stream(declare_length=True),
    "/trickle": _trickle,
    "/chunked": _chunked,
    "/truncated": _truncated,
})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    _Handler.routes["/hop-2"] = _redirect(f"http://127.0.0.1:{port}/article")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must not carry the loopback tests elsewhere."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")


def test_url_html_with_jsonld(server: str) -> None:
    doc = ingest(f"{server}/article")
    assert doc.kind == "html" and doc.source == f"{server}/article"
    assert doc.published == "2021-03-04T09:30:00-05:00"
    assert doc.url == "https://ledger.example/2021/03/04/council-bans-face-recognition"
    assert len(doc.body) == 4


def test_url_plain_text(server: str) -> None:
    doc = ingest_url(f"{server}/plain")
    assert doc.kind == "text" and doc.url == f"{server}/plain"
    assert doc.published == "2020-06-12T12:17:00+05:30"
    assert doc.text == (CASES / "articles" / "microsoft-face-recognition-police.txt").read_text(
        encoding="utf-8")


def test_url_chunked_transfer(server: str) -> None:
    doc = ingest_url(f"{server}/chunked")
    assert doc.authors == ("Ana Ruiz", "Ben Osei") and len(doc.body) == 4


def test_url_declared_charset(server: str) -> None:
    assert "caf\u00e9 harbour" in ingest_url(f"{server}/latin1").body_text


def test_url_follows_redirects_within_the_limit(server: str) -> None:
    doc = ingest_url(f"{server}/hop-1")
    assert doc.source == f"{server}/hop-1"
    assert doc.headline == "Harbor City council bans facial recognition in policing"


def test_session_seam_is_used_and_left_unchanged(server: str) -> None:
    seen: list[str] = []

    class Recording(requests.Session):
        def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:
            seen.append(str(url))
            return super().get(url, **kwargs)

    with Recording() as session:
        ingest_url(f"{server}/hop-1", session=session)
        assert session.max_redirects == requests.Session().max_redirects
    assert seen == [f"{server}/hop-1", f"{server}/hop-2", f"{server}/article"]


@pytest.mark.parametrize(("path", "options", "says"), [
    ("/missing", {}, "HTTP 404 Not Found"),
    ("/gone", {}, "HTTP 410 Gone"),
    ("/pdf", {}, "a PDF document (application/pdf), not an HTML page or plain text"),
    ("/octets", {}, "gives application/octet-stream, not an HTML page or plain text"),
    ("/untyped", {}, "the server gave no content type"),
    ("/loop-a", {}, "redirects in a loop"),
    ("/far-1", {"max_redirects": 3}, "more than 3 redirects"),
    ("/to-file", {}, "not an http(s) URL: file:///etc/passwd"),
    ("/no-article", {}, "no article found in the HTML page"),
    ("/huge-declared", {}, f"the page is {HUGE:,} bytes, over the {DEFAULT_MAX_BYTES:,}-byte"),
    ("/truncated", {}, "the connection "),
])
def test_url_failures(server: str, path: str, options: dict[str, Any], says: str) -> None:
    url = f"{server}{path}"
    with pytest.raises(IngestError) as exc:
        ingest_url(url, **options)
    assert says in _one_line(exc, url)


@pytest.mark.parametrize(("path", "says"), [
    ("/binary", "a PNG image, not text or HTML"),
    ("/latin1-undeclared", "not UTF-8 text (byte 3: 0xe9)"),
])
def test_url_content_that_is_not_text(server: str, path: str, says: str) -> None:
    url = f"{server}{path}"
    with pytest.raises(ArticleError) as exc:
        ingest_url(url)
    assert says in _one_line(exc, url)


def test_url_timeout(server: str) -> None:
    url = f"{server}/slow"
    began = time.monotonic()
    with pytest.raises(IngestError) as exc:
        ingest_url(url, timeout=0.5)
    assert "timed out after 0.5 s" in _one_line(exc, url)
    assert time.monotonic() - began < 1.8  # gave up before the server answered
    assert isinstance(exc.value.__cause__, requests.Timeout)


def test_url_trickle_hits_the_total_deadline(server: str) -> None:
    url = f"{server}/trickle"
    began = time.monotonic()
    with pytest.raises(IngestError) as exc:
        ingest_url(url, timeout=1.0)
    assert "timed out after 1 s while reading the page" in _one_line(exc, url)
    assert time.monotonic() - began < 3.5  # gave up before the server finished


def test_url_50mb_page_stops_at_the_cap(server: str) -> None:
    url = f"{server}/huge"
    with pytest.raises(IngestError) as exc:
        ingest_url(url)
    assert f"over the {DEFAULT_MAX_BYTES:,}-byte limit (stopped reading there)" in _one_line(
        exc, url)
    time.sleep(0.2)  # let the server notice the closed connection
    assert _Handler.sent["streamed"] < HUGE // 2


def test_url_connection_refused() -> None:
    with socket.socket() as sock:  # a port nothing listens on once the block ends
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/article"
    with pytest.raises(IngestError) as exc:
        ingest_url(url, timeout=2)
    assert "cannot connect: Connection refused" in _one_line(exc, url)


def test_bad_timezone_fails_before_any_request() -> None:
    with pytest.raises(ConfigError):
        ingest_url("http://127.0.0.1:9/never", timezone="Nowhere/Land")


# --- the package's place in the flow ----------------------------------------------------------

def test_ingest_imports_only_errors_from_newskg() -> None:
    """Ingest is the first stage: it may use kg.errors (and the version), nothing later."""
    package = Path(kg.__file__).parent / "ingest"
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
                allowed = node.module in ("kg.errors",) or node.module.startswith("kg.ingest")
                allowed = allowed or (node.module == "kg" and
                                      [a.name for a in node.names] == ["__version__"])
                assert allowed, f"{module.name} imports {node.module}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit", "quit"), module.name


def test_document_is_frozen() -> None:
    doc = ingest_text("Apple buys Beats for $3 billion in its largest deal.")
    with pytest.raises(AttributeError):
        doc.text = "changed"  # type: ignore[misc]
