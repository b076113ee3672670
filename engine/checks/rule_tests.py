"""Rule tests: expected outcomes an officer writes beside a rule file, run like a test suite.

    rules: sevenoaks-2020.yaml             # the rule file, relative to this file
    tests:
      - name: ASB is a priority scoring 28
        issue: anti_social_behaviour         # with the rule file's own data
        expect: {total: 28, priority: true, scores: {trend: 5}}
      - name: a rise from 100 to 115 scores 5
        criterion: trend
        data: {previous: 100, current: 115}  # or metric: 15.0
        expect: {score: 5}
      - name: 3 burglaries and 2 robberies weigh 27.5
        criterion: harm                      # harm_weighted: counts per category
        data: {counts: {Burglary: 3, Robbery: 2}}
        expect: {score: 5}
      - name: at cutoff 26 Substance Misuse drops out
        set: {priority.cutoff: 26}           # any whatif change first
        issue: substance_misuse
        expect: {priority: false}

A test names an ``issue`` (checked against the scored data) or a ``criterion``
(checked against its bands with a ``metric`` value, or ``data`` the metric is
computed from). :func:`boundary_tests` writes a starter file with every band
edge and one precision step either side.

The figures ``data`` may give, and which each metric reads (:data:`FIGURES`):

- ``percent_change``: ``previous``, ``current``; ``rate_per_1000``: ``current``,
  ``population``; ``share_of_total``: ``current``, ``total`` (the total
  category's count); ``count``: ``current``; ``county_position`` and
  ``county_rank``: ``county_position`` (the position as given);
- ``expression``: exactly the names its expression uses (``previous``,
  ``current``, ``population``, ``county_position``), evaluated as the engine
  evaluates it (in floating point, snapped, then rounded);
- ``harm_weighted``: ``counts``, a mapping of category to count,
  ``{counts: {Burglary: 3, Robbery: 2}}``; each category needs a weight in the
  criterion, and the value is the sum of count x weight;
- ``trend_slope`` and ``change_over_periods``: ``counts``, a list of one count
  per period, oldest first, ``{counts: [155, 145, 166]}``; the metric reads the
  last ``periods`` of them (a ``null`` count is a blank cell: missing).

Figures are the issue's counts already summed over its categories. A blank
``previous`` or ``county_position`` (``null``) is a missing figure in the data:
the metric has no value, as in a run. A figure the metric needs but ``data``
does not give fails the test, naming the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import HintedError, InputError, Problem, did_you_mean
from engine.load.bands import band_index, to_units, unit_range
from engine.load.model import EXPRESSION_NAMES, NO_VALUE_REASONS, PERIOD_METRICS, DataCriterion, RuleSet, Score
from engine.load.overlay import settings_from_mapping
from engine.load.yamlfile import KeyPath, Positions, load_yaml
from engine.numbers import number
from engine.text import yaml_quoted

if TYPE_CHECKING:
    from engine.score.scoring import Result

_TEST_KEYS = {"name", "issue", "area", "criterion", "metric", "data", "set", "expect"}
#: What each kind of test can expect: an issue test checks a scored case, a criterion test one band lookup.
_ISSUE_EXPECT = ("derived", "priority", "rank", "scores", "total")
_CRITERION_EXPECT = ("score",)
_EXPECT_KEYS = {*_ISSUE_EXPECT, *_CRITERION_EXPECT}


@dataclass(frozen=True)
class Outcome:
    name: str
    where: str  # file:line
    passed: bool
    detail: str = ""


def load_tests(path: Path, display: str) -> tuple[Path, list[dict[str, Any]], Positions]:
    """The rule file a tests file names, its tests, and their positions; InputError for a malformed file."""
    data, positions = load_yaml(path, display)
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        where = ("tests",) if isinstance(data, dict) and "tests" in data else ()
        raise InputError([positions.problem(where, "a tests file is a mapping with `tests:` (a list)")])
    problems = [
        positions.problem((key,), f"unknown key `{key}`", "allowed keys: rules, tests", key=True)
        for key in data
        if key not in ("rules", "tests")
    ]
    for n, test in enumerate(data["tests"]):
        problems += _test_problems(test, ("tests", n), positions)
    if problems:
        raise InputError(problems)
    default = path.with_name(path.name.replace(".tests.yaml", ".yaml"))
    rules = (path.parent / data["rules"]) if "rules" in data else default
    return rules, data["tests"], positions


def _test_problems(test: Any, here: KeyPath, positions: Positions) -> list[Problem]:
    """What is wrong with the keys of one test (at ``here``); its values are checked when it runs."""
    if not isinstance(test, dict):
        return [positions.problem(here, "each test is a mapping (name, issue or criterion, expect)")]
    problems = [
        positions.problem(here + (key,), f"unknown key `{key}`", f"allowed: {', '.join(sorted(_TEST_KEYS))}", key=True)
        for key in test
        if key not in _TEST_KEYS
    ]
    if "name" not in test or "expect" not in test or not isinstance(test.get("expect"), dict):
        problems.append(positions.problem(here, "a test needs `name` and `expect` (a mapping)"))
    elif not ("issue" in test) ^ ("criterion" in test):
        problems.append(positions.problem(here, "a test names either an `issue` or a `criterion`"))
    else:
        problems += _expect_problems(test, here, positions)
    return problems


def _expect_problems(test: dict[str, Any], here: KeyPath, positions: Positions) -> list[Problem]:
    """Expectations a test of its kind cannot check: unknown ones, the other kind's, or none at all.

    An expectation of the other kind would otherwise be ignored, so the test would pass whatever the rules give.
    """
    kind, allowed, other = (
        ("issue", _ISSUE_EXPECT, "criterion") if "issue" in test else ("criterion", _CRITERION_EXPECT, "issue")
    )
    expect = test["expect"]
    if not expect:
        return [
            positions.problem(
                here + ("expect",),
                "`expect` names nothing to check",
                f"allowed for an {kind} test: {', '.join(allowed)}",
            )
        ]
    problems = []
    for key in expect:
        if key not in _EXPECT_KEYS:
            hint = f"allowed: {', '.join(sorted(_EXPECT_KEYS))}"
            problems.append(positions.problem(here + ("expect", key), f"unknown expectation `{key}`", hint, key=True))
        elif key not in allowed:
            problems.append(
                positions.problem(
                    here + ("expect", key),
                    f"`{key}` is an expectation of {'an' if other == 'issue' else 'a'} {other} test, "
                    f"not of {'an' if kind == 'issue' else 'a'} {kind} test",
                    f"allowed for {'an' if kind == 'issue' else 'a'} {kind} test: {', '.join(allowed)}",
                    key=True,
                )
            )
    return problems


def run_tests(
    rules_path: Path, tests: list[dict[str, Any]], positions: Positions, *, allow_outside: bool = False
) -> list[Outcome]:
    """Run every test against ``rules_path`` scored with the test's settings (``set:``) and area."""
    from engine.pipeline import run

    out = []
    for n, test in enumerate(tests):
        line, _ = positions.of(("tests", n))
        where = f"{positions.file}:{line}"
        try:
            settings = (
                settings_from_mapping(test.get("set", {}), positions, ("tests", n, "set")) if test.get("set") else []
            )
            result = run(
                rules_path, settings, areas=[test["area"]] if "area" in test else None, allow_outside=allow_outside
            )
            failures = _check(result, test)
        except InputError as exc:
            failures = [f"cannot run: {exc.problems[0]}"]
        out.append(Outcome(str(test["name"]), where, not failures, "; ".join(failures)))
    return out


def _check(result: Result, test: dict[str, Any]) -> list[str]:
    """The failures of one test against the scored result (none: it passes)."""
    if "issue" in test:
        return _check_issue(result, test)
    return _check_criterion(result.rules, test)


def _check_issue(result: Result, test: dict[str, Any]) -> list[str]:
    expect = test["expect"]
    issue = test["issue"]
    if issue not in result.rules.issues:
        return [f"there is no issue `{issue}`"]
    case = result.case(issue, test.get("area"))
    actual = {"total": result.total(case), "priority": bool(result.priority[case]), "rank": int(result.rank[case])}
    failures = [
        f"expected {key} {expect[key]}, got {_show(actual[key])}"
        for key in ("total", "priority", "rank")
        if key in expect and _norm(expect[key]) != _norm(actual[key])
    ]
    for cid, wanted in (expect.get("scores") or {}).items():
        if cid not in result.outcomes:
            failures.append(f"there is no criterion `{cid}`")
        elif result.score(cid, case) != wanted:
            failures.append(f"expected {cid} {wanted}, got {result.score(cid, case)}")
    for did, wanted in (expect.get("derived") or {}).items():
        if did not in result.derived:
            failures.append(f"there is no derived value `{did}`")
            continue
        got = result.derived[did].value(case)
        if _norm(wanted) != _norm(got):
            failures.append(f"expected {did} {wanted}, got {_show(got)}")
    return failures


def _check_criterion(rules: RuleSet, test: dict[str, Any]) -> list[str]:
    expect = test["expect"]
    cid = test["criterion"]
    criterion = rules.criteria.get(cid)
    if not isinstance(criterion, DataCriterion):
        return [f"`{cid}` is not a data-driven criterion"]
    try:
        value = Decimal(str(test["metric"])) if "metric" in test else metric_of(criterion, test.get("data") or {})
    except HintedError as exc:
        return [exc.message + (f" ({exc.hint})" if exc.hint else "")]
    reason = "" if value is not None or "metric" in test else no_value_reason(criterion, test.get("data") or {})
    got = score_for(criterion, value, reason)
    if "score" in expect and got != expect["score"]:
        return [f"expected score {expect['score']} for {criterion.metric} {_show(value)}, got {got}"]
    return []


def _norm(value: Any) -> Any:
    return Decimal(str(value)) if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else value


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "no value"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


#: Every figure a criterion test's ``data`` may give.
FIGURES = ("previous", "current", "population", "total", "county_position", "counts")
#: The figures each built-in metric reads (an expression reads the names it uses).
_NEEDS: dict[str, tuple[str, ...]] = {
    "percent_change": ("previous", "current"),
    "rate_per_1000": ("current", "population"),
    "share_of_total": ("current", "total"),
    "count": ("current",),
    "county_position": ("county_position",),
    "county_rank": ("county_position",),
    "harm_weighted": ("counts",),
    "poisson_z": ("previous", "current"),
    "trend_slope": ("counts",),
    "change_over_periods": ("counts",),
}
#: Figures a dataset may leave blank (the metric then has no value); the others must be numbers.
_MAY_BE_BLANK = ("previous", "county_position")


def needed_figures(criterion: DataCriterion) -> tuple[str, ...]:
    """The figures of ``data`` the criterion's metric reads; HintedError for a metric no figures are listed for."""
    if criterion.expression is not None:  # the built-in names it uses, then the declared measures it uses
        names = criterion.expression.names
        return tuple(n for n in EXPRESSION_NAMES if n in names) + tuple(sorted(n for n in names if n not in FIGURES))
    if criterion.metric == "measure" and criterion.measure is not None:
        return (criterion.measure,)
    if criterion.metric not in _NEEDS:
        raise HintedError(
            f"a `{criterion.metric}` criterion cannot be tested from `data`", "give the metric's value with `metric:`"
        )
    return _NEEDS[criterion.metric]


def metric_of(criterion: DataCriterion, data: Any) -> Decimal | None:
    """The criterion's metric for one set of figures, computed and rounded as the engine does (None: no value).

    Raises :class:`HintedError` naming a figure the metric needs that ``data`` does not give, or one it
    cannot use (unknown, not a number, a category without a harm weight).
    """
    # One short branch per metric (complexity 16), mirroring engine.score.metrics so the two read side by side.
    figures = _figures(criterion, data)
    if criterion.expression is not None:
        return _expression_value(criterion, figures)
    if criterion.metric == "harm_weighted":
        return _rounded(_weighted_sum(criterion, data["counts"]), criterion.decimals)
    if criterion.metric in PERIOD_METRICS:
        return _rounded(_over_periods(criterion, _period_counts(criterion, data["counts"])), criterion.decimals)
    if criterion.metric == "poisson_z":
        return _poisson_value(criterion, figures)
    if criterion.metric == "measure" and criterion.measure is not None:  # the measure's value, as given
        return _rounded(figures[criterion.measure], criterion.decimals)
    get = figures.get  # None: not read by this metric, or blank
    previous, current, population = get("previous"), get("current"), get("population")
    ratio: Fraction | None
    if criterion.metric == "percent_change":
        ratio = None if not previous or current is None else (current - previous) / previous * 100
    elif criterion.metric == "rate_per_1000":
        ratio = None if not population or current is None else current * 1000 / population
    elif criterion.metric == "share_of_total":
        total = get("total")
        ratio = None if not total or current is None else current * 100 / total
    elif criterion.metric == "count":
        ratio = current
    else:  # county_position and county_rank (needed_figures refuses any other): the position as given
        ratio = get("county_position")
    return _rounded(ratio, criterion.decimals)


def _figures(criterion: DataCriterion, data: Any) -> dict[str, Fraction | None]:
    """The numeric figures of ``data`` (None where blank); HintedError for one missing, unknown or not a number."""
    if not isinstance(data, dict):
        raise HintedError("`data` is a mapping of figures, e.g. {previous: 100, current: 115}")
    needed = needed_figures(criterion)
    known = [*FIGURES, *(n for n in needed if n not in FIGURES)]  # a declared measure the metric reads is a figure
    for key in data:
        if key not in known:
            hint = did_you_mean(key, known) or f"figures: {', '.join(known)}"
            raise HintedError(f"`data` has an unknown figure `{key}`", hint)
    missing = [f"`{name}`" for name in needed if name not in data]
    if missing:
        raise HintedError(f"the test's `data` does not give {' or '.join(missing)}, which the metric needs")
    out: dict[str, Fraction | None] = {}
    for key in needed:
        if key == "counts":
            continue
        value = data[key]
        if value is None and (key in _MAY_BE_BLANK or key not in FIGURES):  # a measure's cell may be blank too
            out[key] = None
        else:
            out[key] = _number(value, f"data.{key}")
    return out


def _number(value: Any, where: str) -> Fraction:
    """A figure as an exact fraction (``0.1`` is one tenth); HintedError if it is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise HintedError(f"`{where}` is not a number: {value!r}")
    return Fraction(str(value))


def _expression_value(criterion: DataCriterion, figures: dict[str, Fraction | None]) -> Decimal | None:
    """The expression over the figures, as the engine evaluates it: blank figures and a population of 0 are NaN."""
    from engine.numbers import round_float

    assert criterion.expression is not None
    nan = float("nan")
    values = {
        name: [nan if value is None or (name == "population" and value <= 0) else float(value)]
        for name, value in figures.items()
    }
    units, defined = round_float(criterion.expression.evaluate(values), criterion.decimals)
    return Decimal(int(units[0])).scaleb(-criterion.decimals) if defined[0] else None


def _poisson_value(criterion: DataCriterion, figures: dict[str, Fraction | None]) -> Decimal | None:
    """The Poisson z of the change, as the engine computes it (a blank previous count: no value)."""
    from engine.numbers import round_float
    from engine.stats import poisson_z

    previous, current = figures.get("previous"), figures.get("current")
    nan = float("nan")
    z = poisson_z([nan if previous is None else float(previous)], [nan if current is None else float(current)])
    units, defined = round_float(z, criterion.decimals)
    return Decimal(int(units[0])).scaleb(-criterion.decimals) if defined[0] else None


def _weighted_sum(criterion: DataCriterion, counts: Any) -> Fraction:
    """The sum of each category's count x its harm weight, exactly."""
    if not isinstance(counts, dict):
        raise HintedError("`data.counts` is a mapping of category to count, e.g. {Burglary: 3, Robbery: 2}")
    total = Fraction(0)
    for category, count in counts.items():
        if category not in criterion.weights:
            weighted = ", ".join(criterion.weights)
            raise HintedError(f"`{category}` has no harm weight in `{criterion.id}` (weights: {weighted})")
        total += _number(count, f"data.counts.{category}") * Fraction(str(criterion.weights[category]))
    return total


def _period_counts(criterion: DataCriterion, counts: Any) -> list[Fraction | None]:
    """The counts of the criterion's N periods (the last N of the list), oldest first; None where blank."""
    n = criterion.periods or 2
    if not isinstance(counts, list):
        raise HintedError(f"`data.counts` is a list of counts, one per period, oldest first, e.g. {_EXAMPLE[:n]}")
    if len(counts) < n:
        raise HintedError(
            f"`data.counts` gives {len(counts)} count{'s' if len(counts) != 1 else ''}, but `{criterion.id}` reads "
            f"the latest {n} periods",
            f"give one count per period, oldest first, e.g. {_EXAMPLE[:n]}",
        )
    return [None if c is None else _number(c, f"data.counts[{len(counts) - n + k}]") for k, c in enumerate(counts[-n:])]


#: Counts an example in a hint shows, a few of them.
_EXAMPLE = [155, 145, 166, 170, 181, 190]


def _over_periods(criterion: DataCriterion, counts: list[Fraction | None]) -> Fraction | None:
    """The trend over the periods, exactly: the slope as a percentage of the mean, or the change first to last."""
    from engine.score.trends import slope_fraction

    if criterion.metric == "change_over_periods":
        first, last = counts[0], counts[-1]
        return None if not first or last is None else (last - first) / first * 100
    if any(c is None for c in counts):
        return None
    found = slope_fraction([c for c in counts if c is not None])
    return None if found is None else found[0] / found[1] * 100


def _rounded(ratio: Fraction | None, decimals: int) -> Decimal | None:
    """Half away from zero to ``decimals`` places, exactly (as :func:`engine.numbers.round_ratio`)."""
    if ratio is None:
        return None
    scaled = ratio * 10**decimals
    units = int(abs(scaled) + Fraction(1, 2))
    return Decimal(units if scaled >= 0 else -units).scaleb(-decimals)


def no_value_reason(criterion: DataCriterion, data: dict[str, Any]) -> str:
    """Why figures that give no value give none, as the engine names it (see ``NO_VALUE_REASONS``)."""
    if criterion.metric == "percent_change":
        if data.get("previous") is None:
            return "missing"
        return "zero_to_zero" if not data.get("current") else "zero_to_some"
    if criterion.metric in PERIOD_METRICS:
        counts = data.get("counts") or []
        read = counts[-(criterion.periods or 2) :]
        if criterion.metric == "trend_slope":
            return "missing" if None in read else "zero_mean"
        if read[0] is None or read[-1] is None:
            return "missing"
        return "zero_to_zero" if not read[-1] else "zero_to_some"
    reasons = list(NO_VALUE_REASONS.get(criterion.metric, {}))
    return reasons[0] if reasons else ""


def score_for(criterion: DataCriterion, value: Decimal | None, reason: str = "") -> Score | None:
    """The score the criterion's bands give a metric value (for no value: what ``if_no_value`` gives ``reason``)."""
    if value is None:
        return criterion.no_value_score(reason)
    units = to_units(value, criterion.decimals)
    if units is None:
        units = to_units(value.quantize(Decimal(1).scaleb(-criterion.decimals)), criterion.decimals)
    ranges = [unit_range(b, criterion.decimals) for b in criterion.bands]
    found = int(band_index([units], ranges)[0])
    return criterion.bands[found].score if found >= 0 else None


def boundary_tests(rules: RuleSet, rules_name: str) -> str:
    """A starter tests file: each band edge of each data-driven criterion, and one precision step either side."""
    lines = [
        f"# Boundary cases for {rules_name}, generated by `cspscore test --generate`.",
        "# Each expected score is what the bands give today: keep the file, and a change to a band shows up here.",
        f"rules: {rules_name}",
        "tests:",
    ]
    for cid, criterion in rules.data_criteria.items():
        step = Decimal(1).scaleb(-criterion.decimals)
        edges = sorted({e for b in criterion.bands for e in (b.lower, b.upper) if e is not None})
        for edge in edges:
            for value in (edge - step, edge, edge + step):
                score = score_for(criterion, value)
                if score is None:
                    continue
                shown = format(value, "f")
                lines += [
                    f"  - name: {cid} {shown} scores {score}",
                    f"    criterion: {cid}",
                    f"    metric: {shown}",
                    f"    expect: {{score: {score}}}",
                ]
    return "\n".join(lines) + "\n"


def issue_boundary_tests(result: Result) -> str:
    """Starter tests for each issue (of the first area scored): its total, derived values and priority today, and
    that it is not a priority at a cutoff one step (of the totals' precision) above its total; a priority is one
    still at a cutoff equal to its total. Appended to :func:`boundary_tests`' file."""
    lines: list[str] = []
    area = result.areas[0] if len(result.areas) > 1 else None
    step = Decimal(1).scaleb(-result.total_places)
    where = [f"    area: {yaml_quoted(area)}"] if area is not None else []
    for iid in result.rules.issues:
        case = result.case(iid, area)
        total = result.total(case)
        derived = {did: values.value(case) for did, values in result.derived.items()}
        shown = ", ".join(f"{did} {'no value' if v is None else number(v)}" for did, v in derived.items())
        priority = bool(result.priority[case])
        expect = f"total: {number(total)}, priority: {str(priority).lower()}"
        if derived and all(v is not None for v in derived.values()):
            expect += ", derived: {" + ", ".join(f"{did}: {number(v)}" for did, v in derived.items()) + "}"
        lines += [
            f"  - name: {iid} totals {number(total)}{f' ({shown})' if shown else ''}"
            f"{' and is a priority' if priority else ''}",
            f"    issue: {iid}",
            *where,
            f"    expect: {{{expect}}}",
            f"  - name: {iid} is not a priority at a cutoff of {number(total + step)}",
            f"    set: {{priority.cutoff: {number(total + step)}}}",
            f"    issue: {iid}",
            *where,
            "    expect: {priority: false}",
        ]
        if priority:
            lines += [
                f"  - name: {iid} is still a priority at a cutoff of {number(total)}",
                f"    set: {{priority.cutoff: {number(total)}}}",
                f"    issue: {iid}",
                *where,
                "    expect: {priority: true}",
            ]
    return "\n".join(lines) + ("\n" if lines else "")
