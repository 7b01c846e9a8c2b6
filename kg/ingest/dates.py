"""Date lines: find a full date (day, month, year) with its time and zone in a short string.

Only full dates are read here — a date line or a metadata value, never running prose (FIELD-NOTES:
a free search reads "We" as Wednesday). A regex finds where the date, the time and the zone are;
``dateparser`` reads the date and time (month names, ordinals, am/pm); the zone goes through the
explicit table in ``zones``. Numeric day/month orders (``03/04/2020``) are not read: they are
ambiguous and a wrong date is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timezone, tzinfo
from functools import cache

import dateparser

from kg.ingest.zones import ABBREVIATIONS, ZoneReading, parse_offset, zone_label

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?"
    r"|Sat(?:urday)?|Sun(?:day)?)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAY},?\s*{_YEAR}|{_DAY}\s+{_MONTH},?\s*{_YEAR}|{_YEAR}-[01]\d-[0-3]\d(?!\d))",
    re.IGNORECASE,
)
_AMPM_TEXT = r"[ap]\.?\s?m\b\.?"
_ABBREVS = "|".join(sorted((k for k in ABBREVIATIONS if k != "Z"), key=len, reverse=True))
# Case-sensitive (``(?-i:``): a lowercase word after a time ("at", "art") is not a zone.
_ZONE = (
    rf"(?-i:(?:UTC|GMT)\s*[+-−]\d{{1,2}}(?::?\d{{2}})?|[+-−]\d{{2}}(?::?\d{{2}})?|Z"
    rf"|(?:{_ABBREVS}))\b"
)
# "10.03 BST" (British style) only with a zone or am/pm after it: alone it could be a number.
_TIME = (
    rf"(?:[012]?\d:[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:\s*{_AMPM_TEXT})?"
    rf"|[012]?\d\.[0-5]\d(?:\s*{_AMPM_TEXT}|(?=\s*\(?{_ZONE}))"
    rf"|[01]?\d\s*{_AMPM_TEXT})"
)
_TIME_AFTER = re.compile(
    rf"(?:T|\s*,?\s*(?:at\s+|@\s*|[-–—|/]\s*)?)(?P<time>{_TIME})(?:\s*\(?(?P<zone>{_ZONE})\)?)?",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(
    rf"(?P<time>{_TIME})(?:\s*\(?(?P<zone>{_ZONE})\)?)?\s*,?\s*(?:on\s+)?(?P<wd>{_WEEKDAY},?\s+)?$",
    re.IGNORECASE,
)
_WEEKDAY_BEFORE = re.compile(rf"\b{_WEEKDAY},?\s+$", re.IGNORECASE)
_AMPM = re.compile(r"\b([ap])\.?\s?m\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    """A date expression in a string: where, as written, and its parts."""

    start: int
    end: int
    as_written: str
    local: datetime
    """The wall-clock date and time as written, naive."""
    has_time: bool
    zone: tzinfo | None
    """The zone the expression states, read through the table; None when it states none."""
    zone_text: str | None = None
    reading: ZoneReading | None = None
    """The table's reading of a zone abbreviation, when one was written."""


@dataclass(frozen=True)
class ResolvedDate:
    """A found date, made absolute when a time and a zone are known."""

    found: FoundDate
    iso: str | None
    """ISO 8601 date-time with offset, or None without a time or a zone."""
    day: str
    note: str | None = None
    value: datetime | None = None
    """The aware date-time behind ``iso``."""


@cache
def _parse(text: str) -> datetime | None:
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}
    return dateparser.parse(text, languages=["en"], settings=settings)


def _zone(text: str | None) -> tuple[tzinfo | None, ZoneReading | None]:
    if not text:
        return None, None
    if text.upper() == "Z":
        return UTC, None
    reading = ABBREVIATIONS.get(text.upper())
    if reading is not None:
        return reading.zone, reading
    return parse_offset(text), None


def find_dates(text: str) -> Iterator[FoundDate]:
    """Every full date in ``text`` with the time and zone written next to it, left to right."""
    for match in _DATE.finditer(text):
        start, end = match.start(), match.end()
        time_text = zone_text = None
        after = _TIME_AFTER.match(text, end)
        before = _TIME_BEFORE.search(text, 0, start)
        if after:
            time_text, zone_text, end = after.group("time"), after.group("zone"), after.end()
        elif before:
            time_text, zone_text, start = before.group("time"), before.group("zone"), before.start()
        if start == match.start():
            weekday = _WEEKDAY_BEFORE.search(text, 0, start)
            if weekday:
                start = weekday.start()
        clock = _AMPM.sub(lambda m: m.group(1).upper() + "M", time_text or "")
        clock = re.sub(r"^(\d{1,2})\.(\d\d)\b", r"\1:\2", clock)
        local = _parse(f"{match.group(0)} {clock}".strip())
        if local is None:
            continue
        zone, reading = _zone(zone_text)
        yield FoundDate(start, end, text[start:end].rstrip(" ,"), local, time_text is not None,
                        zone, zone_text, reading)


def resolve(found: FoundDate, default_zone: tzinfo | None) -> ResolvedDate:
    """Attach the zone: the one written (unless ambiguous and a zone was given), else the given."""
    day = found.local.date().isoformat()
    if not found.has_time:
        return ResolvedDate(found, None, day)
    zone, note = found.zone, None
    if found.reading is not None and found.reading.ambiguous:
        abbr = found.zone_text
        if default_zone is not None:
            zone = default_zone
            note = f"{abbr} read in the given time zone {zone_label(default_zone, found.local)}"
        else:
            note = (f"{abbr} read as {found.reading.name} "
                    f"({zone_label(found.reading.zone, found.local)}); "
                    "give a time zone if the page means another")
    elif zone is None and default_zone is not None:
        zone = default_zone
        note = f"no zone written; read in the given time zone {zone_label(zone, found.local)}"
    if zone is None:
        return ResolvedDate(found, None, day)
    aware = found.local.replace(tzinfo=zone)
    return ResolvedDate(found, aware.isoformat(timespec="seconds"), day, note, aware)


def with_zone_of(found: FoundDate, sibling: datetime) -> ResolvedDate | None:
    """Read a zone-less time in the offset of a sibling timestamp written on the same day.

    A page that prints one of its timestamps with an offset prints the others on the same clock;
    the same-day condition keeps a daylight-saving change from slipping in between.
    """
    if not found.has_time or found.zone is not None or sibling.tzinfo is None:
        return None
    if found.local.date() != sibling.date():
        return None
    offset = sibling.utcoffset()
    if offset is None:
        return None
    aware = found.local.replace(tzinfo=timezone(offset))
    note = (f"no zone written with {found.as_written!r}; read in the offset of another timestamp "
            f"on the page ({aware.strftime('%z')})")
    return ResolvedDate(found, aware.isoformat(timespec="seconds"), found.local.date().isoformat(),
                        note, aware)
