"""User text made inert in HTML: escaped, with control and invisible characters shown as text.

:func:`escape` is :func:`html.escape` (``& < >`` and, with ``quote``, both quotes become entities) applied after
:func:`engine.visible.visible`, so no escape sequence, carriage return, bidirectional override or zero-width
character reaches the page raw either: each is shown as the terminal shows it (``\\x1b``, ``<U+202E>``).
"""

from __future__ import annotations

import html

from engine.visible import visible


def escape(text: str, quote: bool = True) -> str:
    """``text`` as HTML text: escaped, with control and invisible characters shown visibly."""
    return html.escape(visible(str(text)), quote)
