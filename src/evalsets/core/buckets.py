"""Per-version counts of live datapoints per ordinal bucket, for fast deep offset paging.

A version stores how many of its datapoints fall in each bucket of ``BUCKET`` consecutive
ordinals. Finding offset *n* sums the counts (O(N / BUCKET), in C) and then skips fewer than
``BUCKET`` rows in the database, instead of ``n``.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable
from itertools import accumulate

BUCKET = 1024


def empty() -> array[int]:
    """Counts of an empty version."""
    return array("q")


def decode(blob: bytes) -> array[int]:
    """Counts from their stored bytes."""
    counts = array("q")
    if blob:
        counts.frombytes(zlib.decompress(blob))
    return counts


def encode(counts: array[int]) -> bytes:
    """The stored bytes of counts: compressed, since most buckets hold the same count."""
    return zlib.compress(counts.tobytes(), 1) if counts else b""


def adjust(counts: array[int], added: Iterable[int], removed: Iterable[int]) -> array[int]:
    """New counts after datapoints with these ordinals were added and removed."""
    result = array("q", counts)
    for ordinal in added:
        bucket = ordinal // BUCKET
        if bucket >= len(result):
            result.extend([0] * (bucket + 1 - len(result)))
        result[bucket] += 1
    for ordinal in removed:
        result[ordinal // BUCKET] -= 1
    return result


def locate(counts: array[int], offset: int) -> tuple[int, int]:
    """For a row offset: the first ordinal of its bucket and the rows left to skip in it."""
    for bucket, running in enumerate(accumulate(counts)):
        if running > offset:
            before = running - counts[bucket]
            return bucket * BUCKET, offset - before
    return len(counts) * BUCKET, 0


def add_range(counts: array[int], start: int, stop: int) -> array[int]:
    """New counts after datapoints with every ordinal in ``[start, stop)`` were added."""
    result = array("q", counts)
    if stop <= start:
        return result
    last = (stop - 1) // BUCKET
    if last >= len(result):
        result.extend([0] * (last + 1 - len(result)))
    ordinal = start
    while ordinal < stop:
        bucket = ordinal // BUCKET
        end = min(stop, (bucket + 1) * BUCKET)
        result[bucket] += end - ordinal
        ordinal = end
    return result
