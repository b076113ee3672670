"""The total rule, in one place: how criterion scores combine into a total, exactly.

A rule file's ``total`` is a plain ``sum``, a ``weighted_sum`` (decimal
weights) or an ``expression`` of the criterion ids. Totals are held as whole
numbers of units of ``10**-places``: a sum has 0 places, a weighted sum as many
as its most precise weight, an expression :data:`~engine.numbers.SNAP_PLACES`
(its float result is snapped, then rounded half away from zero). Scoring, the
scenario grid (many weightings at once) and lint (the extreme totals) all
combine through :func:`combine`, so they cannot disagree. Derived values
(:func:`derive`) are computed here too, from the same scores, so a total that
uses them agrees everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.load.model import Derived, Total
from engine.numbers import SNAP_PLACES, round_float

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True)
class Totals:
    """Totals as whole units of ``10**-places``; ``defined`` is False where an expression has no value."""

    units: NDArray[np.int64]
    places: int
    defined: NDArray[np.bool_]

    def rescaled(self, places: int) -> Totals:
        """The same totals with at least ``places`` places (more places never lose precision)."""
        if places <= self.places:
            return self
        return Totals(self.units * 10 ** (places - self.places), places, self.defined)


def decimal_places(values: Iterable[Decimal]) -> int:
    """The most decimal places any of ``values`` needs (0 for whole numbers; ``0e-19`` and ``2.50`` need 0 and 1)."""
    return max((max(-int(v.normalize().as_tuple().exponent), 0) for v in values if v.is_finite()), default=0)


def weight_units(weights: Sequence[Decimal], places: int) -> NDArray[np.int64]:
    """Weights as whole numbers of ``10**-places`` units (exact: ``places`` covers every weight)."""
    import numpy as np

    return np.array([int(w.scaleb(places)) for w in weights], dtype=np.int64)


@dataclass(frozen=True)
class DerivedValues:
    """One derived value per case: whole units of ``10**-places``; ``defined`` is False where it has no value."""

    units: NDArray[np.int64]
    places: int
    defined: NDArray[np.bool_]

    def value(self, i: int) -> Decimal | None:
        """Case ``i``'s value as an exact decimal, or None."""
        return as_decimal(int(self.units[i]), self.places) if self.defined[i] else None


def score_names(criteria: Sequence[str], scores: NDArray[np.int64], places: int) -> dict[str, Any]:
    """Each criterion's scores as the values expressions see: whole numbers, or 0.75 where a scale has such points."""
    if places == 0:
        return {c: scores[..., k] for k, c in enumerate(criteria)}
    return {c: scores[..., k] / 10**places for k, c in enumerate(criteria)}


def derive(
    derived: Mapping[str, Derived], criteria: Sequence[str], scores: NDArray[np.int64], places: int = 0
) -> dict[str, DerivedValues]:
    """Every derived value over ``scores`` (last axis: criteria), in order, each rounded to its own places.

    ``scores`` are whole units of ``10**-places``. A later value uses an earlier one as rounded, so what
    ``explain`` shows is exactly what was used.
    """
    import numpy as np

    names = score_names(criteria, scores, places)
    out: dict[str, DerivedValues] = {}
    for did, item in derived.items():
        values = np.broadcast_to(item.expression.evaluate(names), scores.shape[:-1])
        units, defined = round_float(values, item.decimals)
        out[did] = DerivedValues(units, item.decimals, defined)
        names[did] = np.where(defined, units / 10**item.decimals, np.nan)
    return out


def combine(
    total: Total,
    criteria: Sequence[str],
    scores: NDArray[np.int64],
    weights: tuple[Any, int] | None = None,
    derived: Mapping[str, Derived] | None = None,
    derived_values: Mapping[str, DerivedValues] | None = None,
    places: int = 0,
) -> Totals:
    """Combine ``scores`` (last axis: one score per criterion, in ``criteria`` order) by the total rule.

    ``scores`` are whole units of ``10**-places`` (``RuleSet.score_places``): a sum keeps those places, a
    weighted sum adds its weights' places, an expression sees the scores as the numbers the scale writes.

    ``weights`` replaces a weighted sum's own weights: ``(units, places)``, the
    units broadcastable against ``scores`` (e.g. ``[scenarios, 1, criteria]`` for
    ``[scenarios, cases, criteria]`` scores). Other leading axes pass through.
    An expression total reads ``derived_values`` when the caller has computed them for ``scores``,
    else derives the rule file's ``derived`` values itself.
    """
    import numpy as np

    if total.method == "sum":
        units = scores.sum(axis=-1)
        return Totals(units, places, np.ones(units.shape, dtype=bool))
    if total.method == "weighted_sum":
        if weights is None:
            own = [total.weights[c] for c in criteria]
            weights = (weight_units(own, decimal_places(own)), decimal_places(own))
        matrix, weight_places = weights
        units = (scores * matrix).sum(axis=-1)
        return Totals(units, places + weight_places, np.ones(units.shape, dtype=bool))
    if total.expression is None:  # pragma: no cover - the loader requires an expression for this method
        raise ValueError("an expression total without an expression")
    if derived_values is None:
        derived_values = derive(derived or {}, criteria, scores, places)
    values = total.expression.evaluate(_total_names(total, criteria, scores, derived_values, places))
    units, defined = round_float(np.broadcast_to(values, scores.shape[:-1]), SNAP_PLACES)
    return Totals(units, SNAP_PLACES, defined)


def _total_names(
    total: Total,
    criteria: Sequence[str],
    scores: NDArray[np.int64],
    derived_values: Mapping[str, DerivedValues],
    places: int,
) -> dict[str, Any]:
    """The values an expression total reads: the scores and the derived values as held."""
    import numpy as np

    assert total.expression is not None
    names = score_names(criteria, scores, places)
    for did, found in derived_values.items():
        if did in total.expression.names:
            names[did] = np.where(found.defined, found.units / 10**found.places, np.nan)
    return names


def total_troubles(
    total: Total,
    criteria: Sequence[str],
    scores: NDArray[np.int64],
    derived_values: Mapping[str, DerivedValues],
    places: int = 0,
) -> list[str]:
    """Per case (flattened), why an expression total has no value; "" where it has one or is too large to hold."""
    import numpy as np

    assert total.expression is not None
    found = total.expression.why_undefined(_total_names(total, criteria, scores, derived_values, places))
    return found * int(np.prod(scores.shape[:-1])) if len(found) == 1 else found


def as_decimal(units: int, places: int) -> Decimal:
    """A total's exact value: whole totals print without a decimal point, others without trailing zeros."""
    value = Decimal(units).scaleb(-places)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
