"""What a line of a news page is: article prose, or page chrome around it.

Line-level rules that hold across sites rather than for one site: the words pages use for ads,
buttons, credits, highlight boxes, related-story lists and footers; the shape of prose (enough
words, sentence punctuation, a capital first); and reader-directed calls to action (subscribe,
follow us, download the app). Each rule errs on the side of keeping prose: a dropped paragraph
loses facts, a kept ad line only costs a little noise that extraction tolerates.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _whole(*alternatives: str) -> re.Pattern[str]:
    """A pattern that must match the whole (stripped) line, trailing punctuation allowed."""
    return re.compile(rf"^(?:{'|'.join(alternatives)})\W*$", _I)


_AD = _whole(
    r"advert(?:isement|isment)?", r"ads?", r"sponsored(?: content| links?)?",
    r"paid (?:post|content|partner content)", r"promoted(?: content| stories)?",
    r"(?:story|article) continues (?:below|after)(?: (?:this|the))?(?: ad(?:vertisement)?)?",
    r"scroll (?:down )?to continue(?: with content| reading)?",
    r"continue reading(?: (?:the )?(?:main story|below))?", r"ad feedback",
)
_UI = _whole(
    r"print(?: story| this(?: article| page| story)?)?", r"share(?: this)?(?: (?:article|story))?",
    r"share (?:on|via) \w+", r"e-?mail", r"tweet", r"got it", r"close", r"x", r"menu",
    r"search", r"home", r"skip to(?: main)? content", r"loading", r"listen(?: to (?:this|the) "
    r"(?:article|story))?", r"\d+\s*min(?:ute)?s?(?: read| listen)?", r"read more",
    r"comments?(?: \(\d+\))?", r"view comments", r"follow(?: us)?", r"log ?in", r"sign ?in",
    r"sign up", r"subscribe(?: now)?", r"save(?: article)?", r"bookmark", r"copy link",
    r"(?:font|text) size", r"a[+-]?", r"back to top", r"next(?: story| article)?",
    r"previous(?: story| article)?", r"download(?: our)? apps?", r"available in \w+",
    r"\w+(?: \w+)? is available in", r"gift (?:this )?article", r"expand", r"enlarge",
    r"toggle \w+", r"open in app", r"watch(?: now| live| video)?", r"play(?: video)?",
)
# Short lines that are device or app prompts wherever they occur.
_UI_ANYWHERE = re.compile(
    r"\bhome ?screen\b|\bbrowser menu\b|can'?t connect right now|\b(?:try again|retry)\W*$"
    r"|\be-?paper\b|\bcookies?\b.*\b(?:accept|consent|settings|policy)\b"
    r"|\benable javascript\b|\bjavascript is disabled\b|\bad ?blocker\b",
    _I,
)
_END = _whole(
    r"related(?: stories| articles| news| posts| content| coverage| reading| links| videos"
    r"| topics)?",
    r"(?:the )?latest(?: news| stories| headlines| videos)?", r"latest from [\w ]{1,30}",
    r"more (?:from|in|on|stories|news|like this|to read|videos)(?: [\w ]{1,30})?",
    r"(?:most )?popular(?: [\w ]{1,30})?", r"most (?:read|viewed|shared|commented|watched)",
    r"trending(?: now| stories| news| topics)?", r"recommended(?: for you| stories| reading)?",
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)", r"read next",
    r"what to read next", r"(?:leave|post|add) a (?:reply|comment)", r"\d+ comments?",
    r"tags?", r"topics", r"filed under", r"(?:more )?about the author", r"top stories",
    r"editor'?s picks", r"don'?t miss", r"further reading", r"see also",
    r"in case you missed it",
    # A wire story's closing credits ("Reporting by X; Editing by Y") end the story.
    r"\(?(?:additional )?(?:reporting|writing|editing|compiled) by\b.*",
)
# "Also read: <another story>": a pointer to another page, inside or after the article.
_POINTER = re.compile(
    r"^(?:also (?:read|see|watch)|read (?:also|more|next)|see also|watch|recommended)"
    r"\s*(?:[:|–—-]|$)", _I,
)
_FOOTER = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", _I)
_HIGHLIGHTS = _whole(
    r"(?:story )?highlights", r"key (?:points|takeaways|highlights|facts)", r"summary",
    r"in brief", r"at a glance", r"what you need to know", r"tl;?dr", r"in short",
    r"quick read", r"why it matters", r"top line",
)
_BULLET = re.compile(r"^(?:[•◦▪▫●○‣⁃∙·*–—-]|\d{1,2}[.)])\s+\S")
_CREDIT_LABEL = re.compile(
    r"^\(?(?:(?:file )?(?:photo|image|picture|video|graphic|illustration|photograph)s?"
    r"(?: (?:credit|courtesy|source))?|credits?|courtesy|image source|photo by|image by"
    r"|photograph by|pictures? by)\s*[:：|]?\s+(?P<who>\S.*?)\)?$",
    _I,
)
_CREDIT_TAIL = re.compile(
    r"(?:^|[/(]|\bvia\s)\s*(?:getty images|afp|reuters|ap photo|ap|shutterstock|istock"
    r"|alamy|epa(?:-efe)?|bloomberg)\)?$", _I,
)
# A caption that ends with its credit: "Tim Cook in 2019. (Photo: Reuters)".
_CREDIT_INLINE = re.compile(
    r"[(\[]\s*(?:file )?(?:photo|image|picture|photograph|credit)s?(?: credit)?\s*[:：]\s*"
    r"(?:by\s+)?(?P<who>[^()\[\]]+?)\s*[)\]]$", _I,
)
_NAME_WORD = r"[A-Z][\w.'’&-]*"
_SLASH_CREDIT = re.compile(
    rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}(?:\s*/\s*{_NAME_WORD}(?:\s+[\w.'’&-]+){{0,2}})+$"
)
_PROMO = re.compile(
    r"\b(?:subscribe|sign up|signup|register)\b[^.]{0,60}\b(?:newsletter|podcast|channel"
    r"|alerts|updates)\b|\bour\b[^.]{0,40}\bpodcasts?\b|\bpodcasts?\b[^.]{0,60}\byou\b"
    r"|\b(?:follow|like|join|find) (?:us|him|her|me) on\b|\bconnect with (?:us|fellow)\b"
    r"|\bdownload (?:our|the) (?:app|apps|episode)\b|\b(?:hit|press|click|tap) (?:the )?"
    r"(?:play button|here|below)\b|\bclick here\b|\bget (?:your|our) (?:daily|weekly|free)\b"
    r"|\bsee more stories on\b|\bcatch all the action on our\b|\bsubscribe to our\b"
    r"|\bsign up for our\b|\b(?:we|this site) may earn (?:a )?(?:commission|money)\b"
    r"|\bapple podcasts\b|\bgoogle podcasts\b|\bfor (?:instant|the latest) updates\b",
    _I,
)
# Content-type labels a page prints above a headline ("Press Release", "Opinion").
_LABEL = re.compile(
    r"^(?:press release|news release|media release|media advisory|statement|opinion|op-ed"
    r"|analysis|commentary|editorial|exclusive|breaking(?: news)?|sponsored|live(?: updates)?"
    r"|updated|watch|video|photos|explainer|review|interview|feature|blog|podcast|news"
    r"|fact check)\b",
    _I,
)
_TERMINAL = re.compile(r"[.!?:…]['\"”’)\]]*$|\.\.\.$")
_OPENERS = "\"'“‘«([$€£¥…—–@#¿¡"
_WORD = re.compile(r"[^\W_][\w'’.-]*")

# Wire agencies by the names bylines and datelines use; the value is the full name.
AGENCIES: dict[str, str] = {
    "ap": "Associated Press", "associated press": "Associated Press",
    "the associated press": "Associated Press", "reuters": "Reuters",
    "thomson reuters": "Reuters", "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse", "agence france presse": "Agence France-Presse",
    "pti": "Press Trust of India", "press trust of india": "Press Trust of India",
    "ians": "Indo-Asian News Service", "ani": "Asian News International",
    "bloomberg": "Bloomberg News", "bloomberg news": "Bloomberg News",
    "dpa": "Deutsche Presse-Agentur", "upi": "United Press International",
    "united press international": "United Press International", "xinhua": "Xinhua News Agency",
    "kyodo": "Kyodo News", "kyodo news": "Kyodo News", "yonhap": "Yonhap News Agency",
    "ansa": "ANSA", "efe": "Agencia EFE", "tass": "TASS", "aap": "Australian Associated Press",
    "the canadian press": "The Canadian Press", "bernama": "Bernama", "antara": "Antara",
    "anadolu agency": "Anadolu Agency", "pa media": "PA Media",
}
_AGENCY_NAMES = "|".join(sorted((re.escape(k) for k in AGENCIES), key=len, reverse=True))
# "WASHINGTON (AP) —", "LONDON, June 12 (Reuters) -": the agency in the opening dateline.
_DATELINE_AGENCY = re.compile(
    rf"^[A-Z][\w .,'’-]{{1,60}}?\((?P<agency>{_AGENCY_NAMES})\)\s*[-—–:]", _I,
)
# Words that make a short capitalised line a section label rather than a person's name.
_NOT_NAME = {
    "news", "world", "business", "tech", "technology", "sports", "sport", "politics", "opinion",
    "press", "release", "science", "health", "entertainment", "markets", "home", "latest",
    "breaking", "updates", "live", "video", "photos", "highlights", "related", "stories",
    "more", "popular", "top", "story", "print", "share", "section", "edition", "local",
    "national", "international", "economy", "finance", "lifestyle", "culture", "travel",
    "weather", "neutrality", "net", "policy", "media", "staff", "desk", "bureau", "team",
    "editorial", "editor", "correspondent", "reporter", "writer", "contributor", "updated",
    "posted", "published", "by", "and", "the",
}
_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "el",
              "dos", "das", "del", "ibn", "y"}


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_ad(line: str) -> bool:
    return bool(_AD.match(line))


def is_ui(line: str) -> bool:
    if _UI.match(line) or _POINTER.match(line):
        return True
    return len(words(line)) <= 25 and bool(_UI_ANYWHERE.search(line))


def is_end_marker(line: str) -> bool:
    """A heading after which a page lists other stories, comments or tags, not the article."""
    return len(words(line)) <= 6 and bool(_END.match(line))


def is_footer(line: str) -> bool:
    return len(words(line)) <= 30 and bool(_FOOTER.search(line))


def is_highlights_heading(line: str) -> bool:
    return bool(_HIGHLIGHTS.match(line))


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def is_promo(line: str) -> bool:
    return bool(_PROMO.search(line))


def is_label(line: str) -> bool:
    """A section or content-type label such as "Press Release Net Neutrality" (it may also be
    a short headline: callers prefer a following title-like line when there is one)."""
    return len(words(line)) <= 5 and bool(_LABEL.match(line))


def terminated(line: str) -> bool:
    return bool(_TERMINAL.search(line))


def starts_like_text(line: str) -> bool:
    first = line[:1]
    return first.isupper() or first.isdigit() or (first != "" and first in _OPENERS)


def is_prose(line: str) -> bool:
    """A paragraph of running text: a capital first, and a sentence's length and punctuation.

    A long line without a final stop still counts when it reads as text (mostly lowercase
    words): a paragraph cut off by truncation, not a row of navigation links.
    """
    if not starts_like_text(line):
        return False
    ws = words(line)
    if len(ws) >= 6 and terminated(line):
        return True
    if len(ws) >= 15:
        lower = sum(1 for w in ws if w[:1].islower())
        return lower >= 0.3 * len(ws)
    return False


def credit_names(line: str) -> tuple[str, ...] | None:
    """The names a photo-credit line credits, or None when the line is not a credit."""
    if "://" in line or line.lower().startswith("www.") or agency(line):
        return None  # a bare agency name is a byline or source label, not a credit
    inline = _CREDIT_INLINE.search(line)
    if inline is None and (len(words(line)) > 12 or (terminated(line) and not line.endswith(")"))):
        return None
    if inline is not None and len(words(line)) > 60:
        return None
    match = _CREDIT_LABEL.match(line) or _CREDIT_INLINE.search(line)
    who = match.group("who") if match else None
    if who is None and (_CREDIT_TAIL.search(line) or _SLASH_CREDIT.match(line)):
        who = line.strip("() ")
    if who is None:
        return None
    parts = re.split(r"\s*/\s*|\s+via\s+|\s*;\s*|\s*\|\s*", who.strip("() "))
    return tuple(p for p in (part.strip(" .,()") for part in parts) if p)


def is_captioned(line: str) -> bool:
    """A caption that carries its own credit at the end ("… (Photo: Reuters)")."""
    return bool(_CREDIT_INLINE.search(line)) and credit_names(line) is not None


def agency(name: str) -> str | None:
    """The full name of a wire agency written as ``name`` ("AP" → "Associated Press")."""
    return AGENCIES.get(re.sub(r"\s+", " ", name.strip(" .,()")).lower())


def dateline_agency(paragraph: str) -> str | None:
    """The agency in an opening dateline such as "WASHINGTON (AP) —"."""
    match = _DATELINE_AGENCY.match(paragraph)
    return agency(match.group("agency")) if match else None


_SIGNOFF = re.compile(
    rf"^\(?\s*(?:(?:with )?inputs? from|source|courtesy|[-—–])\s*:?\s*(?P<agency>{_AGENCY_NAMES})"
    r"(?:\s+and\s+agencies)?\s*\)?\.?$", _I,
)


def signoff_agency(line: str) -> str | None:
    """The agency in a closing credit such as "(With inputs from PTI)" or "— AP"."""
    match = _SIGNOFF.match(line)
    return agency(match.group("agency")) if match else None


def looks_like_name(line: str) -> bool:
    """Two to five capitalised words (particles allowed) that are not a section label."""
    tokens = line.split()
    if not 2 <= len(tokens) <= 5 or any(ch.isdigit() for ch in line):
        return False
    for token in tokens:
        bare = token.strip(",.")
        if bare.lower() in _NOT_NAME:
            return False
        if not (bare[:1].isupper() or bare.lower() in _PARTICLES):
            return False
        if not re.fullmatch(r"[\w.'’-]+", bare):
            return False
    return True
