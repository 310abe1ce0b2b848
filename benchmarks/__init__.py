"""Benchmarks of the csedata pipeline on a synthetic corpus (see benchmarks/run.py)."""
