"""Scoring extracted facts against gold facts: precision, recall and F1 per fact kind.

Matching is one-to-one within each kind, on what the fact says, not on ids:

- organizations, people: a name or alias in common (case, "the", punctuation ignored);
- roles: same person, same organization, and titles that share most of their words;
- quotes (direct statements): the same words (whitespace and quote marks normalised) and the
  same speaker;
- announcements: an agent in common and the same date value (or both undated);
- dates: the same text as written, value and precision.

Also counted: facts whose evidence is not verbatim at its offsets in the article (must be 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from kg.authority import normalize_name
from kg.facts import Evidence, FactSheet

KINDS = ("organizations", "people", "roles", "quotes", "announcements", "dates")
T = TypeVar("T")


@dataclass
class KindScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: KindScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses += other.misses


@dataclass
class ArticleScore:
    article: str
    kinds: dict[str, KindScore]
    unsupported: int


def _name_key(name: str) -> str:
    """'Apple Inc.' and 'Apple' name one company."""
    return re.sub(r"\s+(inc|corp|corporation|co|ltd|llc|plc|sa|ag)$", "", normalize_name(name))


def _names(sheet: FactSheet, entity_id: str) -> set[str]:
    try:
        e = sheet.entity(entity_id)
    except KeyError:
        return {_name_key(entity_id)}
    return {_name_key(n) for n in (e.name, *e.aliases)}


def _norm_text(text: str) -> str:
    text = re.sub(r"[“”\"„«»]", "", text)
    text = text.replace("’", "'").replace("´", "'")
    return re.sub(r"\s+", " ", text).strip(" ,.").casefold()


def _date_text(text: str) -> str:
    """'on Wednesday' and 'Wednesday' are one expression: a leading preposition is no part."""
    return re.sub(r"^(?:on|in|at|by|during|since|from)\s+", "", _norm_text(text))


def _match(gold: Sequence[T], pred: Sequence[T], same: Callable[[T, T], bool],
           show: Callable[[T], str]) -> KindScore:
    score = KindScore()
    left = list(pred)
    for g in gold:
        hit = next((p for p in left if same(g, p)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(f"missed: {show(g)}")
        else:
            score.tp += 1
            left.remove(hit)
    score.fp = len(left)
    score.misses += [f"extra:  {show(p)}" for p in left]
    return score


def _verbatim(text: str, ev: Evidence) -> bool:
    return text[ev.start:ev.end] == ev.exact


def unsupported(sheet: FactSheet) -> int:
    text = sheet.article.text
    spans: list[Evidence] = [e.evidence for e in sheet.entities]
    spans += [r.evidence for r in sheet.roles] + [d.evidence for d in sheet.dates]
    spans += [a.evidence for a in sheet.announcements]
    for s in sheet.statements:
        spans += [s.evidence, *s.quote_spans]
    return sum(not _verbatim(text, ev) for ev in spans)


def score(gold: FactSheet, pred: FactSheet) -> ArticleScore:
    kinds: dict[str, KindScore] = {}

    def ents(sheet: FactSheet, kind: str) -> list[tuple[FactSheet, str]]:
        return [(sheet, e.id) for e in sheet.entities if e.type == kind]

    def same_entity(g: tuple[FactSheet, str], p: tuple[FactSheet, str]) -> bool:
        return bool(_names(*g) & _names(*p))

    def show_entity(x: tuple[FactSheet, str]) -> str:
        return x[0].entity(x[1]).name

    kinds["organizations"] = _match(ents(gold, "organization"), ents(pred, "organization"),
                                    same_entity, show_entity)
    kinds["people"] = _match(ents(gold, "person"), ents(pred, "person"), same_entity,
                             show_entity)

    def title_words(t: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", t.lower()) if w not in ("of", "the", "and",
                                                                           "a", "an")}

    kinds["roles"] = _match(
        gold.roles, pred.roles,
        lambda g, p: bool(_names(gold, g.person) & _names(pred, p.person))
        and bool(_names(gold, g.organization) & _names(pred, p.organization))
        and len(title_words(g.title) & title_words(p.title))
        >= 0.5 * max(1, min(len(title_words(g.title)), len(title_words(p.title)))),
        lambda r: f"{r.person} — {r.title} — {r.organization}")

    kinds["quotes"] = _match(
        [s for s in gold.statements if s.kind == "direct"],
        [s for s in pred.statements if s.kind == "direct"],
        lambda g, p: _norm_text(g.text) == _norm_text(p.text)
        and bool(_names(gold, g.speaker) & _names(pred, p.speaker)),
        lambda s: f"{s.speaker}: “{s.text[:90]}”")

    def date_value(sheet: FactSheet, ref: str | None) -> str | None:
        return sheet.date(ref).value if ref else None

    def announced_on(sheet: FactSheet, ref: str | None) -> str | None:
        # An announcement is dated by its day: "Thursday" and a date line's minute agree.
        value = date_value(sheet, ref)
        return value[:10] if value and re.match(r"\d{4}-\d{2}-\d{2}T", value) else value

    def any_date(ref: str | None) -> str:
        for sheet in (gold, pred):
            try:
                return str(date_value(sheet, ref) or "undated")
            except KeyError:
                continue
        return "undated"

    kinds["announcements"] = _match(
        gold.announcements, pred.announcements,
        lambda g, p: any(_names(gold, a) & _names(pred, b) for a in g.agents for b in p.agents)
        and announced_on(gold, g.date) == announced_on(pred, p.date),
        lambda a: f"{'/'.join(a.agents)} ({any_date(a.date)}): {a.what[:80]}")

    kinds["dates"] = _match(
        gold.dates, pred.dates,
        lambda g, p: _date_text(g.text) == _date_text(p.text) and g.value == p.value
        and g.precision == p.precision,
        lambda d: f"{d.text!r} = {d.value} ({d.precision})")
    return ArticleScore(gold.article.id, kinds, unsupported(pred))


def total(scores: Sequence[ArticleScore]) -> dict[str, KindScore]:
    out = {k: KindScore() for k in KINDS}
    for s in scores:
        for k in KINDS:
            out[k].add(s.kinds[k])
    return out


def format_table(scores: Sequence[ArticleScore]) -> str:
    tot = total(scores)
    lines = [f"{'kind':<15}{'gold':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}"]
    for k in KINDS:
        s = tot[k]
        lines.append(f"{k:<15}{s.tp + s.fn:>6}{s.tp + s.fp:>7}{s.precision:>8.3f}"
                     f"{s.recall:>8.3f}{s.f1:>8.3f}")
    lines.append(f"{'unsupported':<15}{sum(s.unsupported for s in scores):>6}")
    return "\n".join(lines)


def format_misses(scores: Sequence[ArticleScore]) -> str:
    out: list[str] = []
    for s in scores:
        out.append(f"# {s.article}")
        for k in KINDS:
            for miss in s.kinds[k].misses:
                out.append(f"  [{k}] {miss}")
        out.append("")
    return "\n".join(out)
