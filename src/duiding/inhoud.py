"""Content hashes of data files: the provenance shown in reports and the key of the kept tables.

A national data set is half a gigabyte; its files are hashed in blocks of 64 MiB, two at a
time, because hashlib releases the GIL and the machine has two cores.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


HASH_BLOK = 64 << 20  # files are hashed in blocks of 64 MiB, two at a time (hashlib needs no GIL)


def _blok_hash(taak: tuple[Path, int]) -> bytes:
    pad, i = taak
    with open(pad, "rb") as f:
        f.seek(i * HASH_BLOK)
        return hashlib.sha256(f.read(HASH_BLOK)).digest()


def blok_hashes(paden: list[Path], werkers: int = 2) -> list[tuple[Path, list[bytes]]]:
    """Per file (in name order) the SHA-256 of each 64 MiB block: both cores hash a large file."""
    paden = sorted(paden, key=lambda p: p.name)
    taken = [(pad, i) for pad in paden for i in range(max(1, -(-pad.stat().st_size // HASH_BLOK)))]
    with ThreadPoolExecutor(werkers) as pool:
        hashes = list(pool.map(_blok_hash, taken))
    uit: dict[Path, list[bytes]] = {pad: [] for pad in paden}
    for (pad, _), h in zip(taken, hashes):
        uit[pad].append(h)
    return list(uit.items())


def bestand_hash(paden: list[Path], blokken: list[tuple[Path, list[bytes]]] | None = None) -> str:
    """A short SHA-256 over the names and contents of the given files (provenance).

    Over each file's name and the hashes of its 64 MiB blocks (`blok_hashes`, which may be
    passed when already computed), so that two cores share the work.
    """
    h = hashlib.sha256()
    for pad, hashes in blokken if blokken is not None else blok_hashes(paden):
        h.update(b"\0" + pad.name.encode() + b"\0")
        for blok in hashes:
            h.update(blok)
    return h.hexdigest()[:16]
