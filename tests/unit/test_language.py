"""How an article's language is decided from the text and the tag a scraper sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.language import UnreadableLanguageTag, decide_language, primary_subtag

ROOT = Path(__file__).resolve().parents[2]
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


def test_the_model_is_read_from_the_installed_package_without_the_network(tmp_path: Path) -> None:
    """The detector's library downloads its larger model unless told otherwise; the worker
    must start on a machine without network access."""
    cache = tmp_path / "model-cache"
    cache.mkdir()
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network access during language detection')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from services.language import detect\n"
        f"print(detect({FRENCH!r})[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "FTLANG_CACHE": str(cache)},
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "fr"
    assert list(cache.iterdir()) == []
