"""Where police.uk files come from: files, folders searched recursively, and zip archives read in place.

- A file named on the command line is read whatever its name.
- A folder is searched recursively (symbolic links to folders are not followed) for ``*-street.csv``, the
  street-level files, so an archive unpacked as police.uk makes it (``2019-01/2019-01-kent-street.csv``, beside
  ``-outcomes.csv`` and ``-stop-and-search.csv``) can be given as it is; its other ``.csv`` files are listed in
  the provenance as skipped.
- A ``.zip`` archive named on the command line is read member by member, straight from the archive, never
  extracted to disk. Its member names are checked (no absolute paths, ``..``, backslashes or control
  characters), encrypted members refused, and sizes bounded: at most :data:`MAX_MEMBERS` members, each at most
  :data:`MAX_MEMBER_BYTES` uncompressed and :data:`MAX_RATIO` times its compressed size (a "zip bomb" is
  refused before a byte is inflated), and reading stops at the size the archive declares.
- The month of a file comes from its name (``YYYY-MM-<force>-street.csv``), so a file outside every period is
  skipped before it is opened.

:class:`HashingReader` hashes a file as the CSV reader reads it: one pass over its bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from engine.errors import InputError, Problem
from engine.paths import display_path
from engine.text import check_regular

STREET = re.compile(r"([0-9]{4}-[0-9]{2})-(.+)-street\.csv$", re.ASCII)
MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 2 << 30  # 2 GiB of CSV: several times a month of every force
MAX_RATIO = 100  # CSV compresses about 10 times; a ratio above this is a zip bomb, not police data
HEAD_BYTES = 64 << 10
_UNSAFE = re.compile(r"(^/|^[A-Za-z]:|\\|(^|/)\.\.(/|$)|[\x00-\x1f\x7f])")


@dataclass(frozen=True)
class Source:
    """One police.uk file: on disk, or a member of a zip archive (``member``)."""

    path: Path
    display: str
    member: str = ""
    size: int = 0

    @property
    def month(self) -> str | None:
        """The month its name gives (``2019-01-kent-street.csv`` -> 2019-01), if it follows police.uk's pattern."""
        found = STREET.search(self.member.rsplit("/", 1)[-1] if self.member else self.path.name)
        return found.group(1) if found else None

    def open(self, archive: zipfile.ZipFile | None = None) -> IO[bytes]:
        """A binary stream of its bytes; a member is read from ``archive`` if given (kept open), else its own."""
        if not self.member:
            check_regular(self.path, display_path(self.path))  # a FIFO named *-street.csv would block for ever
            return self.path.open("rb")
        if archive is not None:
            return archive.open(self.member)
        archive = zipfile.ZipFile(self.path)
        try:
            return cast(IO[bytes], _Member(archive, archive.open(self.member)))
        except BaseException:
            archive.close()
            raise


class _Member(io.RawIOBase):
    """A member's stream that closes its archive with it."""

    def __init__(self, archive: zipfile.ZipFile, stream: IO[bytes]):
        self._archive, self._stream = archive, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
            self._archive.close()
        super().close()


class Archives:
    """The zip archives being read, each opened once (its member list is read once, not once per member)."""

    def __init__(self) -> None:
        self._open: dict[Path, zipfile.ZipFile] = {}

    def open(self, source: Source) -> IO[bytes]:
        """``source``'s bytes; a member comes from its archive, opened on first use."""
        if not source.member:
            return source.open()
        if source.path not in self._open:
            self._open[source.path] = zipfile.ZipFile(source.path)
        return source.open(self._open[source.path])

    def close(self) -> None:
        for archive in self._open.values():
            archive.close()
        self._open.clear()


class HashingReader(io.RawIOBase):
    """Reads a stream, computing its SHA-256 and size as it goes, keeping its first bytes for error messages.

    Raises :class:`OSError` after ``limit`` bytes (None: no limit).
    """

    def __init__(self, stream: IO[bytes], limit: int | None = None):
        self._stream = stream
        self._sha = hashlib.sha256()
        self.size = 0
        self.limit = limit
        self.head = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        n = self._stream.readinto(view) if hasattr(self._stream, "readinto") else self._read_into(view)
        if n:
            self._sha.update(view[:n])
            if len(self.head) < HEAD_BYTES:
                self.head += bytes(view[: min(n, HEAD_BYTES - len(self.head))])
            self.size += n
            if self.limit is not None and self.size > self.limit:
                raise OSError(f"larger than {self.limit:,} bytes")
        return n or 0

    def _read_into(self, view: memoryview) -> int:
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)

    def sha256(self) -> str:
        return self._sha.hexdigest()

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


@dataclass
class Found:
    """The sources to read, the files listed as skipped (with why), and the problems found looking."""

    sources: list[Source] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def find(paths: list[Path]) -> Found:
    """Every police.uk source under ``paths`` (see the module docstring), each file once, in name order."""
    found = Found()
    seen: set[tuple[str, str]] = set()
    for path in paths:
        if path.is_dir():
            for file in _walk(path):
                if file.name.endswith("-street.csv"):
                    _add(found, seen, Source(file, display_path(file), size=file.stat().st_size))
                elif file.suffix.lower() == ".csv":
                    found.skipped.append({"file": display_path(file), "skipped": "not a street-level file"})
        elif path.suffix.lower() == ".zip":
            for source in _members(path, found):
                _add(found, seen, source)
        else:
            _add(found, seen, Source(path, display_path(path), size=path.stat().st_size))
    return found


def _add(found: Found, seen: set[tuple[str, str]], source: Source) -> None:
    key = (str(source.path.resolve()), source.member)
    if key not in seen:
        seen.add(key)
        found.sources.append(source)


def _walk(folder: Path) -> Iterator[Path]:
    for root, folders, files in os.walk(folder):  # os.walk does not follow links to folders
        folders.sort()
        for name in sorted(files):
            yield Path(root) / name


def _members(path: Path, found: Found) -> list[Source]:
    display = display_path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        found.problems.append(Problem(display, 1, 1, "", f"this is not a zip archive that can be read ({exc})"))
        return []
    if len(infos) > MAX_MEMBERS:
        found.problems.append(
            Problem(display, 1, 1, "", f"the archive has {len(infos):,} members; at most {MAX_MEMBERS:,} are read")
        )
        return []
    out = []
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        shown = f"{display}/{name}"
        why = _refused(info)
        if why:
            found.problems.append(
                Problem(display, 1, 1, "", f"member `{name!r}`: {why}"[:400], "nothing in the archive was read")
            )
        elif name.endswith("-street.csv"):
            out.append(Source(path, shown, name, info.file_size))
        elif name.lower().endswith((".csv", ".zip")):
            reason = (
                "an archive inside the archive is not opened"
                if name.lower().endswith(".zip")
                else "not a street-level file"
            )
            found.skipped.append({"file": shown, "skipped": reason})
    return [] if any(p.file == display for p in found.problems) else out


def _refused(info: zipfile.ZipInfo) -> str:
    """Why a member is refused, or ""."""
    if _UNSAFE.search(info.filename) or len(info.filename) > 1000:
        return "the name is not a plain relative path"
    if info.flag_bits & 0x1:
        return "it is encrypted"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"it would inflate to {info.file_size:,} bytes, over the limit of {MAX_MEMBER_BYTES:,}"
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
        return f"it would inflate {info.file_size // max(info.compress_size, 1):,} times its size (a zip bomb?)"
    return ""


def unreadable(problems: list[Problem]) -> None:
    """Raise the problems found looking for sources, if any."""
    if problems:
        raise InputError(problems)
