"""Place and force names compared as people mean them, whatever the vintage or typography of the table.

:func:`normalise` is the one comparison key for district and partnership names: letter case, typographic
apostrophes, a leading "The", "&" for "and", hyphens and dashes, full stops, "City of" / ", City of" and
", County of" do not matter (``The Vale of Glamorgan`` is ``Vale of Glamorgan``, ``King’s Lynn`` is
``King's Lynn``, ``Barrow-in-Furness`` is ``Barrow-In-Furness``, ``Bristol`` is ``Bristol, City of``).
:func:`force_key` does the same for police forces, without "Police", "Constabulary" or "Service"
(``Devon & Cornwall Police`` is the police force area ``Devon and Cornwall``). :func:`district_of` reads the
district from a police.uk LSOA name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u02bc\u0060\u00b4\u2032", "'"))
_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_FORCE_WORDS = re.compile(r"\b(police|constabulary|service)\b")
#: The LSOA code at the end of an LSOA name (the same pattern runs in pyarrow, whose RE2 has ASCII classes).
LSOA_SUFFIX = r"[ \t]+[^ \t]+$"

#: Spellings police.uk files have used that are neither a rename nor covered by :func:`normalise`.
SPELLINGS = {"rhondda cynon taff": "rhondda cynon taf"}


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    """The comparison key of a district or partnership name (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold()
    text = text.replace("&", " and ").replace(".", "")
    text = _SPACES.sub(" ", _DASHES.sub(" ", text)).strip()
    text = re.sub(r"^the ", "", text)
    text = re.sub(r"\s*,\s*(city|county) of$", "", text)
    text = re.sub(r"^(city|county) of ", "", text)
    return SPELLINGS.get(text, text)


@lru_cache(maxsize=1024)
def force_key(name: str) -> str:
    """The comparison key of a police force name: ``Kent Police``, ``Kent`` -> ``kent``."""
    return _SPACES.sub(" ", _FORCE_WORDS.sub(" ", normalise(name))).strip()


def district_of(lsoa_name: str) -> str:
    """The district of a police.uk LSOA name: the name without its last word (``Sevenoaks 012B`` -> ``Sevenoaks``).

    A blank name (a crime with no location) gives "".
    """
    return re.sub(LSOA_SUFFIX, "", lsoa_name.strip())
