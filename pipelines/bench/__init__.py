"""Benchmarks and test data for spamsieve.

Why a separate package: the detector and the dedupe stage are tuned on a small hand-labelled
set of real pages; :mod:`pipelines.bench.synthetic` produces arbitrarily many labelled pages
(with ground truth for pollution pattern and duplicates) for load, crawl and regression
benchmarks without copying real page texts into the repository.

Nothing is imported here on purpose: ``python -m pipelines.bench.synthetic`` would otherwise
import the module twice (runpy warns about it).
"""
