"""Stopping the app stops everything: no Voilà server or kernel outlives `duiding app`.

Each test starts the app as a user does, opens the start page (so a kernel runs), sends
one signal to the `duiding` process alone, and waits until the port no longer answers and
no process carrying this app's mark is left: not `duiding`, not Voilà, not a kernel.
"""

from __future__ import annotations

import os
import signal
import socket

import pytest

import processen
from conftest import SAMPLE
from processen import wacht_tot
from test_app import _vrije_poort, _wacht_op, adres, open_url, start_app, stop_app

pytestmark = pytest.mark.traag


def _antwoordt(poort: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", poort)) == 0


def _kernels(merk: str) -> list[int]:
    return [pid for pid, cmd in processen.met_merk(merk).items() if processen.is_kernel(cmd)]


def _starten(tmp_path, args: list[str], pad: str):
    poort = _vrije_poort()
    merk = processen.nieuw_merk()
    proc, log = start_app(args + ["--poort", str(poort), "--opslag", str(tmp_path / "o.sqlite"),
                                  "--data", str(SAMPLE)], tmp_path, merk)
    try:
        basis, token = adres(log, proc)
        _wacht_op(f"{basis}{pad}?token={token}", proc, log)
        open_url(f"{basis}{pad}?token={token}").read()
        assert wacht_tot(lambda: _kernels(merk), 60), "de pagina startte geen kernel"
        assert any("duiding.web.bewaakt" in c for c in processen.met_merk(merk).values())
    except BaseException:
        stop_app(proc, merk)
        raise
    return proc, poort, merk, log


def _alles_weg(proc, poort: int, merk: str, log) -> None:
    try:
        weg = wacht_tot(lambda: not _antwoordt(poort) and not processen.met_merk(merk), 120)
        assert weg, (f"na het signaal: poort antwoordt={_antwoordt(poort)}, processen={processen.met_merk(merk)}\n"
                     f"{log.read_text(errors='replace')[-3000:]}")
    finally:
        stop_app(proc, merk)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_app_stopt_met_alles_bij_signaal(tmp_path, sig):
    proc, poort, merk, log = _starten(tmp_path, ["app", "--map", str(tmp_path / "sessies")],
                                      "/voila/render/start.ipynb")
    os.kill(proc.pid, sig)  # to duiding alone, as systemd or `kill` does
    proc.wait(timeout=120)
    assert proc.returncode == 128 + sig, proc.returncode
    _alles_weg(proc, poort, merk, log)


def test_voila_volgt_een_gedode_app(tmp_path):
    """kill -9 gives duiding no chance to clean up: Voilà notices its parent is gone and stops."""
    proc, poort, merk, log = _starten(tmp_path, ["app", "--map", str(tmp_path / "sessies")],
                                      "/voila/render/start.ipynb")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    _alles_weg(proc, poort, merk, log)


def test_sessie_serve_stopt_met_alles(tmp_path):
    proc, poort, merk, log = _starten(tmp_path, ["sessie", "--wijk", "Zuid", "--periode", "2024-Q4", "--serve",
                                                 "--uitvoer", str(tmp_path / "sessies")], "/")
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM
    _alles_weg(proc, poort, merk, log)
