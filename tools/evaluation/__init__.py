"""Accuracy evaluations: entities and events on the hand-annotated gold set (``nlp_eval``),
dedup precision and recall on generated syndication copies (``dedup_eval``); run by
``newswire eval`` and ``newswire eval-dedup`` (``tools.evaluation.run``)."""
