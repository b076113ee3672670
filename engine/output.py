"""Write output files all or nothing, and never over an input file.

Every file a command writes goes through :func:`write_files`: each target is
checked first against what is in the way (a folder where a file goes, a parent
that is a file, a name too long, a folder that cannot be written, an input of
the run) and any problem is an :class:`OutputError` naming the path and the
reason before anything is written. Then each file is written to a temporary
file beside its target and all are moved into place together; if a later move
fails, the earlier ones are undone (a file that was there before is put back)
and folders made for the run are removed, so nothing new remains.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from engine.errors import CspscoreError

Content = str | bytes | Iterator[str]


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


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _existing_parent(folder: Path) -> Path:
    """The nearest folder of ``folder`` (itself or an ancestor) that exists."""
    for candidate in (folder, *folder.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(".")


def check_writable(target: Path) -> None:
    """Raise :class:`OutputError` if ``target`` cannot be written as a file: what is in the way, and why."""
    try:
        _check_writable(target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


def _check_writable(target: Path) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    for part in target.parts:
        if len(os.fsencode(part)) > 255:
            raise OutputError(f"cannot write {target}: the name `{part[:40]}...` is too long (at most 255 bytes)")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder, not a file")
    base = _existing_parent(folder)
    if not base.is_dir():
        raise OutputError(f"cannot write {target}: {base} is a file, not a folder")
    for part in (target.name, *(p.name for p in [folder, *folder.parents] if p != base and base in p.parents)):
        if len(os.fsencode(part)) > _name_max(base):
            raise OutputError(f"cannot write {target}: the name `{part[:40]}...` is too long for the file system")
    if not os.access(base, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {target}: the folder {base} cannot be written to")
    if target.exists() and not os.access(target, os.W_OK) and not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {target}: it cannot be replaced")


def write_files(files: dict[Path, Content], inputs: Iterable[Path] = ()) -> list[Path]:
    """Write every file of ``files`` (target -> text or bytes), all or nothing; returns the targets.

    Missing folders are made; text is UTF-8 and may come in pieces (an iterator of strings, written as they come).
    """
    inputs = list(inputs)
    for target in files:
        check_target(target, inputs)
        check_writable(target)
    current = Path(".")
    made: list[Path] = []  # folders made for this run, outermost first
    staged: list[tuple[Path, str]] = []  # (target, temporary file beside it)
    placed: list[tuple[Path, str | None]] = []  # (target, backup of the file it replaced)
    try:
        for target, text in files.items():
            current = target
            folder = target.parent if str(target.parent) else Path(".")
            for missing in reversed([folder, *folder.parents]):
                if not missing.exists():
                    missing.mkdir()
                    made.append(missing)
            staged.append((target, _stage(target, folder, text)))
        for target, temporary in staged:
            current = target
            backup = None
            if target.exists():
                backup = tempfile.mktemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
                try:
                    os.link(target, backup)
                except OSError:  # a file system without hard links
                    shutil.copy2(target, backup)
            placed.append((target, backup))
            os.replace(temporary, target)
    except OSError as exc:
        _undo(staged, placed, made)
        raise OutputError(f"cannot write {current}: {exc.strerror or exc}") from None
    except BaseException:
        _undo(staged, placed, made)
        raise
    for _, backup in placed:
        if backup:
            Path(backup).unlink(missing_ok=True)
    return list(files)


def _stage(target: Path, folder: Path, text: Content) -> str:
    """Write ``text`` to a temporary file beside ``target``; its path."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder)
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as stream:
                stream.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.writelines([text] if isinstance(text, str) else text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _undo(staged: list[tuple[Path, str]], placed: list[tuple[Path, str | None]], made: list[Path]) -> None:
    """Put back what a failed :func:`write_files` changed: replaced files restored, new files and folders removed."""
    for target, backup in reversed(placed):
        try:
            if backup:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            pass
    for _, temporary in staged:
        Path(temporary).unlink(missing_ok=True)
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass


def write_file(target: Path, text: Content, inputs: Iterable[Path] = ()) -> None:
    """Write ``text`` (UTF-8) or bytes to ``target``, all or nothing (see :func:`write_files`); its folder must
    exist."""
    folder = target.parent if str(target.parent) else Path(".")
    check_target(target, list(inputs))
    check_writable(target)
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: folder {folder} does not exist")
    write_files({target: text}, inputs)


def folder_files(folder: Path, files: dict[str, str]) -> dict[Path, Content]:
    """``files`` (name -> text) as targets in ``folder``, for :func:`write_files`; refuses a folder that is a file."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")
    return {folder / name: text for name, text in files.items()}


def write_folder(folder: Path, files: dict[str, str], inputs: Iterable[Path] = ()) -> list[Path]:
    """Write several files into ``folder`` (created if needed), all or nothing; returns their paths."""
    return write_files(folder_files(folder, files), inputs)


def check_outside_inputs(folder: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output ``folder`` that is an input folder of the run or inside one (its files would be read
    back as inputs next time)."""
    try:
        where = folder.resolve()
    except OSError:
        return
    for source in inputs:
        try:
            if not source.is_dir():
                continue
            root = source.resolve()
        except OSError:
            continue
        if where == root:
            raise OutputError(f"refusing to write into {folder}: it is the input folder {source}")
        if root in where.parents:
            raise OutputError(f"refusing to write into {folder}: it is inside the input folder {source}")
