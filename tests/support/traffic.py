"""Article streams for the fault and hostile-input scenarios: short unique articles with a
known duplicate structure, and a producer that keeps sending while a fault is injected."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import orjson

from config.settings import Settings
from streams.kafka_tools import produce_payloads

_VOCABULARY = [
    "harbour",
    "budget",
    "senate",
    "drought",
    "railway",
    "tariff",
    "vaccine",
    "election",
    "pipeline",
    "refinery",
    "glacier",
    "province",
    "satellite",
    "festival",
    "coalition",
    "embassy",
    "treaty",
    "bridge",
    "wildfire",
    "monsoon",
    "airport",
    "quarry",
    "lawsuit",
    "stadium",
    "merger",
    "reactor",
    "copper",
    "wheat",
    "ferry",
    "subsidy",
    "border",
    "pension",
    "census",
    "clinic",
    "orchard",
    "tunnel",
    "verdict",
    "canal",
    "uranium",
    "council",
    "ballot",
    "cargo",
    "vineyard",
    "curfew",
    "strike",
    "dividend",
    "frigate",
    "ministry",
    "charter",
    "reservoir",
    "audit",
    "corridor",
    "lithium",
    "harvest",
    "parliament",
    "summit",
    "militia",
    "pledge",
    "mining",
    "bauxite",
    "cotton",
    "shipyard",
    "quota",
    "insurer",
    "aquifer",
    "runway",
    "cable",
    "bakery",
    "textile",
    "lagoon",
    "barley",
    "tariffs",
    "patrol",
    "dockers",
    "nurses",
    "teachers",
    "farmers",
    "miners",
    "pilots",
]
_ACTORS = (
    ("France", "Paris"),
    ("Germany", "Berlin"),
    ("Japan", "Tokyo"),
    ("Kenya", "Nairobi"),
    ("Brazil", "Brasilia"),
    ("India", "New Delhi"),
    ("Canada", "Ottawa"),
    ("Egypt", "Cairo"),
)


def short_article(run: str, n: int, rng: random.Random) -> dict[str, Any]:
    """A ~45-word article whose word bigrams overlap no other article's (so it is unique)."""
    (a, city), (b, _) = rng.sample(_ACTORS, 2)
    filler = " ".join(rng.choice(_VOCABULARY) for _ in range(30))
    return {
        "id": f"{run}-{n}",
        "url": f"https://wire.example.com/{run}/{n}",
        "title": f"{a} and {b} hold talks ({n})",
        "body": f"Officials from {a} met counterparts from {b} in {city} on Monday. {filler}. "
        f"Item {run} {n}.",
        "source": "wire.example.com",
        "published_at": "2026-03-02T09:15:00Z",
    }


@dataclass
class Stream:
    """Payloads to produce and what each must become: ``expected[id]`` is ``"unique"``,
    ``"exact_duplicate"`` or ``"dlq"``; ``copy_of[id]`` is the original a copy repeats."""

    payloads: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)
    copy_of: dict[str, str] = field(default_factory=dict)


def article_stream(
    run: str, count: int, *, copy_every: int = 10, bad_every: int = 0, seed: int = 1
) -> Stream:
    """``count`` short articles: every ``copy_every``-th re-posts an earlier article's body under
    a new id and URL (an exact duplicate); every ``bad_every``-th is an invalid article (DLQ)
    that still carries an id, so every input can be accounted for by id."""
    rng = random.Random(seed)
    stream = Stream()
    originals: list[dict[str, Any]] = []
    for n in range(count):
        if bad_every and n % bad_every == bad_every - 1:
            article = {"id": f"{run}-{n}", "url": f"javascript:alert({n})", "body": "Bad URL."}
            stream.expected[article["id"]] = "dlq"
        elif copy_every and n % copy_every == copy_every - 1 and originals:
            source = rng.choice(originals)
            article = dict(
                source,
                id=f"{run}-{n}",
                url=f"https://copies.example.net/{run}/{n}",
                source="copies.example.net",
            )
            stream.expected[article["id"]] = "exact_duplicate"
            stream.copy_of[article["id"]] = source["id"]
        else:
            article = short_article(run, n, rng)
            originals.append(article)
            stream.expected[article["id"]] = "unique"
        stream.payloads.append((article["id"].encode(), orjson.dumps(article)))
    return stream


class BackgroundProducer(threading.Thread):
    """Produces payloads in chunks at a steady rate, so a fault lands in the middle of a stream;
    failed sends are retried until they succeed (the broker may be down for a while)."""

    def __init__(
        self,
        settings: Settings,
        payloads: list[tuple[bytes | None, bytes]],
        per_second: float,
        chunk: int = 20,
    ) -> None:
        super().__init__(daemon=True)
        self.settings = settings
        self.payloads = payloads
        self.interval = chunk / per_second
        self.chunk = chunk
        self.sent = 0
        self.errors: list[str] = []

    def run(self) -> None:
        topic = self.settings.topics.raw
        for start in range(0, len(self.payloads), self.chunk):
            part = self.payloads[start : start + self.chunk]
            started = time.monotonic()
            sent, failed = produce_payloads(self.settings, topic, part)
            if failed:
                self.errors.append(f"{failed} of chunk at {start} failed")
            self.sent += sent
            time.sleep(max(0.0, self.interval - (time.monotonic() - started)))
