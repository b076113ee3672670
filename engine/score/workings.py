"""The audit's words for a metric: its inputs, the rows they come from, and its arithmetic, for many cases at once.

Each function takes the cases to describe (indexes into the result's arrays) and returns one text per case, so
an audit of a whole county reads each array once: the built-in ratio metrics (percentage change, rate per
1,000, share of the total, count, county position and rank) are worded from plain lists; the rest (expressions,
measures, Poisson tests, weighted harm, trends over several periods) case by case. :class:`CaseTexts` holds the
wording every criterion of a case shares (its data rows, its current count, the areas it is ranked among), so it
is built once per case, not once per criterion.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from engine.load.expressions import Expression
from engine.load.model import COUNT_SHAPES, EXPRESSION_NAMES, PERIOD_METRICS, DataCriterion, Measure, RankRule
from engine.numbers import SNAP_PLACES, number, plural, unrounded
from engine.score.metrics import MetricValues, measure_decimal, peer_rates, units_column
from engine.score.periods_audit import change_text, period_inputs, series_rows, slope_working
from engine.score.scoring import Result


class CaseTexts:
    """Wording that every criterion of a case shares, each worked out once: the case's data rows, its current
    count, the row of a total category, and the areas a county rank compares it with."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self._rows: dict[int, str] = {}
        self._current: dict[int, str] = {}
        self._total_rows: dict[str, dict[tuple[str | None, int], str]] = {}
        self._peers: dict[tuple[RankRule, int, str], tuple[str, int]] = {}

    def rows(self, i: int) -> str:
        """Case ``i``'s data rows: ``data/crime.csv rows 4, 9`` (its issue has data)."""
        if i not in self._rows:
            result = self.result
            data = result.rules.issues[result.issue_ids[i]].data
            assert data is not None  # only an issue with data has rows
            lines = result.inputs.link_lists(i)["row"]
            listed = ", ".join(str(int(r)) for r in lines)
            display = result.datasets[data.dataset].ref.display
            self._rows[i] = f"{display} rows {listed}" if len(lines) != 1 else f"{display} row {listed}"
        return self._rows[i]

    def current(self, i: int) -> str:
        """``current 270``, naming the categories summed when there are several."""
        if i not in self._current:
            self._current[i] = _current_text(int(self.result.inputs.current[i]), self.result.inputs.link_lists(i))
        return self._current[i]

    def total_row(self, category: str, i: int) -> str:
        """Where the total category's count for case ``i`` comes from: ``data/crime.csv row 7 (total category: All)``.

        As the engine reads it: the last count dataset with a row for the category in the case's area (in a
        crime_series, the latest period's row).
        """
        found = self.total_row_ref(category, i)
        if found is None:
            return f"no data row for the total category {category}"
        return f"{found[0]} row {found[1]} (total category: {category})"

    def total_row_ref(self, category: str, i: int) -> tuple[str, int] | None:
        """The dataset (as its display path) and line of the total category's row for case ``i`` (see
        :meth:`total_row`); None when there is none."""
        if category not in self._total_rows:
            found: dict[tuple[str | None, int], str] = {}
            for dataset in self.result.datasets.values():
                if dataset.ref.shape not in COUNT_SHAPES:
                    continue
                frame = dataset.counts
                hits = frame[frame["category"] == category]
                for area, line in zip(hits["area"].tolist(), hits["row"].tolist(), strict=True):
                    found[(area, int(line))] = dataset.ref.display
                    found[(None, int(line))] = dataset.ref.display  # no area named: any area's row
            self._total_rows[category] = found
        line = int(self.result.inputs.totals[category][1][i])
        display = self._total_rows[category].get((self.result.area_of(i), line))
        return None if display is None else (display, line)

    def peers(self, rule: RankRule, i: int) -> tuple[str, int]:
        """The areas case ``i`` is ranked among under ``rule``, in words, and how many there are."""
        inputs = self.result.inputs
        area, issue = divmod(i, len(self.result.rules.issues))  # the cases' layout (see Result.area_cases)
        group = "" if rule.among is None else inputs.groups.get(rule.among, {}).get(str(inputs.areas[area]), "")
        key = (rule, issue, group)
        if key not in self._peers:
            listed = peer_rates(inputs, i, rule)
            words = _peer_words(listed)
            if rule.among is not None:
                words = f"ranked among {rule.among} {group}: {words}"
            self._peers[key] = (words, len(listed))
        return self._peers[key]


def _peer_words(peers: list[tuple[str, Decimal, Decimal]]) -> str:
    """The rate of every area compared (up to 20 areas; else their range)."""
    if len(peers) <= 20:
        return "every area's rate per 1,000: " + ", ".join(f"{a} {format(r, 'f')}" for a, r, _ in peers)
    (low_area, low, _), (high_area, high, _) = peers[0], peers[-1]
    return (
        f"rates per 1,000 of the {len(peers)} areas run from {format(low, 'f')} ({low_area}) "
        f"to {format(high, 'f')} ({high_area})"
    )


def reads_population(criterion: DataCriterion) -> bool:
    """Whether the criterion's metric reads the population (so the audit names its row)."""
    return criterion.metric in ("rate_per_1000", "county_rank") or (
        criterion.expression is not None and "population" in criterion.expression.names
    )


def source_rows(result: Result, criterion: DataCriterion, cases: list[int], texts: CaseTexts) -> list[str]:
    """Per case (each of an issue with data), the rows the metric read: the data rows (a series' period by
    period), the population row when it reads the population, the total category's row for a share of it."""
    inputs = result.inputs
    out = []
    population = reads_population(criterion) and inputs.population_file is not None
    lines = inputs.population_row[cases].tolist() if population else [0] * len(cases)
    series = [
        issue.data is not None and result.datasets[issue.data.dataset].ref.shape == "crime_series"
        for issue in result.rules.issues.values()
    ]
    for i, line, k in zip(cases, lines, inputs.case_issue[cases].tolist(), strict=True):
        if series[k]:  # each period's rows, named by period
            text = series_rows(result, criterion, i)
        else:
            text = texts.rows(i)
        if population:
            text += f"; {inputs.population_file} row {line}"
        if criterion.total_category is not None:  # share_of_total: the denominator is the total category's row
            text += "; " + texts.total_row(criterion.total_category, i)
        out.append(text)
    return out


def values_shown(metric: MetricValues, decimals: int, cases: list[int]) -> list[str]:
    """Per case, the metric's value as banded (rounded to ``decimals``), or ``no value``."""
    units, defined = metric.units[cases].tolist(), metric.defined[cases].tolist()
    return [fixed_text(u, decimals) if ok else "no value" for u, ok in zip(units, defined, strict=True)]


def fixed_text(units: int, decimals: int) -> str:
    """Whole units of ``10**-decimals`` as text with exactly ``decimals`` places: ``14.9``, ``-0.5``, ``12`` (as
    ``format(Decimal(units).scaleb(-decimals), "f")`` writes it, with integer arithmetic alone)."""
    if decimals <= 0:
        return str(int(units))
    digits = str(abs(int(units))).rjust(decimals + 1, "0")
    return f"{'-' if units < 0 else ''}{digits[:-decimals]}.{digits[-decimals:]}"


def describe_inputs(result: Result, criterion: DataCriterion, cases: list[int], texts: CaseTexts) -> list[str]:
    """Per case, the input values of the metric, in words."""
    inputs = result.inputs
    metric = criterion.metric
    if metric == "county_rank":
        current, population = inputs.current[cases].tolist(), inputs.population[cases].tolist()
        return [
            f"current {c}; population {p}; " + texts.peers(criterion.rank, i)[0]
            for c, p, i in zip(current, population, cases, strict=True)
        ]
    if metric == "county_position":
        out = []
        for i in cases:
            links = inputs.link_lists(i)
            positions = _positions(links)
            several = len(links["row"]) > 1
            out.append(
                f"county positions {positions} ({criterion.combine})" if several else f"county position {positions}"
            )
        return out
    if metric in PERIOD_METRICS:
        return [period_inputs(result, criterion, i) for i in cases]
    measures = result.rules.measures
    if criterion.measure is not None:
        return [_measure_input(result, measures[criterion.measure], i) for i in cases]
    if criterion.expression is not None:  # exactly the names the expression uses, as it spells them
        return [_expression_inputs(result, criterion, i) for i in cases]
    parts: list[list[str]] = []
    if metric in ("percent_change", "poisson_z"):
        previous, missing = inputs.previous[cases].tolist(), inputs.previous_missing[cases].tolist()
        parts.append(["previous missing" if m else f"previous {p}" for p, m in zip(previous, missing, strict=True)])
    parts.append([texts.current(i) for i in cases])
    if metric == "rate_per_1000":
        parts.append([f"population {p}" for p in inputs.population[cases].tolist()])
    if criterion.total_category is not None:  # share_of_total
        category = criterion.total_category
        parts.append([f"{category} {t}" for t in inputs.totals[category][0][cases].tolist()])
    if metric == "harm_weighted":
        weights = criterion.weights
        parts.append(
            ["weights " + ", ".join(f"{c} {weights.get(c)}" for c in inputs.link_lists(i)["category"]) for i in cases]
        )
    return ["; ".join(texts_of_case) for texts_of_case in zip(*parts, strict=True)]


def _expression_inputs(result: Result, criterion: DataCriterion, i: int) -> str:
    """The names an expression uses with case ``i``'s values, in the order the audit lists names."""
    assert criterion.expression is not None
    inputs = result.inputs
    measures = result.rules.measures
    values = _expression_values(inputs, i)
    links = inputs.link_lists(i)
    return "; ".join(
        _measure_input(result, measures[name], i) if name in measures else _expression_input(name, values[name], links)
        for name in (*EXPRESSION_NAMES, *measures)
        if name in criterion.expression.names
    )


def calculations(
    result: Result, criterion: DataCriterion, metric: MetricValues, cases: list[int], texts: CaseTexts
) -> list[str]:
    """Per case, the metric's arithmetic with the case's numbers, ending in the rounded value."""
    inputs = result.inputs
    places = criterion.decimals
    name = criterion.metric
    heads: list[str] | None = None
    if name == "percent_change":
        current = inputs.current[cases].tolist()
        previous, missing = inputs.previous[cases].tolist(), inputs.previous_missing[cases].tolist()
        shown = ["missing" if m else str(p) for p, m in zip(previous, missing, strict=True)]
        heads = [f"({c} - {p}) / {p} x 100" for c, p in zip(current, shown, strict=True)]
    elif name == "rate_per_1000":
        current, population = inputs.current[cases].tolist(), inputs.population[cases].tolist()
        heads = [f"{c} / {p} x 1000" for c, p in zip(current, population, strict=True)]
    elif criterion.total_category is not None:  # share_of_total
        current, totals = inputs.current[cases].tolist(), inputs.totals[criterion.total_category][0][cases].tolist()
        heads = [f"{c} / {t} x 100" for c, t in zip(current, totals, strict=True)]
    elif name == "change_over_periods":
        heads = [change_text(result, criterion, i) for i in cases]
    elif name == "harm_weighted":
        weights = criterion.weights
        heads = []
        for i in cases:
            links = inputs.link_lists(i)
            heads.append(
                " + ".join(
                    f"{int(count)} x {number(weights.get(category, Decimal(0)))}"
                    for category, count in zip(links["category"], links["current"], strict=True)
                )
            )
    if heads is not None:
        numerators, denominators = metric.numerator[cases].tolist(), metric.denominator[cases].tolist()
        units, defined = metric.units[cases].tolist(), metric.defined[cases].tolist()
        return [
            _ratio_working(head, n, d, u, ok, places)
            for head, n, d, u, ok in zip(heads, numerators, denominators, units, defined, strict=True)
        ]
    if name == "trend_slope":
        return [slope_working(result, criterion, metric, i) for i in cases]
    if criterion.expression is not None:  # an expression metric
        return [_expression_working(criterion, metric, _expression_values(inputs, i), i) for i in cases]
    if criterion.measure is not None:
        return [_measure_working(result, criterion, metric, i) for i in cases]
    shown = values_shown(metric, places, cases)
    if name == "county_rank":
        describe = criterion.rank.describe()
        return [
            f"position {s} of {texts.peers(criterion.rank, i)[1]} by rate per 1,000 ({describe})"
            for s, i in zip(shown, cases, strict=True)
        ]
    if name == "poisson_z":
        return [_poisson_working(inputs, metric, places, i) for i in cases]
    if name == "county_position":
        out = []
        for s, i in zip(shown, cases, strict=True):
            positions = _positions(inputs.link_lists(i))
            out.append(f"{criterion.combine} of {positions} = {s}" if "," in positions else s)
        return out
    return shown


def _ratio_working(head: str, numerator: Any, denominator: Any, units: int, defined: bool, places: int) -> str:
    """``head = exact -> rounded (rounded to N places)``, or ``head = value`` when nothing was lost in rounding."""
    if not defined:
        return f"{head}: no value"
    value = Decimal(int(units)).scaleb(-places)
    shown = format(value, "f")
    exact = Decimal(int(numerator)) / Decimal(int(denominator))
    if exact == value:
        return f"{head} = {shown}"
    return f"{head} = {unrounded(exact, places)} -> {shown} (rounded to {plural(places, 'place')})"


def _current_text(current: int, links: dict[str, list[Any]]) -> str:
    """``current 270``, naming the categories summed when there are several."""
    several = len(links["category"]) > 1
    return f"current {current}" + (" (summed over " + ", ".join(links["category"]) + ")" if several else "")


def _measure_input(result: Result, measure: Measure, i: int) -> str:
    """A measure with its value and unit, and the values it combines: ``pct_worried 23.5 % (worst of 23.5, 18)``."""
    value = result.inputs.measure_value(measure.id, i)
    text = f"{measure.id} {'missing' if value is None else _with_unit(value, measure)}"
    rows = _measure_rows(result, measure.id, i)
    if len(rows) > 1:
        listed = ", ".join("missing" if v is None else number(v) for v in rows)
        if value is None:
            text += f" ({listed})"
        elif measure.kind == "count":
            text += " (summed over " + ", ".join(result.inputs.link_lists(i)["category"]) + ")"
        else:
            text += f" (worst of {listed})"
    return text


def _with_unit(value: Decimal, measure: Measure) -> str:
    return number(value) + (f" {measure.unit}" if measure.unit else "")


def _measure_rows(result: Result, mid: str, i: int) -> list[Decimal | None]:
    """The value of measure ``mid`` in each of case ``i``'s data rows, in their order (None: a blank cell)."""
    import pandas as pd

    return [None if pd.isna(v) else measure_decimal(int(v)) for v in result.inputs.links_of(i)[units_column(mid)]]


def _measure_working(result: Result, criterion: DataCriterion, metric: MetricValues, i: int) -> str:
    """``worst of 23.5, 18 = 23.5``, ``12 + 30.5 = 42.5``, ``24.95 -> 25.0 (rounded to 1 place)``."""
    assert criterion.measure is not None
    measure = result.rules.measures[criterion.measure]
    rows = _measure_rows(result, measure.id, i)
    listed = ["missing" if v is None else number(v) for v in rows]
    value = result.inputs.measure_value(measure.id, i)
    rounded = metric.value(i, criterion.decimals)
    combined = " + ".join(listed) if measure.kind == "count" else "worst of " + ", ".join(listed)
    if value is None or rounded is None:
        return f"{combined}: no value" if len(rows) > 1 else "missing: no value"
    if value == rounded:  # nothing lost in rounding: the value as held
        return f"{combined} = {number(rounded)}" if len(rows) > 1 else number(rounded)
    text = f"{combined} = {number(value)}" if len(rows) > 1 else number(value)
    return f"{text} -> {number(rounded)} (rounded to {plural(criterion.decimals, 'place')})"


def _expression_values(inputs: Any, i: int) -> dict[str, int | Decimal | None]:
    """The value each expression name has for case ``i`` (None: missing, which the engine evaluates as no value)."""
    import math

    position = float(inputs.position_worst[i])
    return {
        "previous": None if inputs.previous_missing[i] else int(inputs.previous[i]),
        "current": int(inputs.current[i]),
        "population": int(inputs.population[i]) if inputs.population[i] > 0 else None,
        "county_position": None if inputs.position_missing[i] or math.isnan(position) else int(position),
        **{mid: inputs.measure_value(mid, i) for mid in inputs.measures},
    }


def _expression_input(name: str, value: int | Decimal | None, links: dict[str, list[Any]]) -> str:
    """One name of an expression with its value: ``previous missing``, ``county_position 7 (worst of 7, 2)``."""
    if name == "current" and isinstance(value, int):
        return _current_text(value, links)
    text = f"{name} {'missing' if value is None else value}"
    if name == "county_position" and len(links["category"]) > 1:
        text += f" (worst of {_positions(links)})" if value is not None else f" ({_positions(links)})"
    return text


def _positions(links: dict[str, list[Any]]) -> str:
    """County positions of an issue's rows: ``7, 12, missing``."""
    return ", ".join("missing" if p is None else str(int(p)) for p in links["county_position"])


def _poisson_working(inputs: Any, metric: MetricValues, decimals: int, i: int) -> str:
    """``2 x (sqrt(1150) - sqrt(1000)) = 4.5777... -> 4.58 (rounded to 2 places); two-sided p = 0.0000047``."""
    from engine.stats import two_sided_p

    cur = int(inputs.current[i])
    if inputs.previous_missing[i]:
        return f"2 x (sqrt({cur}) - sqrt(missing)): no value"
    text = f"2 x (sqrt({cur}) - sqrt({int(inputs.previous[i])}))"
    value = metric.value(i, decimals)
    z = float(metric.numerator[i])
    shown = number(value) if value is not None else "no value"
    before = unrounded(Decimal(repr(z)), decimals)
    p = float(two_sided_p([z])[0])
    return (
        f"{text} = {before} -> {shown} (rounded to {plural(decimals, 'place')}); "
        f"two-sided p = {p:.4g} ({'significant' if p < 0.05 else 'not significant'} at 5%)"
    )


def _expression_working(
    criterion: DataCriterion, metric: MetricValues, values: dict[str, int | Decimal | None], i: int
) -> str:
    """The expression with case ``i``'s numbers in place of its names, its unrounded result and rounded value.

    The unrounded result is the engine's: the floating-point value snapped to
    :data:`~engine.numbers.SNAP_PLACES` places beyond the declared precision, which is what is rounded.
    """
    import numpy as np

    assert criterion.expression is not None
    shown = {
        name: "missing" if v is None else number(v) if isinstance(v, Decimal) else str(v) for name, v in values.items()
    }
    text = _substituted(criterion.expression, shown)
    tests = _tests_of_change(criterion.expression, values, shown)
    value = metric.value(i, criterion.decimals)
    if value is None:
        return f"{text}: no value{tests}"
    scale = 10**criterion.decimals
    snapped = Decimal(repr(float(np.round(float(metric.numerator[i]) * scale, SNAP_PLACES)))).scaleb(
        -criterion.decimals
    )
    if snapped == value:
        return f"{text} = {number(value)}{tests}"
    places = f"rounded to {plural(criterion.decimals, 'place')}"
    return f"{text} = {unrounded(snapped, criterion.decimals)} -> {number(value)} ({places}){tests}"


@lru_cache(maxsize=256)
def _compiled_call(segment: str, names: tuple[str, ...]) -> Expression:
    """A Poisson call of an expression, compiled once however many audit rows show it."""
    from engine.load.expressions import compile_expression

    return compile_expression(segment, dict.fromkeys(names, ""))


def _tests_of_change(expression: Expression, values: dict[str, int | Decimal | None], shown: dict[str, str]) -> str:
    """Each Poisson test the expression makes, with its figures and result, so a condition on it can be read.

    ``, where poisson_p(156, 176) = 0.1204``; "" when the expression makes none.
    """
    import ast

    found = []
    for node in ast.walk(expression.tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("poisson_z", "poisson_p")
        ):
            segment = ast.get_source_segment(expression.text, node)
            if segment is None:
                continue
            call = _compiled_call(segment, tuple(values))
            arguments = {name: float("nan") if v is None else float(v) for name, v in values.items()}
            result = float(call.evaluate({n: [arguments[n]] for n in call.names})[0]) if call.names else float("nan")
            words = "no value" if result != result else f"{result:.4g}"
            found.append(f"{_substituted(call, {n: shown[n] for n in call.names})} = {words}")
    return f", where {'; '.join(found)}" if found else ""


def derived_working(result: Result, did: str, i: int) -> str:
    """A derived value's working for case ``i``: ``concern + trend = 4 + 5 = 9`` (rounded to its places if needed).

    The names are the case's final scores and the earlier derived values as held, exactly what was used.
    """
    derived = result.rules.derived[did]
    shown: dict[str, str] = {cid: str(result.score(cid, i)) for cid in result.outcomes}
    for other, values in result.derived.items():
        held = values.value(i)
        shown[other] = "no value" if held is None else number(held)
    value = result.derived[did].value(i)
    working = f"{derived.expression.text} = {_substituted(derived.expression, shown)}"
    if value is None:
        return f"{working}: no value (it divides by zero, overflows or takes the square root of a negative number)"
    return f"{working} = {number(value)}"


def _substituted(expression: Expression, shown: dict[str, str]) -> str:
    """The expression as written, each name replaced by ``shown[name]`` (positions from its syntax tree)."""
    import ast

    data = expression.text.encode("utf-8")  # the tree's columns count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans = sorted(
        (
            (
                starts[node.lineno - 1] + node.col_offset,
                starts[(node.end_lineno or node.lineno) - 1] + (node.end_col_offset or 0),
                node.id,
            )
            for node in ast.walk(expression.tree)
            if isinstance(node, ast.Name) and node.id in shown
        ),
        reverse=True,
    )
    for start, end, name in spans:  # from the end, so earlier positions stay valid
        data = data[:start] + shown[name].encode("utf-8") + data[end:]
    return data.decode("utf-8")
