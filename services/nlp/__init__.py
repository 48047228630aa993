"""NLP enrichment: canonical entities, CAMEO-coded events, tone and quotations.

See docs/enrichment.md.
"""

from services.nlp.enricher import SpacyEnricher, load_enricher

__all__ = ["SpacyEnricher", "load_enricher"]
