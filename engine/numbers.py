"""Exact rounding of whole columns to a declared number of decimal places.

Built-in metrics are ratios of whole numbers (counts, populations, positions,
weights scaled to whole numbers), so they are rounded exactly with integer
arithmetic: no floating point is involved between the data and the band.
Results are whole numbers of units of ``10**-decimals``.

Rounding is half away from zero, as Excel's ROUND does: 14.95 to one place is
15.0 and -2.25 is -2.3.

Expression metrics are computed in floating point; their results are first
snapped to :data:`SNAP_PLACES` places beyond the declared precision, which
removes binary noise (``14.949999999999999`` becomes 14.95), then rounded the
same way.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np
    from numpy.typing import NDArray

    #: Column types the engine computes with (one entry per case, per scenario and case, ...).
    IntArray: TypeAlias = NDArray[np.int64]
    BoolArray: TypeAlias = NDArray[np.bool_]
    FloatArray: TypeAlias = NDArray[np.float64]
    ObjectArray: TypeAlias = NDArray[np.object_]

SNAP_PLACES = 6
_INT64_SAFE = 2**62


def round_ratio(numerator: Any, denominator: Any, decimals: int) -> tuple[Any, Any]:
    """Round ``numerator / denominator`` to ``decimals`` places, half away from zero.

    Both are arrays of whole numbers. Returns ``(units, defined)``: ``units`` is
    the rounded value in units of ``10**-decimals`` and ``defined`` is False
    where the denominator is zero (the value is then undefined and ``units`` 0).
    Negative denominators are not expected (populations and counts are >= 0).
    Falls back to Python integers when int64 could overflow.
    """
    import numpy as np

    num = np.asarray(numerator)
    den = np.asarray(denominator)
    defined = den != 0
    scale = 10**decimals
    biggest = int(np.max(np.abs(num), initial=0)) * scale * 2 + int(np.max(np.abs(den), initial=0))
    dtype = np.int64 if biggest < _INT64_SAFE else object
    num = num.astype(dtype) * scale
    den = np.where(defined, den, 1).astype(dtype)
    magnitude = np.abs(num)
    quotient = magnitude // den
    remainder = magnitude - quotient * den
    quotient = quotient + (2 * remainder >= den)
    units = np.where(num < 0, -quotient, quotient)
    return np.where(defined, units, 0), defined


def round_float(values: Any, decimals: int) -> tuple[Any, Any]:
    """Round floats to ``decimals`` places, half away from zero, after snapping off float noise.

    Returns ``(units, defined)`` as :func:`round_ratio` does; NaN and infinite
    values are undefined.
    """
    import numpy as np

    x = np.asarray(values, dtype=float)
    defined = np.isfinite(x) & (np.abs(x) < 1e15 / 10**decimals)
    scaled = np.round(np.where(defined, x, 0.0) * 10**decimals, SNAP_PLACES)
    units = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return units.astype(np.int64), defined


def number(value: Decimal | int | None) -> str:
    """A number as the reports print it: no exponent, no trailing '.0' noise."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def unrounded(exact: Decimal, decimals: int) -> str:
    """An exact value as an audit shows it before rounding to ``decimals`` places: to four more places,
    truncated, with "..." if there is more (``23.47826...``)."""
    shown = exact.quantize(Decimal(1).scaleb(-(decimals + 4)), rounding=ROUND_DOWN)
    return format(shown.normalize(), "f") if shown == exact else format(shown, "f") + "..."


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """A count and its noun, agreeing: ``1 criterion``, ``2 criteria``, ``0 issues`` (default plural: + "s")."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def json_default(value: object) -> int | float:
    """``json.dumps``' ``default``: a decimal score or value (0.75) as a JSON number; anything else is a bug."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
