"""A synthetic news corpus shaped like the real example, generated from a seed.

Each article is a short tech-policy story assembled from templates: a headline, a date line,
and a few paragraphs with an announcement, roles, a direct quote and an indirect statement.
Its facts sheet is built from the same choices, every evidence span anchored in the generated
text with ``kg.factsfile.anchor``, and written with ``kg.factsfile.dump_facts`` next to an
``article.txt``, so ``load_facts`` reads it back exactly like a hand-written file.

Organizations, people, places and topics come from shared pools (skewed so that a few recur
often), and some organizations carry names or aliases from ``kg/authority.yaml``: the same
organization in many articles gets one IRI, which is what the union graph exercises.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from kg.authority import lookup
from kg.facts import (
    Announcement,
    ArticleMeta,
    DateValue,
    Entity,
    EntityType,
    Evidence,
    FactSheet,
    Role,
    Statement,
)
from kg.factsfile import anchor, dump_facts
from kg.iris import slugify

# Names from kg/authority.yaml (some written as an alias: they map to the canonical IRI).
AUTHORITY_ORGS = ("Microsoft", "Amazon.com", "IBM", "American Civil Liberties Union",
                  "US Congress", "Microsoft Corp.", "Amazon")
OTHER_ORGS = tuple(f"{a} {b}" for a in ("Norda", "Helix", "Quanta", "Verity", "Solstice",
                                         "Ardent", "Pioneer", "Lumen", "Cobalt", "Meridian")
                   for b in ("Systems", "Labs", "Networks", "Analytics", "Robotics"))
PUBLISHERS = ("Associated Press", "Reuters", "The Washington Post", "Tech Ledger",
              "Daily Circuit")
FIRST = ("Ana", "Brad", "Chen", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jamal",
         "Kofi", "Lena", "Marta", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sanjay", "Tara")
LAST = ("Okafor", "Smith", "Tanaka", "Novak", "Haddad", "Larsen", "Moreau", "Iyer", "Costa",
        "Weber", "Kowalski", "Reyes", "Lindqvist", "Abiodun", "Park")
TITLES = ("chief executive", "president", "general counsel", "head of policy",
          "chief technology officer", "spokesperson", "senior analyst", "attorney")
PLACES = ("San Francisco", "Tokyo", "US", "London", "Berlin", "Brussels", "Seattle",
          "Bangalore", "Toronto", "Nairobi")
TOPICS = ("facial recognition", "data privacy", "antitrust", "cloud computing",
          "artificial intelligence", "content moderation", "cybersecurity", "encryption",
          "online advertising", "gig work")
ACTIONS = ("stop selling {t} tools to police", "pause new {t} contracts",
           "publish an audit of its {t} work", "fund research on {t}",
           "tighten its rules on {t}", "open its {t} code to outside review")
CLAIMS = ("the company has no plans to expand its {t} business this year",
          "the rules on {t} were written before the technology matured",
          "customers asked for clearer limits on {t}",
          "its {t} products had passed an independent review")
QUOTES = ("We cannot wait for the law to catch up with {t}, and we will not",
          "Every company that builds {t} owes the public an explanation of how it is used",
          "This is a first step, and {t} needs rules that apply to everyone",
          "The people affected by {t} deserve a say in how it is deployed")
OCCASIONS = ("a press conference", "an online event", "a conference call with analysts",
             "a hearing")
ZONES = ((timedelta(hours=5, minutes=30), "IST"), (timedelta(0), "GMT"),
         (timedelta(hours=-4), "EDT"), (timedelta(hours=9), "JST"))
DURATIONS = (("two years", "P2Y"), ("three months", "P3M"), ("six weeks", "P6W"))
_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")
QUOTE_SHARE = 0.4
"""Share of articles with a direct quote (its speaker, role and date come with it)."""
THIRD_ORG_SHARE = 0.3
DURATION_SHARE = 0.3
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    org: str


def _people(rng: random.Random, orgs: tuple[str, ...]) -> dict[str, list[Person]]:
    """Two to four named staff per organization, drawn once for the whole corpus."""
    names = [f"{f} {la}" for f in FIRST for la in LAST]
    rng.shuffle(names)
    staff: dict[str, list[Person]] = {}
    for org in orgs:
        staff[org] = [Person(names.pop(), rng.choice(TITLES), org)
                      for _ in range(rng.randint(2, 4))]
    return staff


@dataclass(frozen=True)
class Story:
    """The choices behind one article: who, what, where and when."""

    article_id: str
    publisher: str
    orgs: tuple[str, ...]
    """The lead organization first, then the one it follows, then (maybe) a third."""
    speaker: Person
    quoted: Person | None
    """The person quoted directly, when the article has a quote."""
    place: str
    topic: str
    action: str
    claim: str
    quote: str
    occasion: str
    local: datetime
    """Publication time on the publisher's clock."""
    zone: tuple[timedelta, str]
    days: tuple[date, date]
    """The day of the announcement and the day of the quote."""
    duration: str | None

    @property
    def published(self) -> str:
        return self.local.replace(tzinfo=timezone(self.zone[0])).isoformat()

    @property
    def as_written(self) -> str:
        return f"{self.local.day} {self.local:%B %Y %H:%M} {self.zone[1]}"

    @property
    def headline(self) -> str:
        lead, other = self.orgs[:2]
        return f"{lead} to {self.action} as {other} faces questions in {self.place}"


def story_text(st: Story) -> str:
    """The article: headline, date line and a few paragraphs."""
    lead, other = st.orgs[:2]
    sp, q = st.speaker, st.quoted
    paragraphs = [
        st.headline,
        f"By {st.publisher} | Updated: {st.as_written}",
        f"{lead} said it will {st.action}, following a similar move by {other}. "
        f"The debate over {st.topic} has grown in {st.place} this year.",
        f"{lead}'s {sp.title}, {sp.name}, announced the decision during {st.occasion} "
        f"on {WEEKDAYS[st.days[0].weekday()]}.",
    ]
    if q is not None:
        paragraphs.append(f"“{st.quote},” said {q.name}, {q.title} at {q.org}, "
                          f"in a statement {WEEKDAYS[st.days[1].weekday()]}.")
    paragraphs.append(f"{sp.name.split()[-1]} said that {st.claim}.")
    if st.duration:
        paragraphs.append(f"{lead} has spent {st.duration} studying {st.topic}, "
                          f"and rivals such as {other} have done the same.")
    return "\n\n".join(paragraphs) + "\n"


def span(text: str, exact: str, within: Evidence | None = None) -> Evidence:
    """The first span of ``exact`` in ``text``; the generator only asks for text it wrote."""
    ev = anchor(text, exact, within=within)
    if ev is None:
        raise AssertionError(f"generated text lacks {exact!r}")
    return ev


def _sentence_with(text: str, needle: str) -> str:
    """The first sentence (or line) of ``text`` that contains ``needle``."""
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line):
            if needle in sentence:
                return sentence
    raise AssertionError(f"generated text lacks {needle!r}")


class Corpus:
    """Deterministic generator: the same seed gives byte-identical files."""

    def __init__(self, seed: int = 20240601) -> None:
        self.rng = random.Random(seed)
        self.orgs = AUTHORITY_ORGS + OTHER_ORGS
        self.staff = _people(self.rng, self.orgs)

    def _org(self) -> str:
        # Skewed: the first organizations (the authority ones among them) recur most.
        i = min(int(self.rng.paretovariate(1.2)) - 1, len(self.orgs) - 1)
        return self.orgs[i] if self.rng.random() < 0.6 else self.rng.choice(self.orgs)

    def _distinct_orgs(self, n: int) -> tuple[str, ...]:
        """``n`` organizations that are distinct after authority linking (one IRI each)."""
        picked: dict[str, str] = {}
        while len(picked) < n:
            org = self._org()
            entry = lookup("organization", (org,))
            picked.setdefault(entry.name if entry else org, org)
        return tuple(picked.values())

    def story(self, n: int) -> Story:
        """Draw the ``n``-th article's choices (call in order: the generator is stateful)."""
        rng = self.rng
        has_quote = rng.random() < QUOTE_SHARE
        orgs = self._distinct_orgs(3 if has_quote and rng.random() < THIRD_ORG_SHARE else 2)
        topic = rng.choice(TOPICS)
        local = datetime(2019, 1, 1, 8, 0) + timedelta(days=rng.randrange(1500),
                                                       minutes=rng.randrange(600))
        return Story(
            article_id=f"synthetic-{n:04d}", publisher=rng.choice(PUBLISHERS), orgs=orgs,
            speaker=rng.choice(self.staff[orgs[0]]),
            quoted=rng.choice(self.staff[orgs[-1]]) if has_quote else None,
            place=rng.choice(PLACES), topic=topic,
            action=rng.choice(ACTIONS).format(t=topic), claim=rng.choice(CLAIMS).format(t=topic),
            quote=rng.choice(QUOTES).format(t=topic), occasion=rng.choice(OCCASIONS),
            local=local, zone=rng.choice(ZONES),
            days=(local.date() - timedelta(days=rng.randint(1, 6)),
                  local.date() - timedelta(days=rng.randint(0, 6))),
            duration=rng.choice(DURATIONS)[0] if rng.random() < DURATION_SHARE else None,
        )

    def sheet(self, n: int) -> FactSheet:
        """The ``n``-th article's facts sheet (its text is ``sheet.article.text``)."""
        return build_sheet(self.story(n), self.rng)


def build_sheet(st: Story, rng: random.Random) -> FactSheet:
    """The facts of ``st``, each anchored in the generated text."""
    text = story_text(st)
    ids = {name: slugify(name) for name in (st.publisher, *st.orgs, st.speaker.name,
                                            st.place, st.topic)}
    people = (st.speaker,) if st.quoted is None else (st.speaker, st.quoted)
    ids.update({p.name: slugify(p.name) for p in people})
    lead = st.orgs[0]
    meta = ArticleMeta(
        id=st.article_id, text=text, headline=st.headline, published=st.published,
        published_as_written=st.as_written, language="en", publisher=ids[st.publisher],
        authors=(ids[st.publisher],), source_organization=ids[st.publisher],
        evidence=(span(text, st.headline),),
    )
    return FactSheet(
        article=meta,
        entities=_entities(st, text, rng),
        roles=tuple(_role(text, ids, p) for p in people),
        dates=_dates(st, text),
        announcements=(Announcement(
            id="announcement-1", agents=(ids[lead],), what=f"{lead} will {st.action}",
            evidence=span(text, f"{lead} said it will {st.action}"),
            spokesperson=ids[st.speaker.name], date="date-1", occasion=st.occasion),),
        statements=_statements(st, text, ids),
        extracted_by="bench/synth.py",
    )


def _entities(st: Story, text: str, rng: random.Random) -> tuple[Entity, ...]:
    kinds: list[tuple[EntityType, str]] = [("organization", st.publisher)]
    kinds += [("organization", o) for o in st.orgs]
    kinds += [("person", p.name) for p in (st.speaker, st.quoted) if p is not None]
    kinds += [("place", st.place), ("topic", st.topic)]
    return tuple(Entity(
        id=slugify(name), type=kind, name=name, evidence=span(text, _sentence_with(text, name)),
        located_in=slugify(st.place) if kind == "organization" and rng.random() < 0.3 else None,
    ) for kind, name in kinds)


def _role(text: str, ids: dict[str, str], p: Person) -> Role:
    said = f"{p.name}, {p.title} at {p.org}"
    exact = said if said in text else f"{p.org}'s {p.title}, {p.name}"
    return Role(id=f"role-{ids[p.name]}", person=ids[p.name], organization=ids[p.org],
                title=p.title, evidence=span(text, exact))


def _dates(st: Story, text: str) -> tuple[DateValue, ...]:
    pub = st.published
    out = [DateValue(id="published", text=st.as_written, value=pub, precision="minute",
                     resolved_against=pub, evidence=span(text, f"Updated: {st.as_written}"))]
    leads = ("on ", "in a statement ") if st.quoted else ("on ",)
    for i, lead in enumerate(leads):
        name = WEEKDAYS[st.days[i].weekday()]
        out.append(DateValue(id=f"date-{i + 1}", text=name, value=st.days[i].isoformat(),
                             precision="day", resolved_against=pub,
                             evidence=span(text, f"{lead}{name}")))
    if st.duration is not None:
        out.append(DateValue(id="duration", text=st.duration, value=dict(DURATIONS)[st.duration],
                             precision="duration", resolved_against=pub,
                             evidence=span(text, f"has spent {st.duration}")))
    return tuple(out)


def _statements(st: Story, text: str, ids: dict[str, str]) -> tuple[Statement, ...]:
    sp = st.speaker
    indirect = f"{sp.name.split()[-1]} said that {st.claim}"
    out = [Statement(id="statement-1", speaker=ids[sp.name], kind="indirect",
                     text=st.claim[0].upper() + st.claim[1:] + ".",
                     evidence=span(text, indirect), about=(ids[st.topic],))]
    if st.quoted is not None:
        q = st.quoted
        evidence = span(text, _sentence_with(text, f"“{st.quote}"))
        out.append(Statement(
            id="quote-1", speaker=ids[q.name], kind="direct", text=st.quote + ",",
            evidence=evidence, quote_spans=(span(text, st.quote + ",", evidence),),
            date="date-2", occasion="a statement", about=(ids[q.org], ids[st.topic])))
    return tuple(out)


def write_corpus(root: Path, articles: int, seed: int = 20240601) -> list[Path]:
    """Write ``articles`` directories (``article.txt`` + ``facts.yaml``) under ``root``."""
    corpus = Corpus(seed)
    paths = []
    for n in range(articles):
        sheet = corpus.sheet(n)
        folder = root / sheet.article.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "article.txt").write_text(sheet.article.text, encoding="utf-8")
        facts = folder / "facts.yaml"
        facts.write_text(dump_facts(sheet, text_file="article.txt"), encoding="utf-8")
        paths.append(facts)
    return paths
