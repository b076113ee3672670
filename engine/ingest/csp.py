"""Which Community Safety Partnership of today a district name of any vintage since 2011 lies in.

:meth:`Resolver.resolve` takes a district as a police.uk file writes it and the force that reported it, and
tries, in order, stopping at the first rule that finds any partnership:

0. **declared**: a mapping the user declared (``--map "Christchurch=Bournemouth"``);
a. **name**: a partnership of that name, compared by :func:`engine.ingest.names.normalise`;
b. **joined name**: a partnership whose name joins several former districts (``Daventry and South
   Northamptonshire``, ``Dartford and Gravesham``), for a name that has been a district;
c. **former name**: a partnership that had that name in the 2019 lookup, matched by partnership code
   (``Shepway`` is today's Folkestone and Hythe, E22000145);
d. **successor**: the partnerships lying in the district that covers it today (``Taunton Deane`` ->
   Somerset E06000066 -> the Somerset partnership; ``St Edmundsbury`` -> West Suffolk -> Western Suffolk, through
   the 2019 lookup where Table C2 says "Combined Local Authorities").

Where a rule finds partnerships in the reporting force and elsewhere, those of the reporting force win. One
partnership: resolved. Several: *split* when the name is a district of today holding several partnerships
(``Buckinghamshire``: only an LSOA -> partnership lookup can divide its rows), else *ambiguous* (``Christchurch``,
now inside Bournemouth, Christchurch and Poole, which holds the Bournemouth and Poole partnerships: the user must
declare which). None: *unmapped*, with a did-you-mean. Nothing is ever guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from engine.errors import did_you_mean
from engine.ingest.geography import Area, Csp, Geography, load_geography
from engine.ingest.names import force_key, normalise

RESOLVED, SPLIT, AMBIGUOUS, UNMAPPED = "resolved", "split", "ambiguous", "unmapped"
DECLARED, NAME, JOINED, FORMER, SUCCESSOR = "declared", "name", "joined name", "former name", "successor"
_JOINS = re.compile(r", | and ")


@dataclass(frozen=True)
class Resolution:
    """Where a district name lies: ``status`` is resolved, split, ambiguous or unmapped.

    ``area`` is the partnership (or district of today) when resolved; ``candidates`` the areas it could be when
    split or ambiguous; ``rule`` the rule that decided; ``via`` the district of today a successor match went
    through; ``suggestion`` a did-you-mean when unmapped.
    """

    district: str
    force: str
    status: str
    area: Area | None = None
    rule: str = ""
    candidates: tuple[Area, ...] = ()
    via: str = ""
    suggestion: str = ""


class Resolver:
    """Resolves district names to the partnerships of ``geography``; ``declared`` maps normalised names to areas."""

    def __init__(self, geography: Geography, declared: dict[str, Area] | None = None):
        self.geography = geography
        self.declared = declared or {}
        self._cache: dict[tuple[str, str], Resolution] = {}
        self._by_name = _index((normalise(c.name), c) for c in geography.csps)
        joined = [(c, _parts(normalise(c.name))) for c in geography.csps]
        self._by_part = _index((part, c) for c, parts in joined if len(parts) > 1 for part in parts)
        self._by_former = _index(
            (normalise(r.csp_name), geography.by_code[r.csp_code])
            for r in geography.lookup
            if r.csp_code in geography.by_code
        )

    def resolve(self, district: str, force: str) -> Resolution:
        """Where ``district`` (as written, e.g. ``The Vale of Glamorgan``) reported by ``force`` lies."""
        key = (district, force_key(force))
        if key not in self._cache:
            self._cache[key] = self._resolve(district, force)
        return self._cache[key]

    def _resolve(self, district: str, force: str) -> Resolution:
        name = normalise(district)
        if name in self.declared:
            return Resolution(district, force, RESOLVED, self.declared[name], DECLARED)
        known = name in self.geography.codes_of_names
        rules: list[tuple[str, list[Csp]]] = [
            (NAME, self._by_name.get(name, [])),
            (JOINED, self._by_part.get(name, []) if known else []),
            (FORMER, self._by_former.get(name, [])),
        ]
        for rule, found in rules:
            if found:
                return self._decide(district, force, rule, found, split=False)
        codes = self.geography.codes_of_names.get(name, frozenset())
        today = {self.geography.active(code) for code in codes}
        found = [c for c in self.geography.csps if self.geography.active_codes(c) & today]
        if found:
            via = ", ".join(f"{self.geography.names_of_codes.get(code, code)} ({code})" for code in sorted(today))
            split = any(self.geography.is_current(code) for code in codes)
            return self._decide(district, force, SUCCESSOR, found, split=split, via=via)
        choices = [c.name for c in self.geography.csps] + [d.name for d in self.geography.districts]
        return Resolution(district, force, UNMAPPED, suggestion=did_you_mean(district, choices))

    def _decide(self, district: str, force: str, rule: str, found: list[Csp], split: bool, via: str = "") -> Resolution:
        found = list({c.code: c for c in found}.values())
        local = [c for c in found if force_key(c.force) == force_key(force)]
        found = local or found
        if len(found) == 1:
            return Resolution(district, force, RESOLVED, found[0], rule, via=via)
        status = SPLIT if split else AMBIGUOUS
        return Resolution(district, force, status, rule=rule, candidates=tuple(found), via=via)


def _parts(name: str) -> list[str]:
    return [p.strip() for p in _JOINS.split(name) if p.strip()]


def _index(pairs: Iterable[tuple[str, Csp]]) -> dict[str, list[Csp]]:
    out: dict[str, list[Csp]] = {}
    for key, csp in pairs:
        out.setdefault(key, []).append(csp)
    return out


@lru_cache(maxsize=1)
def _bundled() -> Resolver:
    return Resolver(load_geography())


def resolve(district: str, force: str) -> Resolution:
    """Where ``district`` reported by ``force`` lies among today's partnerships, by the bundled ONS tables."""
    return _bundled().resolve(district, force)
