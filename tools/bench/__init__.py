"""Benchmarks: the corpus builder and the measurements behind ``newswire bench``."""
