"""The parsed article every extractor reads: paragraphs, sentences and mentions with offsets.

spaCy runs once per body paragraph; every offset here is absolute (into the article text), so
each fact's evidence is a verbatim span of the text the facts file points to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

ENTITY_LABELS = {"ORG": "organization", "PERSON": "person", "GPE": "place", "LOC": "place",
                 "FAC": "place"}


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    doc: Doc

    @property
    def end(self) -> int:
        return self.start + len(self.doc.text)

    def abs(self, token_or_span: Token | Span) -> tuple[int, int]:
        if isinstance(token_or_span, Token):
            return (self.start + token_or_span.idx,
                    self.start + token_or_span.idx + len(token_or_span.text))
        return (self.start + token_or_span.start_char, self.start + token_or_span.end_char)


@dataclass(frozen=True)
class Mention:
    """A named-entity mention: where, what text, which type (organization/person/place)."""

    start: int
    end: int
    text: str
    type: str
    para: int


@dataclass
class Analysis:
    text: str
    paragraphs: list[Paragraph]
    published: str | None
    mentions: list[Mention] = field(default_factory=list)
    asides: list[Paragraph] = field(default_factory=list)
    """Lines outside the body read for dates only (summary bullets)."""

    def sentences(self) -> Iterator[tuple[Paragraph, Span]]:
        for p in self.paragraphs:
            for sent in p.doc.sents:
                yield p, sent

    def sentence_at(self, offset: int) -> tuple[Paragraph, Span] | None:
        for p in self.paragraphs:
            if p.start <= offset < p.end:
                for sent in p.doc.sents:
                    s, e = p.abs(sent)
                    if s <= offset < e:
                        return p, sent
        return None

    def mentions_in(self, start: int, end: int, types: Sequence[str] | None = None
                    ) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end
                and (types is None or m.type in types)]

    def mentions_before(self, offset: int, types: Sequence[str]) -> list[Mention]:
        """Body mentions before ``offset`` (a byline name is no antecedent for 'it')."""
        return [m for m in self.mentions if m.end <= offset and m.type in types and m.para >= 0]


def split_paragraphs(text: str, start: int = 0, end: int | None = None
                     ) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line block in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans
