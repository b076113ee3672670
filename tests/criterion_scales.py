"""The mini project with criteria on their own scales: concern 1-4, volume 0-3; trend keeps the assessment's 0/1/3/5.

Scored, the issues get concern 4, 2, 4; trend 5, 0, 3; volume 3, 2, 1: totals 12 (asb, a priority), 4 and 8.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import edit

CONCERN_SCALE = """\
    scale:
      - {score: 1, meaning: Rare}
      - {score: 2, meaning: Possible}
      - {score: 3, meaning: Likely}
      - {score: 4, meaning: Almost certain}
"""
VOLUME_SCALE = """\
    scale:
      - {score: 0, meaning: None}
      - {score: 1, meaning: Few}
      - {score: 2, meaning: Some}
      - {score: 3, meaning: Many}
"""


def use_criterion_scales(root: Path) -> None:
    """Give the mini project's ``concern`` and ``volume`` their own scales, with scores on them."""
    rules = root / "rules.yaml"
    edit(rules, "    name: Community Concern\n", "    name: Community Concern\n" + CONCERN_SCALE)
    edit(rules, "    name: Volume\n", "    name: Volume\n" + VOLUME_SCALE)
    edit(
        rules,
        "        score: 3\n      - from: 5\n        score: 5\n",
        "        score: 2\n      - from: 5\n        score: 3\n",
    )
    edit(rules, "        score: 5\n        rationale: Residents", "        score: 4\n        rationale: Residents")
    edit(rules, "        score: 3\n        rationale: Raised", "        score: 2\n        rationale: Raised")
    edit(rules, "        score: 5\n        rationale: Trading", "        score: 4\n        rationale: Trading")
