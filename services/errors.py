"""The error hierarchy: what went wrong, and whether retrying can help."""

from __future__ import annotations


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
