"""The numpy MD5 behind the record keys against hashlib, on the texts real ids can be."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pyarrow as pa

from duiding.indicatoren.md5 import MAX_BYTES, PLAK, md5_40


def hashlib_40(tekst: str) -> int:
    return int.from_bytes(hashlib.md5(tekst.encode("utf-8")).digest()[:5], "little")


def test_gelijk_aan_hashlib_op_randen_en_willekeurige_teksten():
    rng = random.Random(19)
    tekens = "abcXYZ0189-_ .éüß€漢😀"
    teksten = ["", "a", "p43b970b9f2", "T00000001", "x" * MAX_BYTES, "x" * (MAX_BYTES + 1), "y" * 300,
               "x" * (MAX_BYTES - 1) + "é",  # 56 bytes: one multi-byte character over the single block
               "x" * (MAX_BYTES - 2) + "é"]  # exactly 55 bytes
    teksten += ["".join(rng.choice(tekens) for _ in range(rng.randrange(0, 70))) for _ in range(3000)]
    verwacht = np.array([hashlib_40(t) for t in teksten], dtype=np.int64)
    assert (md5_40(teksten) == verwacht).all()


def test_meer_dan_een_plak_en_arrow_met_offset():
    """Slices of the work and an Arrow array that starts inside its buffers (a sliced chunk)."""
    teksten = [f"C{i:09d}" for i in range(PLAK + 1234)]
    verwacht = np.array([hashlib_40(t) for t in teksten], dtype=np.int64)
    assert (md5_40(teksten) == verwacht).all()
    stuk = pa.chunked_array([pa.array(teksten[:500]), pa.array(teksten[500:])]).slice(7)
    assert (md5_40(stuk) == verwacht[7:]).all()
    assert (md5_40(pa.array(teksten, type=pa.string()).slice(100, 50)) == verwacht[100:150]).all()


def test_leeg():
    assert md5_40([]).tolist() == []
