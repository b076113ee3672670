"""Which district of today a district name of any vintage lies in (``ingest police-uk --unit district``).

The areas are today's districts of each police force area: the districts of today its partnerships lie in.
A name resolves, in order, as a declared mapping; as a district (of any vintage) whose district of today is
one (``West Dorset`` -> Dorset, ``Christchurch`` -> Bournemouth, Christchurch and Poole); else through its
partnership (:class:`engine.ingest.csp.Resolver`: ``Shepway`` -> Folkestone and Hythe) when that partnership lies
in one district of today. Anything else is ambiguous or unmapped, never guessed.
"""

from __future__ import annotations

from functools import cached_property

from engine.ingest.csp import AMBIGUOUS, DECLARED, RESOLVED, UNMAPPED, Resolution, Resolver
from engine.ingest.geography import Area, Geography
from engine.ingest.names import force_key, normalise

DISTRICT, SUCCESSOR_DISTRICT = "district", "district of today"


class DistrictResolver:
    """Resolves district names to the districts of today of ``geography``."""

    def __init__(self, geography: Geography, declared: dict[str, Area] | None = None):
        self.geography = geography
        self.declared = declared or {}
        self.partnerships = Resolver(geography)
        self._cache: dict[tuple[str, str], Resolution] = {}

    @cached_property
    def areas(self) -> dict[str, Area]:
        """Code -> district of today, in its police force area (the first partnership lying in it decides)."""
        out: dict[str, Area] = {}
        for csp in self.geography.csps:
            for code in sorted(self.geography.active_codes(csp)):
                out.setdefault(code, Area(code, self.geography.names_of_codes.get(code, code), csp.force))
        return out

    def resolve(self, district: str, force: str) -> Resolution:
        """Where ``district`` reported by ``force`` lies among today's districts."""
        key = (district, force_key(force))
        if key not in self._cache:
            self._cache[key] = self._resolve(district, force)
        return self._cache[key]

    def _resolve(self, district: str, force: str) -> Resolution:
        name = normalise(district)
        if name in self.declared:
            return Resolution(district, force, RESOLVED, self.declared[name], DECLARED)
        codes = self.geography.codes_of_names.get(name, frozenset())
        today = sorted({self.geography.active(c) for c in codes} & set(self.areas))
        if len(today) == 1:
            rule = DISTRICT if today[0] in codes else SUCCESSOR_DISTRICT
            return Resolution(district, force, RESOLVED, self.areas[today[0]], rule)
        through = self.partnerships.resolve(district, force)
        if through.status == RESOLVED and through.area is not None and not today:
            found = sorted(self.geography.active_codes(self.geography.by_code[through.area.code]) & set(self.areas))
            if len(found) == 1:
                return Resolution(district, force, RESOLVED, self.areas[found[0]], through.rule)
            today = found
        if today:
            return Resolution(district, force, AMBIGUOUS, candidates=tuple(self.areas[c] for c in today))
        return Resolution(district, force, UNMAPPED, suggestion=through.suggestion)
