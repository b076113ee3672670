"""engine.load.expressions: the allow-list, limits, and vectorised evaluation.

The table of rejected expressions pins what is deliberately unsupported.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.load.expressions import ExpressionError, compile_expression

NAMES = {"impact": "impact score", "likelihood": "likelihood score"}

REJECTED = [
    ("__import__('os')", "`__import__` is not an allowed function (at character 1)"),
    ("().__class__.__bases__", "attribute access (.) is not allowed in expressions (at character 1)"),
    ("impact.real", "attribute access (.) is not allowed in expressions (at character 1)"),
    ("9**9**9**9", "a power's exponent must be a plain number from -10 to 10 (at character 1)"),
    ("impact ** likelihood", "a power's exponent must be a plain number from -10 to 10 (at character 1)"),
    ("impact ** 11", "a power's exponent must be a plain number from -10 to 10 (at character 1)"),
    ("x" * 100_000, "the expression is too long (100,000 characters; the limit is 500)"),
    ("[x for x in impact]", "a comprehension is not allowed in expressions (at character 1)"),
    ("(lambda: 1)()", "lambda is not allowed in expressions (at character 2)"),
    ("impact if likelihood else 0", "`if ... else` is not allowed in expressions (at character 1)"),
    ("impact and likelihood", "`and`/`or` is not allowed in expressions (at character 1)"),
    ("impact[0]", "indexing ([ ]) is not allowed in expressions (at character 1)"),
    ("'text'", "only numbers are allowed as values, not 'text' (at character 1)"),
    ("True", "only numbers are allowed as values, not True (at character 1)"),
    ("open('x')", "`open` is not an allowed function (at character 1)"),
    ("max(impact, key=likelihood)", "`max` takes plain arguments only (at character 1)"),
    ("abs(impact, likelihood)", "`abs` takes 1 arguments, not 2 (at character 1)"),
    ("impact < likelihood < 3", "compare two values at a time (at character 1)"),
    ("impcat * 2", "unknown name `impcat` (at character 1)"),
    ("__builtins__", "unknown name `__builtins__` (at character 1)"),
    ("(x := 1)", "assignment (:=) is not allowed in expressions (at character 2)"),
    ("impact +", "the expression is not valid arithmetic: invalid syntax"),
    ("impact; likelihood", "the expression is not valid arithmetic at character 7: invalid syntax"),
    ("-(" * 30 + "1" + ")" * 30, "the expression is nested too deeply (the limit is 20 levels)"),
    # Known sandbox-escape shapes from simpleeval's history and security reports:
    ("(x for x in ()).gi_frame.f_back", "attribute access (.) is not allowed in expressions (at character 1)"),
    ("f'{impact}'", "a text template is not allowed in expressions (at character 1)"),
    ("min.__self__", "attribute access (.) is not allowed in expressions (at character 1)"),
    ("max(*impact)", "`max` takes plain arguments only (at character 1)"),
    ("{1: 2}[1]", "indexing ([ ]) is not allowed in expressions (at character 1)"),
    ("type(impact)", "`type` is not an allowed function (at character 1)"),
]


@pytest.mark.parametrize("text, message", REJECTED, ids=[r[1][:40] for r in REJECTED])
def test_rejected(text, message):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text, NAMES)
    assert caught.value.message == message


def test_hints_suggest_the_likely_name():
    with pytest.raises(ExpressionError) as caught:
        compile_expression("impcat * 2", NAMES)
    assert caught.value.hint == "did you mean `impact`?"


def test_evaluates_whole_columns():
    expression = compile_expression("impact * likelihood + max(impact, 2) - where(likelihood > 2, 1, 0)", NAMES)
    assert expression.names == {"impact", "likelihood"}
    result = expression.evaluate({"impact": np.array([1, 2, 3]), "likelihood": np.array([4, 0, 3])})
    assert result.tolist() == [5.0, 2.0, 11.0]


def test_division_by_zero_is_not_a_value_and_raises_nothing():
    expression = compile_expression("impact / likelihood + sqrt(impact - 5)", NAMES)
    result = expression.evaluate({"impact": np.array([1, 9]), "likelihood": np.array([0, 3])})
    assert not np.isfinite(result[0]) and result[1] == 5.0


def test_powers_with_small_constant_exponents_work():
    expression = compile_expression("impact ** 2 + impact ** -1", NAMES)
    assert expression.evaluate({"impact": np.array([2.0])}).tolist() == [4.5]
