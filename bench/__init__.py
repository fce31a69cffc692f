"""Speed benchmarks: a synthetic data generator and a runner that times imports and reports."""
