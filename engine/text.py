"""Decode input files as UTF-8, locating the first byte that is not."""

from __future__ import annotations

from engine.errors import InputError, Problem

BOM = b"\xef\xbb\xbf"


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
