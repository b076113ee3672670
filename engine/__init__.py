"""cspscore: the priority scoring engine for Community Safety Partnerships.

The package is laid out as the flow of a run; each layer imports only from the
layers before it (``tests/test_layers.py`` checks this), and nothing here prints::

    rule file (YAML) + datasets (CSV)
        |
    load/      yamlfile -> schema -> expressions, overlay, scenario -> rules -> model; datasets, data checks
        |
    score/     metrics (whole columns) -> bands -> judgements and overrides -> totals -> cutoff and rank; audit
        |
    pipeline   rule path (+ settings, areas) -> Result: the one entry point every command uses
        |
    whatif/    grid (many scenarios at once), variants, sweep, robustness, comparison
    checks/    explain, lint, reconcile, replay, rule tests
    report/    terminal, CSV, JSON, Markdown, HTML, Excel, narrative; one format dispatch
        |
    cli.py     parses options, calls one engine function, renders, exits (the only code that prints)

    ingest/    police.uk and ONS files -> datasets (beside the flow, on the foundation alone)

The foundation under every layer: :mod:`engine.errors` (problems, the
exception base, exit codes), :mod:`engine.numbers` (exact rounding, number
text, array types), :mod:`engine.paths`, :mod:`engine.text`,
:mod:`engine.visible` (control and invisible characters shown as text),
:mod:`engine.csvfile`, :mod:`engine.plaintable` (plain-text tables, fast), :mod:`engine.jsontext` (JSON
with exact numbers), :mod:`engine.stats`
(significance of a change in counts) and :mod:`engine.output` (atomic writes).
"""

__version__ = "0.1.0"
