"""Every patch newswire applies to faust, aiokafka and kafka-python, in one place. Each is
applied explicitly, by the worker (:func:`apply_worker_patches`) or by the tools' Kafka clients
(:func:`apply_tool_reader_patch`), never at import; applying one twice changes nothing;
tests/unit/test_compat.py fails if a library release moves what a patch relies on."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiokafka import codec as _codec
from aiokafka.errors import CorruptRecordException
from aiokafka.record.default_records import DefaultRecordBatch
from aiokafka.record.legacy_records import LegacyRecordBatch

# The pure-Python varint reader: it raises IndexError at the end of the buffer, while the
# Cython one reads on past it (a segfault on exactly the corrupt bytes salvage is for).
from aiokafka.record.util import decode_varint_py as decode_varint

_ORIGINAL = "_newswire_original"


def apply_worker_patches(fetch_max_wait_ms: int) -> None:
    """All patches the worker needs, before its app is created."""
    apply_fetch_wait(fetch_max_wait_ms)
    apply_tolerant_fetch()


# --------------------------------------------------------------------------- fetch wait
def apply_fetch_wait(milliseconds: int) -> None:
    """faust hard-codes ``fetch_max_wait_ms=1500`` for the worker's consumer; use the setting.

    Wraps ``AIOKafkaConsumerThread._create_worker_consumer`` and sets the consumer's
    ``_fetch_max_wait_ms``, which aiokafka reads when the consumer starts."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    current = AIOKafkaConsumerThread._create_worker_consumer
    original = getattr(current, _ORIGINAL, current)

    def create(self: Any, transport: Any) -> Any:
        consumer = original(self, transport)
        consumer._fetch_max_wait_ms = milliseconds
        return consumer

    setattr(create, _ORIGINAL, original)
    AIOKafkaConsumerThread._create_worker_consumer = create  # type: ignore[method-assign]


# --------------------------------------------------------------------------- tolerant fetch
@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a record could not be read as Kafka sent it. The fetcher hands such a record on
    in the ``checksum`` slot of aiokafka's ``ConsumerRecord`` (always None for message
    format v2, and passed through by faust untouched), so the agent dead-letters it."""

    error_type: str
    message: str


@dataclass(frozen=True, slots=True)
class SalvagedRecord:
    """A record read by :func:`salvage_batch`, shaped like aiokafka's ``DefaultRecord``.
    Header names that are not UTF-8 stay ``bytes``."""

    offset: int
    timestamp: int
    timestamp_type: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str | bytes, bytes | None]] = field(default_factory=list)
    checksum: Unreadable | None = None


#: v2 batch header (see aiokafka.record.default_records): BaseOffset, Length,
#: PartitionLeaderEpoch, Magic, CRC, Attributes, LastOffsetDelta, FirstTimestamp,
#: MaxTimestamp, ProducerId, ProducerEpoch, BaseSequence, RecordCount.
_HEADER = struct.Struct(">qiibIhiqqqhii")
_LOG_OVERHEAD = 12  # BaseOffset + Length
_MAGIC_OFFSET = 16
_CODEC_MASK = 0x07
_LOG_APPEND_TIME = 0x08
_CODEC_NAMES = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}
_DECODERS: dict[int, Callable[[bytes], bytes]] = {
    1: _codec.gzip_decode,
    2: _codec.snappy_decode,
    3: _codec.lz4_decode,
    4: _codec.zstd_decode,
}


def salvage_batch(data: bytes, after: int = -1) -> Iterator[SalvagedRecord]:
    """Read a v2 record batch without ever raising on its contents: records with offsets
    above ``after``, header names that are not UTF-8 kept as bytes (and the record marked
    :class:`Unreadable`), and, for what cannot be read at all (a codec we cannot decode,
    corrupt records), one :class:`Unreadable` record per remaining offset, so that every
    offset of the batch is accounted for and the partition moves on."""
    (base, _, _, _, _, attributes, last_delta, first_ts, max_ts, *_, count) = _HEADER.unpack_from(data)
    timestamp_type = 1 if attributes & _LOG_APPEND_TIME else 0
    codec = attributes & _CODEC_MASK
    last = base + last_delta
    body = data[_HEADER.size :]
    try:
        decoder = _DECODERS.get(codec)
        if codec and decoder is None:
            raise ValueError("no such Kafka compression codec")
        records = decoder(bytes(body)) if decoder else bytes(body)
    except Exception as exc:  # every codec library raises its own types
        name = _CODEC_NAMES.get(codec, f"codec id {codec}")
        reason = Unreadable(
            "unreadable_batch",
            f"record batch at offsets {base}-{last} is compressed with {name} and could not be "
            f"decompressed ({type(exc).__name__}: {str(exc)[:200]}); the compressed batch is the "
            f"payload of the dead letter of offset {base}",
        )
        yield from _unreadable(base, last, after, first_ts, timestamp_type, reason, batch=data)
        return
    pos = 0
    for _ in range(count):
        try:
            record, pos = _read_record(records, pos, base, last, first_ts, max_ts, timestamp_type)
        except Exception as exc:  # truncated or corrupt: nothing after it can be trusted
            reason = Unreadable(
                "unreadable_batch",
                f"record batch at offsets {base}-{last} is corrupt from byte {pos} of its records "
                f"({type(exc).__name__}: {str(exc)[:200]})",
            )
            yield from _unreadable(base, last, after, first_ts, timestamp_type, reason)
            return
        if record.offset > after:
            after = record.offset
            yield record


def _unreadable(
    base: int,
    last: int,
    after: int,
    timestamp: int,
    timestamp_type: int,
    reason: Unreadable,
    batch: bytes | None = None,
) -> Iterator[SalvagedRecord]:
    """One unreadable record per offset of the batch above ``after``; the batch's bytes, when
    given, travel once, with its first offset."""
    for offset in range(max(base, after + 1), last + 1):
        payload = bytes(batch) if batch is not None and offset == base else None
        yield SalvagedRecord(offset, timestamp, timestamp_type, None, payload, [], reason)


def _read_record(
    buffer: bytes, pos: int, base: int, last: int, first_ts: int, max_ts: int, timestamp_type: int
) -> tuple[SalvagedRecord, int]:
    length, pos = decode_varint(buffer, pos)
    end = pos + length
    if length < 0 or end > len(buffer):
        raise ValueError(f"record length {length} runs past the batch")
    _, pos = decode_varint(buffer, pos)  # attributes: unused
    ts_delta, pos = decode_varint(buffer, pos)
    offset_delta, pos = decode_varint(buffer, pos)
    if not 0 <= offset_delta <= last - base:
        raise ValueError(f"a record claims offset {base + offset_delta}, outside the batch")
    key, pos = _read_bytes(buffer, pos, end)
    value, pos = _read_bytes(buffer, pos, end)
    header_count, pos = decode_varint(buffer, pos)
    if header_count < 0:
        raise ValueError(f"negative header count {header_count}")
    headers: list[tuple[str | bytes, bytes | None]] = []
    bad_names: list[bytes] = []
    for _ in range(header_count):
        raw_name, pos = _read_bytes(buffer, pos, end)
        if raw_name is None:
            raise ValueError("a header name is null")
        header_value, pos = _read_bytes(buffer, pos, end)
        try:
            headers.append((raw_name.decode("utf-8"), header_value))
        except UnicodeDecodeError:
            headers.append((raw_name, header_value))
            bad_names.append(raw_name)
    if pos != end:
        raise ValueError(f"record declares {length} bytes but holds {length + end - pos}")
    reason = None
    if bad_names:
        shown = ", ".join(name[:32].hex(" ") for name in bad_names[:3])
        reason = Unreadable(
            "invalid_header",
            f"{len(bad_names)} of {header_count} Kafka header names are not valid UTF-8 "
            f"(bytes: {shown}); header names must be UTF-8 strings",
        )
    timestamp = max_ts if timestamp_type else first_ts + ts_delta
    return SalvagedRecord(base + offset_delta, timestamp, timestamp_type, key, value, headers, reason), end


def _read_bytes(buffer: bytes, pos: int, end: int) -> tuple[bytes | None, int]:
    size, pos = decode_varint(buffer, pos)
    if size < 0:
        return None, pos
    if pos + size > end:
        raise ValueError(f"a field of {size} bytes runs past its record")
    return bytes(buffer[pos : pos + size]), pos + size


class TolerantBatch:
    """A v2 batch read by aiokafka's own (fast) reader until that raises, then by
    :func:`salvage_batch` from the record after the last one it returned."""

    def __init__(self, native: Any, data: memoryview) -> None:
        self._native = native
        self._data = data
        self._iterator: Iterator[Any] | None = None
        self._salvage: Iterator[SalvagedRecord] | None = None
        self._last = -1

    def __getattr__(self, name: str) -> Any:  # validate_crc, base_offset, next_offset, ...
        return getattr(self._native, name)

    def __iter__(self) -> TolerantBatch:
        return self

    def __next__(self) -> Any:
        if self._salvage is None:
            try:
                if self._iterator is None:
                    self._iterator = iter(self._native)  # decompresses: may raise
                record = next(self._iterator)
            except StopIteration:
                raise
            except Exception:  # every way aiokafka's reader can fail on bad bytes
                self._salvage = salvage_batch(bytes(self._data), self._last)
            else:
                if self._last < record.offset <= self._native.next_offset - 1:
                    self._last = record.offset
                    return record
                # An offset delta out of order or past the batch: corrupt bytes that passed
                # (or skipped) the CRC. Handing it on would move the consumer past offsets
                # of the next batch, so the salvage reader judges the rest.
                self._salvage = salvage_batch(bytes(self._data), self._last)
        return next(self._salvage)


class TolerantMemoryRecords:
    """Drop-in for aiokafka's ``MemoryRecords`` (what the fetcher builds from a fetch
    response) whose v2 batches are :class:`TolerantBatch` es. Slicing as aiokafka does:
    a trailing partial batch is left for the next fetch."""

    def __init__(self, data: bytes) -> None:
        self._buffer = memoryview(data)
        self._pos = 0

    def size_in_bytes(self) -> int:
        return len(self._buffer)

    def _next_slice(self) -> memoryview | None:
        remaining = len(self._buffer) - self._pos
        if remaining < _LOG_OVERHEAD:
            return None
        (length,) = struct.unpack_from(">i", self._buffer, self._pos + 8)
        end = self._pos + _LOG_OVERHEAD + length
        if length < 0 or end > len(self._buffer):
            return None
        return self._buffer[self._pos : end]

    def has_next(self) -> bool:
        return self._next_slice() is not None

    def next_batch(self) -> Any:
        data = self._next_slice()
        if data is None:
            return None
        self._pos += len(data)
        if len(data) < _HEADER.size:
            raise CorruptRecordException(f"record batch of {len(data)} bytes is shorter than its header")
        magic = data[_MAGIC_OFFSET] if len(data) > _MAGIC_OFFSET else 0
        if magic >= 2:
            return TolerantBatch(DefaultRecordBatch(data), data)
        # Message formats 0 and 1 (brokers before 0.11) carry no headers: aiokafka's reader.
        return LegacyRecordBatch(data, magic)


def apply_tolerant_fetch() -> None:
    """Make the consumer's fetcher read record batches with :class:`TolerantMemoryRecords`.

    aiokafka decodes header names as UTF-8 while it iterates a fetched batch (both its
    Cython and its pure-Python reader), and raises on a codec it cannot decompress; either
    error escapes the consumer, crashes the worker, and the restarted worker dies on the
    same record. The fetcher builds its record sets through the module-level name
    ``MemoryRecords``; this rebinds that name."""
    from aiokafka.consumer import fetcher

    fetcher.MemoryRecords = TolerantMemoryRecords


# --------------------------------------------------------------------------- the tools' reader
class UndecodedName(bytes):
    """A Kafka header name that is not UTF-8, as the tools' kafka-python consumer reads it: the
    name's bytes. ``encode`` gives them back, because kafka-python measures every header's size
    with ``name.encode("utf-8")``."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return bytes(self)


def apply_tool_reader_patch() -> None:
    """Let kafka-python's consumer (``newswire tail``, ``replay``, the output reader) read a
    record whose header names are not UTF-8: its reader raises ``UnicodeDecodeError`` in the
    middle of a fetch, and the tool died on that record every time. Such a record is read
    again by :func:`_read_record`, its names kept as :class:`UndecodedName`."""
    from kafka.record import default_records

    batch = default_records.DefaultRecordBatch
    current = batch._read_msg
    original = getattr(current, _ORIGINAL, current)

    def read_msg(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = self._pos
        try:
            return original(self, *args, **kwargs)
        except UnicodeDecodeError:
            base = self.base_offset
            record, end = _read_record(
                bytes(self._buffer),
                start,
                base,
                base + self.last_offset_delta,
                self.first_timestamp,
                self.max_timestamp,
                self.timestamp_type,
            )
            self._pos = end
            headers = [(n if isinstance(n, str) else UndecodedName(n), v) for n, v in record.headers]
            return default_records.DefaultRecord(
                end - start,
                record.offset,
                record.timestamp,
                record.timestamp_type,
                record.key,
                record.value,
                headers,
            )

    setattr(read_msg, _ORIGINAL, original)
    batch._read_msg = read_msg
