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
            prior = [o for o in orgs if o.end <= person.start - len(its.group(0))]
            oid = entity_of.get((prior[-1].start, prior[-1].end)) if prior else None
            if oid:
                out.append(RoleDraft(pid, oid, _clean_title(its.group(1)),
                                     person.start - len(its.group(0)), person.end, 0.6))
                continue
        # "<Person>, a(n) <title> (of|at|with) <Org>[ and <title> of <Org>]"
        after = text[person.end:para.end]
        pos = person.end
        for m2 in re.finditer(rf",?\s*(?:and\s+)?((?:an?\s+|the\s+)?[\w .-]{{2,80}}?)\s+{PREP}\s+"
                              rf"(?:the\s+(?:law\s+firm\s+|firm\s+|company\s+)?)?", after):
            if m2.start() != pos - person.end:
                break
            title = _clean_title(m2.group(1))
            target = org_starting_at(person.end + m2.end())
            if target is None or not _is_title(title):
                break
            oid = entity_of.get((target.start, target.end))
            if oid:
                out.append(RoleDraft(pid, oid, title, person.start, target.end, 0.8))
            pos = target.end
            # "… Bureau of Consumer Protection": continue after a possessive org too.
            rest = text[target.end:para.end]
            poss = re.match(r"['’´]s\s+", rest)
            if poss:
                inner = org_starting_at(target.end + poss.end())
                if inner is not None:
                    pos = inner.end
    unique: dict[tuple[str, str, str], RoleDraft] = {}
    for r in out:
        unique.setdefault((r.person, r.organization, r.title.lower()), r)
    return list(unique.values())
