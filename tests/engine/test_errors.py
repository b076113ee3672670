"""engine.errors: how a problem reads, and hints."""

from __future__ import annotations

from engine.errors import InputError, Problem, did_you_mean


def test_problem_text():
    problem = Problem("r.yaml", 3, 7, "criteria.trend", "bad edge", "round it")
    assert str(problem) == "r.yaml:3:7: criteria.trend: bad edge\n    hint: round it"
    assert str(Problem("d.csv", 2, 1, "", "duplicate row")) == "d.csv:2:1: duplicate row"


def test_warnings_say_so():
    assert str(Problem("r.yaml", 1, 1, "x", "odd", severity="warning")) == "r.yaml:1:1: warning: x: odd"


def test_input_error_sorts_by_file_and_position():
    error = InputError([Problem("b", 1, 1, "", "z"), Problem("a", 9, 1, "", "y"), Problem("a", 2, 5, "", "x")])
    assert [(p.file, p.line) for p in error.problems] == [("a", 2), ("a", 9), ("b", 1)]


def test_did_you_mean():
    assert did_you_mean("catgories", ["categories", "dataset"]) == "did you mean `categories`?"
    assert did_you_mean("zzz", ["categories"]) == ""
