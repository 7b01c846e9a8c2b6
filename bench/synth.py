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
from kg.authority import lookup
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


class _Draft:
    """The text of one article, paragraph by paragraph, and the facts about it."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        self.paragraphs: list[str] = []
        self.entities: dict[str, tuple[EntityType, str]] = {}

    def entity(self, kind: EntityType, name: str) -> str:
        eid = slugify(name)
        self.entities.setdefault(eid, (kind, name))
        return eid

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"


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

    def _distinct_orgs(self, n: int) -> list[str]:
        """``n`` organizations that are distinct after authority linking (one IRI each)."""
        picked: dict[str, str] = {}
        while len(picked) < n:
            org = self._org()
            entry = lookup("organization", (org,))
            picked.setdefault(entry.name if entry else org, org)
        return list(picked.values())

    def sheet(self, n: int) -> FactSheet:
        """The ``n``-th article's facts sheet (its text is ``sheet.article.text``)."""
        rng = self.rng
        d = _Draft(f"synthetic-{n:04d}")
        orgs = self._distinct_orgs(rng.randint(2, 3))
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        publisher = rng.choice(PUBLISHERS)
        local = datetime(2019, 1, 1, 8, 0) + timedelta(days=rng.randrange(1500),
                                                       minutes=rng.randrange(600))
        offset, zone = rng.choice(ZONES)
        published = local.replace(tzinfo=timezone(offset))
        as_written = f"{local.day} {local:%B %Y %H:%M} {zone}"
        lead, speaker = orgs[0], rng.choice(self.staff[orgs[0]])
        quoted = rng.choice(self.staff[orgs[-1]])
        action = rng.choice(ACTIONS).format(t=topic)
        day1 = local.date() - timedelta(days=rng.randint(1, 6))
        day2 = local.date() - timedelta(days=rng.randint(0, 6))
        quote = rng.choice(QUOTES).format(t=topic)
        claim = rng.choice(CLAIMS).format(t=topic)
        occasion = rng.choice(OCCASIONS)
        headline = f"{lead} to {action} as {orgs[1]} faces questions in {place}"
        d.paragraphs += [
            headline,
            f"By {publisher} | Updated: {as_written}",
            f"{lead} said it will {action}, following a similar move by {orgs[1]}. "
            f"The debate over {topic} has grown in {place} this year.",
            f"{lead}'s {speaker.title}, {speaker.name}, announced the decision during "
            f"{occasion} on {WEEKDAYS[day1.weekday()]}.",
            f"“{quote},” said {quoted.name}, {quoted.title} at {quoted.org}, "
            f"in a statement {WEEKDAYS[day2.weekday()]}.",
            f"{speaker.name.split()[-1]} said that {claim}.",
        ]
        extra = self._extra_paragraph(d, orgs, topic)
        text = d.text
        ids = {name: d.entity(kind, name) for kind, name in (
            ("organization", publisher), *(("organization", o) for o in orgs),
            ("person", speaker.name), ("person", quoted.name), ("place", place),
            ("topic", topic))}
        dates = self._dates(text, published, as_written, (day1, day2), extra)
        meta = ArticleMeta(
            id=d.article_id, text=text, headline=headline, published=published.isoformat(),
            published_as_written=as_written, language="en", publisher=ids[publisher],
            authors=(ids[publisher],), source_organization=ids[publisher],
            evidence=(span(text, headline), span(text, f"By {publisher} | Updated: ")),
        )
        return FactSheet(
            article=meta,
            entities=self._entities(d, text, ids[place]),
            roles=self._roles(text, ids, (speaker, quoted)),
            dates=dates,
            announcements=(Announcement(
                id="announcement-1", agents=(ids[lead],), what=f"{lead} will {action}",
                evidence=span(text, f"{lead} said it will {action}"),
                spokesperson=ids[speaker.name], date="date-1", occasion=occasion),),
            statements=self._statements(text, ids, quoted, speaker, quote, claim, topic),
            extracted_by="bench/synth.py",
        )

    def _extra_paragraph(self, d: _Draft, orgs: list[str], topic: str) -> str | None:
        """Half the articles get a background paragraph with a duration."""
        if self.rng.random() < 0.5:
            return None
        words, _ = self.rng.choice(DURATIONS)
        d.paragraphs.append(f"{orgs[0]} has spent {words} studying {topic}, "
                            f"and rivals such as {orgs[1]} have done the same.")
        return words

    def _entities(self, d: _Draft, text: str, place_id: str) -> tuple[Entity, ...]:
        out = []
        for eid, (kind, name) in d.entities.items():
            out.append(Entity(
                id=eid, type=kind, name=name, evidence=span(text, _sentence_with(text, name)),
                located_in=place_id if kind == "organization" and self.rng.random() < 0.3
                else None,
            ))
        return tuple(out)

    @staticmethod
    def _roles(text: str, ids: dict[str, str], people: tuple[Person, Person]
               ) -> tuple[Role, ...]:
        roles: dict[str, Role] = {}
        for p in people:
            said = f"{p.name}, {p.title} at {p.org}"
            exact = said if said in text else f"{p.org}'s {p.title}, {p.name}"
            roles.setdefault(p.name, Role(
                id=f"role-{ids[p.name]}", person=ids[p.name], organization=ids[p.org],
                title=p.title, evidence=span(text, exact)))
        return tuple(roles.values())

    @staticmethod
    def _dates(text: str, published: datetime, as_written: str, days: tuple[date, date],
               duration: str | None) -> tuple[DateValue, ...]:
        pub = published.isoformat()
        out = [DateValue(id="published", text=as_written, value=pub, precision="minute",
                         resolved_against=pub, evidence=span(text, f"Updated: {as_written}"))]
        for i, (day, lead) in enumerate(zip(days, ("on ", "in a statement "), strict=True)):
            name = WEEKDAYS[day.weekday()]
            out.append(DateValue(id=f"date-{i + 1}", text=name, value=day.isoformat(),
                                 precision="day", resolved_against=pub,
                                 evidence=span(text, f"{lead}{name}")))
        if duration is not None:
            value = dict(DURATIONS)[duration]
            out.append(DateValue(id="duration", text=duration, value=value,
                                 precision="duration", resolved_against=pub,
                                 evidence=span(text, f"has spent {duration}")))
        return tuple(out)

    @staticmethod
    def _statements(text: str, ids: dict[str, str], quoted: Person, speaker: Person,
                    quote: str, claim: str, topic: str) -> tuple[Statement, ...]:
        evidence = span(text, _sentence_with(text, f"“{quote}"))
        indirect = f"{speaker.name.split()[-1]} said that {claim}"
        return (
            Statement(id="quote-1", speaker=ids[quoted.name], kind="direct", text=quote + ",",
                      evidence=evidence, quote_spans=(span(text, quote + ",", evidence),),
                      date="date-2", occasion="a statement",
                      about=(ids[quoted.org], ids[topic])),
            Statement(id="statement-1", speaker=ids[speaker.name], kind="indirect",
                      text=claim[0].upper() + claim[1:] + ".", evidence=span(text, indirect),
                      about=(ids[topic],)),
        )


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
