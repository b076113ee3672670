"""Significance of a change in counts: is it bigger than chance? Over whole columns.

Recorded crime counts are modelled as Poisson. For a previous count ``p`` and a
current count ``c`` the square-root (variance-stabilising) transform gives

    z = 2 x (sqrt(c) - sqrt(p))

which is close to a standard normal when nothing changed, so ``|z| >= 1.96`` is
a change significant at the 5 % level (two-sided) and ``|z| >= 2`` the usual
round rule. The two-sided p-value is ``erfc(|z| / sqrt(2))``. Small counts are
where this matters: 2 -> 3 is "+50 %" but z = 0.63 (p = 0.53), no evidence of
a change; 400 -> 460 is only +15 % but z = 2.9 (p = 0.004).

A missing or negative count gives NaN (no value).
"""

from __future__ import annotations

import math
from typing import Any


def poisson_z(previous: Any, current: Any) -> Any:
    """``2 x (sqrt(current) - sqrt(previous))`` per element; NaN where a count is missing or negative."""
    import numpy as np

    p = np.asarray(previous, dtype=float)
    c = np.asarray(current, dtype=float)
    with np.errstate(invalid="ignore"):
        return 2.0 * (np.sqrt(np.where(c < 0, np.nan, c)) - np.sqrt(np.where(p < 0, np.nan, p)))


def two_sided_p(z: Any) -> Any:
    """The two-sided p-value of a standard normal ``z``: ``erfc(|z| / sqrt(2))``; NaN stays NaN."""
    import numpy as np

    # numpy has no erfc (and scipy is not a dependency): math.erfc, correctly rounded, applied over the column;
    # one C call per value, so a p-value never differs from the textbook figure at any declared precision.
    erfc = np.vectorize(math.erfc, otypes=[float])
    values = np.abs(np.asarray(z, dtype=float)) / math.sqrt(2.0)
    return np.where(np.isnan(values), np.nan, erfc(np.nan_to_num(values)))


def poisson_p(previous: Any, current: Any) -> Any:
    """The two-sided p-value of the change from ``previous`` to ``current`` (see the module docstring)."""
    return two_sided_p(poisson_z(previous, current))
