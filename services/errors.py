"""The error hierarchy: what went wrong, and whether retrying can help; and the bounded set of
reasons a dead letter can give."""

from __future__ import annotations

#: Every ``error.type`` a dead letter can carry, with the stage that gives it. Both are metric
#: labels (``newswire_dlq_records_total``) and a documented contract (docs/schemas.md), so the set
#: is small and fixed: a new reason is added here, and tests/unit/test_docs_contract.py finds
#: every reason the code gives and holds this table and the docs to it.
DEAD_LETTER_TYPES: dict[str, str] = {
    "empty_payload": "decode",
    "message_too_large": "decode",
    "invalid_utf8": "decode",
    "json_too_deep": "decode",
    "invalid_json": "decode",
    "not_an_object": "decode",
    "invalid_header": "decode",
    "unreadable_batch": "decode",
    "invalid_field_type": "validate",
    "missing_url": "validate",
    "invalid_url": "validate",
    "url_too_long": "validate",
    "empty_body": "validate",
    "body_too_large": "validate",
    "text_too_large": "validate",
    "html_too_deep": "validate",
    "title_too_large": "validate",
    "invalid_id": "validate",
    "not_prose": "validate",
    "nlp_error": "nlp",
    "nlp_crash": "nlp",
    "internal_error": "internal",
}


class NewswireError(Exception):
    """Base of every error newswire raises on purpose."""


class InvalidArticle(NewswireError):
    """The input itself is bad: retrying will not help, it goes to the dead-letter topic.

    ``error_type`` is a short, bounded identifier (safe as a metric label);
    ``stage`` names the pipeline step that refused it.
    """

    def __init__(self, error_type: str, message: str, stage: str = "validate") -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stage = stage


class ProcessingFailed(NewswireError):
    """A step failed on one article in a way that is about this article (e.g. the NLP
    stage choked on its text). Dead-lettered like bad input, with the stage that failed."""

    def __init__(self, error_type: str, message: str, stage: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stage = stage

    def __reduce__(self) -> tuple[type[ProcessingFailed], tuple[str, str, str]]:
        # NLP processes send these back to the worker by pickle.
        return (type(self), (self.error_type, self.message, self.stage))


class InfrastructureError(NewswireError):
    """A dependency (Redis, the broker) is unavailable. Never dead-letter on this:
    the caller backs off and retries without acknowledging the input."""

    def __init__(self, dependency: str, message: str) -> None:
        super().__init__(f"{dependency}: {message}")
        self.dependency = dependency
