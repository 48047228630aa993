"""The downstream consumer example of docs/examples/, as a script to run and a module to call."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tools import ROOT

CONSUMER_EXAMPLE = ROOT / "docs" / "examples" / "downstream_consumer.py"


def consumer_example() -> ModuleType:
    """docs/examples/downstream_consumer.py imported as a module (it is not in a package)."""
    spec = importlib.util.spec_from_file_location("downstream_consumer", CONSUMER_EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
