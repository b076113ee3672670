"""Arithmetic expressions in rule files: checked once at load, evaluated over whole columns.

An expression is parsed when the rule file is loaded and its syntax tree is
checked against a short allow-list, so a bad expression is a load error with a
position, never a surprise mid-run. Evaluation goes through simpleeval with our
own operators, functions and names bound to numpy arrays, so one evaluation
scores every issue at once. Nothing here uses ``eval``/``exec`` or
``pandas.eval``.

Allowed: numbers; the names the context offers; ``+ - * / %``; ``**`` with a
plain-number exponent between -10 and 10; comparisons (inside ``where``); the
functions in :data:`FUNCTIONS`. A number in the text is within the one number
policy (:mod:`engine.limits`). Everything else - attribute access (``.``),
indexing, strings, lambdas, comprehensions, ``and``/``or``, keyword arguments -
is rejected. Limits: 500 characters and 20 levels of nesting.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from engine import limits, stats
from engine.errors import HintedError, did_you_mean

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_EXPONENT = 10

#: name -> (minimum arguments, maximum arguments, what it does). Documented in the README.
FUNCTIONS: dict[str, tuple[int, int, str]] = {
    "min": (2, 10, "the smallest of its arguments"),
    "max": (2, 10, "the largest of its arguments"),
    "abs": (1, 1, "the absolute value"),
    "sqrt": (1, 1, "the square root (undefined below zero)"),
    "where": (3, 3, "where(condition, a, b): a where the condition holds, else b"),
    "poisson_z": (
        2,
        2,
        "poisson_z(previous, current): 2 x (sqrt(current) - sqrt(previous)), the change in standard errors",
    ),
    "poisson_p": (2, 2, "poisson_p(previous, current): the two-sided p-value of that change (below 0.05: significant)"),
}

_BINARY: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.AST], Callable[..., Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class ExpressionError(HintedError):
    """An expression is not allowed."""


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its syntax tree and the names it reads."""

    text: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Evaluate over ``values`` (numpy arrays or numbers); returns an array of floats.

        Division by zero and square roots of negatives give NaN or infinity,
        which callers treat as "no value". No warnings are raised.
        """
        import numpy as np
        from simpleeval import SimpleEval

        evaluator = SimpleEval(
            operators={**_BINARY, **_UNARY, **_COMPARE},
            functions=_numpy_functions(np),
            names={name: np.asarray(values[name], dtype=float) for name in self.names},
        )
        with np.errstate(all="ignore"):
            return np.asarray(evaluator.eval(self.text, previously_parsed=self.tree), dtype=float)

    def why_undefined(self, values: Mapping[str, Any]) -> list[str]:
        """Per element of :meth:`evaluate`'s result (flattened), why it has no value; "" where it has one.

        The expression is evaluated again with operators that note, element by element, the first
        division or remainder by zero, square root of a negative number or overflow (a value beyond
        ±:data:`engine.limits.MAX_RESULT`). Only the error paths call this.
        """
        import numpy as np
        from simpleeval import SimpleEval

        causes: list[tuple[Any, str]] = []
        operators, functions = _tracking(np, causes)
        evaluator = SimpleEval(
            operators={**operators, **_COMPARE},
            functions=functions,
            names={name: np.asarray(values[name], dtype=float) for name in self.names},
        )
        with np.errstate(all="ignore"):
            result = np.asarray(evaluator.eval(self.text, previously_parsed=self.tree), dtype=float)
        found = np.full(result.shape, "", dtype=object)
        bad = ~np.isfinite(result)
        found[bad] = NO_VALUE
        for mask, reason in reversed(causes):  # the first cause noted wins
            found[np.broadcast_to(mask, result.shape) & bad] = reason
        found[np.isfinite(result) & (np.abs(result) > limits.MAX_RESULT)] = OVERFLOW
        return [str(x) for x in found.ravel()]


#: Why an expression has no value, each cause in its own words.
DIVIDES_BY_ZERO = "the expression divides or takes a remainder by zero"
NEGATIVE_ROOT = "the expression takes the square root of a negative number"
OVERFLOW = "the expression overflows (a value beyond ±1e300)"
NO_VALUE = "the expression has no value (a value it uses has none)"


def _tracking(np: Any, causes: list[tuple[Any, str]]) -> tuple[dict[type[ast.AST], Any], dict[str, Any]]:
    """Operators and functions that compute as :meth:`Expression.evaluate` does and note each cause in ``causes``."""

    def overflowing(op: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            out = op(*args)
            finite_in = np.all(np.broadcast_arrays(*[np.isfinite(np.asarray(a, dtype=float)) for a in args]), axis=0)
            causes.append((finite_in & ~(np.abs(out) <= limits.MAX_RESULT) & ~np.isnan(out), OVERFLOW))
            return out

        return run

    def by_zero(op: Callable[..., Any]) -> Callable[..., Any]:
        def run(a: Any, b: Any) -> Any:
            causes.append((np.asarray(b, dtype=float) == 0, DIVIDES_BY_ZERO))
            return op(a, b)

        return run

    def power(a: Any, b: Any) -> Any:
        causes.append(((np.asarray(a, dtype=float) == 0) & (np.asarray(b, dtype=float) < 0), DIVIDES_BY_ZERO))
        return operator.pow(a, b)

    def sqrt(x: Any) -> Any:
        causes.append((np.asarray(x, dtype=float) < 0, NEGATIVE_ROOT))
        return np.sqrt(x)

    ops: dict[type[ast.AST], Any] = {kind: overflowing(op) for kind, op in _BINARY.items()}
    ops[ast.Div] = by_zero(ops[ast.Div])
    ops[ast.Mod] = by_zero(ops[ast.Mod])
    ops[ast.Pow] = overflowing(power)
    ops.update(_UNARY)
    return ops, {**_numpy_functions(np), "sqrt": sqrt}


def _numpy_functions(np: Any) -> dict[str, Any]:
    return {
        "min": lambda *xs: np.minimum.reduce(np.broadcast_arrays(*xs)),
        "max": lambda *xs: np.maximum.reduce(np.broadcast_arrays(*xs)),
        "abs": np.abs,
        "sqrt": np.sqrt,
        "where": lambda cond, a, b: np.where(cond, a, b),
        "poisson_z": stats.poisson_z,
        "poisson_p": stats.poisson_p,
    }


def compile_expression(text: str, allowed_names: Mapping[str, str]) -> Expression:
    """Parse and check ``text``; raise :class:`ExpressionError` if it is not allowed.

    ``allowed_names`` maps each name the expression may use to what it means
    (used for hints).
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is too long ({len(text):,} characters; the limit is {MAX_LENGTH})",
            "split the calculation into simpler criteria",
        )
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        where = f" at character {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"the expression is not valid arithmetic{where}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression cannot be read (too deeply nested or malformed)") from None
    names: set[str] = set()
    _Walk(allowed_names, names, text.strip()).check(tree, depth=1)
    return Expression(text.strip(), tree, frozenset(names))


@dataclass
class _Walk:
    """One pass over an expression's tree: the names it may use, and those it does use."""

    allowed: Mapping[str, str]
    names: set[str]
    text: str = ""

    def check(self, node: ast.AST, depth: int) -> None:
        """Raise :class:`ExpressionError` unless ``node`` and everything below it is allowed."""
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply (the limit is {MAX_DEPTH} levels)")
        where = f" (at character {node.col_offset + 1})" if hasattr(node, "col_offset") else ""
        check = _NODE_CHECKS.get(type(node), _not_allowed)
        check(node, self, depth, where)


def _not_allowed(node: Any, walk: _Walk, depth: int, where: str) -> NoReturn:
    raise ExpressionError(f"{_describe(node)} is not allowed in expressions{where}", _allowed_summary())


def _check_constant(node: ast.Constant, walk: _Walk, depth: int, where: str) -> None:
    if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
        raise ExpressionError(f"only numbers are allowed as values, not {node.value!r}{where}")
    # The number as written (Python reads 1e999 as infinity and 1e-999 as 0): the one number policy.
    written = (ast.get_source_segment(walk.text, node) or repr(node.value)).replace("_", "")
    try:
        problem = limits.number_problem(Decimal(written), written)
    except InvalidOperation:  # 0x10, 1j: not a plain decimal number
        problem = f"`{written}` is not a plain decimal number"
    if problem:
        raise ExpressionError(f"{problem}{where}", limits.HINT)


def _check_name(node: ast.Name, walk: _Walk, depth: int, where: str) -> None:
    allowed = walk.allowed
    if node.id not in allowed:
        hint = did_you_mean(node.id, list(allowed)) or f"names you can use: {', '.join(allowed)}"
        if node.id.startswith("_"):
            hint = f"names you can use: {', '.join(allowed)}"
        raise ExpressionError(f"unknown name `{node.id}`{where}", hint)
    walk.names.add(node.id)


def _check_binary(node: ast.BinOp, walk: _Walk, depth: int, where: str) -> None:
    if type(node.op) not in _BINARY:  # e.g. @ or <<: named by the node, as any other unlisted syntax
        _not_allowed(node, walk, depth, where)
    if isinstance(node.op, ast.Pow):
        exponent = _plain_number(node.right)
        if exponent is None or abs(exponent) > MAX_EXPONENT:
            raise ExpressionError(
                f"a power's exponent must be a plain number from -{MAX_EXPONENT} to {MAX_EXPONENT}{where}"
            )
    walk.check(node.left, depth + 1)
    walk.check(node.right, depth + 1)


def _check_unary(node: ast.UnaryOp, walk: _Walk, depth: int, where: str) -> None:
    if type(node.op) not in _UNARY:  # `not`, `~`
        _not_allowed(node, walk, depth, where)
    walk.check(node.operand, depth + 1)


def _check_compare(node: ast.Compare, walk: _Walk, depth: int, where: str) -> None:
    if not all(type(op) in _COMPARE for op in node.ops):  # `in`, `is`
        _not_allowed(node, walk, depth, where)
    if len(node.ops) != 1:
        raise ExpressionError(f"compare two values at a time{where}", "write where(a < b, ...) not a < b < c")
    walk.check(node.left, depth + 1)
    walk.check(node.comparators[0], depth + 1)


def _check_call(node: ast.Call, walk: _Walk, depth: int, where: str) -> None:
    if not isinstance(node.func, ast.Name):
        walk.check(node.func, depth + 1)  # reports what the callee is (e.g. attribute access)
        raise ExpressionError(f"only the listed functions can be called{where}", _allowed_summary())
    name = node.func.id
    if name not in FUNCTIONS:
        hint = did_you_mean(name, list(FUNCTIONS)) if not name.startswith("_") else ""
        raise ExpressionError(
            f"`{name}` is not an allowed function{where}",
            hint or f"functions you can use: {', '.join(FUNCTIONS)}",
        )
    low, high, _ = FUNCTIONS[name]
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise ExpressionError(f"`{name}` takes plain arguments only{where}")
    if not low <= len(node.args) <= high:
        count = str(low) if low == high else f"{low} to {high}"
        raise ExpressionError(f"`{name}` takes {count} arguments, not {len(node.args)}{where}")
    for arg in node.args:
        walk.check(arg, depth + 1)


#: The allow-list: syntax node type -> its check (which raises, or checks the node's children one level deeper).
#: Every node type not listed is refused, named by :func:`_describe`.
_NODE_CHECKS: dict[type[ast.AST], Callable[[Any, _Walk, int, str], None]] = {
    ast.Constant: _check_constant,
    ast.Name: _check_name,
    ast.BinOp: _check_binary,
    ast.UnaryOp: _check_unary,
    ast.Compare: _check_compare,
    ast.Call: _check_call,
}


def _plain_number(node: ast.AST) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _plain_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _describe(node: ast.AST) -> str:
    return {
        ast.Attribute: "attribute access (.)",
        ast.Subscript: "indexing ([ ])",
        ast.Lambda: "lambda",
        ast.ListComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.BoolOp: "`and`/`or`",
        ast.IfExp: "`if ... else`",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dictionary",
        ast.Set: "a set",
        ast.JoinedStr: "a text template",
        ast.NamedExpr: "assignment (:=)",
        ast.Starred: "unpacking (*)",
    }.get(type(node), f"`{type(node).__name__}`")


def _allowed_summary() -> str:
    return "use numbers, names, + - * / % **, comparisons and the functions " + ", ".join(FUNCTIONS)
