"""spaCy without its command line, for the processes that only parse.

``import spacy`` imports ``spacy.cli`` (spaCy's ``__init__`` re-exports ``spacy.info`` from
it), and with it every spaCy command and what they are built on: typer, click, rich, pygments,
jinja2, weasel and requests. An NLP process runs none of them and would carry ~18 MB for them
(``python -m tools.bench.nlp_memory``). :func:`import_spacy_without_cli` imports spaCy while a
placeholder stands in for ``spacy.cli`` and takes the placeholder away again once spaCy is in:
``spacy.info`` then loads the real command line when it is called, and ``import spacy.cli``
loads it as usual.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

_CLI = "spacy.cli"
_CLI_INFO = "spacy.cli.info"


def import_spacy_without_cli() -> ModuleType:
    """spaCy, imported now without ``spacy.cli`` unless something imported it before."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli = ModuleType(_CLI)
    cli.__path__ = []  # a package without submodules: any other spacy.cli import fails loudly
    info = ModuleType(_CLI_INFO)
    info.info = _info  # type: ignore[attr-defined]
    sys.modules[_CLI] = cli
    sys.modules[_CLI_INFO] = info
    try:
        import spacy
    finally:
        for name, placeholder in ((_CLI, cli), (_CLI_INFO, info)):
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is cli:
            delattr(loaded, "cli")
    return spacy


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info`` (installation and pipeline details), from the real command line."""
    from spacy.cli.info import info

    return info(*args, **kwargs)
