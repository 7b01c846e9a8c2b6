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

from spacy.tokens import Span, Token

from kg.extract.analysis import Analysis, Paragraph
from kg.extract.quotes import Resolver

ANNOUNCE_VERBS = {
    "announce", "decide", "halt", "ban", "stop", "suspend", "end", "call", "urge", "launch",
    "unveil", "introduce", "adopt", "approve", "vote", "repeal", "reject", "fine",
    "impose", "formalize", "accuse", "charge", "order", "resist", "refuse", "pledge",
    "commit", "agree", "propose", "require", "prohibit", "block", "restrict", "acquire",
    "reverse", "recommend", "release", "reclassify", "enact",
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
    now: bool = False
    """Reported in the present tense ("Cook says his company will resist"): as of publication."""


def _conj_subjects(p: Paragraph, verb: Token, r: Resolver, sent_end: int) -> list[str]:
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            return _conj_subjects(p, verb.head, r, sent_end)
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
            if hit is None and tok.lemma_.lower() in ("regulator", "agency", "commission"):
                # "US regulators on Wednesday formalized …" with the regulator named next.
                hit = r.first_after(sent_end, "organization", within=300)
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
            subjects = _conj_subjects(p, verb, r, e_abs)
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
            objects = {r.entity_in(*p.abs(t.doc[t.left_edge.i:t.right_edge.i + 1]),
                                   ("organization",))
                       for c in verb.children if c.dep_ == "prep"
                       for t in c.children if t.dep_ == "pobj"}
            if set(agents) & objects:
                continue  # "the company settled with the FTC" read as the FTC: a bad antecedent
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
                                         what, s_abs, e_abs, (c_start, c_end), 0.6,
                                         now=_reported_now(verb)))
        out += _moves_by(a, p, sent, r, types)
    return _dedupe(out)


def _reported_now(verb: Token) -> bool:
    head = verb.head
    while head is not head.head and head.dep_ not in ("ROOT",):
        head = head.head
    return head.lemma_.lower() in ("say", "tell") and head.tag_ in ("VBZ", "VBP")


MOVES = re.compile(r"\b(?:similar\s+|earlier\s+|recent\s+)?(?:moves?|decisions?|announcements?|"
                   r"steps?|bans?)\s+(?:by|from)\s+")


def _moves_by(a: Analysis, p: Paragraph, sent: Span, r: Resolver, types: dict[str, str]
              ) -> list[AnnouncementDraft]:
    """"following similar moves by Amazon and IBM": each organization made its own move."""
    s_abs, e_abs = p.abs(sent)
    out: list[AnnouncementDraft] = []
    for m in MOVES.finditer(a.text, s_abs, e_abs):
        tail = a.text[m.end():e_abs]
        names = re.match(r"([^.;:—]*)", tail)
        if names is None:
            continue
        end = m.end() + names.end()
        for mention in a.mentions_in(m.end(), end, ("organization",)):
            oid = r.entity_of.get((mention.start, mention.end))
            if oid and types.get(oid) == "organization":
                what = f"{mention.text}: {a.text[m.start():end].strip(' ,')}"
                out.append(AnnouncementDraft((oid,), None, None, what, s_abs, e_abs,
                                             (m.start(), end), 0.5))
    return out


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
