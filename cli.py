"""The ``cspscore`` command line: a thin shell over :mod:`engine`. The only module that prints.

Each command parses its options, calls one engine function, renders, and
exits with a status from :class:`engine.errors.ExitCode` (the README lists
them). Engine exceptions become messages in one place, :func:`reports_problems`.

Everything printed, on stdout and stderr alike, goes through :func:`echo`, and click's own error messages
through :class:`Commands`: both show control and invisible characters as visible text
(:func:`engine.visible.visible`), so nothing from a user's file reaches the terminal raw.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from engine.errors import ExitCode, InputError, Problem
from engine.numbers import plural
from engine.output import OutputError
from engine.visible import visible

FORMATS = ("table", "csv", "json", "markdown")  # engine.report.formats.FORMATS, without importing it at start-up

HELP = """Score community safety issues from declarative YAML rules, with a full audit trail.

\b
Without RULES, commands use the bundled default: the Sevenoaks District
Community Safety Partnership's Strategic Assessment 2020.

\b
Examples:
  cspscore score
  cspscore validate rules/sevenoaks-2020.yaml
  cspscore explain rules/sevenoaks-2020.yaml anti_social_behaviour
  cspscore score rules/sevenoaks-2020.yaml --format csv --out results/

\b
Exit codes: 0 ok, 1 invalid input, 2 usage error, 3 internal error,
4 a check found differences or failures.
"""


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` (to stderr with ``err``) with every control and invisible character but ``\\n`` shown as
    visible text: the one way this module prints."""
    click.echo(visible(text), err=err, nl=nl)


def shown_visibly(exc: click.ClickException) -> None:
    """Make a click error's message (which may quote an argument) show control characters visibly."""
    exc.__dict__["message"] = visible(exc.message)  # click's stubs declare it Final; it is a plain attribute


def _remember_allow_outside(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().ensure_object(dict)["allow_outside"] = True


def global_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the whole tool, accepted before the command name and after it with the same meaning.

    An officer types ``cspscore validate rules.yaml --allow-outside-data`` as often as the other order; both work.
    """
    function = click.option(
        "--allow-outside-data",
        is_flag=True,
        expose_value=False,
        callback=_remember_allow_outside,
        help="Let rule files read datasets outside their own folder tree (only for rule files you trust).",
    )(function)
    return click.version_option(package_name="cspscore", prog_name="cspscore")(function)


def _global_parameters() -> list[click.Parameter]:
    """Fresh copies of the global options, for one command."""

    def holder() -> None:
        """Only carries the options."""

    return list(reversed(getattr(global_options(holder), "__click_params__", [])))


class Command(click.Command):
    """A command that also accepts the global options (:func:`global_options`) after its name."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.params.extend(_global_parameters())


class Commands(click.Group):
    """The command group, whose usage errors (which quote the arguments given) show control characters visibly.

    Its commands accept the global options too (:class:`Command`), and so do those of its sub-groups.
    """

    command_class = Command
    group_class = type

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            shown_visibly(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            shown_visibly(exc)
            raise


def rules_argument(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("rules", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))(
        function
    )


def output_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``--format`` and ``--out`` options."""
    function = click.option(
        "--out",
        "out",
        type=click.Path(path_type=Path),
        help="Write here instead of to stdout (a folder for csv; a file otherwise).",
    )(function)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(FORMATS)),
        default="table",
        show_default=True,
        help="Output format.",
    )(function)


def reports_problems(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn engine errors into messages and exit codes: the one place that does."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                echo(str(problem), err=True)
            count = sum(1 for p in exc.problems if p.severity == "error")
            echo(f"{plural(count, 'problem')} found; nothing was written.", err=True)
            sys.exit(ExitCode.INVALID_INPUT)
        except OutputError as exc:
            echo(f"Error: {exc}", err=True)
            sys.exit(ExitCode.INVALID_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader stopped early (`cspscore score | head`): not a bug. Point stdout at nothing so Python's
            # final flush cannot fail again, and exit as a piped Unix tool does when its reader goes away.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(ExitCode.INVALID_INPUT)
        except MemoryError:  # also what pyarrow and pandas raise when an allocation fails
            click.echo(
                "Error: out of memory: the input is too large for this machine's memory "
                '(see the README, "Files, sizes and outputs", for the limits); nothing was written.',
                err=True,
            )
            sys.exit(ExitCode.INVALID_INPUT)
        except Exception as exc:  # a bug, not bad input: say so without a traceback
            if os.environ.get("CSPSCORE_DEBUG"):
                raise
            echo(
                f"cspscore: internal error ({type(exc).__name__}: {exc}). This is a bug; "
                "please report it with the command you ran. Set CSPSCORE_DEBUG=1 for details.",
                err=True,
            )
            sys.exit(ExitCode.INTERNAL_ERROR)

    return wrapper


def wide_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--wide``: the terminal table in full, however wide, instead of fitted to the terminal's width."""
    return click.option(
        "--wide", is_flag=True, help="Print the table in full, however wide (default: fit the terminal, 80 columns)."
    )(function)


#: The narrowest width tables are fitted to, whatever COLUMNS says: narrower, nothing is readable.
MIN_WIDTH = 40


def terminal_width(wide: bool) -> int | None:
    """The columns terminal text may take: COLUMNS if set, else the terminal's width when stdout is one, else 80
    (output piped or written to a file looks the same wherever it is made); None with --wide."""
    if wide:
        return None
    given = os.environ.get("COLUMNS", "").strip()
    if given.isdigit() and int(given) > 0:
        return max(int(given), MIN_WIDTH)
    if sys.stdout.isatty():
        import shutil

        return max(shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)
    return 80


def area_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--area",
        metavar="all|NAME[,NAME...]",
        help="Score these areas of the data (every one with `all`) instead of the assessment's area.",
    )(function)


@click.group(
    cls=Commands, help=HELP, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@global_options
@click.pass_context
def main(ctx: click.Context) -> None:
    ctx.ensure_object(dict)  # the global options' callbacks may already have filled it


def allow_outside() -> bool:
    """Whether ``--allow-outside-data`` was given (before or after the command name)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("allow_outside"))


def run_rules(rules: Path | None, settings: tuple[Any, ...] = (), areas: Any = None) -> Any:
    """Score a rule file (default: the bundled one) through the engine's one pipeline."""
    from engine.pipeline import run

    return run(rules, settings, areas=areas, allow_outside=allow_outside())


def run_side(path: Path) -> Any:
    """Score one side of a comparison: a rule file, or a scenario file (its base rules with its changes)."""
    from engine.load.scenario import is_scenario, load_scenario

    if not is_scenario(path):
        return run_rules(path)
    scenario = load_scenario(path)
    if scenario.base is None:
        raise InputError(
            [
                Problem(
                    scenario.display,
                    1,
                    1,
                    "base",
                    "a scenario compared on its own must name its rule file",
                    "add `base: ../RULES.yaml` (relative to the scenario file), or use `cspscore whatif RULES "
                    "--scenario FILE`",
                )
            ]
        )
    return run_rules(scenario.base, scenario.settings)


def inputs_of(result: Any) -> list[Path]:
    """The files a result was made from: outputs never overwrite them."""
    return [result.rules.path, *(d.path for d in result.rules.datasets.values())]


def fail_check(failed: bool) -> None:
    """Exit with CHECK_FAILED when a check ran and found differences or failures."""
    if failed:
        sys.exit(ExitCode.CHECK_FAILED)


def write_text(text: str | bytes | Iterator[str], out: Path | None, inputs: list[Path]) -> None:
    """Print ``text`` (which may come in pieces), or write it atomically to ``out``."""
    from engine import output

    if out is None:
        assert not isinstance(text, bytes), "binary output always goes to --out"
        for piece in [text] if isinstance(text, str) else text:
            echo(piece, nl=False)
        return
    output.write_file(out, text, inputs)
    echo(f"Wrote {out}", err=True)


@main.command(short_help="Check a rule file and its data; list every problem.")
@rules_argument
@click.option("--rules-only", is_flag=True, help="Check the rule file alone, without reading its datasets.")
@reports_problems
def validate(rules: Path | None, rules_only: bool) -> None:
    """Check a rule file and its datasets; list every problem at once.

    \b
    Checks the rule file's shape and meaning, every dataset's cells, that
    the categories and areas the rules name exist, and that every metric
    can be computed (or the rules say what to do when it cannot).

    \b
    Each problem is printed as file:line:column: key.path: message,
    with a hint where one helps. Exit status 1 if there are any.

    \b
    Example:
      cspscore validate rules/sevenoaks-2020.yaml
    """
    from engine.pipeline import default_areas, load

    ruleset, datasets = load(rules, allow_outside=allow_outside(), with_data=not rules_only)
    for note in ruleset.spellings:  # categories matched to the data's spelling: fine, but worth writing alike
        echo(str(note), err=True)
    if datasets is not None:
        from engine.score.scoring import score as run

        # A metric with no value and no rule for it is a problem too.
        run(ruleset, datasets, default_areas(ruleset, None))
    checked = "rules" if rules_only else f"rules and {plural(len(ruleset.datasets), 'dataset')}"
    counted = f"{plural(len(ruleset.criteria), 'criterion', 'criteria')}, {plural(len(ruleset.issues), 'issue')}"
    echo(f"{ruleset.display}: OK ({checked}; {counted})")
    for name, dataset in (datasets or {}).items():
        if dataset.reading is not None:  # a workbook: what was done with each of its rows
            echo(f"  {name}: {dataset.ref.display}, {dataset.reading.describe()}")


@main.command(short_help="Score every issue: scores, priorities, audit.")
@rules_argument
@output_options
@area_option
@wide_option
@reports_problems
def score(rules: Path | None, fmt: str, out: Path | None, area: str | None, wide: bool) -> None:
    """Score every issue and print the scoring table and the priorities.

    \b
    Formats: table (default) and markdown print the scores and priorities
    (markdown adds the audit and provenance); json holds scores, audit and
    provenance in one document; csv prints the scores, or with --out FOLDER
    writes scores.csv, audit.csv and provenance.csv.

    \b
    With --area all (or a list of names) every area of the data is scored:
    a county overview (areas x issues totals, priorities marked) and one
    scoring table per area.

    \b
    Examples:
      cspscore score
      cspscore score rules/sevenoaks-2020.yaml --format json --out result.json
      cspscore score rules/sevenoaks-2020.yaml --format csv --out results/
      cspscore score rules/kent-districts-2024.yaml --area all
    """
    from engine import output
    from engine.pipeline import parse_areas
    from engine.report.csvfiles import csv_files
    from engine.report.formats import render
    from engine.report.jsondoc import json_chunks
    from engine.score.audit import provenance

    result = run_rules(rules, areas=parse_areas(area))
    record = provenance(result, {"command": "score", "format": fmt, **({"area": area} if area else {})})
    if fmt == "csv" and out is not None:
        written = output.write_folder(out, csv_files(result, record), inputs_of(result))
        echo("Wrote " + ", ".join(str(p) for p in written), err=True)
        return
    if fmt == "json":  # written an area at a time: a national run never holds its whole audit
        folder = None if out is None else out.resolve().parent  # paths recorded relative to it: replay from anywhere
        write_text(json_chunks(result, record, folder), out, inputs_of(result))
        return
    write_text(render("result", fmt, result, record, width=terminal_width(wide)), out, inputs_of(result))


@main.command(short_help="Explain why an issue scored what it did.")
@click.argument("args", nargs=-1, required=True, metavar="[RULES] ISSUE")
@click.option("--out", type=click.Path(path_type=Path), help="Write the explanation to this file.")
@click.option(
    "--area",
    metavar="all|NAME[,NAME...]",
    help="The areas whose cases to explain, one after another (every area with `all`; default: the assessment's).",
)
@wide_option
@reports_problems
def explain(args: tuple[str, ...], out: Path | None, area: str | None, wide: bool) -> None:
    """Explain, criterion by criterion, why an issue scored what it did.

    \b
    ISSUE is an issue's id or its full name; `all` explains every issue.
    Shows the data rows used, the arithmetic, the band that matched, each
    judgement with its rationale and evidence, each override with its reason,
    and the total against the cutoff. With --area all (or a list of names)
    the issue is explained in each area in turn.

    \b
    Examples:
      cspscore explain rules/sevenoaks-2020.yaml serious_acquisitive
      cspscore explain domestic_abuse
      cspscore explain rules/kent-districts-2024.yaml drugs --area all
    """
    from engine.checks import explain as trace
    from engine.errors import did_you_mean
    from engine.pipeline import load, parse_areas

    if len(args) > 2:
        raise click.UsageError("give at most two arguments: RULES and ISSUE")
    rules = Path(args[0]) if len(args) == 2 else None
    if rules is not None and not rules.is_file():
        raise click.BadParameter(f"file {str(rules)!r} does not exist", param_hint="RULES")
    wanted = args[-1]
    ruleset, _ = load(rules, allow_outside=allow_outside(), with_data=False)
    found = None if wanted == "all" else trace.find_issue(ruleset, wanted)
    if wanted != "all" and found is None:
        hint = did_you_mean(wanted, list(ruleset.issues))
        raise click.BadParameter(
            f"there is no issue `{wanted}` in {ruleset.display}. "
            + (hint[0].upper() + hint[1:] + " " if hint else "")
            + f"Issues: {', '.join(ruleset.issues)}",
            param_hint="ISSUE",
        )
    result = run_rules(rules, areas=parse_areas(area))
    ids = list(ruleset.issues) if found is None else [found]
    areas = result.areas if area is not None else result.areas[:1]  # without --area: the assessment's own
    cases = [result.case(i, a) for a in areas for i in ids]
    traces = trace.explain_cases(result, cases, terminal_width(wide))
    pieces = (("\n" if n else "") + text for n, text in enumerate(traces))
    write_text(pieces, out, inputs_of(result))


@main.command(short_help="Compare scores under changed thresholds or judgements.")
@rules_argument
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE", help="Change one value (repeatable).")
@click.option("--cutoff", metavar="N", help="Shortcut for --set priority.cutoff=N.")
@click.option(
    "-s",
    "--scenario",
    "scenarios",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A scenario file (repeatable); several are compared side by side.",
)
@output_options
@wide_option
@reports_problems
def whatif(
    rules: Path | None,
    sets: tuple[str, ...],
    cutoff: str | None,
    scenarios: tuple[Path, ...],
    fmt: str,
    out: Path | None,
    wide: bool,
) -> None:
    """Score a variant of the rules and compare it with the rules as written.

    \b
    PATH is a key path as `validate` prints it: priority.cutoff,
    criteria.trend.bands[3].from, issues.safeguarding.judgements.trend.score,
    total.weights.harm. Moving a band edge moves the neighbouring band's
    matching edge with it, so the bands stay complete. The table lists, per
    issue, each score before -> after, the total, and whether it enters or
    leaves the priority list; changed issues come first, marked *.

    \b
    Examples:
      cspscore whatif --set criteria.trend.bands[3].from=15
      cspscore whatif rules/sevenoaks-2020.yaml --cutoff 26
      cspscore whatif -s scenarios/trend-15.yaml -s scenarios/cutoff-26.yaml
    """
    from engine.report.formats import render
    from engine.whatif.variants import whatif as run_whatif

    if not (sets or cutoff is not None or scenarios):
        raise click.UsageError("say what changes: --set PATH=VALUE, --cutoff N or --scenario FILE")
    found = run_whatif(rules, sets, cutoff, scenarios, allow_outside=allow_outside())
    text = render("comparisons", fmt, found.comparisons, width=terminal_width(wide))
    write_text(text, out, [found.base, *scenarios])


@main.command(short_help="Compare two assessments, e.g. last year's and this year's.")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_options
@wide_option
@reports_problems
def compare(old: Path, new: Path, fmt: str, out: Path | None, wide: bool) -> None:
    """Compare two assessments issue by issue: scores and totals then and now,
    issues entering or leaving the priority list, and the criteria that drove each change.

    \b
    Issues are matched by id, then by name (ignoring case and punctuation);
    criteria by id. For a data-driven score the metric values then and now
    are shown, and whether the score came from data, a judgement or an
    override each year.

    \b
    Either side may be a scenario file (its base rule file with its
    changes), such as one saved by `cspscore serve`.

    \b
    Examples:
      cspscore compare rules/sevenoaks-2019.yaml rules/sevenoaks-2020.yaml
      cspscore compare rules/sevenoaks-2020.yaml rules/scenarios/cutoff-26.yaml
    """
    from engine.report.formats import render
    from engine.whatif.comparison import compare_results

    then, now = run_side(old), run_side(new)
    describe = lambda r: f"{r.rules.assessment.title}, {r.rules.assessment.period}"
    comparison = compare_results(
        then,
        now,
        f"{now.rules.display}",
        (f"then: {describe(then)}", f"now:  {describe(now)}"),
        match_names=True,
        labels=("Then", "Now"),
    )
    write_text(render("comparisons", fmt, [comparison], width=terminal_width(wide)), out, [old, new])


@main.command(short_help="A report to publish: HTML, Excel workbook or Markdown.")
@rules_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "xlsx", "docx", "markdown"]),
    default="html",
    show_default=True,
    help="html: one self-contained page; xlsx: Table 6, Audit, Data, Provenance and Rules sheets; "
    "docx: Word, to paste into the assessment; markdown: to paste.",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here (required for html, xlsx and docx).")
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Last year's rule file: the draft text then quotes last year's totals and what changed.",
)
@click.option(
    "--part",
    type=click.Choice(["all", "summary", "audit"]),
    default="all",
    show_default=True,
    help="html and markdown: summary (to paste: priorities, scoring table, chart, draft text) or audit (how "
    "each score was reached, provenance) alone.",
)
@click.option(
    "--public",
    is_flag=True,
    help="The public version: counts below the rule file's publication.suppress_below shown as its label, what "
    "is computed from them left out, and no names of people who agreed judgements or overrides.",
)
@area_option
@reports_problems
def report(
    rules: Path | None, fmt: str, out: Path | None, previous: Path | None, part: str, public: bool, area: str | None
) -> None:
    """Write a report ready to publish, with draft "Priority Ranking" text.

    \b
    html: title and period, the priority list, the scoring table shaded by
    level, a chart of totals against the cutoff, draft paragraphs for each
    issue (marked as drafts), how every score was reached, and the
    provenance; one file that opens offline and prints on A4.
    xlsx: a workbook: Scores (Table 6: display names, numbers as numbers,
    shaded, set up to print one page wide), Audit, Data, Provenance, Rules.
    docx: a Word document to paste into the assessment: Table 6 shaded,
    the priorities, the draft paragraphs (marked as drafts), the scale and
    a provenance note; one section per area with --area all.
    markdown: scores, priorities, the scale and the draft paragraphs, then the
    audit (with each judgement's evidence and each override's agreed-by) and
    the provenance.

    \b
    --part summary writes only what an officer pastes into the Strategic
    Assessment; --part audit only the workings and provenance.

    \b
    --public writes the version to publish online: the rule file's
    `publication:` section (e.g. suppress_below: 5) says which counts are too
    small to show; the report says which version it is.

    \b
    With --area all (or a list of names) the html and markdown open with an
    overview of every area (totals by area and issue, priorities marked, and
    each area's priority list) linking to each area's own section.

    \b
    Examples:
      cspscore report --out report.html
      cspscore report rules/sevenoaks-2020.yaml --previous rules/sevenoaks-2019.yaml --out report.html
      cspscore report rules/sevenoaks-2020.yaml --format xlsx --out scores.xlsx
      cspscore report rules/sevenoaks-2020.yaml --format docx --out table6.docx
      cspscore report rules/kent-districts-2024.yaml --area all --out kent.html
      cspscore report --format markdown --part summary --out summary.md
    """
    from engine.pipeline import parse_areas
    from engine.report import narrative
    from engine.report.html import html_chunks
    from engine.report.markdown import to_markdown
    from engine.report.public import public_needs_policy, version_line
    from engine.report.xlsx import workbook_bytes
    from engine.score.audit import provenance
    from engine.whatif.comparison import compare_results

    if out is None and fmt != "markdown":
        raise click.UsageError(f"--format {fmt} needs --out FILE")
    if part != "all" and fmt == "xlsx":
        raise click.UsageError("--part is for --format html and markdown (the workbook's sheets are its parts)")
    areas = parse_areas(area)
    result = run_rules(rules, areas=areas)
    publication = result.rules.publication if public else None
    if public and publication is None:
        raise InputError([public_needs_policy(result.rules)])
    inputs = inputs_of(result)
    last = None
    if previous is not None:
        last = compare_results(run_rules(previous, areas=areas), result, "previous", match_names=True)
        inputs.append(previous)
    drafts = narrative.drafts(result, last)
    record = provenance(
        result,
        {
            "command": "report",
            "format": fmt,
            **({"part": part} if part != "all" else {}),
            **({"version": "public"} if public else {}),
            **({"area": area} if area else {}),
        },
    )
    if fmt == "xlsx":
        content: str | bytes | Iterator[str] = workbook_bytes(result, record, last, publication)
    elif fmt == "docx":
        from engine.report.table6 import table6
        from engine.report.word import document_bytes

        version = version_line(publication) if result.rules.publication else ""
        content = document_bytes(result, record, drafts, table6(result, last), version)
    elif fmt == "html":
        public_data = any(d.licence == "OGL-3.0" for d in result.rules.datasets.values())
        content = html_chunks(result, record, drafts, public_data, part, publication)  # an area at a time
    else:
        content = to_markdown(result, record, drafts, part, publication)
    write_text(content, out, inputs)


@main.command(short_help="A local web page: click through scores, try thresholds.")
@rules_argument
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Listen here. Anything but 127.0.0.1 or localhost exposes the page to the network (a warning is printed).",
)
@area_option
@reports_problems
def serve(rules: Path | None, port: int, host: str, area: str | None) -> None:
    """Serve the assessment as a local web page until Ctrl+C.

    \b
    The page shows the scoring table, priorities and chart; each issue's
    whole explanation (inputs and their rows, working, band, judgements with
    rationale, evidence and who agreed); the data; and what-if: change the
    cutoff, a band edge, a weight, a judgement score or the maximum number of
    priorities and see priorities enter and leave. Save a what-if as a
    scenario file beside the rules (cspscore whatif --scenario reads it).
    The rule file is never written: edit it in your own editor and the page
    follows.

    \b
    Examples:
      cspscore serve
      cspscore serve rules/kent-districts-2024.yaml --area all --port 8080
    """
    import socket

    import uvicorn

    from engine.paths import default_rules
    from engine.pipeline import parse_areas
    from engine.serve.app import create_app
    from engine.serve.state import LiveAssessment

    live = LiveAssessment(rules or default_rules(), parse_areas(area), allow_outside=allow_outside())
    snapshot = live.current()
    if snapshot.result is None:
        raise InputError(list(snapshot.problems))  # nothing valid to show yet: the problems, as any command
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    port = listener.getsockname()[1]
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on port {port} can open the page",
            err=True,
        )
    title = snapshot.result.rules.assessment.title
    address = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(create_app(live, host, port), log_level="warning", lifespan="off")
    listener.listen()  # connections wait from the moment the address is printed
    try:
        click.echo(f"Serving {visible(title)} at http://{address}:{port}/ (Ctrl+C to stop)")
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:
        pass  # Ctrl+C: uvicorn has stopped cleanly and raises the signal again; stopping is success, exit 0


@main.command(short_help="Check computed scores against a published table.")
@rules_argument
@click.option(
    "--published",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV: an issue column (id or name), criterion columns (id or name) and total.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@reports_problems
def reconcile(rules: Path | None, published: Path, fmt: str) -> None:
    """List every cell where a published table differs from the computed scores.

    \b
    Issues are matched by id or by name (ignoring case, punctuation and
    "incl"/"including"); blank cells were not published and are skipped.
    Exit status 0 when every compared cell agrees, 4 when any differs.

    \b
    Example (the Strategic Assessment 2020's own score boxes against Table 6):
      cspscore reconcile --published datasets/sevenoaks-2020/published-score-boxes.csv
    """
    from engine.checks.reconcile import reconcile as check
    from engine.report.checks import reconcile_text

    result = run_rules(rules)
    found = check(result, published)
    echo(reconcile_text(found, result.rules.display, fmt), nl=False)
    fail_check(not found.agrees)


@main.group(short_help="Turn published crime files into datasets: police-uk, ons-csp.")
def ingest() -> None:
    """Turn published crime data into datasets the rule files can use.

    \b
    Each writes a folder with crime.csv (a crime_counts dataset: counts,
    change, percentage change, rate per 1,000 and county position),
    population.csv and provenance.json (every input file with its SHA-256,
    the periods, and the rows used, dropped and re-assigned); police-uk
    also series.csv (every period) and areas.csv (codes and forces).
    """


def reference_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The shared --population and --lookup options of the ingest commands."""
    function = click.option(
        "--lookup",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="ONS district -> partnership -> force lookup (default: the bundled December 2019 table).",
    )(function)
    return click.option(
        "--population",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Population: area,population CSV or the ONS Census 2021 table (default: the bundled Census table).",
    )(function)


@ingest.command("police-uk")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="FILES_FOLDERS_ZIPS..."
)
@click.option("--current", metavar="YYYY-MM:YYYY-MM", help="The current period's months: the latest period.")
@click.option("--previous", metavar="YYYY-MM:YYYY-MM", help="The previous period's months: the one before it.")
@click.option(
    "--period",
    "period_specs",
    multiple=True,
    metavar="LABEL=YYYY-MM:YYYY-MM",
    help="A labelled period (repeatable). series.csv has every period, crime.csv the latest two.",
)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="The dataset folder.")
@click.option(
    "--unit",
    type=click.Choice(["csp", "district"]),
    default="csp",
    show_default=True,
    help="The areas: today's Community Safety Partnerships, or today's districts.",
)
@click.option(
    "--force", "forces", multiple=True, help="Keep only this force's rows, as the files name it (repeatable)."
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"DISTRICT=AREA"|FILE.csv',
    help="Declare the area a district name lies in (repeatable), or a CSV with columns district,area.",
)
@click.option(
    "--lsoa-lookup",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE.csv",
    help="LSOA -> partnership (columns lsoa_code,csp_code), to divide a district of today holding several.",
)
@click.option(
    "--population-for",
    "populations",
    multiple=True,
    metavar='"AREA=N"|FILE.csv',
    help="Declare an area's population (repeatable), or a CSV with columns area,population.",
)
@click.option("--allow-unmapped", is_flag=True, help="Leave out rows of unmapped districts (counted and listed).")
@click.option(
    "--csp-table",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="ONS recorded crime by partnership, Table C2: today's partnerships (default: the bundled June 2025 table).",
)
@click.option(
    "--districts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Districts since 2011 and the district covering each today (default: the bundled table).",
)
@reference_options
@reports_problems
def ingest_police_uk(
    paths: tuple[Path, ...],
    current: str | None,
    previous: str | None,
    period_specs: tuple[str, ...],
    out: Path,
    unit: str,
    forces: tuple[str, ...],
    maps: tuple[str, ...],
    lsoa_lookup: Path | None,
    populations: tuple[str, ...],
    allow_unmapped: bool,
    csp_table: Path | None,
    districts: Path | None,
    population: Path | None,
    lookup: Path | None,
) -> None:
    """Count police.uk street-level files by area and crime type, for every force in them at once.

    \b
    Reads files, folders (searched recursively for *-street.csv, as the
    police.uk archive unpacks) and .zip archives (read in place). Each
    district name, of any vintage since 2011, is resolved to today's
    Community Safety Partnership (or district, --unit district); a name
    lying in several is an error until --map declares where it belongs.
    Every row is accounted for: the summary lists rows used, without a
    location, in another force's area, outside the periods, malformed,
    not assignable and unmapped. Writes crime.csv (the latest two periods),
    series.csv (every period), population.csv, areas.csv, provenance.json.

    \b
    Examples:
      cspscore ingest police-uk ../shared/data/police-uk-kent-2024 --unit district \\
        --current 2024-03:2024-04 --previous 2024-01:2024-02 --out datasets/kent-2024
      cspscore ingest police-uk archive/ --period 2017=2017-01:2017-12 \\
        --period 2018=2018-01:2018-12 --map "Christchurch=Bournemouth" --out national
    """
    from engine import output
    from engine.ingest.files import dataset_files
    from engine.ingest.periods import build
    from engine.ingest.police import Options
    from engine.ingest.police import ingest_police_uk as run

    if current is None and previous is None and not period_specs:
        raise click.UsageError("give the periods: --current and --previous, or --period LABEL=FIRST:LAST")
    periods = build(current, previous, list(period_specs))
    output.check_outside_inputs(out, paths)
    options = Options(
        unit=unit,
        forces=forces,
        maps=maps,
        populations=populations,
        lsoa_lookup=lsoa_lookup,
        population=population,
        csp_table=csp_table,
        lookup=lookup,
        districts=districts,
        allow_unmapped=allow_unmapped,
    )
    made = run(list(paths), periods, options)
    for line in made.summary:
        echo(line, err=True)
    for warning in made.warnings:
        echo(f"warning: {warning}", err=True)
    files = dataset_files(made.counts, made.population, made.provenance, made.series, made.areas)
    inputs = [*paths, *(p for p in (population, lookup, csp_table, districts, lsoa_lookup) if p)]
    written = output.write_folder(out, files, inputs)
    echo("Wrote " + ", ".join(str(p) for p in written), err=True)


@ingest.command("ons-csp")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="The dataset folder.")
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The previous edition of the table, for previous counts.",
)
@click.option("--force", help="Keep one police force area's partnerships (e.g. Kent).")
@reference_options
@reports_problems
def ingest_ons_csp(
    table: Path, out: Path, previous: Path | None, force: str | None, population: Path | None, lookup: Path | None
) -> None:
    """Read the ONS recorded-crime-by-partnership table (Table C2) as published.

    \b
    One area per Community Safety Partnership (two-district partnerships
    such as Dartford and Gravesham are one area, with populations summed),
    one category per offence group; force totals and Unassigned rows are
    counted and left out; [x] is unavailable.

    \b
    Example:
      cspscore ingest ons-csp ../shared/data/ons/recorded-crime-by-csp-ye-june-2025-table-c2.csv \\
        --force Kent --out datasets/kent-csp-2025
    """
    from engine import output
    from engine.ingest.files import dataset_files
    from engine.ingest.ons import ingest_ons_csp as run
    from engine.ingest.reference import LOOKUP, POPULATION, reference_table

    population = population or reference_table(POPULATION)
    lookup = lookup or reference_table(LOOKUP)
    made = run(table, population, lookup, previous, force)
    for warning in made.warnings:
        echo(f"warning: {warning}", err=True)
    files = dataset_files(made.counts, made.population, made.provenance)
    written = output.write_folder(out, files, [table, population, lookup, *([previous] if previous else [])])
    echo("Wrote " + ", ".join(str(p) for p in written), err=True)


@main.command(short_help="Start a draft assessment for any partnership in England and Wales.")
@click.argument("area", metavar="AREA")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="The folder to write.")
@click.option(
    "--table",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="ONS Table C2 (recorded crime by CSP); default: the bundled year ending June 2025 edition.",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Last year's edition of Table C2, for the trend (without it the trend is missing data).",
)
@click.option(
    "--declare-population",
    type=click.IntRange(min=1),
    metavar="N",
    help="The partnership's population, where the Census 2021 table has none for it (cite your source).",
)
@click.option(
    "--police",
    "police",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="FILES_OR_FOLDERS",
    help="police.uk street-level files of the force (repeatable): adds anti-social behaviour, with its trend.",
)
@click.option("--police-current", metavar="YYYY-MM:YYYY-MM", help="With --police: the current period's months.")
@click.option("--police-previous", metavar="YYYY-MM:YYYY-MM", help="With --police: the previous period's months.")
@reports_problems
def init(
    area: str,
    out: Path,
    table: Path | None,
    previous: Path | None,
    declare_population: int | None,
    police: tuple[Path, ...],
    police_current: str | None,
    police_previous: str | None,
) -> None:
    """Write a DRAFT starter assessment for AREA, a partnership by name or code.

    \b
    AREA is a Community Safety Partnership as ONS Table C2 lists it (e.g.
    Sevenoaks, "Dartford and Gravesham", E22000144). OUT gets rules.yaml,
    modelled on the Sevenoaks assessment, and data/ with every partnership
    of its police force area (counts, rates per 1,000, positions), census
    population and provenance. Judgements are `to_be_agreed` and missing
    data is marked: every output says the result is a draft and lists them.

    \b
    Examples:
      cspscore init Sevenoaks --out my-assessment
      cspscore score my-assessment/rules.yaml
      cspscore init Sevenoaks --out my-assessment --police ../shared/data/police-uk-kent-2024 \\
        --police-current 2024-03:2024-04 --police-previous 2024-01:2024-02
    """
    from engine import output
    from engine.ingest.reference import CSP_TABLE, LOOKUP, POPULATION, reference_table
    from engine.ingest.starter import PoliceFiles, build_starter, write_starter

    output.check_outside_inputs(out, police)
    table = table or reference_table(CSP_TABLE)
    population, lookup = reference_table(POPULATION), reference_table(LOOKUP)
    counted = None
    if police:
        if not (police_current and police_previous):
            raise click.UsageError("--police needs --police-current and --police-previous (YYYY-MM:YYYY-MM)")
        counted = PoliceFiles(list(police), police_current, police_previous)
    starter = build_starter(table, area, population, lookup, previous, declare_population, counted)
    for line in starter.summary:
        echo(line, err=True)
    for warning in starter.warnings:
        echo(f"warning: {warning}", err=True)
    inputs = [table, population, lookup, *([previous] if previous else []), *police]
    written = write_starter(starter, out, inputs)
    p = starter.partnership
    echo(f"Started a DRAFT assessment for {p.name} ({p.code}, {p.force}).", err=True)
    echo("Wrote " + ", ".join(str(w) for w in written), err=True)
    echo(f"Next: cspscore score {out / 'rules.yaml'}", err=True)


@main.command(short_help="Re-run a saved result and check it reproduces exactly.")
@click.argument("record", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@reports_problems
def replay(record: Path) -> None:
    """Re-run a result saved with `score --format json` from its recorded inputs.

    \b
    Checks each recorded input file (rule file and datasets) against its
    SHA-256 and names any that is missing or changed, scores again with the
    recorded parameters, and compares every score and audit cell. Runs from
    any folder: the rule file is recorded relative to the result's folder
    (--out) and each dataset relative to the rule file. Exit status 0 when
    it reproduces exactly, 4 when it does not.

    \b
    Example:
      cspscore score rules/sevenoaks-2020.yaml --format json --out result.json
      cspscore replay result.json
    """
    from engine.checks.replay import replay as check
    from engine.paths import display_path
    from engine.report.checks import replay_text

    found = check(record, display_path(record), allow_outside=allow_outside())
    echo(replay_text(found), nl=False)
    fail_check(not found.reproduced)


@main.command(short_help="Static checks: weaknesses in a valid rule file.")
@rules_argument
@click.option("--strict", is_flag=True, help="Exit with status 4 if there is any warning.")
@reports_problems
def lint(rules: Path | None, strict: bool) -> None:
    """Find weaknesses in a valid rule file, each with a position and a stable id.

    \b
    Bands that can never match, bands that are not monotone, placeholder
    evidence, overrides that change nothing, criteria that cannot change a
    total, unused datasets, a cutoff no issue can reach or every issue
    always meets, thresholds sitting exactly on a value in the data, and
    issues whose priority rests on a single judgement. Exit status 0 (4 with
    --strict when there are warnings).

    \b
    Examples:
      cspscore lint rules/sevenoaks-2020.yaml
      cspscore lint rules/examples/flawed.yaml --strict
    """
    from engine.checks.lint import lint as check
    from engine.report.checks import lint_text

    result = run_rules(rules)
    findings = check(result)
    echo(lint_text(result.rules.display, findings), nl=False)
    fail_check(strict and bool(findings))


@main.command("test", short_help="Run the expected outcomes written beside a rule file.")
@click.argument("tests", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--generate", is_flag=True, help="Instead, print boundary cases for the rule file TESTS names.")
@reports_problems
def test_command(tests: Path, generate: bool) -> None:
    """Run a rule file's tests: expected totals, priorities and scores, and band boundary cases.

    \b
    TESTS is a YAML file (by convention NAME.tests.yaml beside NAME.yaml)
    whose tests each name an issue (checked against the scored data, after
    any `set:` changes) or a criterion (its bands checked with a `metric`
    value or `data` to compute it from). Prints PASS/FAIL per test with its
    line; exit status 0 when all pass, 4 otherwise. With --generate, TESTS
    is the rule file and a starter file of boundary cases is printed: every
    band edge and one precision step either side, with today's scores.

    \b
    Examples:
      cspscore test rules/sevenoaks-2020.tests.yaml
      cspscore test rules/sevenoaks-2020.yaml --generate > my-boundaries.tests.yaml
    """
    from engine.checks.rule_tests import boundary_tests, issue_boundary_tests, load_tests, run_tests
    from engine.paths import display_path
    from engine.pipeline import run
    from engine.report.checks import rule_tests_text

    if generate:
        result = run(tests, allow_outside=allow_outside())
        echo(boundary_tests(result.rules, tests.name) + issue_boundary_tests(result), nl=False)
        return
    rules_path, cases, positions = load_tests(tests, display_path(tests))
    outcomes = run_tests(rules_path, cases, positions, allow_outside=allow_outside())
    echo(rule_tests_text(outcomes), nl=False)
    fail_check(any(not o.passed for o in outcomes))


@main.command(short_help="Vary thresholds over a grid: robustness and flip points.")
@rules_argument
@click.option(
    "--vary", "varies", multiple=True, metavar="PATH=START:STOP:STEP", help="A parameter's values (repeatable)."
)
@output_options
@wide_option
@reports_problems
def sweep(rules: Path | None, varies: tuple[str, ...], fmt: str, out: Path | None, wide: bool) -> None:
    """Score every combination of values of one or more parameters, and summarise how robust the list is.

    \b
    For each issue: the share of scenarios in which it is a priority; for a
    one-parameter sweep the value ranges over which it is in and out (its
    flip points); and, for the rules as written, its distance to flip: the
    nearest single score change, threshold move or cutoff that would add or
    remove it. Also the number of distinct priority lists seen. PATH is any
    number a whatif can change except data: the cutoff, band edges (moving
    the shared boundary) and scores, if_no_value, judgement and override
    scores, weights. Without --vary, reports the distance to flip alone.

    \b
    Examples:
      cspscore sweep --vary criteria.trend.bands[3].from=5:20:0.5
      cspscore sweep --vary priority.cutoff=18:28:1 --vary criteria.trend.bands[3].from=5:15:1
      cspscore sweep rules/sevenoaks-2020.yaml --vary priority.cutoff=18:28:1 --format csv
    """
    from engine.report.formats import render
    from engine.whatif.sweep import parse_vary
    from engine.whatif.sweep import sweep as run_sweep

    baseline = run_rules(rules)
    axes = [parse_vary(baseline.rules, option, n) for n, option in enumerate(varies, start=1)]
    total = 1
    for axis in axes:
        total *= len(axis.values)
    if sys.stderr.isatty() and total >= 50_000:
        with click.progressbar(length=total, label="Scenarios", file=sys.stderr) as bar:
            summary = run_sweep(baseline, axes, progress=bar.update)
    else:
        summary = run_sweep(baseline, axes)
    write_text(render("sweep", fmt, summary, width=terminal_width(wide)), out, [baseline.rules.path])


if __name__ == "__main__":
    main()
