"""Column ids of a dataset as a reader's headings: ``previous`` -> "Previous year", ``county_position`` ->
"County position", ``published_rate_per_1000`` -> "Published rate per 1,000".

The columns every ``crime_counts`` dataset has get their fixed names (:data:`NAMED`); any other column (a
partnership's own, such as ``published_change``) is its id with underscores as spaces, ``percent`` as ``%``,
a rate's base grouped (``per 1,000``) and the first letter capital. Reports keep the id beside the heading
(a ``title``) so an auditor can still find the column in the file.
"""

from __future__ import annotations

import re

#: The fixed columns of the dataset shapes, by their meaning in the assessment.
NAMED = {
    "previous": "Previous year",
    "current": "Current year",
    "county_position": "County position",
    "category": "Category",
    "period": "Period",
    "count": "Count",
    "population": "Population",
}


def heading(column: str) -> str:
    """A dataset column's heading in reports (see the module)."""
    if column in NAMED:
        return NAMED[column]
    words = [w for w in column.replace("-", "_").split("_") if w]
    shown = [_word(w, words[n - 1] if n else "") for n, w in enumerate(words)]
    text = " ".join(shown) or column
    return text[:1].upper() + text[1:]


def _word(word: str, before: str) -> str:
    if word.lower() == "percent":
        return "%"
    if before.lower() == "per" and re.fullmatch(r"\d{4,}", word):  # a rate's base, not a year such as 2021
        return f"{int(word):,}"
    return word
