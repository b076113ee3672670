"""Scoring: metrics over whole columns, bands, judgements and overrides, totals, cutoff and rank, the audit."""
