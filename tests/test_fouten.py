"""Faults: a read-only folder, a full disk, a killed batch, two batches into one folder.

Disks are real: small tmpfs file systems mounted for the test (as root, which `make test`
in CI is; root ignores file permissions, so read-only means a read-only mount). Each
fault ends in one Dutch sentence that says what and where, exit status 1, no traceback,
and nothing half-written.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import processen
from conftest import SAMPLE
from duiding import laad
from duiding.iorw import slot
from duiding.opslag import Opslag
from processen import wacht_tot

pytestmark = pytest.mark.traag

DUIDING = [sys.executable, "-m", "duiding"]
PERIODE = str(laad(SAMPLE).laatste_kwartaal())


@pytest.fixture
def schijf(tmp_path):
    """Makes small file systems of its own (tmpfs); unmounts them afterwards."""
    if os.geteuid() != 0:
        pytest.skip("een eigen schijf koppelen (mount) kan alleen als root; CI draait als root")
    gekoppeld: list[Path] = []

    def maak(grootte: str = "1m", alleen_lezen: bool = False) -> Path:
        pad = tmp_path / f"schijf{len(gekoppeld)}"
        pad.mkdir()
        opties = f"size={grootte}" + (",ro" if alleen_lezen else "")
        subprocess.run(["mount", "-t", "tmpfs", "-o", opties, "tmpfs", str(pad)], check=True)
        gekoppeld.append(pad)
        return pad

    yield maak
    for pad in reversed(gekoppeld):
        subprocess.run(["umount", "-l", str(pad)], check=False)


def _een_zin(r: subprocess.CompletedProcess, *woorden: str) -> str:
    assert r.returncode == 1, (r.returncode, r.stderr)
    fout = [regel for regel in r.stderr.splitlines() if regel.startswith("Fout:")]
    assert len(fout) == 1, r.stderr
    assert "Traceback" not in r.stderr and "Errno" not in r.stderr, r.stderr
    for w in woorden:
        assert w in fout[0], (w, fout[0])
    return fout[0]


def _tijdelijk(map: Path) -> list[Path]:
    return [p for p in map.rglob("*") if ".tmp" in p.name]


def _vul(map: Path) -> None:
    """Fill a disk up to the last byte."""
    with open(map / "vulling", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


def test_draai_in_een_alleen_lezen_map(schijf):
    ro = schijf(alleen_lezen=True)
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--alleen", "West", "--data", str(SAMPLE),
                                  "--uitvoer", str(ro / "uitvoer")], capture_output=True, text=True, timeout=600)
    _een_zin(r, str(ro / "uitvoer"), "alleen-lezen")


def test_draai_op_een_volle_schijf_laat_niets_half(schijf):
    vol = schijf("1200k")  # room for the Vega bundle, not for the reports
    uit = vol / "uitvoer"
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--alleen", "West", "Zuid", "Oost", "--data",
                                  str(SAMPLE), "--uitvoer", str(uit)], capture_output=True, text=True, timeout=900)
    _een_zin(r, "de schijf is vol")
    assert not _tijdelijk(uit), _tijdelijk(uit)
    for html in uit.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
    for nb in uit.rglob("*.ipynb"):
        json.loads(nb.read_text(encoding="utf-8"))


def test_verslag_controleert_eerst_of_het_kan_schrijven(schijf, tmp_path):
    ro = schijf(alleen_lezen=True)
    opslag = tmp_path / "o.sqlite"
    s = Opslag(opslag).sessie_maken("wijk", "WK034407", PERIODE, "Sessie Zuid", onderwerp_naam="Zuid")
    r = subprocess.run(DUIDING + ["verslag", str(s.id), "--uitvoer", str(ro / "verslag.html"), "--data",
                                  str(SAMPLE), "--opslag", str(opslag)], capture_output=True, text=True, timeout=600)
    _een_zin(r, str(ro), "alleen-lezen")
    assert "Verslag:" not in r.stdout


def test_opslag_op_een_volle_schijf_noemt_de_duiding_niet(schijf):
    vol = schijf("512k")
    opslag = vol / "duidingen.sqlite"
    Opslag(opslag).sessie_maken("wijk", "WK034407", PERIODE, "Sessie Zuid", onderwerp_naam="Zuid")
    geheim = "Het verhaal van gezin Jansen-" + "x" * 5_000  # must never show up in an error
    bestand = vol.parent / "papier.csv"
    bestand.write_text("sessie_titel,soort,onderwerp,periode,datum,indicator,verhaal\n"
                       + "".join(f"Sessie Zuid,wijk,Zuid,{PERIODE},2024-10-12,{s},{geheim}\n"
                                 for s in ("bereik", "wachttijd", "ervaringen")), encoding="utf-8")
    _vul(vol)
    r = subprocess.run(DUIDING + ["duidingen", "importeer", str(bestand), "--data", str(SAMPLE), "--opslag",
                                  str(opslag)], capture_output=True, text=True, timeout=300)
    zin = _een_zin(r, "duidingenopslag", "de schijf is vol")
    assert "Jansen" not in r.stderr and "Jansen" not in r.stdout, zin
    (vol / "vulling").unlink()
    o = Opslag(opslag)  # the store is intact: the session, and none of the half import
    assert [s.titel for s in o.sessies()] == ["Sessie Zuid"] and o.laatste(o.sessies()[0].id, "bereik") is None


def _dood_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_kill_9_tijdens_draai_laat_na_de_volgende_run_geen_tijdelijke_bestanden(tmp_path):
    uit = tmp_path / "uitvoer"
    merk = processen.nieuw_merk()
    proc = subprocess.Popen(DUIDING + ["draai", "--per", "wijk", "--jobs", "2", "--data", str(SAMPLE),
                                       "--uitvoer", str(uit)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=processen.omgeving(merk))
    assert wacht_tot(lambda: list(uit.rglob("*.html")), 600), "geen rapport binnen de tijd"
    proc.kill()  # kill -9: no clean-up of its own
    proc.wait()
    wacht_tot(lambda: not processen.met_merk(merk), 120)  # its kernels follow it (they watch their parent)
    assert not processen.met_merk(merk)
    wijk = uit / PERIODE / "wijk"
    host = re.sub(r"[^A-Za-z0-9]", "-", socket.gethostname())[:40]
    dood = wijk / f".noordoost.{host}-{_dood_pid()}.0badf00d.tmp.ipynb"  # as a dead batch leaves them
    dood.write_text("{", encoding="utf-8")
    levend = wijk / f".oost.{host}-{os.getpid()}.0badf00d.tmp.html"  # a live writer's: must stay
    levend.write_text("<", encoding="utf-8")
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--alleen", "West", "--data", str(SAMPLE),
                                  "--uitvoer", str(uit)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert _tijdelijk(uit) == [levend]


def test_twee_batches_in_een_map_verliezen_geen_rapport(tmp_path):
    uit = tmp_path / "uitvoer"
    r = subprocess.run(DUIDING + ["draai", "--per", "wijk", "--alleen", "West", "--data", str(SAMPLE),
                                  "--uitvoer", str(uit)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    map = uit / PERIODE
    with slot(map / ".overzicht.lock"):  # another batch is updating the overview right now
        proc = subprocess.Popen(DUIDING + ["draai", "--per", "wijk", "--alleen", "Zuid", "--data", str(SAMPLE),
                                           "--uitvoer", str(uit)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        assert wacht_tot(lambda: (map / "wijk" / "zuid.html").exists(), 600)
        # ... and adds its own report to the manifest while Zuid's batch waits for the lock
        rijen = json.loads((map / "overzicht.json").read_text(encoding="utf-8"))
        rijen.append({**rijen[0], "code": "WK034404", "naam": "Noordoost", "slug": "noordoost"})
        (map / "overzicht.json").write_text(json.dumps(rijen), encoding="utf-8")
        assert proc.poll() is None, "de tweede batch schreef het overzicht zonder op het slot te wachten"
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    index = (map / "index.html").read_text(encoding="utf-8")
    for slug in ("west", "zuid", "noordoost"):
        assert f"wijk/{slug}.html" in index, slug
