"""The worker's app in memory (faust's testing guide: ``agent.test_context()``): a stand-in for
the broker edge, and the agent run under faust's test wrapper."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from streams.app import Worker

#: The agent's name: its function's module and name (``process_articles`` in ``create_worker``).
AGENT = "streams.app.process_articles"


@contextlib.asynccontextmanager
async def running_agent(worker: Worker) -> AsyncIterator[Any]:
    """The worker's agent under faust's test wrapper: ``put`` feeds it a raw message."""
    async with worker.app.agents[AGENT].test_context() as agent:
        yield agent


class Broker:
    """Stands in for the producer: records each ``topic.send`` and returns its delivery future,
    resolved at once (``auto=True``) or when the test says so."""

    def __init__(self, worker: Worker) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []
        self.pending: list[asyncio.Future[Any]] = []
        self.auto = True
        self.fail_next: Exception | None = None
        #: Fail the send with this 0-based position among all sends, once.
        self.fail_at: tuple[int, Exception] | None = None
        for kind, topic in worker.topics.items():
            topic.send = self._sender(kind)  # type: ignore[method-assign]

    def _sender(self, kind: str) -> Callable[..., Any]:
        async def send(*, key: bytes, value: bytes, **_: Any) -> asyncio.Future[Any]:
            self.sent.append((kind, key, value))
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            if self.fail_at is not None and self.fail_at[0] == len(self.sent) - 1:
                future.set_exception(self.fail_at[1])
                self.fail_at = None
            elif self.fail_next is not None:
                future.set_exception(self.fail_next)
                self.fail_next = None
            elif self.auto:
                future.set_result(None)
            else:
                self.pending.append(future)
            return future

        return send

    def acknowledge_all(self) -> None:
        for future in self.pending:
            future.set_result(None)
        self.pending.clear()

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.sent]
