"""The one number policy: how large and how precise a number in any input may be.

Every number a person writes - in a rule file, a scenario or tests file, ``--set``,
``--cutoff``, ``--vary``, an expression's text, a dataset's cell - passes
:func:`number_problem` before anything computes with it. A number is accepted when

- its size is at most :data:`MAX_MAGNITUDE` (10^12) either side of zero;
- it has at most :data:`MAX_SIGNIFICANT` (15) significant digits, so a float holds it exactly;
- it has at most :data:`MAX_PLACES` (6) decimal places as written (``1.5000000`` has 7).

Whole numbers are therefore at most 13 digits long. The checks look only at the
number's digits and exponent, never compute with it, so ``1e-999999999`` or a
5,001-digit integer is refused at once instead of hanging or overflowing.
Expression results are held to :data:`MAX_RESULT` (10^300): beyond it a value
overflows. A sweep gives a parameter at most :data:`MAX_SWEEP_VALUES` values.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from engine.errors import HintedError

MAX_MAGNITUDE = Decimal(10) ** 12
MAX_SIGNIFICANT = 15
MAX_PLACES = 6
MAX_RESULT = 1e300
MAX_SWEEP_VALUES = 100_000
#: A number's text longer than this is not even shown in full in a message.
_SHOWN = 24

#: The hint every refused number gets.
HINT = "numbers are limited to ±1e12, 15 significant digits and 6 decimal places"


def shown(text: str) -> str:
    """A number's text as a message quotes it: long ones cut, with their length."""
    text = text.strip()
    if len(text) <= _SHOWN:
        return f"`{text}`"
    return f"`{text[:_SHOWN]}...` ({len(text):,} characters)"


def number_problem(value: Decimal | int, text: str | None = None) -> str | None:
    """Why ``value`` (written as ``text``) breaks the policy, or None when it is within it.

    NaN and infinities break it too. Never does arithmetic on ``value``.
    """
    quoted = shown(text if text is not None else str(value))
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = Decimal(value)
    if not value.is_finite():
        return f"{quoted} is not a finite number"
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if -exponent > MAX_PLACES:  # as written: 1.5000000 would be held to 7 places
        return f"{quoted} has more than {MAX_PLACES} decimal places"
    zeros = _trailing_zeros(digits)
    significant = len(digits) - zeros
    if significant == 0:
        return None  # zero
    exponent += zeros
    if exponent + significant - 1 >= 12 and value.copy_abs() > MAX_MAGNITUDE:  # copy_abs: no rounding, no trap
        return f"{quoted} is too large (the limit is ±1e12)"
    if significant > MAX_SIGNIFICANT:
        return f"{quoted} has more than {MAX_SIGNIFICANT} significant digits"
    return None


def _trailing_zeros(digits: tuple[int, ...]) -> int:
    count = 0
    for digit in reversed(digits):
        if digit:
            break
        count += 1
    return count


def parse_decimal(text: str) -> Decimal:
    """``text`` as an exact decimal within the policy; :class:`HintedError` saying why not.

    Accepts what ``Decimal`` reads (``5``, ``-0.25``, ``1e3``), after stripping spaces.
    """
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise HintedError(f"`{text.strip()}` is not a number", "e.g. 5, 0.5 or 1e3") from None
    problem = number_problem(value, text)
    if problem:
        raise HintedError(problem, HINT)
    return value


def check_number(value: Decimal | int, text: str | None = None) -> None:
    """Raise :class:`HintedError` if ``value`` breaks the policy (see :func:`number_problem`)."""
    problem = number_problem(value, text)
    if problem:
        raise HintedError(problem, HINT)
