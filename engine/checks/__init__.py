"""Checks on a result: explain, lint, reconcile with a published table, replay, the officer's rule tests."""
