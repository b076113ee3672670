"""cspscore: the priority scoring engine for Community Safety Partnerships.

The pipeline, one module per step: :mod:`engine.load.rules` loads and checks a rule
file, :mod:`engine.load.datasets` loads and checks its data, :mod:`engine.score.metrics`
computes metrics, :mod:`engine.score.scoring` bands, applies judgements and
overrides, combines, cuts off and ranks, :mod:`engine.score.audit` lays out the
result's tables, :mod:`engine.checks.explain` and :mod:`engine.report.render` turn them into
text, and :mod:`engine.output` writes files atomically. Nothing here prints.
"""

__version__ = "0.1.0"
