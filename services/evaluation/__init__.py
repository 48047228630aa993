"""Evaluation of newswire's extractors against hand-annotated gold sets."""
