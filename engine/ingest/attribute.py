"""Put counted rows in their areas: each (force, district) resolved once, each row given one fate.

A row whose district resolves to an area of a force whose files were read is counted there, whichever force
reported it (a crime a force recorded just over its border is a crime of the area it lies in). One lying in the
area of a force whose files were not read is left out and counted as such, since that area's count would be
partial. A district of today holding several partnerships is divided by the LSOA lookup when one is given; a row
whose LSOA the lookup lacks, or places in a partnership outside that district, is not assignable. Ambiguous and
unmapped districts are returned for the caller to report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from engine.ingest.account import Account
from engine.ingest.csp import AMBIGUOUS, RESOLVED, SPLIT, UNMAPPED, Resolution
from engine.ingest.geography import Area
from engine.ingest.names import force_key
from engine.ingest.street import Key

LSOA_RULE = "LSOA lookup"


class Resolves(Protocol):
    def resolve(self, district: str, force: str) -> Resolution: ...


@dataclass
class Attributed:
    """Rows per (area code, crime type, period label), and each district's resolution with its rows."""

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    resolutions: dict[tuple[str, str], Resolution] = field(default_factory=dict)
    rows: Counter[tuple[str, str]] = field(default_factory=Counter)  # (force, district) -> rows in the periods
    by_lsoa: Counter[tuple[str, str]] = field(default_factory=Counter)  # (district, area) -> rows divided by LSOA
    used_by_force: Counter[str] = field(default_factory=Counter)  # reporting force -> rows counted in an area
    ambiguous: Counter[tuple[str, str]] = field(default_factory=Counter)
    unmapped: Counter[tuple[str, str]] = field(default_factory=Counter)


def attribute(
    counts: Counter[Key],
    labels: dict[str, str],
    resolver: Resolves,
    forces_read: set[str],
    by_code: Mapping[str, Area],
    account: Account,
) -> Attributed:
    """Give every counted row its fate in ``account`` and its area in the result (see the module docstring)."""
    out = Attributed()
    for (force, district, lsoa, category, month), n in sorted(counts.items()):
        if not district:
            account.no_location += n
            continue
        found = resolver.resolve(district, force)
        out.resolutions[(force, district)] = found
        out.rows[(force, district)] += n
        area = found.area if found.status == RESOLVED else None
        if found.status == SPLIT and lsoa in by_code and by_code[lsoa] in found.candidates:
            area = by_code[lsoa]
            out.by_lsoa[(district, area.name)] += n
        if area is None and found.candidates and not any(force_key(c.force) in forces_read for c in found.candidates):
            account.outside_forces_read[district] += n
        elif area is None and found.status == SPLIT:
            account.not_assignable[district] += n
        elif area is None and found.status == AMBIGUOUS:
            out.ambiguous[(force, district)] += n
        elif area is None or found.status == UNMAPPED:
            account.unmapped[district] += n
            out.unmapped[(force, district)] += n
        elif force_key(area.force) not in forces_read:
            account.outside_forces_read[district] += n
        else:
            account.used += n
            out.used_by_force[force] += n
            account.in_another_force += n if force_key(area.force) != force_key(force) else 0
            out.counts[(area.code, category, labels[month])] += n
    return out
