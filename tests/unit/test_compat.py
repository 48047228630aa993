"""The faust/aiokafka patches of streams/compat.py: what each does, that applying it twice
changes nothing, and that the library still has what each patch relies on (these fail when a
release moves it: re-check the patch then)."""

from __future__ import annotations

import inspect
import random
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka.consumer import fetcher
from aiokafka.consumer.fetcher import PartitionRecords
from aiokafka.record import default_records
from aiokafka.record.util import decode_varint_py
from aiokafka.structs import TopicPartition

from streams import compat
from tests.support.record_batches import CODECS, Record, build_batch

TP = TopicPartition("news.articles.raw", 0)


def consumed(data: bytes, fetch_offset: int = 0) -> list[Any]:
    """What aiokafka's consumer hands on for a fetched record set, read the patched way."""
    records = PartitionRecords(TP, compat.TolerantMemoryRecords(data), [], fetch_offset, None, None, True, 0)
    return list(records)


@pytest.fixture(params=["cython", "python"])
def batch_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with aiokafka's Cython batch reader and again with its pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(compat, "DefaultRecordBatch", default_records._DefaultRecordBatchPy)
        # As with AIOKAFKA_NO_EXTENSIONS: the Python reader with the Python varint decoder
        # (the Cython decoder does not check bounds and may crash on the corrupt-batch cases).
        monkeypatch.setattr(default_records, "decode_varint", decode_varint_py)
    yield request.param


# --------------------------------------------------------------------------- tolerant fetch
@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_batches_in_every_kafka_codec_are_read_with_their_headers(codec: str, batch_reader: str) -> None:
    records = [
        Record(f"value {i}".encode(), f"k{i}".encode(), [(b"trace-id", f"t{i}".encode())]) for i in range(3)
    ]
    out = consumed(build_batch(records, codec=CODECS[codec], base_offset=40, timestamp_ms=1_000))
    assert [(r.offset, r.key, r.value, r.headers) for r in out] == [
        (40 + i, f"k{i}".encode(), f"value {i}".encode(), (("trace-id", f"t{i}".encode()),)) for i in range(3)
    ]
    assert all(r.checksum is None for r in out)


def test_header_name_that_is_not_utf8_marks_only_its_record_and_keeps_the_raw_bytes(
    batch_reader: str,
) -> None:
    data = build_batch(
        [
            Record(b"before", None, [(b"ok", b"1")]),
            Record(b"poison", b"key", [(b"trace-id", b"t"), (b"\xff\xfe", b"x"), (b"nil", None)]),
            Record(b"after"),
        ],
        base_offset=10,
        timestamp_ms=5_000,
    )
    data += build_batch([Record(b"next batch")], base_offset=13, codec=CODECS["lz4"])
    out = consumed(data)
    assert [(r.offset, r.value) for r in out] == [
        (10, b"before"),
        (11, b"poison"),
        (12, b"after"),
        (13, b"next batch"),
    ]
    poison = out[1]
    assert poison.key == b"key" and poison.timestamp == 5_000
    assert poison.headers == (("trace-id", b"t"), (b"\xff\xfe", b"x"), ("nil", None))
    assert isinstance(poison.checksum, compat.Unreadable)
    assert poison.checksum.error_type == "invalid_header"
    assert "ff fe" in poison.checksum.message
    assert [r.checksum for r in (out[0], out[2], out[3])] == [None, None, None]


def test_poison_record_after_the_fetch_position_is_the_first_one_returned(batch_reader: str) -> None:
    data = build_batch([Record(b"a"), Record(b"b", None, [(b"\x80", b"")]), Record(b"c")], base_offset=0)
    assert [r.offset for r in consumed(data, fetch_offset=1)] == [1, 2]
    assert [r.offset for r in consumed(data, fetch_offset=2)] == [2]


@pytest.mark.parametrize(
    ("codec", "garbage", "shown"),
    [(5, None, "codec id 5"), (CODECS["gzip"], b"not gzip", "gzip"), (CODECS["zstd"], b"\x00" * 20, "zstd")],
)
def test_batch_that_cannot_be_decompressed_becomes_one_unreadable_record_per_offset(
    codec: int, garbage: bytes | None, shown: str, batch_reader: str
) -> None:
    bad = build_batch([Record(b"x"), Record(b"y")], codec=codec, base_offset=7, compressed=garbage)
    out = consumed(bad + build_batch([Record(b"good")], base_offset=9))
    assert [r.offset for r in out] == [7, 8, 9]
    first, second, good = out
    for record in (first, second):
        assert isinstance(record.checksum, compat.Unreadable)
        assert record.checksum.error_type == "unreadable_batch"
        assert f"compressed with {shown}" in record.checksum.message
        assert "offsets 7-8" in record.checksum.message
    assert first.value == bad and second.value is None  # the batch's bytes travel once
    assert good.value == b"good" and good.checksum is None


def test_corrupt_record_inside_a_batch_dead_letters_the_rest_of_the_batch_only(batch_reader: str) -> None:
    data = bytearray(build_batch([Record(b"fine"), Record(b"broken" * 3), Record(b"lost")], base_offset=0))
    # Record 2's value length says 100 bytes: it runs past its record. CRC off, as a broker
    # that does not check would pass it on.
    index = data.index(b"broken") - 1
    data[index] = 200  # zigzag varint of 100
    out = list(PartitionRecords(TP, compat.TolerantMemoryRecords(bytes(data)), [], 0, None, None, False, 0))
    assert [r.offset for r in out] == [0, 1, 2]
    assert out[0].value == b"fine" and out[0].checksum is None
    assert [r.checksum.error_type for r in out[1:]] == ["unreadable_batch", "unreadable_batch"]


def test_randomly_corrupted_batches_never_crash_the_reader() -> None:
    # CRC checks off, as a broker that does not check would pass them on: the salvage path
    # must bound every read (a reader that runs past its buffer crashed the process here).
    clean = build_batch([Record(b"fine"), Record(b"broken" * 3, b"k", [(b"h", b"v")]), Record(b"lost")])
    rng = random.Random(17)
    for _ in range(3_000):
        data = bytearray(clean)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(61, len(data))] = rng.randrange(256)  # records only: keep the header
        out = list(
            PartitionRecords(TP, compat.TolerantMemoryRecords(bytes(data)), [], 0, None, None, False, 0)
        )
        offsets = [r.offset for r in out]
        # A corrupt offset delta reads like a gap Kafka itself may leave (compaction): the
        # reader moves on in order and never past the batch.
        assert offsets == sorted(set(offsets)) and set(offsets) <= {0, 1, 2}


def test_partial_trailing_batch_is_left_for_the_next_fetch_as_aiokafka_does() -> None:
    whole = build_batch([Record(b"a")], base_offset=0)
    records = compat.TolerantMemoryRecords(whole + build_batch([Record(b"b")], base_offset=1)[:-5])
    assert records.has_next()
    assert [r.value for r in records.next_batch()] == [b"a"]
    assert not records.has_next() and records.next_batch() is None


def test_apply_tolerant_fetch_rebinds_the_fetchers_record_set_and_is_idempotent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fetcher, "MemoryRecords", fetcher.MemoryRecords)  # restored after the test
    compat.apply_tolerant_fetch()
    compat.apply_tolerant_fetch()
    assert fetcher.MemoryRecords is compat.TolerantMemoryRecords


# --------------------------------------------------------------------------- what the patch relies on
def test_aiokafka_fetcher_still_builds_record_sets_through_its_module_level_memory_records() -> None:
    source = inspect.getsource(fetcher.Fetcher._proc_fetch_request)
    assert "MemoryRecords(part_data[-1])" in source
    unpack = inspect.getsource(PartitionRecords._unpack_records)
    assert "records.next_batch()" in unpack and "for record in next_batch" in unpack
    assert "validate_crc" in unpack and "next_batch.next_offset" in unpack


@pytest.mark.parametrize(
    "reader",
    [default_records.DefaultRecordBatch, default_records._DefaultRecordBatchPy],
    ids=["cython", "python"],
)
def test_aiokafka_still_raises_on_a_header_name_that_is_not_utf8(reader: Any) -> None:
    """The reason for the patch. If this fails, aiokafka reads such records itself now:
    check what it returns for them before dropping the patch."""
    batch = reader(build_batch([Record(b"v", None, [(b"\xff", b"")])]))
    with pytest.raises(Exception, match=r"utf-8|UnicodeDecodeError"):
        list(batch)


def test_aiokafka_batch_header_layout_is_the_one_salvage_reads() -> None:
    assert default_records.DefaultRecordBase.HEADER_STRUCT.format == compat._HEADER.format


# --------------------------------------------------------------------------- fetch wait
def test_apply_fetch_wait_sets_the_consumers_wait_and_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    current = AIOKafkaConsumerThread._create_worker_consumer
    monkeypatch.setattr(AIOKafkaConsumerThread, "_create_worker_consumer", current)  # restored after
    original = getattr(current, compat._ORIGINAL, current)  # a worker built earlier may have patched it
    assert list(inspect.signature(original).parameters) == ["self", "transport"]
    assert "fetch_max_wait_ms=1500" in inspect.getsource(original)  # what the patch overrides

    class FakeConsumer:
        _fetch_max_wait_ms = 1500

    monkeypatch.setattr(
        AIOKafkaConsumerThread, "_create_worker_consumer", lambda self, transport: FakeConsumer()
    )
    compat.apply_fetch_wait(250)
    compat.apply_fetch_wait(100)
    patched = AIOKafkaConsumerThread._create_worker_consumer
    assert getattr(patched, compat._ORIGINAL)(None, None)._fetch_max_wait_ms == 1500  # wrapped once
    assert patched(None, None)._fetch_max_wait_ms == 100


def test_aiokafka_consumer_reads_its_fetch_wait_from_the_attribute_the_patch_sets() -> None:
    from aiokafka import AIOKafkaConsumer

    assert "self._fetch_max_wait_ms" in inspect.getsource(AIOKafkaConsumer.start)


# --------------------------------------------------------------------------- the tools' reader
def kafka_python_records(data: bytes) -> list[Any]:
    """What kafka-python's consumer reads from a fetched record set."""
    from kafka.record import MemoryRecords

    batch = MemoryRecords(data).next_batch()
    return list(batch)


def test_kafka_python_still_raises_on_a_header_name_that_is_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    from kafka.record import default_records as kafka_records

    original = getattr(kafka_records.DefaultRecordBatch._read_msg, "_newswire_original", None)
    if original is not None:  # patched by an earlier test: look at the library's own reader
        monkeypatch.setattr(kafka_records.DefaultRecordBatch, "_read_msg", original)
    from kafka.errors import CorruptRecordError

    data = build_batch([Record(b"{}", headers=[(b"\xff\xfe", b"x")])])
    # Its reader decodes the name in _read_msg, the method the patch wraps; the iterator then
    # turns the error into a CorruptRecordError, which ends the tool's fetch.
    with pytest.raises(CorruptRecordError) as raised:
        kafka_python_records(data)
    assert isinstance(raised.value.__context__, UnicodeDecodeError)


def test_tools_read_a_header_name_that_is_not_utf8_as_bytes_and_the_records_around_it() -> None:
    compat.apply_tool_reader_patch()
    compat.apply_tool_reader_patch()  # twice changes nothing
    data = build_batch(
        [
            Record(b'{"n": 1}', key=b"k1", headers=[(b"trace-id", b"t1")]),
            Record(
                b'{"n": 2}', key=b"k2", headers=[(b"trace-id", b"t2"), (b"\xff\xfe", b"bad"), (b"n", None)]
            ),
            Record(b'{"n": 3}', key=b"k3"),
        ],
        base_offset=40,
        timestamp_ms=1_767_225_600_123,
    )
    first, poison, last = kafka_python_records(data)
    assert (first.offset, first.key, first.headers) == (40, b"k1", [("trace-id", b"t1")])
    assert (poison.offset, poison.key, poison.value) == (41, b"k2", b'{"n": 2}')
    assert poison.timestamp == 1_767_225_600_123
    assert poison.headers == [("trace-id", b"t2"), (b"\xff\xfe", b"bad"), ("n", None)]
    name = poison.headers[1][0]
    assert isinstance(name, compat.UndecodedName) and not isinstance(name, str)
    assert name.encode("utf-8") == b"\xff\xfe"  # kafka-python sizes headers with it
    assert (last.offset, last.key, last.headers) == (42, b"k3", [])
