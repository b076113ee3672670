"""The data rows a score was computed from, as data: what the audit's ``source_rows`` words say, for JSON.

Each reference is ``{"file": ..., "rows": [line, ...]}`` with, for a row of a series, the ``period`` it is the
row of, and for the row of a share's denominator, the ``total_category``. ``file`` is the dataset's path
relative to the rule file's folder (as portable as the rule file's own ``datasets:`` entries), written with
``/`` (``null`` with no ``rows`` where the data has no row of the total category); ``rows`` are the file's line
numbers, as messages and the CSV audit give them. The references come in
the order the words name them: the issue's rows (a series' period by period, oldest first), the population's
row, the total category's row.
"""

from __future__ import annotations

from typing import Any

from engine.load.model import DataCriterion
from engine.load.series import row_column
from engine.paths import relative_to
from engine.score.periods_audit import period_name
from engine.score.scoring import Result
from engine.score.trends import periods_read
from engine.score.workings import CaseTexts, reads_population

#: One reference: the file (relative to the rule file), its line numbers, and a ``period`` or ``total_category``.
RowRef = dict[str, Any]


class RowRefs:
    """The references of any case and criterion of a result (each dataset's path worked out once)."""

    def __init__(self, result: Result, texts: CaseTexts | None = None) -> None:
        self.result = result
        self.texts = texts or CaseTexts(result)
        folder = result.rules.path.parent
        self.files = {d.ref.display: relative_to(d.ref.path, folder) for d in result.datasets.values()}
        self.series = {name: d.ref.shape == "crime_series" for name, d in result.datasets.items()}

    def of(self, criterion: DataCriterion, i: int) -> list[RowRef]:
        """The rows ``criterion``'s metric read for case ``i`` (an issue with data)."""
        result = self.result
        data = result.rules.issues[result.issue_ids[i]].data
        assert data is not None  # only an issue with data has rows
        file = self.files[result.datasets[data.dataset].ref.display]
        refs: list[RowRef] = []
        if self.series[data.dataset]:
            links = result.inputs.links_of(i)
            for back in periods_read(criterion):
                lines = [int(r) for r in links[row_column(back)] if int(r)]
                refs.append({"file": file, "period": period_name(result, i, back), "rows": lines})
        else:
            refs.append({"file": file, "rows": [int(r) for r in result.inputs.link_lists(i)["row"]]})
        inputs = result.inputs
        if reads_population(criterion) and inputs.population_file is not None:
            refs.append({"file": self.files[inputs.population_file], "rows": [int(inputs.population_row[i])]})
        if criterion.total_category is not None:
            found = self.texts.total_row_ref(criterion.total_category, i)
            total_file: str | None = self.files[found[0]] if found is not None else None  # None: no such row
            rows = [found[1]] if found is not None else []
            refs.append({"file": total_file, "rows": rows, "total_category": criterion.total_category})
        return refs
