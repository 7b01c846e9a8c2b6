"""Roles: a person holds a title at an organization (ontology: nkg:Role, shape
nkgsh:RoleShape), from appositions and titles next to a person's name:

- "Microsoft's president and chief counsel, Brad Smith" / "Spotify's Head of … Horacio Gutierrez"
- "Matt Cagle, an attorney with the ACLU of Northern California"
- "Microsoft President Brad Smith", "FTC Chair Lina M. Khan"
- "its antitrust chief Margrethe Vestager" (its → the organization last named)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.analysis import Analysis, Mention

TITLE_WORDS = {
    "president", "vice", "ceo", "chief", "officer", "counsel", "chairman", "chairwoman", "chair",
    "commissioner", "director", "attorney", "lawyer", "partner", "head", "spokesperson",
    "spokesman", "spokeswoman", "secretary", "minister", "senator", "representative", "judge",
    "magistrate", "founder", "co-founder", "executive", "manager", "analyst", "professor",
    "editor", "reporter", "correspondent", "governor", "mayor", "leader", "member", "economist",
    "researcher", "fellow", "adviser", "advisor", "cto", "cfo", "coo", "administrator",
    "ambassador", "official", "deputy", "general", "principal", "engineer", "scientist",
    "chancellor", "commissioners", "trustee", "treasurer", "owner", "boss", "staff",
}
CONNECT = {"of", "and", "for", "the", "&", "global", "affairs", "legal", "senior", "former",
           "assistant", "associate", "executive", "public", "policy", "antitrust",
           "competition", "communications", "technology", "operating", "financial",
           "information", "security", "privacy", "product", "products", "marketing", "sales",
           "research", "general", "digital", "international", "government", "regulatory",
           "police", "federal", "u.s.", "us", "state", "district", "acting", "managing",
           "founding", "interim", "co", "lead", "principal"}
PREP = r"(?:of|at|with|for|in)"
APPOSITION = re.compile(rf",?\s*(?:and\s+)?((?:an?\s+|the\s+)?[\w .-]{{2,80}}?)\s+{PREP}\s+"
                        rf"(?:the\s+(?:law\s+firm\s+|firm\s+|company\s+)?)?")


@dataclass(frozen=True)
class RoleDraft:
    person: str
    organization: str
    title: str
    start: int
    end: int
    confidence: float


def _is_title(phrase: str) -> bool:
    words = re.findall(r"[\w.&-]+", phrase.lower())
    return (bool(words) and any(w.strip(".") in TITLE_WORDS for w in words)
            and all(w.strip(".") in TITLE_WORDS | CONNECT for w in words)
            and len(words) <= 10)


def _clean_title(phrase: str) -> str:
    phrase = re.sub(r"^(?:an?|the|its|their|his|her)\s+", "", phrase.strip(" ,"),
                    flags=re.IGNORECASE)
    return phrase.strip(" ,")


BOARD_TITLE = re.compile(r"\b(Commissioners?|Chairman|Chairwoman|Chair)\s+$")


def _board_titles(a: Analysis, entity_of: dict[tuple[int, int], str], done: list[str]
                  ) -> list[RoleDraft]:
    """"Commissioners Mignon Clyburn and Jessica Rosenworcel", "Chairman Wheeler": a title
    that names a seat on a board or commission, whose organization the story has just named
    (the organization last named before, in this paragraph or an earlier one)."""
    out: list[RoleDraft] = []
    people = [m for m in a.mentions if m.type == "person" and m.para >= 0]
    carried: str | None = None
    previous_end = -1
    for person in people:
        pid = entity_of.get((person.start, person.end))
        before = a.text[max(0, person.start - 40):person.start]
        m = BOARD_TITLE.search(before)
        if m and re.search(r"[A-Z][\w.]*\s+$", before[:m.start()]):
            m = None  # "Police Commissioner": the title of an organization not named here
        title = None
        if m:
            title = m.group(1)
            carried = title if title.endswith("s") else None
        elif carried and a.text[previous_end:person.start] in (" and ", ", ", ", and "):
            title = carried
        else:
            carried = None
        previous_end = person.end
        if not title or pid is None or pid in done:
            continue
        orgs = a.mentions_before(person.start, ("organization",))
        if not orgs:
            continue
        org = orgs[-1]
        oid = entity_of.get((org.start, org.end))
        if oid:
            start = person.start - len(title) - 1 if m else person.start
            out.append(RoleDraft(pid, oid, title.rstrip("s") if title.endswith("ers")
                                 else title, start, person.end, 0.5))
    return out


def find_roles(a: Analysis, entity_of: dict[tuple[int, int], str]) -> list[RoleDraft]:
    text = a.text
    out: list[RoleDraft] = []
    people = [m for m in a.mentions if m.type == "person"]
    orgs = [m for m in a.mentions if m.type == "organization"]

    def org_starting_at(pos: int) -> Mention | None:
        return next((o for o in orgs if o.start == pos), None)

    for person in people:
        pid = entity_of.get((person.start, person.end))
        if pid is None:
            continue
        para = a.paragraphs[person.para]
        before = text[para.start:person.start]
        # "<Org>'s <title>, <Person>" and "<Org> <Title> <Person>"
        found = False
        for org in sorted((o for o in orgs if o.para == person.para and o.end <= person.start
                           and person.start - o.end <= 100), key=lambda o: -o.end):
            m = re.fullmatch(r"(?:['’´]s)?\s+(.+?),?\s*", text[org.end:person.start])
            if m and _is_title(m.group(1)):
                oid = entity_of.get((org.start, org.end))
                if oid:
                    out.append(RoleDraft(pid, oid, _clean_title(m.group(1)), org.start,
                                         person.end, 0.8))
                    found = True
            break
        if found:
            continue
        its = re.search(r"\b(?:its|their)\s+([\w .-]+?),?\s*$", before)
        if its and _is_title(its.group(1)):
            # "its" is the sentence's subject organization, usually named first in it.
            found_sent = a.sentence_at(person.start)
            sent_start = found_sent[0].abs(found_sent[1])[0] if found_sent else para.start
            prior = [o for o in orgs if sent_start <= o.end <= person.start - len(its.group(0))
                     ][:1] or [o for o in orgs if o.end <= person.start - len(its.group(0))]
            oid = entity_of.get((prior[-1].start, prior[-1].end)) if prior else None
            if oid:
                out.append(RoleDraft(pid, oid, _clean_title(its.group(1)),
                                     person.start - len(its.group(0)), person.end, 0.6))
                continue
        # "<Person>, a(n) <title> (of|at|with) <Org>[ and <title> of <Org>]"
        pos = person.end
        while True:
            m2 = APPOSITION.match(text, pos, para.end)
            if m2 is None:
                break
            title = _clean_title(m2.group(1))
            target = org_starting_at(m2.end())
            if target is None or not _is_title(title):
                break
            # "director of the FTC’s Bureau of Consumer Protection": the bureau.
            poss_org = re.match(r"['’´]s\s+", text[target.end:para.end])
            inner_org = org_starting_at(target.end + poss_org.end()) if poss_org else None
            if inner_org is not None:
                target = inner_org
            oid = entity_of.get((target.start, target.end))
            if oid:
                out.append(RoleDraft(pid, oid, title, person.start, target.end, 0.8))
            pos = target.end
    out += _board_titles(a, entity_of, [r.person for r in out])
    unique: dict[tuple[str, str, str], RoleDraft] = {}
    for r in out:
        unique.setdefault((r.person, r.organization, r.title.lower()), r)
    return list(unique.values())
