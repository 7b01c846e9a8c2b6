"""Time zones: the ``--timezone`` option and the zone abbreviations news pages print.

Abbreviations are not standardised and several are ambiguous (IST is India, Ireland or Israel),
so this module does not ask a library to guess: a short explicit table gives each abbreviation
one reading, and marks the ambiguous ones so that a ``--timezone`` the user gave wins over the
table's reading. Zone names that follow daylight saving ("ET") map to an IANA zone, fixed ones
("EST") to a fixed offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kg.errors import ConfigError


@dataclass(frozen=True)
class ZoneReading:
    """How one abbreviation is read: a zone, what it stands for, and whether it is ambiguous."""

    zone: tzinfo
    name: str
    ambiguous: bool = False


def _fixed(hours: int, minutes: int = 0) -> tzinfo:
    sign = -1 if hours < 0 else 1
    return timezone(timedelta(hours=hours, minutes=sign * minutes))


# Offsets from the IANA tz database's own abbreviations; the first reading of an ambiguous one
# is the one most news sites that print it mean (IST on Indian sites, CST on US sites).
ABBREVIATIONS: dict[str, ZoneReading] = {
    "UTC": ZoneReading(_fixed(0), "Coordinated Universal Time"),
    "GMT": ZoneReading(_fixed(0), "Greenwich Mean Time"),
    "Z": ZoneReading(_fixed(0), "UTC"),
    "ET": ZoneReading(ZoneInfo("America/New_York"), "US Eastern Time"),
    "EST": ZoneReading(_fixed(-5), "US Eastern Standard Time"),
    "EDT": ZoneReading(_fixed(-4), "US Eastern Daylight Time"),
    "CT": ZoneReading(ZoneInfo("America/Chicago"), "US Central Time"),
    "CST": ZoneReading(_fixed(-6), "US Central Standard Time", ambiguous=True),
    "CDT": ZoneReading(_fixed(-5), "US Central Daylight Time"),
    "MT": ZoneReading(ZoneInfo("America/Denver"), "US Mountain Time"),
    "MST": ZoneReading(_fixed(-7), "US Mountain Standard Time"),
    "MDT": ZoneReading(_fixed(-6), "US Mountain Daylight Time"),
    "PT": ZoneReading(ZoneInfo("America/Los_Angeles"), "US Pacific Time"),
    "PST": ZoneReading(_fixed(-8), "US Pacific Standard Time"),
    "PDT": ZoneReading(_fixed(-7), "US Pacific Daylight Time"),
    "AKST": ZoneReading(_fixed(-9), "Alaska Standard Time"),
    "HST": ZoneReading(_fixed(-10), "Hawaii Standard Time"),
    "BST": ZoneReading(_fixed(1), "British Summer Time", ambiguous=True),
    "IST": ZoneReading(_fixed(5, 30), "India Standard Time", ambiguous=True),
    "WET": ZoneReading(_fixed(0), "Western European Time"),
    "CET": ZoneReading(_fixed(1), "Central European Time"),
    "CEST": ZoneReading(_fixed(2), "Central European Summer Time"),
    "EET": ZoneReading(_fixed(2), "Eastern European Time"),
    "EEST": ZoneReading(_fixed(3), "Eastern European Summer Time"),
    "MSK": ZoneReading(_fixed(3), "Moscow Time"),
    "PKT": ZoneReading(_fixed(5), "Pakistan Standard Time"),
    "NPT": ZoneReading(_fixed(5, 45), "Nepal Time"),
    "ICT": ZoneReading(_fixed(7), "Indochina Time"),
    "WIB": ZoneReading(_fixed(7), "Western Indonesia Time"),
    "SGT": ZoneReading(_fixed(8), "Singapore Time"),
    "HKT": ZoneReading(_fixed(8), "Hong Kong Time"),
    "PHT": ZoneReading(_fixed(8), "Philippine Time"),
    "AWST": ZoneReading(_fixed(8), "Australian Western Standard Time"),
    "JST": ZoneReading(_fixed(9), "Japan Standard Time"),
    "KST": ZoneReading(_fixed(9), "Korea Standard Time"),
    "ACST": ZoneReading(_fixed(9, 30), "Australian Central Standard Time"),
    "AEST": ZoneReading(_fixed(10), "Australian Eastern Standard Time"),
    "AEDT": ZoneReading(_fixed(11), "Australian Eastern Daylight Time"),
    "NZST": ZoneReading(_fixed(12), "New Zealand Standard Time"),
    "NZDT": ZoneReading(_fixed(13), "New Zealand Daylight Time"),
    "SAST": ZoneReading(_fixed(2), "South Africa Standard Time"),
    "WAT": ZoneReading(_fixed(1), "West Africa Time"),
    "EAT": ZoneReading(_fixed(3), "East Africa Time"),
    "GST": ZoneReading(_fixed(4), "Gulf Standard Time", ambiguous=True),
    "AST": ZoneReading(_fixed(-4), "Atlantic Standard Time", ambiguous=True),
    "BRT": ZoneReading(_fixed(-3), "Brasília Time"),
    "ART": ZoneReading(_fixed(-3), "Argentina Time"),
}

_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-−])(\d{1,2})(?::?(\d{2}))?")


def parse_offset(text: str) -> tzinfo | None:
    """``+05:30``, ``-0500``, ``-05``, ``UTC+8``, ``GMT-3`` → a fixed zone; anything else None."""
    match = _OFFSET.fullmatch(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign in "-−" else delta)


def parse_timezone(value: str) -> tzinfo:
    """The ``--timezone`` option: an IANA name (``America/New_York``), an offset, or UTC/GMT."""
    text = value.strip()
    if text.upper() in ("UTC", "GMT", "Z"):
        return UTC
    offset = parse_offset(text)
    if offset is not None:
        return offset
    if "/" in text:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ConfigError(
        f"unknown time zone {value!r}: give an IANA name such as America/New_York "
        "or an offset such as +05:30"
    )


def zone_label(zone: tzinfo, at: datetime) -> str:
    """A short human label for notes: the IANA key when there is one, else the offset."""
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        return key
    offset = zone.utcoffset(at.replace(tzinfo=None)) or timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
