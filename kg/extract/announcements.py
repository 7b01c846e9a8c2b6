"""Announcements: an organization (or its spokesperson) announces, decides, halts, bans, sues,
fines, votes, calls on someone to act (ontology: nkg:Announcement, shape
nkgsh:AnnouncementShape).

The agent is the organization the verb's subject names — or, when the subject is a person with
a role at an organization in this article, that organization, with the person as spokesperson.
The date is the temporal expression in the verb's clause, else in its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.analysis import Analysis, Paragraph
from kg.extract.quotes import Resolver

ANNOUNCE_VERBS = {
    "announce", "decide", "halt", "ban", "stop", "suspend", "end", "call", "urge", "launch",
    "unveil", "introduce", "adopt", "approve", "vote", "repeal", "reject", "sue", "fine",
    "impose", "formalize", "settle", "accuse", "charge", "order", "resist", "refuse", "pledge",
    "commit", "agree", "propose", "require", "prohibit", "block", "restrict", "acquire",
    "reverse", "recommend", "release", "file", "open", "investigate", "reclassify", "enact",
    "commend", "applaud", "withdraw", "cancel", "pause", "drop", "terminate", "finalize",
}
CALL_PREPS = {"on", "upon", "for"}


@dataclass(frozen=True)
class AnnouncementDraft:
    agents: tuple[str, ...]
    spokesperson: str | None
    addressee: str | None
    what: str
    start: int
    end: int
    clause: tuple[int, int]
    confidence: float


def _conj_subjects(p: Paragraph, verb: Token, r: Resolver) -> list[str]:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            return _conj_subjects(p, verb.head, r)
        return []
    found: list[str] = []
    for tok in [subj, *subj.conjuncts]:
        phrase = tok.doc[tok.left_edge.i:tok.right_edge.i + 1] if tok is subj else tok.doc[
            tok.i:tok.i + 1]
        s, e = p.abs(phrase)
        hit = r.entity_in(s, e, ("person", "organization"))
        if hit is None and (tok.text.lower() in ("it", "they") or tok.lemma_.lower() in (
                "company", "agency", "commission", "regulator", "government", "firm")):
            hit = r.last_before(s, "organization")
        if hit and hit not in found:
            found.append(hit)
    return found


def find_announcements(a: Analysis, r: Resolver, role_org: dict[str, str],
                       types: dict[str, str]) -> list[AnnouncementDraft]:
    out: list[AnnouncementDraft] = []
    for p, sent in a.sentences():
        s_abs, e_abs = p.abs(sent)
        for verb in sent:
            if verb.lemma_.lower() not in ANNOUNCE_VERBS or verb.pos_ != "VERB":
                continue
            if verb.lemma_.lower() == "call" and not any(
                    c.dep_ == "prep" and c.text.lower() in CALL_PREPS for c in verb.children):
                continue
            # Inside a quotation the speaker, not the article, is talking.
            if re.search(r"[“\"][^”\"]*$", a.text[s_abs:p.start + verb.idx]):
                continue
            subjects = _conj_subjects(p, verb, r)
            if not subjects:
                continue
            agents: list[str] = []
            spokesperson = None
            for who in subjects:
                if types.get(who) == "organization":
                    agents.append(who)
                elif types.get(who) == "person" and who in role_org:
                    spokesperson = who
                    agents.append(role_org[who])
            if not agents:
                continue
            addressee = None
            for c in verb.children:
                if c.dep_ == "prep" and c.text.lower() in CALL_PREPS:
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if obj is not None:
                        addressee = r.entity_in(*p.abs(obj.doc[obj.left_edge.i:
                                                               obj.right_edge.i + 1]),
                                                ("organization", "person"))
            first = min([verb, *[t for t in verb.subtree if t.dep_ not in (
                "nsubj", "nsubjpass") and not any(t in c.subtree for c in verb.children
                                                  if c.dep_ in ("nsubj", "nsubjpass"))]],
                        key=lambda t: t.i)
            last = max(verb.subtree, key=lambda t: t.i)
            clause = sent.doc[max(first.i, verb.i):last.i + 1]
            c_start, c_end = p.abs(clause)
            names = ", ".join(a.text[m.start:m.end] for m in a.mentions_in(s_abs, e_abs)
                              if r.entity_of.get((m.start, m.end)) in agents)
            what_core = a.text[c_start:c_end].rstrip(" .,;")
            what = f"{names.split(', ')[0] if names else ''} {what_core}".strip()
            out.append(AnnouncementDraft(tuple(dict.fromkeys(agents)), spokesperson, addressee,
                                         what, s_abs, e_abs, (c_start, c_end), 0.6))
    return _dedupe(out)


def _dedupe(found: list[AnnouncementDraft]) -> list[AnnouncementDraft]:
    """A standfirst repeats the story's first paragraph: keep one, the one with more detail."""
    best: dict[tuple[tuple[str, ...], str | None, str], AnnouncementDraft] = {}
    order: list[tuple[tuple[str, ...], str | None, str]] = []
    for d in found:
        verb = d.what.split()[1] if len(d.what.split()) > 1 else d.what
        key = (d.agents, d.addressee, verb.lower())
        if key not in best:
            order.append(key)
            best[key] = d
        elif len(d.what) > len(best[key].what) or (d.spokesperson and not
                                                   best[key].spokesperson):
            best[key] = d
    return [best[k] for k in order]
