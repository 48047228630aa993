"""Have we seen this story, or this article? Duplicates, story clusters and revisions.

:class:`Deduplicator` turns an article into evidence (URL and body digests, a MinHash
signature, LSH band buckets, a fingerprint of the version), and a :class:`DedupStore` answers
and records the decision atomically: one Lua script in :class:`RedisDedupStore`, so it is
race-free across workers. After NLP, :meth:`DedupStore.commit` publishes a revision.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib import resources
from typing import Any, Literal, Protocol

from rensa import RMinHash

from services.articles import Article
from services.errors import InfrastructureError
from services.text import words

DedupStatus = Literal["unique", "exact_duplicate", "near_duplicate"]
_MINHASH_SEED = 1_234_567
_DIGEST_BYTES = 8


@dataclass(frozen=True, slots=True)
class DedupRequest:
    """Everything the store needs to decide on one article."""

    article_id: str
    position: str
    source: str
    #: 8-byte digests: the exact keys (canonical URL, normalised body) and one per LSH band.
    url_digest: bytes
    body_digest: bytes
    signature: bytes
    band_digests: tuple[bytes, ...]
    #: 16 bytes that differ between two versions of the article a reader could tell apart.
    fingerprint: bytes = b""
    #: The sender's ``updated_at`` in epoch seconds, when it sent one.
    updated: float | None = None

    @property
    def index_entries(self) -> bytes:
        """Every index digest, concatenated in the order the Lua script reads them."""
        return self.url_digest + self.body_digest + b"".join(self.band_digests)


@dataclass(frozen=True, slots=True)
class DedupDecision:
    status: DedupStatus
    story_id: str
    duplicate_of: str | None
    similarity: float
    #: When the article was first claimed (epoch seconds); replays see the same instant.
    claimed_at: float
    candidates: int = 0
    story_size: int = 1
    #: "new"; "revision" (new content under a known id); "replay" (a revision's own message
    #: again, or a retry after mark_failed: its first decision again); "resend" (a known
    #: version from another message: an exact duplicate of itself); "stale" (a version dated
    #: before one already seen: a near duplicate of itself).
    origin: str = "new"
    #: Which revision of the article this message carries; None for a stale version.
    revision: int | None = 1

    @property
    def is_duplicate(self) -> bool:
        return self.status != "unique"

    def to_record(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "story_id": self.story_id,
            "duplicate_of": self.duplicate_of,
            "similarity": round(self.similarity, 4),
        }


@dataclass(frozen=True, slots=True)
class CommitRequest:
    """One enriched revision about to be published."""

    article_id: str
    revision: int
    event_ids: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True, slots=True)
class RevisionCommit:
    """What publishing one revision means for what consumers already hold."""

    #: A later revision of the article was published first: publish nothing of this one.
    superseded: bool = False
    #: The revision consumers held before this one and its content hash (None: none).
    replaces: int | None = None
    replaces_content_hash: str | None = None
    #: Event ids of the replaced revision that this one no longer has (tombstoned).
    retracted: tuple[str, ...] = ()
    #: Of a superseded revision: its estimated similarity to the latest revision.
    similarity: float = 0.0
    #: Of a superseded revision: the latest revision's packed signature, when the store has it.
    latest_signature: bytes = field(default=b"", repr=False)


class DedupStore(Protocol):
    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        """Decide and claim, in order; one atomic step per request."""

    def commit(self, requests: Sequence[CommitRequest]) -> list[RevisionCommit]:
        """Publish enriched revisions, in order; one atomic step per request. The same
        revision again gives the same answer, so replays publish the same records."""

    def mark_failed(self, article_id: str, revision: int) -> None:
        """The revision was claimed but produced no output: let a re-send run it again."""

    def story(self, story_id: str) -> dict[str, Any] | None:
        """Cluster statistics of one story, or None once it expired."""


class Deduplicator:
    """Builds dedup evidence from articles and asks the store for decisions.

    The defaults are the tuned values of ``config.settings.Settings``; see docs/dedup.md for
    the measurements behind them.
    """

    def __init__(
        self,
        store: DedupStore,
        *,
        num_perm: int = 128,
        bands: int = 32,
        shingle_size: int = 2,
    ) -> None:
        if bands < 1 or num_perm % bands:
            raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
        self.store = store
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        self.shingle_size = shingle_size

    def request_for(self, article: Article, position: str) -> DedupRequest:
        values = self.signature(article.text)
        return DedupRequest(
            article_id=article.article_id,
            position=position,
            source=article.source,
            url_digest=_digest(b"u" + article.canonical_url.encode("utf-8")),
            body_digest=bytes.fromhex(article.content_hash[: 2 * _DIGEST_BYTES]),
            signature=pack_signature(values),
            band_digests=self.band_digests(values),
            fingerprint=version_fingerprint(article),
            updated=_epoch(article.updated_at) if article.updated_at else None,
        )

    def decide(self, articles: Sequence[tuple[Article, str]], now: float) -> list[DedupDecision]:
        """Decisions for ``(article, position)`` pairs, in order."""
        if not articles:
            return []
        return self.store.decide([self.request_for(a, pos) for a, pos in articles], now)

    def commit(
        self, revisions: Sequence[tuple[Article, DedupDecision, Sequence[str]]]
    ) -> list[RevisionCommit]:
        """Publish ``(article, decision, event ids)`` revisions, in order (see
        :meth:`DedupStore.commit`)."""
        if not revisions:
            return []
        requests = [
            CommitRequest(article.article_id, decision.revision or 1, tuple(ids), article.content_hash)
            for article, decision, ids in revisions
        ]
        commits = self.store.commit(requests)
        out = []
        for (article, _, _), commit in zip(revisions, commits, strict=True):
            if commit.superseded and commit.latest_signature:
                # Rare (revisions racing), so the signature is computed again only here.
                own = pack_signature(self.signature(article.text))
                commit = replace(commit, similarity=estimated_jaccard(own, commit.latest_signature))
            out.append(commit)
        return out

    def shingles(self, text: str) -> list[str]:
        tokens = words(text)
        k = self.shingle_size
        if len(tokens) <= k:
            return [" ".join(tokens)] if tokens else [""]
        return [" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]

    def signature(self, text: str) -> list[int]:
        minhash = RMinHash(num_perm=self.num_perm, seed=_MINHASH_SEED)
        minhash.update(self.shingles(text))
        return [int(v) for v in minhash.digest()]

    def band_digests(self, values: Sequence[int]) -> tuple[bytes, ...]:
        r = self.rows
        return tuple(
            _digest(struct.pack(f">H{r}I", b, *values[b * r : (b + 1) * r])) for b in range(self.bands)
        )


def pack_signature(values: Sequence[int]) -> bytes:
    """MinHash values as big-endian uint16: 2 bytes a permutation. Two unequal values collide
    with probability 1/65536, which biases the estimated Jaccard by less than 0.0001."""
    return struct.pack(f">{len(values)}H", *(v & 0xFFFF for v in values))


def estimated_jaccard(a: bytes, b: bytes) -> float:
    """Share of equal packed MinHash values: what the Lua script computes, for tests and eval."""
    n = len(a) // 2
    if n == 0 or len(a) != len(b):
        return 0.0
    return sum(a[i : i + 2] == b[i : i + 2] for i in range(0, 2 * n, 2)) / n


def version_fingerprint(article: Article) -> bytes:
    """16 bytes that change whenever anything a reader sees of the article changes: its
    words, title, canonical URL, source, publication date or language. Two messages of one
    article with equal fingerprints are the same version (a re-send, not a revision)."""
    parts = (
        article.content_hash,
        article.title,
        article.canonical_url,
        article.source,
        article.published_at or "",
        article.language,
    )
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).digest()


def _epoch(rfc3339: str) -> float:
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


def article_ref(article_id: str) -> bytes:
    """The 8-byte reference the index stores instead of an article id of any length."""
    return _digest(article_id.encode("utf-8"))


def _digest(value: bytes) -> bytes:
    return hashlib.blake2b(value, digest_size=_DIGEST_BYTES).digest()


_MARK_FAILED = """
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'failed', ARGV[1]) end
"""


class RedisDedupStore:
    """The shared dedup index in Redis (key layout in ``dedup_claim.lua`` and docs/dedup.md).

    All keys carry the hash tag ``{<prefix>}`` so one script may touch them on Redis
    Cluster; the price is that the whole index lives in one hash slot (one shard).

    The index sizes itself (generations of bucketed hashes that grow x4 as they fill, see
    ``dedup_claim.lua``). ``min_buckets`` is where a fresh index starts: 32768 buckets hold
    ~60k articles in one generation, so most slices need one, and every generation costs one
    lookup per digest; a smaller index pays ~100 bytes per bucket it touches, ~3 MB at most.
    ``time_slices`` slices make one TTL window: an index entry lives ttl to
    ttl * (1 + 1/time_slices); claims and story stats expire exactly ttl after their last write.
    """

    def __init__(
        self,
        client: Any,
        *,
        prefix: str,
        ttl_seconds: int,
        threshold: float,
        min_buckets: int = 32768,
        time_slices: int = 4,
    ) -> None:
        self.client = client
        self.base = "{" + prefix + "}:"
        self.ttl_seconds = ttl_seconds
        self.threshold = threshold
        self.min_buckets = min_buckets
        self.slice_seconds = max(1, ttl_seconds // time_slices)
        scripts = resources.files("services")
        self._script = client.register_script(scripts.joinpath("dedup_claim.lua").read_text("utf-8"))
        self._commit = client.register_script(scripts.joinpath("dedup_commit.lua").read_text("utf-8"))
        self._mark_failed = client.register_script(_MARK_FAILED)

    def claim_key(self, article_id: str) -> str:
        return f"{self.base}a:{article_ref(article_id).hex()}"

    def decide(self, requests: Sequence[DedupRequest], now: float) -> list[DedupDecision]:
        # One round trip for the whole batch; each script call is still atomic and they run
        # in order, so two copies (or two versions) inside one batch are decided correctly.
        def call(pipe: Any) -> None:
            for req in requests:
                self._script(
                    keys=[self.claim_key(req.article_id)],
                    args=[
                        req.article_id,
                        req.position,
                        f"{now:.6f}",
                        self.ttl_seconds,
                        self.threshold,
                        req.source,
                        req.signature,
                        self.base,
                        article_ref(req.article_id),
                        self.slice_seconds,
                        self.min_buckets,
                        req.index_entries,
                        req.fingerprint,
                        "" if req.updated is None else f"{req.updated:.3f}",
                    ],
                    client=pipe,
                )

        return [_decision(reply) for reply in self._pipelined(call)]

    def commit(self, requests: Sequence[CommitRequest]) -> list[RevisionCommit]:
        def call(pipe: Any) -> None:
            for req in requests:
                self._commit(
                    keys=[self.claim_key(req.article_id)],
                    args=[
                        req.revision,
                        "\n".join(req.event_ids),
                        bytes.fromhex(req.content_hash),
                    ],
                    client=pipe,
                )

        return [_commit(reply) for reply in self._pipelined(call)]

    def mark_failed(self, article_id: str, revision: int) -> None:
        import redis

        try:
            self._mark_failed(keys=[self.claim_key(article_id)], args=[revision])
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise InfrastructureError("redis", str(exc)) from exc

    def _pipelined(self, call: Any) -> list[Any]:
        import redis  # local: keeps the module importable for pure unit tests without redis

        try:
            pipe = self.client.pipeline(transaction=False)
            call(pipe)
            return list(pipe.execute())
        except (
            redis.ConnectionError,
            redis.TimeoutError,
            redis.BusyLoadingError,
            redis.ReadOnlyError,
            OSError,
        ) as exc:
            raise InfrastructureError("redis", str(exc) or type(exc).__name__) from exc

    def story(self, story_id: str) -> dict[str, Any] | None:
        """Stats of a story; a story of one article has no stats key, so it is read from the
        founder's claim."""
        ref = article_ref(story_id).hex()
        pipe = self.client.pipeline(transaction=False)
        pipe.hgetall(f"{self.base}s:{ref}")
        pipe.hmget(f"{self.base}a:{ref}", "st", "at", "src")
        stats, (status, at, src) = pipe.execute()
        if stats:
            text = {_s(k): _s(v) for k, v in stats.items()}
            sources = sorted(k[1:] for k in text if k.startswith("@"))
            count = int(text.get("article_count", 0))
            first, last = float(text["first_seen"]), float(text["last_seen"])
        elif status is not None and _s(status) == "unique":
            sources = [_s(src)] if src else []
            count, first = 1, float(_s(at))
            last = first
        else:
            return None
        return {
            "story_id": story_id,
            "article_count": count,
            "sources": sources,
            "source_count": len(sources),
            "first_seen": first,
            "last_seen": last,
        }


def _s(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _decision(reply: Sequence[Any]) -> DedupDecision:
    status, story, dup, sim, at, candidates, size, origin, revision = (_s(v) for v in reply)
    return DedupDecision(
        status=status,  # type: ignore[arg-type]
        story_id=story,
        duplicate_of=dup or None,
        similarity=float(sim),
        claimed_at=float(at),
        candidates=int(candidates),
        story_size=int(size),
        origin=origin,
        revision=int(revision) or None,
    )


def _commit(reply: Sequence[Any]) -> RevisionCommit:
    if _s(reply[0]) == "superseded":
        return RevisionCommit(superseded=True, latest_signature=bytes(reply[1]))
    replaces, replaced_hash, retracted = int(reply[1]), bytes(reply[2]), _s(reply[3])
    return RevisionCommit(
        replaces=replaces or None,
        replaces_content_hash=replaced_hash.hex() if replaced_hash else None,
        retracted=tuple(retracted.split("\n")) if retracted else (),
    )
