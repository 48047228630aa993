"""The checkout-only commands (``tools/``: benchmark, evaluations) as the installed CLI sees
them: loaded from the source checkout this ``streams`` package runs from, or absent.

Nothing in the runtime imports ``tools``; this is the one place that reaches for it, by its
location next to ``streams/`` and without touching ``sys.path``."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: The folder a source checkout keeps ``streams/``, ``tools/`` and ``pyproject.toml`` in.
CHECKOUT = Path(__file__).resolve().parent.parent


def checkout_tools() -> ModuleType | None:
    """``tools.cli`` of this checkout, or None when newswire is installed without one."""
    package = CHECKOUT / "tools" / "__init__.py"
    if not (package.is_file() and (CHECKOUT / "pyproject.toml").is_file()):
        return None
    if "tools" not in sys.modules:
        spec = importlib.util.spec_from_file_location("tools", package, submodule_search_locations=[])
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["tools"] = module
        spec.loader.exec_module(module)
    return importlib.import_module("tools.cli")
