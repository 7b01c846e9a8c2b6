"""Bytes → text, refusing what is not text: binary data, PDFs, undeclared non-UTF-8 bytes.

Nothing is guessed: text files must be UTF-8 (the facts file reads the article back as UTF-8,
and offsets must index the same characters); HTML may declare its encoding (HTTP header, byte
order mark, ``<meta charset>``), and is read as UTF-8 when it declares none.
"""

from __future__ import annotations

import codecs
import re

from kg.errors import ArticleError, Location

# Magic numbers of formats people paste or download by mistake, named in the message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE,
)


def refuse_binary(raw: bytes, where: str) -> None:
    """Raise ``ArticleError`` for a known binary format or bytes with NULs (not UTF-16)."""
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            raise ArticleError(f"the input is {name}, not text or HTML", Location(where))
    if b"\x00" in raw[:8192] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleError("the input is binary data, not text or HTML", Location(where))


def _decode(raw: bytes, encoding: str, where: str, declared_by: str) -> str:
    try:
        return raw.decode(encoding)
    except LookupError as exc:
        raise ArticleError(f"unknown character encoding {encoding!r} ({declared_by})",
                           Location(where)) from exc
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the input is not valid {encoding} text as {declared_by} says "
            f"(byte {exc.start}: {raw[exc.start]:#04x})", Location(where),
        ) from exc


def _utf8(raw: bytes, where: str, hint: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"the input is not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x}){hint}",
            Location(where),
        ) from exc


def decode_text(raw: bytes, where: str, charset: str | None = None) -> str:
    """A text article: the charset a server declared, else UTF-8 (a leading BOM dropped)."""
    refuse_binary(raw, where)
    if charset:
        text = _decode(raw, charset, where, "the server declared")
    else:
        text = _utf8(raw, where, "; save it as UTF-8")
    return text.removeprefix("\ufeff")


def decode_html(raw: bytes, where: str, charset: str | None = None) -> str:
    """An HTML page: the declared charset (HTTP header, BOM, ``<meta>``), else UTF-8."""
    refuse_binary(raw, where)
    if charset:
        return _decode(raw, charset, where, "the server declared").removeprefix("\ufeff")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _decode(raw, encoding, where, "its byte order mark")
    meta = _META_CHARSET.search(raw[:4096])
    if meta:
        return _decode(raw, meta.group(1).decode("ascii"), where, "its <meta charset>")
    return _utf8(raw, where, " and the page declares no charset")
