"""Read input files safely and decode them as UTF-8, locating the first byte that is not.

Only regular files are read: a FIFO, a device (``/dev/zero``) or a socket named
as an input is refused by its ``os.stat`` before it is opened (opening a FIFO
would block for ever), and a file larger than the limit its caller gives is
refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from engine.errors import InputError, Problem

BOM = b"\xef\xbb\xbf"

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_regular_file(path: Path) -> str:
    """Why ``path`` (which exists) is not a regular file to read, or "" if it is one. Never opens it."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    for test, kind in _KINDS:
        if test(mode):
            return f"is {kind}, not a regular file; only regular files are read"
    return ""


def check_regular(path: Path, display: str, limit: int | None = None) -> int:
    """The size of ``path``, a regular file of at most ``limit`` bytes; else :class:`InputError` saying why.

    FileNotFoundError passes through, for callers that word "not found" their own way.
    """
    why = not_a_regular_file(path)
    if why:
        raise InputError([Problem(display, 0, 0, "", why)])
    size = os.stat(path).st_size
    if limit is not None and size > limit:
        raise InputError([Problem(display, 1, 1, "", f"file is too large ({size:,} bytes; the limit is {limit:,})")])
    return size


def read_regular(path: Path, display: str, limit: int | None = None) -> bytes:
    """The bytes of ``path`` after :func:`check_regular`; reading stops at ``limit`` + 1 bytes, so a file that grows
    while it is read is still refused."""
    check_regular(path, display, limit)
    with open(path, "rb") as stream:
        raw = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(raw) > limit:
        raise InputError(
            [Problem(display, 1, 1, "", f"file is too large (over {limit:,} bytes; the limit is {limit:,})")]
        )
    return raw


#: Leading bytes of files that are not UTF-8 text, and what each is.
_NOT_TEXT = (
    (b"\xff\xfe", "UTF-16 text (little-endian, with a byte-order mark)"),
    (b"\xfe\xff", "UTF-16 text (big-endian, with a byte-order mark)"),
    (b"\x1f\x8b", "compressed with gzip"),
)
_GUNZIP = "decompress it first (e.g. `gunzip FILE.gz`) and give the file inside"


def decode_utf8(raw: bytes, display: str, hint: str) -> str:
    """``raw`` as text; a leading byte-order mark (as Windows tools write) is dropped.

    Raises :class:`InputError` at the line and column of the first byte that is
    not UTF-8, with ``hint`` saying how to re-save the file; a UTF-16 or gzip file
    is named as such at 1:1.
    """
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    for magic, what in _NOT_TEXT:
        if raw.startswith(magic):
            fix = _GUNZIP if "gzip" in what else hint
            raise InputError([Problem(display, 1, 1, "", f"this file is {what}, not UTF-8 text", fix)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        message = f"byte 0x{raw[exc.start]:02x} is not UTF-8 text"
        raise InputError([Problem(display, line, column, "", message, hint)]) from None


def yaml_quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, for files the tool writes (names hold commas, colons, quotes).

    A JSON string is a valid YAML double-quoted scalar, escapes included.
    """
    import json

    return json.dumps(text, ensure_ascii=False)
