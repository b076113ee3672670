"""One run, every independent problem: which parts of a rule file later checks may still read.

A rule file is checked in stages: YAML syntax, then its shape (the schema), then its meaning (scales, bands,
references), then its data. A problem at one stage must not hide the problems of the next in parts it did not
touch, nor be reported again as their consequence. So a problem marks the smallest part of the file it breaks
(its *unit*: one criterion, one issue, one judgement or override of an issue, one dataset, measure or derived
value) and the later stages read the file without those parts (:func:`without`). A problem elsewhere (the
assessment, the scale, the total, the priority, or the file as a whole) breaks what everything else relies on:
then the later stages do not run at all.

A later problem that only follows from a part left out (an issue's judgement for a criterion that was left out,
"there is no dataset `crime`" when `crime`'s section was broken) is a consequence, not a new problem:
:func:`consequence` recognises it by the left-out part's name in the message, within that part's reach.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from engine.errors import Problem
from engine.load.overlay import parse_path
from engine.load.yamlfile import KeyPath, format_path

#: Sections whose entries are units of their own: one broken entry leaves the others readable.
_ENTRY_SECTIONS = ("criteria", "issues", "datasets", "measures", "derived")

#: An issue's parts that are units of their own inside it.
_ISSUE_PARTS = ("judgements", "overrides")


def unit_of(path: KeyPath) -> KeyPath | None:
    """The smallest part of the rule file a problem at ``path`` breaks, or None when it breaks what all rely on."""
    if len(path) < 2 or path[0] not in _ENTRY_SECTIONS:
        return None
    if path[0] == "issues":
        if len(path) >= 4 and path[2] in _ISSUE_PARTS:
            return path[:4]
        if len(path) >= 6 and path[2] == "areas" and path[4] in _ISSUE_PARTS:
            return path[:6]
    return path[:2]


def units_of(problems: Iterable[Problem]) -> set[KeyPath] | None:
    """The units ``problems`` break, or None if any breaks what all rely on (or cannot be placed in the file)."""
    units: set[KeyPath] = set()
    for problem in problems:
        try:
            unit = unit_of(parse_path(problem.path)) if problem.path else None
        except ValueError:
            unit = None
        if unit is None:
            return None
        units.add(unit)
    return units


def without(data: dict[str, Any], units: set[KeyPath]) -> dict[str, Any]:
    """A copy of the rule file's values with ``units`` left out (a unit already absent is ignored).

    A broken judgement of a criterion that is itself sound becomes a pending one (``to_be_agreed``) rather than
    vanishing, so its issue still has a score for every criterion and is checked and scored as the rest: the
    placeholder is never reported, only the judgement's own problems are.
    """
    data = copy.deepcopy(data)
    found = data.get("criteria")
    criteria: dict[str, Any] = found if isinstance(found, dict) else {}
    for unit in sorted(units, key=len, reverse=True):  # inner parts first: their parents are still there
        parent: Any = data
        for key in unit[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict) or unit[-1] not in parent:
            continue
        judged = unit[0] == "issues" and unit[-2] == "judgements" and len(unit) == 4
        if judged and unit[-1] in criteria and ("criteria", unit[-1]) not in units:
            parent[unit[-1]] = {"score": "to_be_agreed", "rationale": "", "evidence": ""}
        else:
            del parent[unit[-1]]
    return data


def consequence(problem: Problem, units: set[KeyPath]) -> bool:
    """Whether ``problem`` only follows from a unit left out: it lies inside the unit (about its stand-in), or it
    names the unit's id (in backticks) and lies where that id is used. A left-out criterion, dataset, measure or
    derived value is used anywhere; a left-out judgement or override only within its own issue (``issue `x` has no
    score for criterion `c```)."""
    for unit in units:
        inside = format_path(unit)
        if problem.path == inside or problem.path.startswith((inside + ".", inside + "[")):
            return True  # about the stand-in for a part left out (a judgement held pending)
        if f"`{unit[-1]}`" not in problem.message:
            continue
        if unit[0] != "issues" or len(unit) == 2:
            return True
        issue = format_path(unit[:2])
        if problem.path == issue or problem.path.startswith(issue + "."):
            return True
    return False
