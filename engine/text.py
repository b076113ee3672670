"""Decode input files as UTF-8, locating the first byte that is not."""

from __future__ import annotations

from engine.errors import InputError, Problem

BOM = b"\xef\xbb\xbf"


def decode_utf8(raw: bytes, display: str, hint: str) -> str:
    """``raw`` as text; a leading byte-order mark (as Windows tools write) is dropped.

    Raises :class:`InputError` at the line and column of the first byte that is
    not UTF-8, with ``hint`` saying how to re-save the file.
    """
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        message = f"byte 0x{raw[exc.start]:02x} is not UTF-8 text"
        raise InputError([Problem(display, line, column, "", message, hint)]) from None
