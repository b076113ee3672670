"""Write output files atomically, and never over an input file.

Each file is written to a temporary file in the target folder and renamed into
place, so a failure never leaves a partial file behind. A folder of several
files is written the same way, file by file, after all have been rendered.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from engine.errors import CspscoreError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class OutputError(CspscoreError):
    """The output cannot be written where asked; the message says why."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def check_target(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse a target that is one of the run's input files."""
    for source in inputs:
        if _same_file(target, source):
            raise OutputError(f"refusing to write {target}: it is an input file of this run")


def write_file(target: Path, text: str | bytes | Iterator[str], inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` (UTF-8) or bytes to ``target`` atomically; text may come in pieces (an iterator of
    strings, written as they come, so the whole never needs to be in memory)."""
    check_target(target, list(inputs))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as stream:
                stream.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.writelines([text] if isinstance(text, str) else text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_folder(folder: Path, files: dict[str, str], inputs: Iterable[Path] = ()) -> list[Path]:
    """Write several files into ``folder`` (created if needed); returns their paths."""
    inputs = list(inputs)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")
    targets = [folder / name for name in files]
    for target in targets:
        check_target(target, inputs)
    folder.mkdir(parents=True, exist_ok=True)
    for target, text in zip(targets, files.values(), strict=True):
        write_file(target, text, inputs)
    return targets
