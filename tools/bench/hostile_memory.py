"""What a backlog of refused hostile messages costs a worker in memory, process by process.

One worker with two NLP processes on the bench's own broker and Redis, warmed up as in
``newswire bench``; then ``--messages`` of tools/bench/hostile.py's refused payloads (1 MB
tokens, 100k-deep nesting, entity bombs, ..., cycled) produced at once over the four
partitions, and every process of the worker's tree sampled five times a second until all are
dead-lettered. ``newswire bench``'s hostile phase puts such messages between good articles;
here they are alone, so what they cost is not hidden by NLP::

    python -m tools.bench.hostile_memory            # ~1 min
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from config.settings import Settings
from tools.bench.corpus import CorpusBuilder
from tools.bench.hostile import refused_payloads
from tools.bench.measure import prioritise
from tools.bench.phases import QUICK, Bench
from tools.bench.service import Service

#: (time, [(pid, RSS MB) of the worker and each descendant]).
Sample = tuple[float, list[tuple[int, int]]]


def _sample_tree(pid: int, samples: list[Sample], halt: threading.Event) -> None:
    while not halt.wait(0.2):
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
            samples.append((time.time(), [(p.pid, p.memory_info().rss >> 20) for p in procs]))
        except psutil.Error:
            continue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--nice", type=int, default=0, help="as newswire bench --nice")
    args = parser.parse_args()
    prioritise(0, args.nice)
    defaults = Settings()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    bench = Bench(
        profile=QUICK,
        phases=["hostile"],
        batch_size=defaults.nlp_batch_size,
        within=defaults.batch_within_seconds,
        model=defaults.spacy_model,
        log=log,
        nice=args.nice,
    )
    tmp = Path(tempfile.mkdtemp(prefix="newswire-hostile-memory-"))
    hostile = refused_payloads()
    payloads = [hostile[i % len(hostile)] for i in range(args.messages)]
    samples: list[Sample] = []
    with bench.stack(tmp) as (broker, redis):
        service = Service(
            name=f"hostilemem{int(time.time()) % 100000}",
            broker_url=f"kafka://127.0.0.1:{broker.port}",
            redis_url=f"redis://127.0.0.1:{redis.port}/0",
            workdir=tmp,
            workers=1,
            nlp_processes=2,
            partitions=4,
            batch_size=defaults.nlp_batch_size,
            within=defaults.batch_within_seconds,
            broker=broker,
            redis=redis,
            log=log,
            nice=args.nice,
        )
        try:
            service.warm_up(CorpusBuilder())
            assert service.procs[0].process is not None
            halt = threading.Event()
            sampler = threading.Thread(
                target=_sample_tree, args=(service.procs[0].process.pid, samples, halt), daemon=True
            )
            sampler.start()
            time.sleep(2)
            flood_start = time.time()
            before = service.outcomes.count()
            for i, payload in enumerate(payloads):
                service.producer.send(service.settings.topics.raw, value=payload, partition=i % 4)
            service.producer.flush()
            complete = service.outcomes.wait_for_count(before + len(payloads), timeout=300)
            flood_end = time.time()
            time.sleep(2)
            halt.set()
            sampler.join()
        finally:
            service.close()
    idle = [s for t, s in samples if t < flood_start]
    flood = [s for t, s in samples if flood_start <= t <= flood_end + 1]
    after = [s for t, s in samples if t > flood_end + 1]
    mb = sum(len(p) for p in payloads) / 2**20
    print(
        f"{len(payloads)} refused messages ({mb:.0f} MB) dead-lettered in {flood_end - flood_start:.1f} s"
        + ("" if complete else " (INCOMPLETE)")
    )
    print(
        f"worker process: {max(s[0][1] for s in idle)} MB before, peak {max(s[0][1] for s in flood)} MB, "
        f"{after[-1][0][1] if after else '-'} MB after"
    )
    print(
        f"whole tree (RSS summed): {max(sum(r for _, r in s) for s in idle)} MB before, "
        f"peak {max(sum(r for _, r in s) for s in flood)} MB; largest other process "
        f"{max(r for s in flood for _, r in s[1:])} MB; processes in the tree: "
        f"{sorted({len(s) for s in flood})} (the worker, multiprocessing's resource tracker, 2 NLP)"
    )


if __name__ == "__main__":
    main()
