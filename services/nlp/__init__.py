"""NLP enrichment: canonical entities, CAMEO-coded events, tone and quotations.

See docs/enrichment.md. The names below load spaCy on first use, not on import: a worker
whose NLP runs in child processes (``services.nlp.pool``) never needs it itself. spaCy comes
in without its command line (:mod:`services.nlp.spacy_import`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.nlp.enricher import SpacyEnricher, load_enricher

__all__ = ["SpacyEnricher", "load_enricher"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from services.nlp.spacy_import import import_spacy_without_cli

        import_spacy_without_cli()
        from services.nlp import enricher

        return getattr(enricher, name)
    raise AttributeError(f"module 'services.nlp' has no attribute {name!r}")
