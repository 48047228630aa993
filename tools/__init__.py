"""Checkout-only tools: the benchmark (``tools.bench``), the accuracy evaluations
(``tools.evaluation``) and the generators of ops files. Never installed with newswire: they need
the repository's test data. Imports run one way: tools use ``streams``, ``services`` and
``config``; nothing there imports tools (``newswire bench``/``eval`` load them from the checkout
the command runs from, or say that they need one)."""

from pathlib import Path

#: The root of the checkout these tools belong to.
ROOT = Path(__file__).resolve().parent.parent
