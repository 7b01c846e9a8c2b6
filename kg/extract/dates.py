"""Temporal expressions → ``DateValue`` (ontology: nkg:TemporalExpression, shape
nkgsh:TemporalExpressionShape), resolved against the publication date-time.

Only spans the NER model labels DATE or TIME are read (never the raw text: "We" and "May" the
verb are not dates). Relative words are resolved by rule, as a reader would: "Thursday" in a
Friday story is the day before, "today" is the publication day, "this week" is the week
(Monday–Sunday) that holds the publication day. Absolute forms go through dateparser with the
publication date as its base; the precision comes from what the expression spells out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
              "sept": 9, "oct": 10, "nov": 11, "dec": 12}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1,
                "several": None, "few": None, "many": None}
UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "MIN",
         "second": "S", "decade": "10Y"}
# Zone abbreviations written in news copy, by region; resolved with the date (DST aware).
ZONES = {"ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
         "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
         "MT": "America/Denver", "PT": "America/Los_Angeles", "PST": "America/Los_Angeles",
         "PDT": "America/Los_Angeles", "GMT": "UTC", "UTC": "UTC", "BST": "Europe/London",
         "CET": "Europe/Paris", "CEST": "Europe/Paris", "IST": "Asia/Kolkata",
         "JST": "Asia/Tokyo", "AEST": "Australia/Sydney"}


@dataclass(frozen=True)
class Resolved:
    value: str
    precision: str
    end: str | None = None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month_of(text: str) -> int | None:
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in MONTHS:
            return MONTHS[word]
        if word in MONTH_ABBR:
            return MONTH_ABBR[word]
    return None


def _duration(text: str) -> Resolved | None:
    m = re.fullmatch(r"(?:the\s+)?(?:past\s+|last\s+|next\s+)?(\w+)\s+(year|month|week|day|hour|"
                     r"minute|second|decade)s?(?:\s+(?:ago|later|earlier))?", text.lower())
    if not m:
        return None
    word, unit = m.groups()
    n = int(word) if word.isdigit() else NUMBER_WORDS.get(word, -1)
    if n is None or n == -1:
        return None
    if re.search(r"\b(ago|later|earlier)$", text.lower()):
        return None  # a point in time, not a duration: see trim_relative
    if unit == "decade":
        return Resolved(f"P{10 * n}Y", "duration")
    if unit in ("hour", "minute", "second"):
        code = {"hour": "H", "minute": "M", "second": "S"}[unit]
        return Resolved(f"PT{n}{code}", "duration")
    return Resolved(f"P{n}{UNITS[unit]}", "duration")


def _time_of_day(text: str, day: date) -> Resolved | None:
    m = re.search(r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?(?:\s+([A-Z]{2,4})\b)?", text,
                  re.IGNORECASE)
    if not m:
        return None
    hour, minute = int(m.group(1)) % 12, int(m.group(2) or 0)
    if m.group(3).lower() == "p":
        hour += 12
    zone = ZONES.get((m.group(4) or "").upper())
    if zone is None:
        return None  # a time without a zone cannot be an xsd:dateTime with an offset
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
    return Resolved(local.isoformat(), "minute")


TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*"
                       r"(Z|[+-]\d{2}(?::?\d{2})?)")


def _timestamp(text: str) -> Resolved | None:
    """'2016-02-17 16:18:26-05' (a page's update stamp): an instant with its offset."""
    m = TIMESTAMP.fullmatch(text)
    if not m:
        return None
    day, hh, mm, ss, zone = m.groups()
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        zone = f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"
    try:
        value = datetime.fromisoformat(f"{day}T{hh}:{mm}:{ss or '00'}"
                                       f"{'+00:00' if zone == 'Z' else zone}")
    except ValueError:
        return None
    return Resolved(value.isoformat(), "instant" if ss else "minute")


def trim_relative(expression: str) -> str:
    """'maybe 10 minutes later' → '10 minutes': the length is what the text states; the
    point it leads to hangs on an event, not on the publication."""
    m = re.search(r"(\w+\s+(?:year|month|week|day|hour|minute|second|decade)s?)\s+"
                  r"(?:later|earlier)$", expression.strip(), re.IGNORECASE)
    return m.group(1) if m else expression


def resolve(expression: str, published: datetime) -> Resolved | None:
    """The value and precision of ``expression`` as of ``published``; None when vague."""
    text = re.sub(r"\s+", " ", expression).strip()
    stamp = _timestamp(text)
    if stamp is not None:
        return stamp
    low = re.sub(r"^(early|late|mid|earlier|later|on|by|since|until|in|from)\s+", "",
                 text.lower())
    low = low.removeprefix("the ")
    pub = published.date()

    duration = _duration(low)
    if duration is not None:
        return duration

    if low in ("today", "this day", "this morning", "this afternoon", "this evening",
               "tonight"):
        return Resolved(pub.isoformat(), "day")
    if low == "yesterday":
        return Resolved((pub - timedelta(days=1)).isoformat(), "day")
    if low == "tomorrow":
        return Resolved((pub + timedelta(days=1)).isoformat(), "day")
    for prefix, weeks in (("this week", 0), ("last week", -1), ("next week", 1),
                          ("earlier this week", 0)):
        if low == prefix:
            monday = _monday(pub) + timedelta(weeks=weeks)
            return Resolved(monday.isoformat(), "week", (monday + timedelta(days=6)).isoformat())
    if low in ("this month", "last month", "next month"):
        index = pub.year * 12 + pub.month - 1 + {"this": 0, "last": -1, "next": 1}[low[:4].strip()]
        return Resolved(f"{index // 12:04d}-{index % 12 + 1:02d}", "month")
    if low in ("this year", "last year", "next year"):
        year = pub.year + {"this": 0, "last": -1, "next": 1}[low[:4].strip()]
        return Resolved(f"{year:04d}", "year")

    weekday = next((i for i, w in enumerate(WEEKDAYS) if re.search(rf"\b{w}\b", low)), None)
    year_m = re.search(r"\b(1[89]\d\d|20\d\d)\b", low)
    month = _month_of(low)
    no_time = re.sub(r"\d{1,2}(?::\d{2})?\s*[ap]\.?\s*m\.?", "", low)
    day_m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", re.sub(r"\b\d{4}\b", "", no_time))

    if month is not None and day_m and 1 <= int(day_m.group(1)) <= 31:
        year = int(year_m.group(1)) if year_m else pub.year
        try:
            d = date(year, month, int(day_m.group(1)))
        except ValueError:
            return None
        if not year_m and d > pub:
            d = date(year - 1, month, d.day)  # "Sept. 25" in an October story: this year's
        timed = _time_of_day(text, d)
        return timed or Resolved(d.isoformat(), "day")
    if weekday is not None and month is None:
        # The most recent such day on or before publication ("Thursday" on Friday = yesterday).
        back = (pub.weekday() - weekday) % 7
        if "next" in low:
            back = -((weekday - pub.weekday()) % 7 or 7)
        elif "last" in low and back == 0:
            back = 7
        d = pub - timedelta(days=back)
        timed = _time_of_day(text, d)
        return timed or Resolved(d.isoformat(), "day")
    if month is not None:
        year = int(year_m.group(1)) if year_m else pub.year
        if not year_m and month > pub.month:
            year -= 1  # "in December" in a February story: the December before
        return Resolved(f"{year:04d}-{month:02d}", "month")
    if year_m and re.fullmatch(r"(?:the\s+)?(?:year\s+)?\d{4}", low):
        return Resolved(year_m.group(1), "year")
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", low)
    if iso:
        return Resolved(low, "day")
    return None
