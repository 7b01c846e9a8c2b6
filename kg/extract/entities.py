"""Entities: organizations, people, places (ontology: nkg:Organization / nkg:Person /
nkg:Place; shapes nkgsh:OrganizationShape, PersonShape, PlaceShape).

spaCy's NER finds the mentions; rules then clean them ("the", possessives), add the authority
file's names the model missed, correct types from context ("the European companies Idemia and
Gemalto" are organizations), drop page chrome ("Photo Credit"), and merge the mentions of one
entity: a surname with the full name ("Smith" → "Brad Smith"), an acronym with the name it
abbreviates, an alias of the authority file with its name ("Congress" ↔ "US Congress").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.authority import lookup, normalize_name
from kg.extract.analysis import ENTITY_LABELS, Analysis, Mention
from kg.extract.dates import ZONES

ZONE_NAMES = set(ZONES)

BOILERPLATE = {"photo credit", "advertisement", "getty images", "reuters photo", "file photo",
               "ap photo", "afp photo", "print story", "latest news", "related stories",
               "e-paper", "app store", "google play", "homescreen", "home screen"}
# Words that make a NER "PERSON"/"ORG" mention an organization in context.
ORG_CUES = re.compile(r"\b(companies|company|firms?|startups?|groups?|agency|agencies|"
                      r"makers?|retailers?|giants?|carriers?|banks?)\s+$", re.IGNORECASE)
PLACE_WORDS = {"us", "u.s.", "usa", "uk", "u.k."}
# Well-known organizations of the tech-policy beat that the small NER model often misses or
# mistypes. Names only: a Wikidata link comes from the authority file, never from here.
KNOWN_ORGS = (
    "Facebook", "Google", "Alphabet", "Apple", "Twitter", "Spotify", "Netflix", "Tesla", "Uber",
    "TikTok", "ByteDance", "Huawei", "Samsung", "Intel", "Nvidia", "OpenAI", "Oracle",
    "Qualcomm", "Instagram", "WhatsApp", "YouTube", "LinkedIn", "Snapchat", "Palantir",
    "Clearview AI", "Anthropic", "Federal Trade Commission", "FTC",
    "Federal Communications Commission", "FCC", "Justice Department", "Department of Justice",
    "European Commission", "European Union", "EU", "Securities and Exchange Commission", "SEC",
    "Supreme Court", "White House", "FBI", "Senate", "House of Representatives",
    "Competition and Markets Authority",
)
KNOWN_ORG_SET = frozenset(KNOWN_ORGS)
NOT_ORG_START = ("Operation ", "Title ", "Section ", "Article ", "Statement of ")
GENERIC_ORG_WORDS = {"app", "store", "internet", "web", "online", "government", "state",
                     "court", "police", "company", "commission"}
ROLE_TITLE_ENDINGS = {"judge", "magistrate", "commissioner", "chairman", "chair", "senator",
                      "president", "ceo", "director", "secretary", "minister", "spokesperson",
                      "spokesman", "attorney"}
TITLE_PREFIX = re.compile(
    r"^(?:(?:U\.S\.|US|Federal|Police|Senior|Deputy|Vice|Chief|Executive|Former|Acting)\s+)*"
    r"(?:President|Chairman|Chairwoman|Chair|Commissioner|Commissioners|Judge|Magistrate|"
    r"Senator|Sen\.|Rep\.|Representative|Governor|Gov\.|Mayor|Secretary|Minister|CEO|Director|"
    r"Dr\.|Mr\.|Ms\.|Mrs\.|Justice|Attorney General|General|Prime Minister|Chancellor)\s+")


@dataclass
class EntityDraft:
    id: str
    type: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None

    @property
    def first(self) -> Mention:
        return min(self.mentions, key=lambda m: m.start)


def clean_mention(text: str) -> tuple[str, int, int]:
    """The mention without a leading 'the', a possessive or trailing punctuation:
    (clean text, chars cut at the start, chars cut at the end)."""
    lead = 0
    m = re.match(r"(?:[^\w“\"(]+\s*)?(?:(?:the|The)\s+)?", text)
    if m:
        lead = m.end()
    body = text[lead:]
    tail = len(body)
    # A final "." stays: spaCy ends a mention with one only for "Inc." or "U.S.".
    m2 = re.search(r"(?:['’´]s|['’´])?[\s,;:]*$", body)
    if m2:
        tail = m2.start()
    body = body[:tail]
    return body, lead, len(text) - lead - tail


def _raw_mentions(a: Analysis) -> list[Mention]:
    out: list[Mention] = []
    for p in a.paragraphs:
        for ent in p.doc.ents:
            kind = ENTITY_LABELS.get(ent.label_)
            if kind is None:
                continue
            s, e = p.abs(ent)
            name, lead, tail = clean_mention(a.text[s:e])
            s, e = s + lead, e - tail
            if not name or not any(c.isupper() for c in name) or len(name) < 2:
                continue
            if kind == "person":
                title = TITLE_PREFIX.match(name)
                if title and title.end() < len(name):
                    s += title.end()
                    name = name[title.end():]
            if name.lower() in BOILERPLATE or any(b in name.lower() for b in BOILERPLATE):
                continue
            if name.upper() in ZONE_NAMES:
                continue
            before = a.text[max(p.start, s - 40):s]
            if kind == "person" and ORG_CUES.search(before.replace(" and ", " ")):
                kind = "organization"
            if kind == "person" and re.search(r"\b(companies|company)\s+\S+\s+and\s+$", before):
                kind = "organization"
            if kind == "organization" and name.lower() in PLACE_WORDS:
                kind = "place"
            if name in KNOWN_ORG_SET:
                kind = "organization"
            out.append(Mention(s, e, name, kind, p.index))
    return out


def _gazetteer_mentions(a: Analysis, known: Iterable[Mention]) -> list[Mention]:
    """Authority-file names the model did not tag (e.g. 'Congress' as a plain noun)."""
    from kg.authority import authority

    taken = [(m.start, m.end) for m in known]
    out: list[Mention] = []
    names = sorted({(entry.type, label) for (_, _), entry in authority().items()
                    for label in (entry.name, *entry.aliases) if len(label) > 2}
                   | {("organization", n) for n in KNOWN_ORGS},
                   key=lambda t: -len(t[1]))
    for p in a.paragraphs:
        for kind, label in names:
            if kind not in ("organization", "place"):
                continue
            for m in re.finditer(rf"(?<![\w-]){re.escape(label)}(?![\w-])", p.doc.text):
                s, e = p.start + m.start(), p.start + m.end()
                if any(ts < e and s < te for ts, te in taken):
                    continue
                taken.append((s, e))
                out.append(Mention(s, e, label, kind, p.index))
    return out


def _one_type_per_name(mentions: list[Mention]) -> list[Mention]:
    """The model may call 'Spotify' a place once and an organization once: one name, one
    type — the most frequent, an organization on a tie."""
    from collections import Counter

    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        votes.setdefault(m.text, Counter())[m.type] += 1
    best = {name: max(c.items(), key=lambda kv: (kv[1], kv[0] == "organization"))[0]
            for name, c in votes.items()}
    return [m if best[m.text] == m.type else Mention(m.start, m.end, m.text, best[m.text],
                                                      m.para) for m in mentions]


def _administrations(text: str, mentions: list[Mention]) -> list[Mention]:
    """'the Obama administration': an organization, not the person."""
    out: list[Mention] = []
    for m in mentions:
        tail = re.match(r"\s+(administration|government|campaign)\b", text[m.end:])
        if m.type == "place":
            # "the US government", "New York City Police": the place's institution.
            tail = re.match(r"\s+(government|Police(?:\s+Department)?|City\s+Council|"
                            r"Fire\s+Department)\b", text[m.end:])
        if m.type in ("person", "place") and tail:
            end = m.end + tail.end()
            out.append(Mention(m.start, end, text[m.start:end], "organization", m.para))
        else:
            out.append(m)
    return out


def _split_possessives(text: str, mentions: list[Mention]) -> list[Mention]:
    """'FTC’s Bureau of Consumer Protection' names two organizations."""
    out: list[Mention] = []
    for m in mentions:
        hit = re.search(r"['’´]s\s+(?=[A-Z])", m.text)
        if m.type == "organization" and hit:
            head_end = m.start + hit.start()
            tail_start = m.start + hit.end()
            out.append(Mention(m.start, head_end, text[m.start:head_end], m.type, m.para))
            out.append(Mention(tail_start, m.end, text[tail_start:m.end], m.type, m.para))
        else:
            out.append(m)
    return out


def _plausible(text: str, m: Mention) -> bool:
    if m.type != "organization":
        return True
    if m.text.startswith(NOT_ORG_START) or m.text.lower() in GENERIC_ORG_WORDS:
        return False
    last = m.text.split()[-1].lower().strip(".")
    return last not in ROLE_TITLE_ENDINGS


def _cued_mentions(a: Analysis, known: Iterable[Mention]) -> list[Mention]:
    """Organizations the model missed that the sentence itself types: the organization of a
    title ("Senior Vice President of Public Knowledge"), an administration ("the Obama
    administration"), and lists after "companies" ("companies — Ascend Ecom, FBA Machine")."""
    taken = [(m.start, m.end) for m in known]
    out: list[Mention] = []
    cap = r"[A-Z][\w&.’'-]*(?:\s+(?:of|for|and|&|on)?\s*[A-Z][\w&.’'-]*)*"

    def add(s: int, e: int) -> None:
        if e > s and not any(ts < e and s < te for ts, te in taken):
            taken.append((s, e))
            out.append(Mention(s, e, a.text[s:e], "organization", p.index))

    for p in a.paragraphs:
        t = p.doc.text
        for m in re.finditer(rf"\b(?:President|Officer|Director|Counsel|Chairman|Chair|Head|"
                             rf"Partner|Attorney|Spokesperson|Spokesman|Spokeswoman|Founder|"
                             rf"CEO|[Pp]resident|[Dd]irector|[Pp]artner|[Aa]ttorney|"
                             rf"[Ss]pokesperson|[Ff]ounder|[Cc]hief)\s+(?:of|at|with|for)\s+"
                             rf"(?:the\s+)?({cap})", t):
            add(p.start + m.start(1), p.start + m.end(1))
        # The object of a legal action, the outlet a statement went to.
        for m in re.finditer(r"\b(?:sued|sues|suing|fined|fines|charged|acquired|acquires|"
                             r"statement\s+to|interview\s+with|told)\s+([A-Z][\w&.-]*[a-z][\w&.-]*"
                             r"(?:\s+[A-Z][\w&.-]*)*)", t):
            name = m.group(1).rstrip(".")
            add(p.start + m.start(1), p.start + m.start(1) + len(name))
        for m in re.finditer(r"\b((?:[A-Z][\w-]+\s+)+)(administration|government)\b", t):
            if m.group(1).strip() not in ("The", "A"):
                add(p.start + m.start(1), p.start + m.end(2))
        for m in re.finditer(rf"\b(?:companies|firms|startups|groups)\s*[—–:-]\s*((?:{cap}"
                             rf"\s*,\s*)+(?:and\s+)?{cap})", t):
            for part in re.finditer(cap, m.group(1)):
                name = part.group(0)
                if name not in ("and",):
                    s0 = p.start + m.start(1) + part.start()
                    add(s0, s0 + len(name))
    return out


def _merge_of_phrases(text: str, mentions: list[Mention]) -> list[Mention]:
    """'ACLU' + ' of ' + 'Northern California' → one organization, as a reader names it."""
    out: list[Mention] = []
    for m in mentions:
        if out:
            prev = out[-1]
            if (prev.type == "organization" and m.type in ("place", "organization")
                    and prev.para == m.para and text[prev.end:m.start] in (" of ", " for ")):
                out[-1] = Mention(prev.start, m.end, text[prev.start:m.end], "organization",
                                  prev.para)
                continue
        out.append(m)
    return out


def _acronyms(name: str) -> set[str]:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name)
             if w[0].isupper() and w.lower() not in ("of", "the", "for", "and")]
    full = "".join(w[0] for w in words).upper()
    # "US Federal Trade Commission" is still the FTC.
    rest = "".join(w[0] for w in words[1:]).upper() if words and words[0] in (
        "US", "U", "UK", "EU", "American", "British", "European") else ""
    return {full, rest} - {""}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def build_entities(a: Analysis, extra: Iterable[Mention] = ()) -> list[EntityDraft]:
    """Find, clean, type and merge the article's entities (fills ``a.mentions``); ``extra``
    are mentions found elsewhere (the byline and credits, outside the body)."""
    mentions = _split_possessives(a.text, _raw_mentions(a))
    mentions = [m for m in mentions if _plausible(a.text, m)]
    mentions = _administrations(a.text, mentions)
    mentions += list(extra)
    mentions += _gazetteer_mentions(a, mentions)
    mentions += _cued_mentions(a, mentions)
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = _merge_of_phrases(a.text, _one_type_per_name(mentions))
    # Drop mentions nested in a longer one of the same place.
    kept: list[Mention] = []
    for m in mentions:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    a.mentions = kept

    drafts: list[EntityDraft] = []
    by_key: dict[tuple[str, str], EntityDraft] = {}
    # Longest names first, so a surname or an acronym finds its full form.
    for m in sorted(kept, key=lambda m: (-len(m.text.split()), -len(m.text), m.start)):
        draft = _match(m, drafts, by_key)
        if draft is None:
            entry = lookup(m.type, (m.text,))
            draft = EntityDraft(id="", type=m.type, name=m.text,
                                wikidata=entry.wikidata if entry else None)
            drafts.append(draft)
        draft.mentions.append(m)
        if m.text != draft.name:
            draft.aliases.add(m.text)
        by_key[(m.type, normalize_name(m.text))] = draft
    drafts.sort(key=lambda d: d.first.start)
    used: set[str] = set()
    for d in drafts:
        base = _slug(d.name)
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        d.id = ident
    return drafts


def _match(m: Mention, drafts: list[EntityDraft],
           by_key: dict[tuple[str, str], EntityDraft]) -> EntityDraft | None:
    key = (m.type, normalize_name(m.text))
    if key in by_key:
        return by_key[key]
    entry = lookup(m.type, (m.text,))
    for d in drafts:
        if d.type != m.type:
            continue
        if entry is not None and d.wikidata == entry.wikidata:
            return d
        if m.type == "person":
            parts, full = m.text.split(), d.name.split()
            if len(parts) == 1 and len(full) > 1 and parts[0] in (full[-1], full[0]):
                return d
        if m.type == "organization":
            if m.text.isupper() and len(m.text) >= 2 and m.text in _acronyms(d.name):
                return d
            if d.name.startswith(m.text + " ") and d.name.split()[-1] in (
                    "Inc.", "Inc", "Corp.", "Corp", "Corporation", "Ltd", "Ltd.", "LLC", "Co."):
                return d
            if m.text.startswith(d.name + " ") and m.text.split()[-1] in (
                    "Inc.", "Inc", "Corp.", "Corp", "Corporation", "Ltd", "Ltd.", "LLC", "Co."):
                return d
    return None
