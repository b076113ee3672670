"""What-if: many scenarios at once, sweeps, comparisons of two results, distance to flip."""
