"""Count one police.uk street-level file: rows per force, district, crime type and month, in one read.

Only the columns needed are parsed (Month, Falls within, LSOA name, Crime type; LSOA code too when an LSOA
lookup is given), by pyarrow's multithreaded CSV reader, while :class:`engine.ingest.sources.HashingReader`
hashes the bytes it reads. The file is grouped at once in C++, by LSOA and then by district (the LSOA name
without its last word), so what is kept per file is a few hundred counts: memory is bounded by the largest file,
not the number of files. Each row has one fate: malformed (wrong number of cells, a Month that is not YYYY-MM, no
force or crime type), of a force not selected, outside every period, or counted (with district "" when it has
no location).
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from engine.errors import Problem
from engine.ingest.names import LSOA_SUFFIX, force_key
from engine.ingest.periods import parse_month
from engine.ingest.sources import MAX_MEMBER_BYTES, Archives, HashingReader, Source

COLUMNS = ["Month", "Falls within", "LSOA name", "Crime type"]
LSOA_CODE = "LSOA code"
BLOCK = 4 << 20  # pyarrow reads 4 MB blocks: measured fastest here

#: (force, district, partnership by LSOA lookup or "", crime type, month) -> rows
Key = tuple[str, str, str, str, str]


@dataclass
class FileCount:
    """What one file holds: its hash and size, and every row by fate."""

    sha256: str = ""
    bytes: int = 0
    rows: int = 0
    malformed: int = 0
    not_selected: int = 0
    outside_periods: int = 0
    counts: Counter[Key] = field(default_factory=Counter)
    by_month: Counter[tuple[str, str]] = field(default_factory=Counter)  # (force, month) -> rows, any month
    problem: Problem | None = None  # why the file cannot be read (then nothing of it counts)


def count(
    source: Source,
    wanted: set[str],
    selected: Callable[[str], bool],
    lsoa: dict[str, str] | None = None,
    archives: Archives | None = None,
) -> FileCount:
    """Count ``source``; ``wanted`` is every month of the periods, ``selected`` says whether a force is kept.

    A file that cannot be read comes back with its ``problem`` set.
    """
    import pyarrow.csv as pacsv

    columns = [*COLUMNS, LSOA_CODE] if lsoa is not None else COLUMNS
    out = FileCount()
    skipped: list[object] = []  # list.append is atomic: the reader's threads may call skip at once

    def skip(row: object) -> str:
        skipped.append(row)
        return "skip"

    opened = archives.open(source) if archives is not None else source.open()
    stream = HashingReader(opened, MAX_MEMBER_BYTES if source.member else None)
    try:
        table = pacsv.read_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=BLOCK),
            parse_options=pacsv.ParseOptions(invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types=dict.fromkeys(columns, _text()), strings_can_be_null=True
            ),
        )
        while stream.readinto(bytearray(1 << 16)):  # bytes the reader left unread still belong to the hash
            pass
    except (ValueError, KeyError, OSError, EOFError, NotImplementedError, zipfile.BadZipFile) as exc:  # pyarrow's too
        out.problem = unreadable(source, stream.head, exc)
        return out
    finally:
        stream.close()
    out.sha256, out.bytes = stream.sha256(), stream.size
    out.malformed = len(skipped)
    out.rows = table.num_rows + out.malformed
    if table.num_rows:
        _tally(_by_district(table, lsoa), out, wanted, selected)
    return out


def _text() -> Any:
    """Cells are read dictionary-encoded: each file repeats a few thousand distinct strings."""
    import pyarrow as pa

    return pa.dictionary(pa.int32(), pa.string())


def _by_district(table: Any, lsoa: dict[str, str] | None) -> dict[str, list[Any]]:
    """Rows per (Month, force, district, LSOA partnership, crime type), as Python lists.

    The district is computed once per distinct LSOA name (the column's dictionary), and the rows are grouped once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    table = table.unify_dictionaries().combine_chunks()
    names = table["LSOA name"].chunk(0)
    districts = pc.replace_substring_regex(pc.utf8_trim_whitespace(names.dictionary), LSOA_SUFFIX, "")
    columns = {
        "month": table["Month"],
        "force": table["Falls within"],
        "district": _recoded(names.indices, districts),
        "category": table["Crime type"],
    }
    if lsoa is not None:
        codes = table[LSOA_CODE].chunk(0)
        known = [lsoa.get(str(code).strip(), "") for code in codes.dictionary.to_pylist()]
        columns["lsoa"] = _recoded(codes.indices, pa.array(known, pa.string()))
    grouped = pa.table(columns).group_by(list(columns)).aggregate([([], "count_all")]).to_pydict()
    if lsoa is None:
        grouped["lsoa"] = [""] * len(grouped["count_all"])
    return grouped


def _recoded(indices: Any, values: Any) -> Any:
    """A dictionary array of ``values`` taken at ``indices``, with each distinct value once in its dictionary.

    pyarrow groups dictionary arrays by index, so equal values (two LSOAs of one district) must share one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(values)
    where = pc.index_in(values, value_set=distinct)
    return pa.DictionaryArray.from_arrays(where.take(indices), distinct)


def _tally(rows: dict[str, list[Any]], out: FileCount, wanted: set[str], selected: Callable[[str], bool]) -> None:
    columns = (rows["month"], rows["force"], rows["district"], rows["lsoa"], rows["category"], rows["count_all"])
    for month, force, district, lsoa, category, n in zip(*columns, strict=True):
        month, force, category = (month or "").strip(), (force or "").strip(), (category or "").strip()
        district, lsoa = district or "", lsoa or ""
        if parse_month(month) is None or not force or not category:
            out.malformed += n
            continue
        out.by_month[(force, month)] += n
        if not selected(force):
            out.not_selected += n
        elif month not in wanted:
            out.outside_periods += n
        else:
            out.counts[(force, district, lsoa, category, month)] += n


def unreadable(source: Source, head: bytes, exc: BaseException) -> Problem:
    """Why a file cannot be read: empty, the first column its header lacks, else the reader's own words."""
    first_line = head.decode("utf-8", "replace").split("\n", 1)[0].strip("\r\ufeff")
    header = [c.strip().strip('"') for c in first_line.split(",")]
    missing = [c for c in COLUMNS if c not in header]
    if not head:
        message = "the file is empty"
    elif missing:
        message = f"missing column `{missing[0]}`"
    else:
        message = f"cannot be read as police.uk CSV: {str(exc).strip()[:300]}"
    hint = "police.uk street-level files have Month, Falls within, LSOA name and Crime type columns"
    return Problem(source.display, 1, 1, "", message, hint)


def force_filter(forces: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a force (as ``Falls within`` names it) is among ``forces`` (all when none are given)."""
    keys = {force_key(f) for f in forces}
    return (lambda force: force_key(force) in keys) if keys else (lambda force: True)
