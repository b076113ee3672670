"""Every row read, accounted for: the fates of police.uk rows, which add up to the rows read, and their summary.

A row is exactly one of: used (counted in an area; some of them reported by one force but lying in another force's
area, which is counted where it lies), in another force's area whose files were not read, without a location,
outside the periods, of a force not selected (``--force``), malformed, not assignable (in a district of today
holding several partnerships, without an LSOA lookup to divide it) or in an unmapped district (left out only with
``--allow-unmapped``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from engine.numbers import plural

NAMES_SHOWN = 5


@dataclass
class Account:
    """Rows by fate; :meth:`accounted` equals ``read`` when nothing is lost."""

    read: int = 0
    used: int = 0
    in_another_force: int = 0  # part of used
    no_location: int = 0
    outside_forces_read: Counter[str] = field(default_factory=Counter)
    outside_periods: int = 0
    not_selected: int = 0
    malformed: int = 0
    not_assignable: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)

    def accounted(self) -> int:
        """Every fate summed (``in_another_force`` is part of ``used``)."""
        return (
            self.used
            + self.no_location
            + sum(self.outside_forces_read.values())
            + self.outside_periods
            + self.not_selected
            + self.malformed
            + sum(self.not_assignable.values())
            + sum(self.unmapped.values())
        )

    def as_dict(self) -> dict[str, Any]:
        """The provenance's ``rows``: each fate, with the districts behind the named ones (most rows first)."""
        return {
            "read": self.read,
            "used": self.used,
            "used_reported_by_another_force": self.in_another_force,
            "in_areas_of_forces_not_read": _named(self.outside_forces_read),
            "no_location": self.no_location,
            "outside_periods": self.outside_periods,
            "forces_not_selected": self.not_selected,
            "malformed": self.malformed,
            "not_assignable": _named(self.not_assignable),
            "unmapped": _named(self.unmapped),
        }


def _named(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_lines(account: Account, files: int, forces: list[str], suggestions: dict[str, str]) -> list[str]:
    """The summary printed after ingestion: rows read, then each fate on its own line, aligned."""
    width = len(f"{account.read:,}")
    shown = ", ".join(forces[:NAMES_SHOWN]) + (
        f" and {len(forces) - NAMES_SHOWN} more" if len(forces) > NAMES_SHOWN else ""
    )

    def line(n: int, text: str, names: Counter[str] | None = None, hint: dict[str, str] | None = None) -> str:
        out = f"  {n:>{width},} {text}"
        if names:
            listed = [
                f"{k} {v:,}" + (f" ({hint[k]})" if hint and hint.get(k) else "") for k, v in _named(names).items()
            ]
            more = len(listed) - NAMES_SHOWN
            out += ": " + ", ".join(listed[:NAMES_SHOWN]) + (f" and {more} more" if more > 0 else "")
        return out

    return [
        f"Rows: {account.read:,} read from {plural(files, 'file')} of {plural(len(forces), 'force')} "
        f"({shown or 'none'})",
        line(
            account.used,
            f"used ({account.in_another_force:,} of them reported by one force but lying in another force's area, "
            "counted where they lie)",
        ),
        line(
            sum(account.outside_forces_read.values()),
            "in areas of forces whose files were not read",
            account.outside_forces_read,
        ),
        line(account.no_location, "without a location"),
        line(account.outside_periods, "outside the periods"),
        line(account.not_selected, "of forces not selected (--force)"),
        line(account.malformed, "malformed"),
        line(sum(account.not_assignable.values()), "not assignable to one partnership", account.not_assignable),
        line(sum(account.unmapped.values()), "in unmapped districts, left out", account.unmapped, suggestions),
    ]
