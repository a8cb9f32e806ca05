"""Finding the processes a test started, by a mark in their environment.

Every process inherits its parent's environment, so a mark given to `duiding app` is
carried by Voilà and by every kernel Voilà starts, even after one of them is orphaned.
Tests count their own processes this way, never every kernel on the machine.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

SLEUTEL = "DUIDING_TESTMERK"


def nieuw_merk() -> str:
    return uuid.uuid4().hex


def omgeving(merk: str, **extra: str) -> dict:
    return {**os.environ, SLEUTEL: merk, **extra}


def met_merk(merk: str, sleutel: str = SLEUTEL) -> dict[int, str]:
    """Living processes (not zombies) whose environment holds sleutel=merk: pid -> command line."""
    zoek = f"{sleutel}={merk}".encode()
    gevonden = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or int(p.name) == os.getpid():
            continue
        try:
            if zoek not in (p / "environ").read_bytes().split(b"\0"):
                continue
            if (p / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            gevonden[int(p.name)] = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            pass
    return gevonden


def wacht_tot(voorwaarde, seconden: float = 120, stap: float = 0.2):
    """Poll until voorwaarde() is truthy; returns its last value (falsy when time ran out).

    The limit only guards against a hang: a busy machine just takes longer to get there.
    """
    grens = time.monotonic() + seconden
    while True:
        waarde = voorwaarde()
        if waarde or time.monotonic() > grens:
            return waarde
        time.sleep(stap)


def is_kernel(opdracht: str) -> bool:
    """A Jupyter kernel's command line: the kit's own kernel, or ipykernel's launcher."""
    return "duiding.kernel" in opdracht or "ipykernel_launcher" in opdracht
