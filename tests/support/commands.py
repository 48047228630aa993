"""``newswire`` as a user runs it: a subprocess with an environment of its own, bounded in time."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from config.settings import Settings

#: ``newswire`` from this checkout's interpreter.
NEWSWIRE = (sys.executable, "-m", "streams.cli")


def settings_env(settings: Settings) -> dict[str, str]:
    """The variables that point a command at a test's broker, Redis, topics and key prefix."""
    return {
        "NEWSWIRE_BROKER_URL": settings.broker_url,
        "NEWSWIRE_REDIS_URL": settings.redis_url.get_secret_value(),
        "NEWSWIRE_TOPIC_PREFIX": settings.topic_prefix,
        "NEWSWIRE_REDIS_KEY_PREFIX": settings.redis_key_prefix,
        "NEWSWIRE_TOPIC_PARTITIONS": str(settings.topic_partitions),
    }


def run_newswire(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    program: Sequence[str] = NEWSWIRE,
) -> subprocess.CompletedProcess[str]:
    """Run ``newswire ARGS`` with this test run's environment minus its ``NEWSWIRE_`` variables,
    plus ``env``; a hang past ``timeout`` fails the test."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    # Rich wraps at 80 columns off a terminal; keep one record per line.
    clean["COLUMNS"] = "250"
    return subprocess.run(
        [*program, *args],
        env={**clean, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
