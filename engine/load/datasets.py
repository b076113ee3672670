"""Load the CSV datasets a rule file names, check them against their shape, and check the rules against them.

A dataset's shape is a JSON Schema for one row (``schemas/<shape>.schema.json``): ``crime_counts``,
``crime_series`` (one row per period, :mod:`engine.load.series`) or ``population``.
Cells are checked a column at a time; every problem names the file, the line,
the column number and the column name. Then the rules are checked against the
data (:mod:`engine.load.data_checks`): the area, every category an issue names,
the population a rate needs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from engine.errors import InputError, Problem, allowed_list, did_you_mean
from engine.load.categories import ambiguous_categories, matched_categories
from engine.load.csvread import WHITESPACE, CsvColumns, read_columns
from engine.load.data_checks import DataContext, run_checks
from engine.load.model import COUNT_SHAPES, DatasetRef, RuleSet
from engine.load.schema import load_schema
from engine.load.series import by_category, order_periods
from engine.load.xlsxread import LayoutError, SheetReading, SheetTable, read_sheet
from engine.text import BOM, decode_utf8, read_regular

MAX_PROBLEMS_PER_FILE = 50
#: The columns that identify a row: no two rows may share them.
_KEYS = ("area", "category", "period")
#: The largest dataset read, in bytes (a national police.uk year of counts is a few MB).
MAX_DATASET_BYTES = 200_000_000
#: The most data rows a dataset may have.
MAX_DATASET_ROWS = 2_000_000
#: The longest cell, in characters.
MAX_CELL_CHARS = 10_000
SAVE_AS_UTF8 = "save the file as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')"
_WHOLE = re.compile(r"[-+]?[0-9]{1,15}")
#: A measure's cell: a plain decimal number, at most MEASURE_PLACES places (a regular expression for pyarrow's
#: RE2, whose named groups become the fields of the match).
_DECIMAL_PARTS = r"^(?P<sign>[-+]?)(?P<whole>[0-9]{1,10})(?:\.(?P<places>[0-9]{1,6}))?$"
#: Measures are held exactly, as whole units of 10**-MEASURE_PLACES (so 23.5 is 23,500,000).
MEASURE_PLACES = 6
#: The largest size of a measure's value (so a sum over thousands of categories stays within int64).
MEASURE_LIMIT = 1_000_000_000


@dataclass(frozen=True)
class Dataset:
    """A checked dataset: typed columns plus ``row``, each row's line number in the file.

    A declared measure's column holds its cells as written (None where blank), for display; ``measures`` holds
    its values exactly, as nullable whole units of 10**-:data:`MEASURE_PLACES` indexed like ``frame``.
    A ``crime_series`` dataset also has its ``periods`` in order, oldest first, and its counts by area and
    category (:func:`engine.load.series.by_category`), which :attr:`counts` gives.
    """

    ref: DatasetRef
    frame: Any  # pandas.DataFrame
    sha256: str
    measures: dict[str, Any] = field(default_factory=dict)  # measure id -> pandas Series (Int64) of units
    periods: tuple[str, ...] = ()  # crime_series only: oldest first
    series_counts: Any = None  # crime_series only: one row per area and category (see engine.load.series)
    reading: SheetReading | None = None  # a workbook's: what was done with each of the sheet's rows

    @property
    def counts(self) -> Any:
        """The rows metrics read, one per area and category with ``previous``, ``current`` and ``row``: a
        ``crime_counts`` dataset's own rows; a series' latest period as ``current``, the one before as
        ``previous``."""
        return self.frame if self.series_counts is None else self.series_counts

    @property
    def period_names(self) -> tuple[str, ...]:
        """The periods a count dataset holds, oldest first: a series' own, or ``previous`` and ``current``."""
        return self.periods if self.ref.shape == "crime_series" else ("previous", "current")

    def groups(self) -> dict[str, dict[str, str]]:
        """A population dataset's ``group_<name>`` columns: name -> area -> its group (a blank cell: no group)."""
        return {
            column[len("group_") :]: {
                area: group
                for area, group in zip(self.frame["area"], self.frame[column], strict=True)
                if isinstance(group, str) and group  # a blank cell reads as None or NaN
            }
            for column in self.frame.columns
            if column.startswith("group_")
        }


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_datasets(rules: RuleSet, areas: list[str] | str | None = None) -> dict[str, Dataset]:
    """Read every dataset of ``rules`` and check rules and data together (see :func:`load_data`)."""
    return load_data(rules, areas)[1]


def load_data(rules: RuleSet, areas: list[str] | str | None = None) -> tuple[RuleSet, dict[str, Dataset]]:
    """Read every dataset of ``rules`` and check rules and data together; the rules with their categories spelled
    as the data spells them (:mod:`engine.load.categories`), and the datasets.

    ``areas`` are the areas to be scored (default: the assessment's area; ``"all"``: every area).
    Raises :class:`InputError` with every problem in every file at once.
    """
    datasets: dict[str, Dataset] = {}
    problems: list[Problem] = []
    for name, ref in rules.datasets.items():
        try:
            datasets[name] = read_dataset(ref, rules.measures)
        except IsADirectoryError:
            problems.append(
                rules.positions.problem(
                    ("datasets", name, "file"),
                    f"{ref.display} is a folder, not a CSV file",
                    "name the CSV file inside it",
                )
            )
        except FileNotFoundError:
            problems.append(
                rules.positions.problem(
                    ("datasets", name, "file"),
                    f"dataset file not found: {ref.display}",
                    "paths are relative to the folder of the rule file",
                )
            )
        except InputError as exc:
            problems.extend(exc.problems)
        except LayoutError as exc:  # the layout the rule file declares does not fit the workbook: placed there
            problems.extend(rules.positions.problem(path, message, hint) for path, message, hint in exc.mistakes)
    if not problems:
        problems.extend(ambiguous_categories(datasets))
    if not problems:
        rules = matched_categories(rules, datasets)
        problems.extend(check_rules_against_data(rules, datasets, areas))
    if problems:
        raise InputError(problems)
    return rules, datasets


def read_dataset(ref: DatasetRef, measures: Collection[str] = ()) -> Dataset:
    """Read and check one dataset; raise :class:`InputError` (or FileNotFoundError, IsADirectoryError).

    ``measures`` are the ids of the rule file's declared measures: a ``crime_counts`` dataset may have a column
    for each, held as whole units of 10**-:data:`MEASURE_PLACES` (nullable: a blank cell is missing). A
    ``crime_series`` dataset's periods are put in order (:mod:`engine.load.series`); problems doing so are
    reported with the cells' own.
    """
    if ref.path.is_dir():  # placed by the caller at the rule file's key
        raise IsADirectoryError(str(ref.path))
    raw = read_regular(ref.path, ref.display, MAX_DATASET_BYTES)
    if ref.sheet is not None:
        return _checked(ref, measures, read_sheet(ref, raw), file_sha256(raw))
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx (a zip) or .xls (OLE2)
        raise InputError([Problem(ref.display, 1, 1, "", "this is an Excel workbook, not a CSV file", SAVE_AS_UTF8)])
    decode_utf8(raw, ref.display, SAVE_AS_UTF8)  # checked, and placed if not UTF-8; the text itself is not kept
    sha256 = file_sha256(raw)
    csv = read_columns(raw[len(BOM) :] if raw.startswith(BOM) else raw, ref.display)
    del raw  # the columns hold what is needed: a large file's bytes are not kept while they are checked
    if csv is None:
        raise InputError([Problem(ref.display, 1, 1, "", "the file is empty", "the first line must name the columns")])
    return _checked(ref, measures, SheetTable(csv, [], None), sha256)


def _checked(ref: DatasetRef, measures: Collection[str], read: SheetTable, sha256: str) -> Dataset:
    """The dataset from its columns (a CSV's, or a workbook table's with the reader's own problems, which take
    the place of the checks' problems at the same cells)."""
    csv = read.columns
    if csv.rows > MAX_DATASET_ROWS:
        raise InputError(
            [
                Problem(
                    ref.display,
                    int(csv.lines[MAX_DATASET_ROWS]),
                    0 if csv.sheet else 1,
                    "",
                    f"too many rows ({csv.rows:,}; the limit is {MAX_DATASET_ROWS:,})",
                    "split the file or aggregate it (one row per area and category)",
                    sheet=csv.sheet,
                )
            ]
        )
    table = _Table(ref, csv, measures)
    frame = table.check()
    periods: tuple[str, ...] = ()
    if ref.shape == "crime_series" and frame is not None:
        periods, unordered = order_periods(
            ref, list(frame["period"].fillna("")), table.lines, _column_of(table, "period")
        )
        table.problems.extend(unordered)
    if read.problems:
        cells = {(p.line, p.column) for p in read.problems}
        table.problems = read.problems + [p for p in table.problems if (p.line, p.column) not in cells]
    if table.problems:
        shown = sorted(table.problems)
        if len(shown) > MAX_PROBLEMS_PER_FILE:
            extra = len(shown) - MAX_PROBLEMS_PER_FILE
            shown = shown[:MAX_PROBLEMS_PER_FILE] + [
                Problem(
                    ref.display,
                    shown[MAX_PROBLEMS_PER_FILE].line,
                    0,
                    "",
                    f"... and {extra} more problems in this file",
                    sheet=csv.sheet,
                )
            ]
        raise InputError(shown)
    series = by_category(frame, periods) if ref.shape == "crime_series" else None
    return Dataset(ref, frame, sha256, table.units, periods, series, read.reading)


def _column_of(table: _Table, name: str) -> int:
    """The 1-based number of a column the header is known to have."""
    return table.header.index(name) + 1


class _Table:
    """Checks the cells of one CSV against its shape's row schema, a column at a time (pyarrow compute kernels,
    so a million rows are checked without a step per row in Python)."""

    def __init__(self, ref: DatasetRef, csv: CsvColumns, measures: Collection[str] = ()):
        self.ref = ref
        self.schema = load_schema(ref.shape)
        self.measures = list(measures) if ref.shape == "crime_counts" else []
        self.header = [h.strip() for h in csv.header]
        self.csv = csv
        self.lines = csv.lines
        self.problems: list[Problem] = []
        self.units: dict[str, Any] = {}  # measure id -> its values in units (see Dataset.measures)
        self.codes: dict[str, tuple[Any, int]] = {}  # text column -> (each row's name as a number, how many)

    def fail(self, line: int, column: int, name: str, message: str, hint: str = "") -> None:
        """A problem at ``line`` (in a workbook: a sheet row, placed at the whole row)."""
        if self.csv.sheet:
            column = 0
        self.problems.append(Problem(self.ref.display, int(line), column, name, message, hint, sheet=self.csv.sheet))

    def fail_at(self, at: Any, number: int, name: str, message: str, hint: str = "") -> None:
        """A problem in data row ``at``'s cell of column ``number`` (1-based): in a workbook, at the sheet's cell."""
        column = int(self.csv.places[number - 1][at]) if self.csv.places else number
        self.problems.append(
            Problem(self.ref.display, int(self.lines[at]), column, name, message, hint, sheet=self.csv.sheet)
        )

    def check(self) -> Any:
        """The typed frame (with ``row``), or None if the header or a row's length is wrong; see ``problems``."""
        import pandas as pd
        import pyarrow.compute as pc

        self._header()
        for line, cells in self.csv.ragged:
            self.fail(line, 1, "", f"this row has {cells} cells but the header has {len(self.header)}")
        if self.problems:
            return None
        columns: dict[str, Any] = {}
        for i, name in enumerate(self.header):
            cells = pc.utf8_trim(self.csv.cells[i], characters=WHITESPACE)
            self._long_cells(cells, i + 1, name)
            if name in self.measures and name not in self.schema["properties"]:
                self.units[name] = self._measure_column(cells, i + 1, name)
                columns[name] = self._text(name, cells, pc.equal(cells, ""))
                continue
            rule = self.schema["properties"].get(name, {"type": ["string", "null"]})
            columns[name] = self._column(cells, i + 1, name, rule)
        typed = pd.DataFrame(columns, index=pd.RangeIndex(self.csv.rows))
        typed["row"] = self.lines
        if not _all_distinct([self.codes[k] for k in _KEYS if k in self.codes]):
            self._duplicates(typed)
        return typed

    def _header(self) -> None:
        """Each column once, known to the shape; every required column present; or one problem for a file
        separated by semicolons or tabs."""
        separator = _other_separator(self.header, self.schema["required"])
        if separator:
            message = f"this file is separated by {separator}; save it as CSV with commas"
            self.fail(1, 1, "", message, SAVE_AS_UTF8)
            return
        properties = self.schema["properties"]
        patterns = [re.compile(p) for p in self.schema.get("patternProperties", {})]
        seen: dict[str, int] = {}
        for i, name in enumerate(self.header):
            if name in seen:
                self.fail(1, i + 1, name, f"column `{name}` appears twice (first as column {seen[name] + 1})")
            elif name not in properties and name not in self.measures and not any(p.search(name) for p in patterns):
                self.fail(1, i + 1, name, f"unknown column `{name}`", self._unknown_hint(name))
            seen.setdefault(name, i)
        for name in self.schema["required"]:
            if name not in seen:
                hint = (
                    did_you_mean(name, self.header)
                    or f"the first line must name the columns: {allowed_list(self.schema['required'])}"
                )
                self.fail(1, 1, name, f"missing column `{name}`", hint)

    def _unknown_hint(self, name: str) -> str:
        """A column's likely name; in a crime_counts dataset, else that a partner's own column is declared."""
        properties = list(self.schema["properties"])
        if self.ref.shape != "crime_counts":
            return (
                did_you_mean(name, properties) or f"columns of a {self.ref.shape} dataset: {allowed_list(properties)}"
            )
        return did_you_mean(name, properties + self.measures) or "declare it under `measures:` in the rule file"

    def _long_cells(self, cells: Any, number: int, name: str) -> None:
        """No cell is longer than :data:`MAX_CELL_CHARS` characters."""
        import numpy as np
        import pyarrow.compute as pc

        lengths = pc.utf8_length(cells).to_numpy()
        for at in np.flatnonzero(lengths > MAX_CELL_CHARS)[:MAX_PROBLEMS_PER_FILE]:
            self.fail_at(
                at,
                number,
                name,
                f"this cell is too long ({lengths[at]:,} characters; the limit is {MAX_CELL_CHARS:,})",
            )

    def _column(self, cells: Any, number: int, name: str, rule: dict[str, Any]) -> Any:
        import numpy as np
        import pyarrow.compute as pc

        kinds = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
        nullable = "null" in kinds
        blank_cells = pc.equal(cells, "")
        blank = blank_cells.to_numpy(zero_copy_only=False)
        if not nullable:
            for at in np.flatnonzero(blank):
                self.fail_at(at, number, name, "empty cell: a value is needed here")
        if "integer" not in kinds:
            return self._text(name, cells, blank_cells)
        whole_cells = pc.match_substring_regex(cells, f"^{_WHOLE.pattern}$")
        whole = whole_cells.to_numpy(zero_copy_only=False)
        for at in np.flatnonzero(~whole & ~blank):
            self.fail_at(at, number, name, *_not_whole(cells[int(at)].as_py()))
        values = _integers(pc.if_else(whole_cells, cells, None))
        low, high = rule.get("minimum"), rule.get("maximum")
        if low is not None:
            for at in np.flatnonzero((values < low).fillna(False).to_numpy()):
                meaning = "counts cannot be negative" if low == 0 else f"the smallest allowed is {low}"
                self.fail_at(at, number, name, f"{values.iloc[at]} is too small: {meaning}")
        if high is not None:
            for at in np.flatnonzero((values > high).fillna(False).to_numpy()):
                self.fail_at(at, number, name, f"{values.iloc[at]} is too large (the largest allowed is {high:,})")
        return values

    def _measure_column(self, cells: Any, number: int, name: str) -> Any:
        """A declared measure's cells as whole units of 10**-MEASURE_PLACES (Int64; a blank cell is missing)."""
        import numpy as np
        import pandas as pd
        import pyarrow.compute as pc

        blank = pc.equal(cells, "").to_numpy(zero_copy_only=False)
        found = pc.extract_regex(cells, _DECIMAL_PARTS).combine_chunks()
        parts = found.is_valid().to_numpy(zero_copy_only=False)
        for at in np.flatnonzero(~parts & ~blank):
            self.fail_at(at, number, name, *_not_decimal(cells[int(at)].as_py()))
        whole = _integers(pc.if_else(parts, found.field("whole"), "0")).to_numpy(dtype=np.int64)
        places = pc.utf8_rpad(pc.if_else(parts, found.field("places"), ""), MEASURE_PLACES, "0")
        fraction = _integers(places).to_numpy(dtype=np.int64)
        units = pd.Series(whole * 10**MEASURE_PLACES + fraction)
        negative = pc.equal(pc.if_else(parts, found.field("sign"), ""), "-").to_numpy(zero_copy_only=False)
        units = units.where(~negative, -units)
        for at in np.flatnonzero((units.abs() > MEASURE_LIMIT * 10**MEASURE_PLACES).to_numpy()):
            self.fail_at(
                at,
                number,
                name,
                f"`{cells[int(at)].as_py()}` is too large (the largest allowed is {MEASURE_LIMIT:,})",
            )
        return units.astype("Int64").where(parts & ~blank, pd.NA)

    def _text(self, name: str, cells: Any, blank: Any) -> Any:
        """A text column for the frame: Python strings, None where blank. One string object per distinct name,
        so a column that repeats a few categories a million times stays small; each row's name as a number is
        kept in :attr:`codes`."""
        import numpy as np
        import pandas as pd
        import pyarrow.compute as pc

        coded = pc.dictionary_encode(pc.if_else(blank, None, cells)).combine_chunks()
        names = np.append(coded.dictionary.to_numpy(zero_copy_only=False), [None])  # the last slot: blank
        numbers = pc.fill_null(coded.indices, len(names) - 1).to_numpy().astype(np.int64)
        self.codes[name] = (numbers, len(names))
        return pd.Series(names[numbers], dtype=object)

    def _duplicates(self, frame: Any) -> None:
        keys = [k for k in _KEYS if k in frame.columns]
        # A blank key cell is already reported as empty; two blanks are not a duplicate worth a second message.
        complete = frame[keys].notna().all(axis=1)
        dupes = frame[complete & frame.duplicated(keys, keep=False)]
        first: dict[tuple[str, ...], int] = {}
        for record in dupes.itertuples(index=False):
            key = tuple(getattr(record, k) for k in keys)
            if key in first:
                what = " / ".join(key)
                where = "row" if self.csv.sheet else "line"
                self.fail(record.row, 1, "", f"duplicate row for {what} (first on {where} {first[key]})")
            else:
                first[key] = record.row


def _all_distinct(codes: list[tuple[Any, int]]) -> bool:
    """Whether no two rows share their key cells, given each key column's names as numbers: the common case,
    answered by counting distinct numbers, so rows are compared one by one only when some may share keys."""
    import numpy as np
    import pandas as pd

    if not codes:
        return True
    combined = np.zeros(len(codes[0][0]), dtype=np.int64)
    span = 1
    for numbers, distinct in codes:
        span *= distinct
        if span >= 2**62:  # the key would not fit one number: let the row-by-row comparison decide
            return False
        combined = combined * distinct + numbers
    return len(pd.unique(combined)) == len(combined)


def _integers(cells: Any) -> Any:
    """Cells known to be whole numbers (or null) as a nullable Int64 series."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.cast(pc.utf8_ltrim(cells, characters="+"), pa.int64())
    mask = values.is_null().to_numpy(zero_copy_only=False)
    return pd.Series(pd.arrays.IntegerArray(pc.fill_null(values, 0).to_numpy(), mask))


def _other_separator(header: list[str], required: list[str]) -> str | None:
    """ "semicolons" or "tabs" when a one-cell header splits on that into every required column."""
    if len(header) != 1:
        return None
    for char, words in ((";", "semicolons"), ("\t", "tabs")):
        names = [name.strip() for name in header[0].split(char)]
        if len(names) > 1 and set(required) <= set(names):
            return words
    return None


def _not_whole(cell: str) -> tuple[str, str]:
    if re.fullmatch(r"[-+]?[0-9]{1,3}(,[0-9]{3})+", cell):
        return f"`{cell}` is not a plain whole number", "remove the thousands separators"
    if re.fullmatch(r"[-+]?[0-9]+\.[0-9]*", cell):
        return f"`{cell}` is not a whole number", ""
    if re.fullmatch(r"[-+]?[0-9]{16,}", cell):
        return f"`{cell}` is too large", ""
    return f"`{cell}` is not a number", "write digits only, e.g. 1511"


def _not_decimal(cell: str) -> tuple[str, str]:
    if re.fullmatch(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?", cell):
        return f"`{cell}` is not a plain number", "remove the thousands separators"
    if re.fullmatch(r"[-+]?[0-9]+\.[0-9]{7,}", cell):
        return f"`{cell}` has more than {MEASURE_PLACES} decimal places", ""
    if re.fullmatch(r"[-+]?[0-9]{11,}(\.[0-9]*)?", cell):
        return f"`{cell}` is too large (the largest allowed is {MEASURE_LIMIT:,})", ""
    return f"`{cell}` is not a number", "write a decimal number, e.g. 23.5 (no % sign), or leave the cell blank"


ALL_AREAS = "all"


def resolve_areas(datasets: dict[str, Dataset], areas: list[str] | str | None) -> list[str] | None:
    """``"all"`` -> every area of the count datasets (crime_counts, crime_series), in order; a list or None as
    given."""
    import pandas as pd

    if areas != ALL_AREAS:
        return list(areas) if areas else None
    found: dict[str, None] = {}
    for dataset in datasets.values():
        if dataset.ref.shape in COUNT_SHAPES:
            found.update(dict.fromkeys(pd.unique(dataset.frame["area"].to_numpy())))
    return list(found)


def check_rules_against_data(
    rules: RuleSet, datasets: dict[str, Dataset], areas: list[str] | str | None = None
) -> list[Problem]:
    """Problems where the rules name an area, category or population the data lacks.

    ``areas`` as for :func:`load_datasets`. The checks are the named ones of
    :mod:`engine.load.data_checks`, run in order; if an area is missing, only the
    area problems are returned.
    """
    return run_checks(data_context(rules, datasets, areas))


def data_context(rules: RuleSet, datasets: dict[str, Dataset], areas: list[str] | str | None = None) -> DataContext:
    """What the data checks read: the areas to be scored are ``areas`` (as for :func:`load_datasets`)."""
    resolved = resolve_areas(datasets, areas)
    area = rules.assessment.area
    wanted = list(resolved) if resolved else ([area] if area is not None else None)
    return DataContext(rules, datasets, wanted)
