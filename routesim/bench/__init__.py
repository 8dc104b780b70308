"""Benchmarks: full-year runs by scale, the app's frame time, sweep throughput, and Flee.

``routesim bench`` runs them all (`routesim.bench.suite`). Each measurement runs in a
fresh process (`routesim.bench.measuring`). Figures are printed, never asserted:
machines here are shared and noisy.
"""
