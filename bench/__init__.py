"""Benchmarks: ``make bench`` (:mod:`bench.all`) → bench/RESULTS.md and one report per part."""
