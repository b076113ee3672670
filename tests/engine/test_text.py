"""engine.text: UTF-8 decoding with a located error."""

from __future__ import annotations

import pytest

from engine.errors import InputError
from engine.text import decode_utf8


def test_bom_is_dropped():
    assert decode_utf8(b"\xef\xbb\xbfarea\n", "f.csv", "") == "area\n"


def test_cp1252_bytes_are_located():
    with pytest.raises(InputError) as caught:
        decode_utf8("a,b\nc,\u2013\n".encode("cp1252"), "f.csv", "save as UTF-8")
    assert str(caught.value.problems[0]) == "f.csv:2:3: byte 0x96 is not UTF-8 text\n    hint: save as UTF-8"
