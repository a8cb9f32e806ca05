"""MD5 of many short texts at once, in numpy: the record keys of millions of ids.

A record key is the first five bytes of the MD5 digest of an id's UTF-8 bytes, read
little-endian (see `basis.record_sleutels`). hashlib costs about 0,8 µs per call, most
of it Python's overhead: 9 s for the 11 million ids of a national set. An id of at most
55 bytes fills a single MD5 block, so all of them can run the 64 steps of RFC 1321 side
by side, as columns of uint32, in slices that stay in the processor's cache. Longer ids
(rare) go through hashlib. `tests/test_md5.py` holds both against each other.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa

# RFC 1321: the shift per step and the constants floor(|sin(i + 1)| * 2^32)
_SCHUIF = [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4
_K = [int(abs(np.sin(i + 1)) * 2**32) & 0xFFFFFFFF for i in range(64)]
_WOORD = [i if i < 16 else (5 * i + 1) % 16 if i < 32 else (3 * i + 5) % 16 if i < 48 else (7 * i) % 16
          for i in range(64)]
_BEGIN = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476)
MAX_BYTES = 55  # what fits in one block beside the 0x80 byte and the 8-byte length
PLAK = 1 << 15  # rows per slice: a few uint32 columns of this length stay in L2 cache


def _blok(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 64 steps over one block per column of `m` (16 x n, uint32): the first two state words."""
    f = np.empty_like(a)
    t = np.empty_like(a)
    for i in range(64):
        if i < 16:
            np.bitwise_and(b, c, out=f)
            np.invert(b, out=t)
            np.bitwise_and(t, d, out=t)
            np.bitwise_or(f, t, out=f)
        elif i < 32:
            np.bitwise_and(d, b, out=f)
            np.invert(d, out=t)
            np.bitwise_and(t, c, out=t)
            np.bitwise_or(f, t, out=f)
        elif i < 48:
            np.bitwise_xor(b, c, out=f)
            np.bitwise_xor(f, d, out=f)
        else:
            np.invert(d, out=t)
            np.bitwise_or(b, t, out=t)
            np.bitwise_xor(c, t, out=f)
        f += a
        f += np.uint32(_K[i])
        f += m[_WOORD[i]]
        s = _SCHUIF[i]
        np.left_shift(f, np.uint32(s), out=t)
        f >>= np.uint32(32 - s)
        f |= t
        f += b
        vrij = a  # the old a is not needed again: the next step's F goes there
        a, d, c, b = d, c, b, f
        f = vrij
    return a, b


def md5_40(teksten) -> np.ndarray:
    """The first five bytes of each text's MD5 digest, little-endian, as int64."""
    arr = teksten if isinstance(teksten, (pa.Array, pa.ChunkedArray)) else pa.array(teksten, type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    n = len(arr)
    uit = np.zeros(n, dtype=np.int64)
    if n == 0:
        return uit
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    lengte = np.diff(offsets)
    kort = np.flatnonzero(lengte <= MAX_BYTES)
    for begin in range(0, len(kort), PLAK):
        rijen = kort[begin:begin + PLAK]
        uit[rijen] = _kort(offsets[rijen], lengte[rijen], data)
    for i in np.flatnonzero(lengte > MAX_BYTES):
        uit[i] = int.from_bytes(hashlib.md5(data[offsets[i]:offsets[i + 1]].tobytes()).digest()[:5], "little")
    return uit


def _kort(begin: np.ndarray, lengte: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Keys of texts of at most 55 bytes: each padded to one 64-byte block (RFC 1321 §3.1-3.2)."""
    n = len(begin)
    blok = np.zeros((n, 64), dtype=np.uint8)
    for j in range(int(lengte.max(initial=0))):
        heeft = np.flatnonzero(lengte > j)
        blok[heeft, j] = data[begin[heeft] + j]
    blok[np.arange(n), lengte] = 0x80
    blok[:, 56:64] = (lengte.astype("<u8") * 8).view(np.uint8).reshape(n, 8)
    m = np.ascontiguousarray(blok.view("<u4").T)  # 16 words x n texts
    a, b = _blok(*(np.full(n, w, dtype=np.uint32) for w in _BEGIN), m)
    a = (a + np.uint32(_BEGIN[0])).astype(np.int64)
    b = (b + np.uint32(_BEGIN[1])).astype(np.int64)
    return a | ((b & 0xFF) << 32)
