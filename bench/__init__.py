"""Benchmarks: each figure beside a baseline measured in the same run.

Machines here are shared and noisy, so figures are medians of several runs
and are read as ratios to their baselines, never as absolute times.
"""
