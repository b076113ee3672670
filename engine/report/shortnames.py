"""Short column headers for narrow terminal tables, and the legend line that says what each stands for.

A criterion ``community_concern`` is headed ``Com``: the first three letters of its id, capitalised, lengthened
(``Comm``) or numbered (``Co2``) until no two headers clash. The legend maps each back to its display name.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.textwidth import wrap

#: The table columns every command shares, and their short headers.
COMMON = {"rank": "#", "total": "tot", "priority": "pri", "margin": "+/-"}
#: What the shared short headers stand for, in the legend.
COMMON_MEANING = {"tot": "total", "pri": "priority", "+/-": "margin: total minus the cutoff"}


def short_names(ids: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Each id's short header (see the module docstring), none equal to another or to one of ``taken``."""
    used = {t.casefold() for t in taken}
    out: dict[str, str] = {}
    for item in ids:
        letters = "".join(c for c in item if c.isalnum()) or "c"
        chosen = None
        for size in range(3, max(len(letters), 3) + 1):
            candidate = letters[:size].capitalize()
            if candidate.casefold() not in used:
                chosen = candidate
                break
        n = 2
        while chosen is None:
            candidate = f"{letters[:2].capitalize()}{n}"
            chosen = candidate if candidate.casefold() not in used else None
            n += 1
        used.add(chosen.casefold())
        out[item] = chosen
    return out


def legend(pairs: Iterable[tuple[str, str]], width: int | None) -> list[str]:
    """``Com = Community Concern; Tre = Trend Increase`` wrapped to ``width``."""
    return wrap("; ".join(f"{short} = {meaning}" for short, meaning in pairs) + ".", width, hanging="  ")
