"""Temporal expressions resolved against the publication date-time (a table of cases)."""

from __future__ import annotations

from datetime import datetime

import pytest

from kg.extract.dates import resolve

FRIDAY = "2020-06-12T12:17:00+05:30"  # Friday
CASES = [
    (FRIDAY, "Thursday", "2020-06-11", "day", None),
    (FRIDAY, "Friday", "2020-06-12", "day", None),
    (FRIDAY, "last Friday", "2020-06-05", "day", None),
    (FRIDAY, "Monday", "2020-06-08", "day", None),
    (FRIDAY, "today", "2020-06-12", "day", None),
    (FRIDAY, "yesterday", "2020-06-11", "day", None),
    (FRIDAY, "this week", "2020-06-08", "week", "2020-06-14"),
    (FRIDAY, "last week", "2020-06-01", "week", "2020-06-07"),
    (FRIDAY, "two years", "P2Y", "duration", None),
    (FRIDAY, "10 days", "P10D", "duration", None),
    (FRIDAY, "last year", "2019", "year", None),
    (FRIDAY, "this month", "2020-06", "month", None),
    (FRIDAY, "last month", "2020-05", "month", None),
    ("2021-04-30T10:19:40+00:00", "June 2020", "2020-06", "month", None),
    ("2021-04-30T10:19:40+00:00", "March 2019", "2019-03", "month", None),
    ("2016-02-17T04:18:00-05:00", "early Wednesday", "2016-02-17", "day", None),
    ("2016-02-17T04:18:00-05:00", "December", "2015-12", "month", None),
    ("2016-02-17T04:18:00-05:00", "the December", "2015-12", "month", None),
    ("2024-10-01T00:00:00+00:00", "Sept. 25", "2024-09-25", "day", None),
    ("2024-10-01T00:00:00+00:00", "Dec. 25", "2023-12-25", "day", None),
    ("2015-02-26T00:00:00-05:00", "February 26, 2015", "2015-02-26", "day", None),
    ("2017-12-14T00:00:00-05:00", "1:12pm ET, Thursday December 14th, 2017",
     "2017-12-14T13:12:00-05:00", "minute", None),
    ("2017-07-14T00:00:00-04:00", "3 p.m. ET on July 4, 2017", "2017-07-04T15:00:00-04:00",
     "minute", None),
    ("2017-12-14T00:00:00-05:00", "2018", "2018", "year", None),
    ("2016-02-17T04:18:00-05:00", "2016-02-17 16:18:26-05", "2016-02-17T16:18:26-05:00",
     "instant", None),
    ("2021-04-30T10:19:40+00:00", "2021-04-30T10:19:40Z", "2021-04-30T10:19:40+00:00",
     "instant", None),
    (FRIDAY, "This day", "2020-06-12", "day", None),
]


@pytest.mark.parametrize("published,text,value,precision,end", CASES,
                         ids=[c[1] for c in CASES])
def test_resolve(published: str, text: str, value: str, precision: str, end: str | None
                 ) -> None:
    got = resolve(text, datetime.fromisoformat(published))
    assert got is not None
    assert (got.value, got.precision, got.end) == (value, precision, end)


@pytest.mark.parametrize("text", ["the past few years", "10 minutes later", "months and years",
                                  "over 24 million", "recent weeks", "a day to celebrate"])
def test_vague_or_relative_to_an_event_is_left_out(text: str) -> None:
    assert resolve(text, datetime.fromisoformat(FRIDAY)) is None
