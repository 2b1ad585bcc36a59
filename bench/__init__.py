"""Benchmarks: ``make bench`` / ``python -m bench [--quick]`` → bench/results.json and bench/RESULTS.md."""
