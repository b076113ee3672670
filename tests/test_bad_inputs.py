"""The bad-input corpus: each case breaks the mini project one way and pins the exact message.

Every case runs ``cspscore score rules.yaml --format json --out out.json`` and
asserts the whole of stderr, exit status 1, nothing on stdout, and that no
output (or temporary) file was left behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

R = "rules.yaml"
C = "data/crime.csv"
P = "data/population.csv"

# (case id, edits): each edit is (file, old text, new text); old None replaces the whole file.
# New text given as bytes is written as it is (for encoding cases).
CASES = [
    ("malformed-yaml", [(R, "  title: Test assessment\n", "  title: [Test assessment\n")]),
    ("tab-indentation", [(R, "  title: Test assessment\n", "\ttitle: Test assessment\n")]),
    ("duplicate-key", [(R, "  cutoff: 10\n", "  cutoff: 10\n  cutoff: 12\n")]),
    (
        "unknown-key-near-miss",
        [(R, "      categories: [Anti-social behaviour]", "      catgories: [Anti-social behaviour]")],
    ),
    ("unknown-top-level-key", [(R, "total:\n", "totals:\n")]),
    ("missing-required-key", [(R, "  title: Test assessment\n", "")]),
    ("yaml11-boolean", [(R, "  period: April 2023 to March 2024", "  period: no")]),
    ("yaml11-octal", [(R, "  cutoff: 10", "  cutoff: 010")]),
    ("yaml11-sexagesimal", [(R, "  cutoff: 10", "  cutoff: 1:30")]),
    ("text-where-number", [(R, "  cutoff: 10", "  cutoff: ten")]),
    (
        "anchor-alias",
        [
            (R, "        evidence: PACT minutes 2023-24", "        evidence: &ev PACT minutes 2023-24"),
            (R, "        evidence: Residents' survey 2023", "        evidence: *ev"),
        ],
    ),
    ("not-utf8", [(R, "  title: Test assessment", b"  title: Test assessment \xe9t\xe9")]),
    ("empty-rule-file", [(R, None, "")]),
    (
        "judgement-off-scale",
        [
            (
                R,
                "        score: 5\n        rationale: Residents raise",
                "        score: 4\n        rationale: Residents raise",
            )
        ],
    ),
    ("band-score-off-scale", [(R, "        below: 15\n        score: 3", "        below: 15\n        score: 2")]),
    ("band-gap", [(R, "      - from: 15\n", "      - from: 20\n")]),
    ("band-overlap", [(R, "      - from: 15\n", "      - from: 14\n")]),
    ("band-edge-too-precise", [(R, "      - from: 15\n", "      - from: 14.95\n")]),
    ("band-two-lower-edges", [(R, "      - from: 15\n", "      - from: 15\n        above: 15\n")]),
    ("judgement-missing-rationale", [(R, "        rationale: Few recorded cases.\n", "")]),
    (
        "override-missing-reason",
        [
            (
                R,
                "  burglary:\n    name: Burglary\n",
                "  burglary:\n    name: Burglary\n    overrides:\n      trend:\n        score: 5\n        agreed_by: CSP board, March 2024\n",
            )
        ],
    ),
    (
        "override-of-judgement-criterion",
        [
            (
                R,
                "  burglary:\n    name: Burglary\n",
                "  burglary:\n    name: Burglary\n    overrides:\n      concern:\n        score: 5\n        reason: The board asked for it.\n        agreed_by: CSP board\n",
            )
        ],
    ),
    (
        "judgement-of-data-criterion",
        [
            (
                R,
                "        evidence: PACT minutes 2023-24\n",
                "        evidence: PACT minutes 2023-24\n      trend:\n        score: 5\n        rationale: It feels worse.\n        evidence: Officer view\n",
            )
        ],
    ),
    (
        "issue-without-score-source",
        [
            (
                R,
                "      volume:\n        score: 1\n        rationale: Few recorded cases.\n        evidence: Action Fraud summary\n",
                "",
            )
        ],
    ),
    ("unknown-criterion-near-miss", [(R, "      volume:\n        score: 1", "      volumes:\n        score: 1")]),
    (
        "unknown-dataset",
        [(R, "      dataset: crime\n      categories: [Anti", "      dataset: crimes\n      categories: [Anti")],
    ),
    ("max-priorities-without-ties", [(R, "  cutoff: 10\n", "  cutoff: 10\n  max_priorities: 2\n")]),
    (
        "weighted-sum-missing-weight",
        [(R, "  method: sum\n", "  method: weighted_sum\n  weights:\n    concern: 2\n    trend: 1\n")],
    ),
    ("bad-issue-id", [(R, "  scams:\n", "  Scams & fraud:\n")]),
    ("hostile-import", [(R, "  method: sum\n", "  method: expression\n  expression: __import__('os')\n")]),
    (
        "hostile-import-attribute",
        [(R, "  method: sum\n", "  method: expression\n  expression: __import__('os').system('echo hi')\n")],
    ),
    (
        "expression-over-500-characters",
        [(R, "  method: sum\n", "  method: expression\n  expression: " + "concern + " * 60 + "1\n")],
    ),
    (
        "expression-keyword-trick",
        [(R, "  method: sum\n", "  method: expression\n  expression: max(concern, trend, key=volume)\n")],
    ),
    (
        "hostile-dunder-attributes",
        [(R, "  method: sum\n", "  method: expression\n  expression: ().__class__.__bases__\n")],
    ),
    ("hostile-huge-power", [(R, "  method: sum\n", "  method: expression\n  expression: 9**9**9**9\n")]),
    (
        "hostile-long-expression",
        [(R, "  method: sum\n", "  method: expression\n  expression: " + "concern + " * 10000 + "1\n")],
    ),
    ("hostile-lambda", [(R, "  method: sum\n", '  method: expression\n  expression: "(lambda: concern)()"\n')]),
    ("unknown-function", [(R, "  method: sum\n", "  method: expression\n  expression: log(concern) + trend\n")]),
    ("expression-unknown-name", [(R, "  method: sum\n", "  method: expression\n  expression: concern * trnd\n")]),
    ("missing-dataset-file", [(R, "    file: data/crime.csv", "    file: data/crimes.csv")]),
    (
        "missing-column",
        [
            (
                C,
                None,
                "area,category,previous,current_count,county_position\nTestshire,Anti-social behaviour,1000,1150,3\nTestshire,Burglary residential,200,150,7\nTestshire,Burglary business,100,120,2\n",
            )
        ],
    ),
    (
        "non-numeric-cell",
        [(C, "Testshire,Burglary residential,200,150,7", "Testshire,Burglary residential,two hundred,150,7")],
    ),
    ("negative-count", [(C, "Testshire,Burglary business,100,120,2", "Testshire,Burglary business,100,-120,2")]),
    (
        "thousands-separator",
        [(C, "Testshire,Anti-social behaviour,1000,1150,3", 'Testshire,Anti-social behaviour,"1,000",1150,3')],
    ),
    ("decimal-count", [(C, "Testshire,Burglary business,100,120,2", "Testshire,Burglary business,100,120.5,2")]),
    ("nan-text", [(C, "Testshire,Burglary business,100,120,2", "Testshire,Burglary business,NaN,inf,2")]),
    (
        "unknown-category",
        [(R, "      categories: [Anti-social behaviour]", "      categories: [Antisocial behaviour]")],
    ),
    ("unknown-area", [(R, "  area: Testshire", "  area: Testshir")]),
    (
        "zero-previous-count",
        [(C, "Testshire,Anti-social behaviour,1000,1150,3", "Testshire,Anti-social behaviour,0,1150,3")],
    ),
    (
        "duplicate-data-row",
        [
            (
                C,
                "Testshire,Burglary business,100,120,2\n",
                "Testshire,Burglary business,100,120,2\nTestshire,Burglary business,90,110,2\n",
            )
        ],
    ),
    ("short-data-row", [(C, "Testshire,Burglary business,100,120,2", "Testshire,Burglary business,100")]),
    ("empty-data-file", [(C, None, "")]),
    (
        "cp1252-data-file",
        [(C, "Testshire,Burglary business", "Testshire,Burglary business \u2013 shops".encode("cp1252"))],
    ),
    ("unknown-data-column", [(P, None, "area,populaton\nTestshire,100000\n")]),
]


EXPECTED = {
    "malformed-yaml": """\
rules.yaml:4:14: this is not valid YAML: expected ',' or ']', but got ':'
1 problem found; nothing was written.
""",
    "tab-indentation": """\
rules.yaml:3:1: this is not valid YAML: found character '\\t' that cannot start any token
    hint: indent with spaces; YAML does not allow tab characters for indentation
1 problem found; nothing was written.
""",
    "duplicate-key": """\
rules.yaml:23:3: priority.cutoff: duplicate key `cutoff` (first given on line 22)
    hint: each key may appear only once in a mapping; remove or rename one of them
1 problem found; nothing was written.
""",
    "unknown-key-near-miss": """\
rules.yaml:64:7: issues.asb.data: missing required key `categories`
rules.yaml:65:7: issues.asb.data.catgories: unknown key `catgories`
    hint: did you mean `categories`?
2 problems found; nothing was written.
""",
    "unknown-top-level-key": """\
rules.yaml:18:1: totals: unknown key `totals`
    hint: did you mean `total`?
1 problem found; nothing was written.
""",
    "missing-required-key": """\
rules.yaml:3:3: assessment: missing required key `title`
1 problem found; nothing was written.
""",
    "yaml11-boolean": """\
rules.yaml:6:11: assessment.period: `no` is ambiguous (older YAML reads it as true/false)
    hint: write true or false, or put it in quotes ("no") if you mean the word
1 problem found; nothing was written.
""",
    "yaml11-octal": """\
rules.yaml:22:11: priority.cutoff: `010` has a leading zero (older YAML reads it as an octal number)
    hint: put it in quotes ("010") if it is a code, or drop the leading zero if it is a number
1 problem found; nothing was written.
""",
    "yaml11-sexagesimal": """\
rules.yaml:22:11: priority.cutoff: must be a number, not the text "1:30"
    hint: write the number without quotes, units or thousands separators
1 problem found; nothing was written.
""",
    "text-where-number": """\
rules.yaml:22:11: priority.cutoff: must be a number, not the text "ten"
    hint: write the number without quotes, units or thousands separators
1 problem found; nothing was written.
""",
    "anchor-alias": """\
rules.yaml:70:19: issues.burglary.judgements.concern.evidence: anchors and aliases (& and *) are not supported
    hint: write the value out in full
1 problem found; nothing was written.
""",
    "not-utf8": """\
rules.yaml:3:26: byte 0xe9 is not UTF-8 text
    hint: save the file as UTF-8 (in Excel or Notepad: Save As, encoding UTF-8)
1 problem found; nothing was written.
""",
    "empty-rule-file": """\
rules.yaml:1:1: the file is empty
1 problem found; nothing was written.
""",
    "judgement-off-scale": """\
rules.yaml:68:16: issues.asb.judgements.concern.score: 4 is not on the scale (allowed: 0, 1, 3, 5)
1 problem found; nothing was written.
""",
    "band-score-off-scale": """\
rules.yaml:44:16: criteria.trend.bands[1].score: 2 is not on the scale (allowed: 0, 1, 3, 5)
1 problem found; nothing was written.
""",
    "band-gap": """\
rules.yaml:45:9: criteria.trend.bands[2]: no band covers values from 15.0 to 19.9
    hint: the metric is rounded to 1 decimal place before banding
1 problem found; nothing was written.
""",
    "band-overlap": """\
rules.yaml:45:9: criteria.trend.bands[2]: overlaps bands[1]: both cover values from 14.0 to 14.9
    hint: the metric is rounded to 1 decimal place before banding
1 problem found; nothing was written.
""",
    "band-edge-too-precise": """\
rules.yaml:45:15: criteria.trend.bands[2].from: edge 14.95 has more decimal places than the criterion's `decimals: 1`
    hint: the metric is rounded before banding, so this edge cannot be compared exactly; round the edge or raise `decimals`
1 problem found; nothing was written.
""",
    "band-two-lower-edges": """\
rules.yaml:46:9: criteria.trend.bands[2].above: a band has one lower edge: use `from` (inclusive) or `above` (exclusive), not both
1 problem found; nothing was written.
""",
    "judgement-missing-rationale": """\
rules.yaml:93:9: issues.scams.judgements.volume: missing required key `rationale`
1 problem found; nothing was written.
""",
    "override-missing-reason": """\
rules.yaml:75:9: issues.burglary.overrides.trend: missing required key `reason`
1 problem found; nothing was written.
""",
    "override-of-judgement-criterion": """\
rules.yaml:74:7: issues.burglary.overrides.concern: nothing to override: `concern` is scored by judgement
    hint: record the score under `judgements:` with a rationale and evidence
1 problem found; nothing was written.
""",
    "judgement-of-data-criterion": """\
rules.yaml:71:7: issues.asb.judgements.trend: `trend` is computed from this issue's data, so it cannot also be a judgement
    hint: to replace the computed score, move this to `overrides:` with a reason and who agreed it
1 problem found; nothing was written.
""",
    "issue-without-score-source": """\
rules.yaml:81:3: issues.scams: issue `scams` has no score for criterion `volume`
    hint: add `data:` to the issue, or `judgements: volume:` with score, rationale and evidence
1 problem found; nothing was written.
""",
    "unknown-criterion-near-miss": """\
rules.yaml:81:3: issues.scams: issue `scams` has no score for criterion `volume`
    hint: add `data:` to the issue, or `judgements: volume:` with score, rationale and evidence
rules.yaml:92:7: issues.scams.judgements.volumes: there is no criterion `volumes`
    hint: did you mean `volume`?
2 problems found; nothing was written.
""",
    "unknown-dataset": """\
rules.yaml:64:16: issues.asb.data.dataset: there is no dataset `crimes`
    hint: did you mean `crime`?
1 problem found; nothing was written.
""",
    "max-priorities-without-ties": """\
rules.yaml:23:19: priority.max_priorities: a maximum number of priorities needs a tie rule
    hint: add `ties: include_all` (every issue tied at the limit is kept) or `ties: exclude_all`
1 problem found; nothing was written.
""",
    "weighted-sum-missing-weight": """\
rules.yaml:21:5: total.weights: criterion `volume` has no weight
    hint: give every criterion a weight (0 to leave it out)
1 problem found; nothing was written.
""",
    "bad-issue-id": """\
rules.yaml:81:3: issues.Scams & fraud: `Scams & fraud` is not a valid id
    hint: use lower-case letters, digits and underscores, starting with a letter (e.g. anti_social_behaviour)
1 problem found; nothing was written.
""",
    "hostile-import": """\
rules.yaml:20:15: total.expression: `__import__` is not an allowed function (at character 1)
    hint: functions you can use: min, max, abs, sqrt, where
1 problem found; nothing was written.
""",
    "hostile-import-attribute": """\
rules.yaml:20:15: total.expression: attribute access (.) is not allowed in expressions (at character 1)
    hint: use numbers, names, + - * / % **, comparisons and the functions min, max, abs, sqrt, where
1 problem found; nothing was written.
""",
    "expression-over-500-characters": """\
rules.yaml:20:15: total.expression: the expression is too long (601 characters; the limit is 500)
    hint: split the calculation into simpler criteria
1 problem found; nothing was written.
""",
    "expression-keyword-trick": """\
rules.yaml:20:15: total.expression: `max` takes plain arguments only (at character 1)
1 problem found; nothing was written.
""",
    "hostile-dunder-attributes": """\
rules.yaml:20:15: total.expression: attribute access (.) is not allowed in expressions (at character 1)
    hint: use numbers, names, + - * / % **, comparisons and the functions min, max, abs, sqrt, where
1 problem found; nothing was written.
""",
    "hostile-huge-power": """\
rules.yaml:20:15: total.expression: a power's exponent must be a plain number from -10 to 10 (at character 1)
1 problem found; nothing was written.
""",
    "hostile-long-expression": """\
rules.yaml:20:15: total.expression: is too long (100,001 characters; the limit is 5,000)
1 problem found; nothing was written.
""",
    "hostile-lambda": """\
rules.yaml:20:15: total.expression: lambda is not allowed in expressions (at character 2)
    hint: use numbers, names, + - * / % **, comparisons and the functions min, max, abs, sqrt, where
1 problem found; nothing was written.
""",
    "unknown-function": """\
rules.yaml:20:15: total.expression: `log` is not an allowed function (at character 1)
    hint: functions you can use: min, max, abs, sqrt, where
1 problem found; nothing was written.
""",
    "expression-unknown-name": """\
rules.yaml:20:15: total.expression: unknown name `trnd` (at character 11)
    hint: did you mean `trend`?
1 problem found; nothing was written.
""",
    "missing-dataset-file": """\
rules.yaml:26:11: datasets.crime.file: dataset file not found: data/crimes.csv
    hint: paths are relative to the folder of the rule file
1 problem found; nothing was written.
""",
    "missing-column": """\
data/crime.csv:1:1: current: missing column `current`
    hint: did you mean `current_count`?
data/crime.csv:1:4: current_count: unknown column `current_count`
    hint: did you mean `current`?
2 problems found; nothing was written.
""",
    "non-numeric-cell": """\
data/crime.csv:3:3: previous: `two hundred` is not a number
    hint: write digits only, e.g. 1511
1 problem found; nothing was written.
""",
    "negative-count": """\
data/crime.csv:4:4: current: -120 is too small: counts cannot be negative
1 problem found; nothing was written.
""",
    "thousands-separator": """\
data/crime.csv:2:3: previous: `1,000` is not a plain whole number
    hint: remove the thousands separators
1 problem found; nothing was written.
""",
    "decimal-count": """\
data/crime.csv:4:4: current: `120.5` is not a whole number
1 problem found; nothing was written.
""",
    "nan-text": """\
data/crime.csv:4:3: previous: `NaN` is not a number
    hint: write digits only, e.g. 1511
data/crime.csv:4:4: current: `inf` is not a number
    hint: write digits only, e.g. 1511
2 problems found; nothing was written.
""",
    "unknown-category": """\
rules.yaml:65:20: issues.asb.data.categories[0]: category `Antisocial behaviour` is not in data/crime.csv for area Testshire
    hint: did you mean `Anti-social behaviour`?
1 problem found; nothing was written.
""",
    "unknown-area": """\
rules.yaml:5:9: assessment.area: area `Testshir` is not in data/crime.csv
    hint: did you mean `Testshire`?
rules.yaml:5:9: assessment.area: area `Testshir` is not in data/population.csv
    hint: did you mean `Testshire`?
2 problems found; nothing was written.
""",
    "zero-previous-count": """\
data/crime.csv:2:3: previous: `trend` cannot be computed for issue `asb`: the previous count is 0, so the percentage change is undefined
    hint: set `if_no_value:` on criteria.trend to the score to use, or add `overrides: trend:` to issue asb with a reason
1 problem found; nothing was written.
""",
    "duplicate-data-row": """\
data/crime.csv:5:1: duplicate row for Testshire / Burglary business (first on line 4)
1 problem found; nothing was written.
""",
    "short-data-row": """\
data/crime.csv:4:1: this row has 3 cells but the header has 5
1 problem found; nothing was written.
""",
    "empty-data-file": """\
data/crime.csv:1:1: the file is empty
    hint: the first line must name the columns
1 problem found; nothing was written.
""",
    "cp1252-data-file": """\
data/crime.csv:4:29: byte 0x96 is not UTF-8 text
    hint: save the file as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')
1 problem found; nothing was written.
""",
    "unknown-data-column": """\
data/population.csv:1:1: population: missing column `population`
    hint: did you mean `populaton`?
data/population.csv:1:2: populaton: unknown column `populaton`
    hint: did you mean `population`?
2 problems found; nothing was written.
""",
}


def apply(root: Path, edits: list[tuple[str, str | None, str | bytes]]) -> None:
    for file, old, new in edits:
        path = root / file
        replacement = new if isinstance(new, bytes) else new.encode()
        if old is None:
            path.write_bytes(replacement)
            continue
        data = path.read_bytes()
        assert old.encode() in data, f"case edit does not apply: {old!r}"
        path.write_bytes(data.replace(old.encode(), replacement, 1))


def test_corpus_is_large_and_complete():
    assert len(CASES) >= 30
    assert [c for c, _ in CASES] == list(EXPECTED)


@pytest.mark.parametrize("case, edits", CASES, ids=[c for c, _ in CASES])
def test_bad_input(project: Path, case: str, edits: list) -> None:
    apply(project, edits)
    result = CliRunner().invoke(cli.main, ["score", "rules.yaml", "--format", "json", "--out", "out.json"])
    assert result.stderr == EXPECTED[case]
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.output
    leftovers = sorted(p.name for p in project.iterdir() if p.is_file() and p.name != "rules.yaml")
    assert leftovers == []


@pytest.mark.parametrize("case, edits", CASES, ids=[c for c, _ in CASES])
def test_validate_reports_the_same(project: Path, case: str, edits: list) -> None:
    apply(project, edits)
    result = CliRunner().invoke(cli.main, ["validate", "rules.yaml"])
    assert result.exit_code == 1
    assert result.stderr == EXPECTED[case]
