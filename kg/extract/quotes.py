"""Statements: direct quotes with their speaker, and indirect statements (ontology:
nkg:Statement, shape nkgsh:StatementShape).

Quote marks come curly, straight and mixed in one quote; a quote split around its cue
("…," Smith said. "…") is one statement with two segments; a paragraph that opens a quote and
does not close it continues in the next paragraph. The speaker is the subject of the cue verb
outside the quote ("Smith said", "said Matt Cagle, …"), the person after "in the words of",
"according to" or "may be attributed to", the subject of a paragraph ending "…, saying:", or —
for a quote with no cue right after a quote — the previous speaker (marked implicit).
Pronouns and surnames resolve to the person; "a letter from X said" resolves to X. Quotes with
no speaker (scare quotes, titles) are not statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract.analysis import Analysis, Mention, Paragraph

SPEECH_VERBS = {"say", "tell", "write", "add", "state", "note", "argue", "claim", "explain",
                "ask", "tweet", "warn", "insist", "continue", "comment", "declare", "announce",
                "respond", "reply", "testify", "acknowledge", "admit", "contend", "conclude",
                "recall", "suggest", "emphasize", "stress", "post", "caution", "predict",
                "urge", "complain", "maintain", "observe"}
INDIRECT_VERBS = {"say", "tell", "argue", "claim", "state", "note", "warn", "insist", "explain",
                  "write", "add", "contend", "acknowledge", "admit", "suggest", "maintain"}
OPENERS = "“„«"
CLOSERS = "”»"
PERSON_PRONOUNS = {"he", "she", "him", "her"}
ORG_PRONOUNS = {"it", "they"}
ORG_NOUNS = {"company", "agency", "firm", "commission", "group", "organization", "department",
             "government", "court", "regulator", "spokesperson", "spokesman", "spokeswoman",
             "statement", "letter", "report", "ministry", "office", "union"}


@dataclass
class Segment:
    para: int
    start: int  # inner text start (after the opening mark)
    end: int  # inner text end (before the closing mark)
    open_mark: int | None
    close_mark: int | None


@dataclass
class QuoteDraft:
    segments: list[Segment]
    speaker: str | None = None
    implicit: bool = False
    cue_start: int | None = None
    cue_end: int | None = None
    occasion: str | None = None
    confidence: float = 0.9
    dates: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class IndirectDraft:
    speaker: str
    text: str
    start: int
    end: int
    verb: tuple[int, int]


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(position, 'open'|'close') of each double quote mark in text[start:end]."""
    out: list[tuple[int, str]] = []
    for i in range(start, end):
        c = text[i]
        if c in OPENERS:
            out.append((i, "open"))
        elif c in CLOSERS:
            out.append((i, "close"))
        elif c == '"':
            prev = text[i - 1] if i > start else " "
            nxt = text[i + 1] if i + 1 < end else " "
            if prev.isspace() or prev in "([{—–-/:" or i == start:
                out.append((i, "open"))
            elif nxt.isspace() or nxt in ".,;:!?)]}—–-" or i + 1 == end:
                out.append((i, "close"))
            else:
                out.append((i, "close" if prev.isalnum() or prev in ".,!?" else "open"))
    return out


def find_segments(a: Analysis) -> list[Segment]:
    segments: list[Segment] = []
    carry = False  # the previous paragraph ended inside a quote
    text = a.text
    for p in a.paragraphs:
        marks = _marks(text, p.start, p.end)
        open_at: int | None = p.start if carry else None
        open_mark: int | None = None
        continued = carry
        for pos, kind in marks:
            if kind == "open":
                if open_at is not None and continued and pos == p.start:
                    # A continuation paragraph that repeats the opening mark (press-release style).
                    open_at, open_mark, continued = pos + 1, pos, False
                    continue
                if open_at is not None and not continued:
                    continue  # a stray opener inside an open quote: keep the quote open
                open_at, open_mark, continued = pos + 1, pos, False
            else:
                if open_at is None:
                    continue  # a closer with no opener (apostrophe-like): ignore
                segments.append(Segment(p.index, open_at, pos, open_mark, pos))
                open_at, open_mark, continued = None, None, False
        if open_at is not None:
            # Unclosed at the paragraph's end: the quote goes on in the next paragraph.
            segments.append(Segment(p.index, open_at, p.end, open_mark, None))
            carry = True
        else:
            carry = False
    return [s for s in segments if a.text[s.start:s.end].strip()]


def _group(a: Analysis, segments: list[Segment]) -> list[list[Segment]]:
    groups: list[list[Segment]] = []
    for seg in segments:
        if groups:
            last = groups[-1][-1]
            between = a.text[last.end + 1:seg.open_mark if seg.open_mark is not None
                             else seg.start]
            same_para_cue = (last.para == seg.para and len(between) < 80
                             and re.search(r"\b(said|says|added|wrote|asked|continued|"
                                           r"told|tweeted|stated|noted)\b", between))
            continued = last.close_mark is None and seg.para == last.para + 1
            if same_para_cue or continued:
                groups[-1].append(seg)
                continue
        groups.append([seg])
    return groups


def _inside(pos: int, segments: list[Segment]) -> bool:
    return any((s.open_mark if s.open_mark is not None else s.start) <= pos
               <= (s.close_mark if s.close_mark is not None else s.end) for s in segments)


class Resolver:
    """Mentions → entity ids, with pronouns and nominals resolved to the latest fit."""

    def __init__(self, a: Analysis, entity_of: dict[tuple[int, int], str],
                 types: dict[str, str]) -> None:
        self.a = a
        self.entity_of = entity_of
        self.types = types

    def entity_in(self, start: int, end: int, prefer: tuple[str, ...] = ("person",
                                                                       "organization")
                  ) -> str | None:
        found = self.a.mentions_in(start, end, prefer)
        for kind in prefer:
            for m in found:
                if m.type == kind:
                    return self.entity_of.get((m.start, m.end))
        return None

    def first_after(self, offset: int, kind: str, within: int) -> str | None:
        ms = [m for m in self.a.mentions if offset <= m.start < offset + within
              and m.type == kind and m.para >= 0]
        return self.entity_of.get((ms[0].start, ms[0].end)) if ms else None

    def last_before(self, offset: int, kind: str) -> str | None:
        ms = self.a.mentions_before(offset, (kind,))
        return self.entity_of.get((ms[-1].start, ms[-1].end)) if ms else None

    def subject(self, p: Paragraph, verb: Token) -> str | None:
        """The entity the subject of ``verb`` names (subtree of nsubj, or 'from X' inside it)."""
        # The subject nearest the verb: a quote attached to the verb may bring its own.
        subj = min((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")),
                   key=lambda c: abs(c.i - verb.i), default=None)
        if subj is None and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            return self.subject(p, verb.head)
        if subj is None:
            return None
        start, end = p.abs(subj.doc[subj.left_edge.i:subj.right_edge.i + 1])
        # Only the subject phrase before any comma-apposition of its own quote.
        hit = self.entity_in(start, end)
        if hit:
            return hit
        word = subj.text.lower()
        s_abs = p.abs(subj)[0]
        if word in PERSON_PRONOUNS:
            return self.last_before(s_abs, "person")
        if word in ORG_PRONOUNS or subj.lemma_.lower() in ORG_NOUNS:
            return self.last_before(s_abs, "organization")
        return None


def _verb_tokens(p: Paragraph, segs: list[Segment], verbs: set[str]) -> list[Token]:
    out = []
    for t in p.doc:
        pos = p.start + t.idx
        if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX") and not _inside(pos, segs):
            out.append(t)
    return out


def _by_phrase(a: Analysis, r: Resolver, start: int, end: int) -> str | None:
    frame = a.text[start:end]
    for pattern in (r"in the words of\s+", r"according to\s+", r"attributed to\s+",
                    r"quoted\s+", r"from\s+"):
        m = re.search(pattern, frame, re.IGNORECASE)
        if m:
            hit = r.entity_in(start + m.end(), end)
            if hit:
                return hit
    return None


def attribute(a: Analysis, r: Resolver, group: list[Segment], previous: QuoteDraft | None
              ) -> QuoteDraft:
    draft = QuoteDraft(segments=group)
    first, last = group[0], group[-1]
    # Paragraphs the quote's frame can be in: where it opens and where it closes.
    for para_index in dict.fromkeys((first.para, last.para)):
        p = a.paragraphs[para_index]
        segs = [s for s in group if s.para == para_index]
        verbs = _verb_tokens(p, segs, SPEECH_VERBS)
        # Nearest speech verb to the quote marks first.
        anchor = segs[0].open_mark if segs[0].open_mark is not None else segs[0].start
        verbs.sort(key=lambda t: abs(p.start + t.idx - anchor))
        for verb in verbs:
            who = r.subject(p, verb)
            if who:
                draft.speaker = who
                draft.cue_start, draft.cue_end = p.abs(verb)
                return draft
        # "In the words of X, “…”", "…,” according to X."
        before_end = segs[0].open_mark if segs[0].open_mark is not None else segs[0].start
        after_start = (segs[-1].close_mark + 1) if segs[-1].close_mark is not None else p.end
        who = _by_phrase(a, r, p.start, before_end) or _by_phrase(a, r, after_start, p.end)
        if who:
            draft.speaker, draft.confidence = who, 0.8
            return draft
    # A quote paragraph introduced by the paragraph before it ending in a colon.
    if first.para > 0 and (first.open_mark == a.paragraphs[first.para].start
                           or first.start == a.paragraphs[first.para].start):
        prev = a.paragraphs[first.para - 1]
        if a.text[prev.start:prev.end].rstrip().endswith(":"):
            who = _by_phrase(a, r, prev.start, prev.end)
            if who is None:
                for verb in _verb_tokens(prev, [], SPEECH_VERBS | {"applaud", "commend"}):
                    who = r.subject(prev, verb)
                    if who:
                        break
                else:
                    who = r.entity_in(prev.start, prev.end)
            if who:
                draft.speaker, draft.confidence = who, 0.8
                draft.cue_start, draft.cue_end = prev.start, prev.end
                return draft
    # A quote paragraph right after another speaker's quote: the same speaker, implicitly.
    if previous is not None and previous.speaker and first.para == (
            previous.segments[-1].para + 1) and _whole_paragraph(a, group):
        draft.speaker, draft.implicit, draft.confidence = previous.speaker, True, 0.6
    return draft


def _whole_paragraph(a: Analysis, group: list[Segment]) -> bool:
    p = a.paragraphs[group[0].para]
    inner = sum(s.end - s.start for s in group if s.para == p.index)
    return inner >= 0.8 * (p.end - p.start)


def _has_verb(a: Analysis, seg: Segment) -> bool:
    p = a.paragraphs[seg.para]
    return any(t.pos_ in ("VERB", "AUX") for t in p.doc
               if seg.start <= p.start + t.idx < seg.end)


def is_statement(a: Analysis, d: QuoteDraft) -> bool:
    """Scare quotes and names ('world's first robot lawyer') are not statements: a quote says
    something — it has a verb — or is long."""
    if d.speaker is None:
        return False
    words = sum(len(a.text[s.start:s.end].split()) for s in d.segments)
    return words >= 12 or (words >= 3 and any(_has_verb(a, s) for s in d.segments))


def find_quotes(a: Analysis, r: Resolver) -> list[QuoteDraft]:
    out: list[QuoteDraft] = []
    previous: QuoteDraft | None = None
    for group in _group(a, find_segments(a)):
        draft = attribute(a, r, group, previous)
        if is_statement(a, draft):
            out.append(draft)
            previous = draft
        else:
            previous = None
    return out


def find_indirect(a: Analysis, r: Resolver, quotes: list[QuoteDraft]) -> list[IndirectDraft]:
    """"X said (that) …" with no quote marks in the sentence."""
    quoted = [s for q in quotes for s in q.segments]
    out: list[IndirectDraft] = []
    for p, sent in a.sentences():
        s_abs, e_abs = p.abs(sent)
        if re.search(r"[“”\"]", a.text[s_abs:e_abs]) or any(
                s_abs <= q.start < e_abs for q in quoted):
            continue
        for t in sent:
            if t.lemma_.lower() not in INDIRECT_VERBS or t.pos_ != "VERB":
                continue
            comp = next((c for c in t.children if c.dep_ == "ccomp"), None)
            if comp is None:
                continue
            who = r.subject(p, t)
            if who is None:
                continue
            clause: Span = sent.doc[comp.left_edge.i:comp.right_edge.i + 1]
            c_start, c_end = p.abs(clause)
            content = a.text[c_start:c_end]
            content = re.sub(r"^that\s+", "", content)
            if len(content.split()) < 4:
                continue
            out.append(IndirectDraft(who, content.rstrip(" ,;") + ("" if content.endswith(".")
                                                                   else "."),
                                     s_abs, e_abs, p.abs(t)))
            break
    return out


def mention_key(m: Mention) -> tuple[int, int]:
    return (m.start, m.end)
