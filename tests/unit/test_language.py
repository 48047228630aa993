"""How an article's language is decided from the text and the tag a scraper sent."""

from __future__ import annotations

import pytest

from services.language import UnreadableLanguageTag, decide_language, primary_subtag

FRENCH = "Le gouvernement a présenté mardi un projet de loi sur la réforme des retraites."


def test_short_text_falls_back_to_the_sent_tag_then_english() -> None:
    assert decide_language("ok", "de").language == "de"
    assert decide_language("ok", None).language == "en"
    assert decide_language(FRENCH, None).language == "fr"
    assert decide_language(FRENCH, "en").language == "fr"


@pytest.mark.parametrize(
    ("tag", "primary"), [("en", "en"), ("en-GB", "en"), (" PT_br ", "pt"), ("zh-Hant-TW", "zh")]
)
def test_primary_subtag_of_a_language_tag(tag: str, primary: str) -> None:
    assert primary_subtag(tag) == primary


@pytest.mark.parametrize("tag", ["english please", "e" * 100, "en--GB", "12"])
def test_what_is_no_language_tag_is_refused(tag: str) -> None:
    with pytest.raises(UnreadableLanguageTag):
        primary_subtag(tag)
