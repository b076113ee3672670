"""Periods of months for ingestion: parsed, checked and put in time order.

A period is a label and a run of months, ``FIRST:LAST`` (``2024-03:2024-04``; one month may be written
alone). Months are ``YYYY-MM`` in ASCII digits with a year from 2000 to 2100, compared as (year, month)
integers, so a range is always finite and small. ``--period LABEL=FIRST:LAST`` may be given many times;
``--previous`` and ``--current`` are two more periods, labelled by their months (``2024-01 to 2024-02``), which
must then be the second latest and the latest. No month may be in two periods. Periods are ordered by their
first month; the latest two are the previous and current periods of ``crime.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.errors import InputError, Problem

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)
FIRST_YEAR, LAST_YEAR = 2000, 2100
LABEL_LIMIT = 60
_SHAPE = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Period:
    """One period: its label, its months in order, and the option that declared it (for messages)."""

    label: str
    months: tuple[str, ...]
    option: str

    @property
    def span(self) -> str:
        """``2024-01 to 2024-02``."""
        return f"{self.months[0]} to {self.months[-1]}"


def parse_month(text: str) -> tuple[int, int] | None:
    """``2024-03`` -> (2024, 3); None unless it is YYYY-MM in ASCII digits, a real month, in 2000-2100."""
    found = MONTH.fullmatch(text)
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return (year, month) if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12 else None


def months(spec: str, option: str) -> list[str]:
    """``2024-03:2024-04`` -> the months from the first to the last, inclusive; InputError if it is not a period."""
    first_text, _, last_text = spec.strip().partition(":")
    first, last = parse_month(first_text.strip()), parse_month((last_text or first_text).strip())
    if first is None or last is None or last < first:
        raise InputError([Problem(option, 1, 1, "", f"`{spec}` is not a period of months", _why(spec))])
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _why(spec: str) -> str:
    parts = [p.strip() for p in spec.strip().partition(":")[::2] if p.strip()]
    for part in parts:
        found = MONTH.fullmatch(part)
        if found and not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
            return (
                f"{found.group(1)} is not a year from {FIRST_YEAR} to {LAST_YEAR}; write FIRST:LAST as YYYY-MM:YYYY-MM"
            )
    if len(parts) == 2 and all(parse_month(p) for p in parts):
        return f"{parts[0]} is after {parts[1]}: write the first month first"
    return "write FIRST:LAST as YYYY-MM:YYYY-MM, e.g. 2024-03:2024-04"


def labelled(spec: str, option: str) -> Period:
    """``2017=2017-01:2017-12`` -> a period labelled ``2017``; without ``LABEL=``, labelled by its months."""
    label, equals, rest = spec.partition("=")
    if not equals:
        found = months(spec, option)
        return Period(f"{found[0]} to {found[-1]}", tuple(found), option)
    label = label.strip()
    if not label or len(label) > LABEL_LIMIT or not label.isprintable():
        raise InputError(
            [
                Problem(
                    option,
                    1,
                    1,
                    "",
                    f"`{label}` is not a period label",
                    f"a label is 1 to {LABEL_LIMIT} printable characters, e.g. --period 2017=2017-01:2017-12",
                )
            ]
        )
    return Period(label, tuple(months(rest, option)), option)


def build(current: str | None, previous: str | None, others: list[str]) -> list[Period]:
    """Every requested period, oldest first; InputError listing every problem (bad ranges, overlaps, order)."""
    problems: list[Problem] = []
    found: list[Period] = []
    specs = [(f"--period[{n}]", spec) for n, spec in enumerate(others, start=1)]
    specs += [(name, spec) for name, spec in (("--previous", previous), ("--current", current)) if spec is not None]
    for option, spec in specs:
        try:
            found.append(labelled(spec, option))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    found.sort(key=lambda p: p.months[0])
    problems += _overlaps(found) + _labels(found) + _named_order(found)
    if problems:
        raise InputError(problems)
    return found


def _overlaps(periods: list[Period]) -> list[Problem]:
    out = []
    for n, period in enumerate(periods):
        for other in periods[:n]:
            shared = sorted(set(period.months) & set(other.months))
            if shared:
                both = shared[0] if len(shared) == 1 else f"{shared[0]} to {shared[-1]}"
                out.append(
                    Problem(
                        period.option,
                        1,
                        1,
                        "",
                        f"period `{period.label}` ({period.span}) overlaps period `{other.label}` ({other.span}, "
                        f"{other.option}): {both} would count twice",
                        "each month may be in one period only",
                    )
                )
    return out


def _labels(periods: list[Period]) -> list[Problem]:
    seen: dict[str, Period] = {}
    out = []
    for period in periods:
        if period.label in seen:
            out.append(
                Problem(period.option, 1, 1, "", f"period label `{period.label}` is also {seen[period.label].option}")
            )
        seen.setdefault(period.label, period)
    return out


def _named_order(periods: list[Period]) -> list[Problem]:
    """--current must be the latest period and --previous the one before it."""
    out = []
    for option, back in (("--current", 1), ("--previous", 2)):
        where = [n for n, p in enumerate(periods) if p.option == option]
        if where and len(periods) - where[0] != back:
            wanted = "the latest period" if back == 1 else "the period just before the latest"
            latest = periods[-back] if len(periods) >= back else periods[-1]
            out.append(
                Problem(
                    option,
                    1,
                    1,
                    "",
                    f"{option} ({periods[where[0]].span}) must be {wanted}, but `{latest.label}` ({latest.span}, "
                    f"{latest.option}) is",
                    "give every period with --period LABEL=FIRST:LAST instead, in any order",
                )
            )
    return out


def month_labels(periods: list[Period]) -> dict[str, str]:
    """Month -> the label of the period holding it."""
    return {month: p.label for p in periods for month in p.months}


def labels_sort_as_time(periods: list[Period]) -> bool:
    """Whether the labels are written alike (every digit taken as 9) and sort as text in time order.

    A ``crime_series`` dataset is put in period order as text unless its rule file declares ``periods:``.
    """
    labels = [p.label for p in periods]
    return len({_SHAPE.sub("9", label) for label in labels}) <= 1 and sorted(labels) == labels
