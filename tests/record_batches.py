"""Kafka record batches (message format v2) built by hand, byte for byte, for what normal
producers refuse to write: header names that are not UTF-8, any compression codec id, a
corrupt record. Sent to a real broker with a bare produce request (:func:`produce_batch`)."""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka.codec import gzip_encode, lz4_encode, snappy_encode, zstd_encode
from aiokafka.record.util import calc_crc32c, encode_varint

#: BaseOffset, Length, PartitionLeaderEpoch, Magic, CRC, Attributes, LastOffsetDelta,
#: FirstTimestamp, MaxTimestamp, ProducerId, ProducerEpoch, BaseSequence, RecordCount.
HEADER = struct.Struct(">qiibIhiqqqhii")
CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
_ENCODERS = {1: gzip_encode, 2: snappy_encode, 3: lz4_encode, 4: zstd_encode}


@dataclass
class Record:
    value: bytes | None
    key: bytes | None = None
    #: Header names are raw bytes here, so they can be anything.
    headers: Sequence[tuple[bytes, bytes | None]] = field(default_factory=list)


def _varint(value: int) -> bytes:
    out = bytearray()
    encode_varint(value, out.append)
    return bytes(out)


def _bytes_field(data: bytes | None) -> bytes:
    return _varint(-1) if data is None else _varint(len(data)) + data


def encode_record(record: Record, offset_delta: int) -> bytes:
    body = b"\x00" + _varint(0) + _varint(offset_delta)  # attributes, timestamp delta
    body += _bytes_field(record.key) + _bytes_field(record.value) + _varint(len(record.headers))
    for name, value in record.headers:
        body += _varint(len(name)) + name + _bytes_field(value)
    return _varint(len(body)) + body


def build_batch(
    records: Sequence[Record],
    *,
    codec: int = 0,
    base_offset: int = 0,
    timestamp_ms: int | None = None,
    compressed: bytes | None = None,
) -> bytes:
    """One v2 batch. ``codec`` goes into the attributes as given (ids 5-7 are not codecs);
    ``compressed`` replaces the encoded records (to write garbage as the compressed data)."""
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    data = b"".join(encode_record(r, i) for i, r in enumerate(records))
    if compressed is not None:
        data = compressed
    elif codec in _ENCODERS:
        data = _ENCODERS[codec](data)
    length = HEADER.size - 12 + len(data)
    last_delta = len(records) - 1
    fields = [base_offset, length, -1, 2, 0, codec, last_delta, timestamp_ms, timestamp_ms, -1, -1, -1]
    header = bytearray(HEADER.pack(*fields, len(records)))
    crc = calc_crc32c(bytes(header[21:]) + data)
    struct.pack_into(">I", header, 17, crc)
    return bytes(header) + data


async def _produce(bootstrap: list[str], topic: str, partition: int, batch: bytes) -> None:
    from aiokafka.client import AIOKafkaClient
    from aiokafka.errors import for_code
    from aiokafka.protocol.produce import ProduceRequest

    client = AIOKafkaClient(bootstrap_servers=bootstrap)
    await client.bootstrap()
    try:
        client.add_topic(topic)
        await client.force_metadata_update()
        leader = client.cluster.leader_for_partition(_tp(topic, partition))
        request = ProduceRequest(
            transactional_id=None, required_acks=-1, timeout=10_000, topics=[(topic, [(partition, batch)])]
        )
        response = await client.send(leader, request)
        for _, partitions in response.topics:
            for _, error_code, *_ in partitions:
                if error_code:
                    raise for_code(error_code)(f"produce to {topic}[{partition}] refused")
    finally:
        await client.close()


def _tp(topic: str, partition: int) -> object:
    from aiokafka.structs import TopicPartition

    return TopicPartition(topic, partition)


def produce_batch(bootstrap: list[str], topic: str, partition: int, batch: bytes) -> None:
    """Send one hand-built batch to ``topic[partition]`` through the real broker."""
    asyncio.run(_produce(bootstrap, topic, partition, batch))
