"""cspscore: the priority scoring engine for Community Safety Partnerships.

The pipeline, one module per step: :mod:`engine.rules` loads and checks a rule
file, :mod:`engine.datasets` loads and checks its data, :mod:`engine.metrics`
computes metrics, :mod:`engine.scoring` bands, applies judgements and
overrides, combines, cuts off and ranks, :mod:`engine.audit` lays out the
result's tables, :mod:`engine.explain` and :mod:`engine.render` turn them into
text, and :mod:`engine.output` writes files atomically. Nothing here prints.
"""

__version__ = "0.1.0"
