"""How fast `duiding iberichten` reads a year of messages: N clients, each with 315, 301, 305 and 307.

    python bench/iberichten.py --clients 5000

Writes the messages as one zip (as a gemeente's system exports them), converts them with
the kit's own command in a fresh process, and prints messages per second and peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import iberichten_maker as im  # noqa: E402


def _bsn(i: int) -> str:
    """A nine-digit number that passes the elfproef (test range, never a real person's)."""
    basis = 99_990_000 + i
    while True:
        cijfers = f"{basis:08d}"
        som = sum(int(c) * w for c, w in zip(cijfers, range(9, 1, -1)))
        laatste = som % 11
        if laatste < 10:
            return cijfers + str(laatste)
        basis += 1


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=5000)
    args = p.parse_args()
    rnd = random.Random(2024)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archief = tmp / "export.zip"
        n = 0
        with zipfile.ZipFile(archief, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(args.clients):
                c = im.Client(_bsn(i * 13), f"{rnd.randint(2006, 2020)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                              "Achternaam", "Voornaam")
                wet, cat, reden = ("ijw", "45", "31") if i % 3 else ("iwmo", "02", "19")
                dag = f"2024-0{rnd.randint(1, 6)}-1{rnd.randint(0, 9)}"
                eind = f"2024-1{rnd.randint(0, 2)}-0{rnd.randint(1, 9)}"
                nr, ref = str(100000 + i), f"R{i}"
                for soort, regel, d in (("315", im.verzoek(ref, cat, dag, "02"), dag),
                                        ("301", im.toewijzing(nr, cat, dag, ref, "02" if wet == "ijw" else ""), dag),
                                        ("305", im.start(nr, cat, dag), dag),
                                        ("307", im.stop(nr, cat, dag, eind, reden), eind)):
                    z.writestr(f"{soort}/{i}.xml", im.bericht(wet, soort, c, [regel], d, f"{soort}-{i}"))
                    n += 1
        (tmp / "duiding.toml").write_text(f'pseudoniem_geheim = "{"b" * 64}"\n', encoding="utf-8")
        begin = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "duiding", "iberichten", str(archief), "--uitvoer", "data"],
                           cwd=tmp, capture_output=True, text=True)
        duur = time.perf_counter() - begin
        if r.returncode != 0:
            sys.exit(r.stderr)
        piek = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{n} berichten ({archief.stat().st_size / 1e6:.1f} MB zip): {duur:.1f} s, "
              f"{n / duur:.0f} berichten/s, piekgeheugen {piek:.0f} MB")


if __name__ == "__main__":
    main()
