"""The web app answers only its own user: hostile requests as an attacker sends them.

A page of a foreign site that rebinds its DNS name to 127.0.0.1 sends that name as Host
(and as Origin on fetches and websockets); a program without the printed address has no
token. Each gets 403 before a kernel starts. Page views beyond the ceiling get a Dutch
page instead of a new kernel, and memory stays under 2 GiB after 20 opens.
"""

from __future__ import annotations

import base64
import http.client
import os
import time
from pathlib import Path

import pytest

import processen
from conftest import SAMPLE
from processen import wacht_tot
from test_app import _vrije_poort, _wacht_op, adres, open_url, start_app, stop_app
from duiding.web.server import MAX_PAGINAS, POOLS

START = "/voila/render/start.ipynb"
NIET = "/voila/render/bestaat-niet.ipynb"


def _kernels(merk: str) -> list[int]:
    return [pid for pid, cmd in processen.met_merk(merk).items() if processen.is_kernel(cmd)]


def _rustig(merk: str) -> set[int]:
    """The app's kernels once Voilà's pools are filled (the start page's first, the others a moment
    later: bewaakt.startpagina_eerst) and quiet: the same set three times, a second apart."""
    vorige: list = []
    klaar = sum(p["pool_size"] for p in POOLS.values())

    def stabiel():
        vorige.append(set(_kernels(merk)))
        if len(vorige) >= 3 and vorige[-1] == vorige[-2] == vorige[-3] and len(vorige[-1]) >= klaar:
            return True
        time.sleep(1)
        return False
    assert wacht_tot(stabiel, 300), vorige[-3:]
    return vorige[-1]


def _get(poort: int, pad: str, koppen: dict | None = None) -> tuple[int, dict, str]:
    c = http.client.HTTPConnection("127.0.0.1", poort, timeout=180)
    c.request("GET", pad, headers=koppen or {})
    r = c.getresponse()
    tekst = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, tekst


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    map = tmp_path_factory.mktemp("toegang")
    poort, merk = _vrije_poort(), processen.nieuw_merk()
    proc, log = start_app(["app", "--poort", str(poort), "--opslag", str(map / "o.sqlite"), "--data", str(SAMPLE),
                           "--map", str(map / "sessies")], map, merk)
    try:
        basis, token = adres(log, proc)
        assert len(token) >= 30  # a real secret, printed in the address
        _wacht_op(f"{basis}{START}?token={token}", proc, log)
        yield {"poort": poort, "token": token, "merk": merk, "proc": proc, "basis": basis}
    finally:
        stop_app(proc, merk)


def test_vreemde_host_of_origin_krijgt_403_zonder_kernel(app):
    voor = _rustig(app["merk"])
    poort, token = app["poort"], app["token"]
    koek = f"duiding-token={token}"
    aanvallen = [
        {"Host": f"evil.example:{poort}", "Cookie": koek},  # DNS rebinding: the page's own name
        {"Host": f"127.0.0.1.evil.example:{poort}", "Cookie": koek},
        {"Origin": f"http://evil.example:{poort}", "Cookie": koek},  # a fetch from a foreign page
        {"Origin": "null", "Cookie": koek},  # a sandboxed frame or a file:// page
    ]
    for koppen in aanvallen:
        for pad in (START, f"{START}?token={token}", "/api/kernels", "/voila/static/voila.js"):
            status, _, tekst = _get(poort, pad, koppen)
            assert status == 403, (koppen, pad, status)
            assert "Geen toegang" in tekst
    # the widget websocket, as the rebinding page would open it
    sleutel = base64.b64encode(os.urandom(16)).decode()
    for koppen in ({"Host": f"evil.example:{poort}", "Origin": f"http://evil.example:{poort}"},
                   {"Host": f"127.0.0.1:{poort}", "Origin": f"http://evil.example:{poort}"}):
        status, _, _ = _get(poort, "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
                            {**koppen, "Cookie": koek, "Connection": "Upgrade", "Upgrade": "websocket",
                             "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": sleutel})
        assert status == 403, koppen
    assert set(_kernels(app["merk"])) == voor, "een geweigerd verzoek startte toch een kernel"
    # this machine's own names get through the gate (a page that does not exist: 404, and no kernel)
    for host in (f"127.0.0.1:{poort}", f"localhost:{poort}", f"[::1]:{poort}"):
        status, _, _ = _get(poort, NIET, {"Host": host, "Cookie": koek, "Origin": f"http://{host}"})
        assert status == 404, host


def test_zonder_token_geen_toegang_met_token_een_koekje(app):
    voor = _rustig(app["merk"])
    poort, token = app["poort"], app["token"]
    status, _, tekst = _get(poort, START)
    assert status == 403 and "duiding app" in tekst and "<html lang='nl'>" in tekst
    assert _get(poort, f"{START}?token={'x' * len(token)}")[0] == 403
    assert _get(poort, START, {"Cookie": "duiding-token=fout"})[0] == 403
    assert set(_kernels(app["merk"])) == voor
    status, koppen, _ = _get(poort, f"{START}?token={token}")
    assert status == 302 and koppen["location"] == START  # the token leaves the address bar
    koekje = koppen["set-cookie"].lower()
    assert f"duiding-token={token}".lower() in koekje and "httponly" in koekje and "samesite=strict" in koekje
    assert _get(poort, NIET, {"Cookie": f"duiding-token={token}"})[0] == 404  # through the gate


def test_plafond_op_open_paginas_en_geheugen_na_20_keer_openen(app):
    koek = {"Cookie": f"duiding-token={app['token']}"}
    uitslagen = []
    for _ in range(20):
        status, _, tekst = _get(app["poort"], START, koek)
        uitslagen.append(status)
        if status == 503:
            assert "<h1>Te veel open pagina&#x27;s</h1>" in tekst
    # pages up to the ceiling (less what the fixture opened), then only refusals; the kernels kept
    # ready for the next pages (Voilà's pools, one maybe refilling) come on top
    open_ = uitslagen.count(200)
    assert 1 <= open_ <= MAX_PAGINAS and uitslagen == [200] * open_ + [503] * (20 - open_), uitslagen
    assert len(_kernels(app["merk"])) <= MAX_PAGINAS + sum(p["pool_size"] for p in POOLS.values()) + 1
    rss = 0
    for pid in processen.met_merk(app["merk"]):
        try:
            regels = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        rss += next((int(r.split()[1]) for r in regels if r.startswith("VmRSS:")), 0) * 1024
    assert rss < 2 * 1024 ** 3, f"{rss / 1024 ** 3:.2f} GiB"
    # pages that were opened and never connected count as closed after a minute: room again
    assert wacht_tot(lambda: _get(app["poort"], START, koek)[0] == 200, 600)


def test_zonder_token_alleen_als_de_gebruiker_het_zegt(tmp_path):
    poort, merk = _vrije_poort(), processen.nieuw_merk()
    proc, log = start_app(["app", "--zonder-token", "--poort", str(poort), "--opslag", str(tmp_path / "o.sqlite"),
                           "--data", str(SAMPLE), "--map", str(tmp_path / "sessies")], tmp_path, merk)
    try:
        basis, token = adres(log, proc)
        assert token == "" and "zonder token" in log.read_text()
        _wacht_op(f"{basis}{START}", proc, log)
        assert open_url(f"{basis}{START}").status == 200
        assert _get(poort, START, {"Host": f"evil.example:{poort}"})[0] == 403  # the Host check stays
    finally:
        stop_app(proc, merk)


def test_netwerk_naam_wordt_bediend(tmp_path):
    """Under --netwerk the name given with --host is served too (here: this machine's own name)."""
    import socket
    naam = socket.gethostname()
    try:
        if not __import__("ipaddress").ip_address(socket.gethostbyname(naam)).is_loopback:
            pytest.skip("deze computer heeft geen naam die naar 127.x wijst")
    except OSError:
        pytest.skip("de naam van deze computer is niet op te zoeken")
    poort, merk = _vrije_poort(), processen.nieuw_merk()
    proc, log = start_app(["app", "--host", naam, "--netwerk", "--poort", str(poort), "--opslag",
                           str(tmp_path / "o.sqlite"), "--data", str(SAMPLE), "--map", str(tmp_path / "s")],
                          tmp_path, merk)
    try:
        basis, token = adres(log, proc)
        assert naam in basis
        _wacht_op(f"{basis}{START}?token={token}", proc, log)
        c = http.client.HTTPConnection(naam, poort, timeout=180)
        c.request("GET", START, headers={"Cookie": f"duiding-token={token}"})
        assert c.getresponse().status == 200
    finally:
        stop_app(proc, merk)


def test_sleutel_staat_niet_op_de_opdrachtregel_of_bij_de_kernels(app):
    """Any user of the machine can read command lines; kernels run the notebooks' code."""
    assert _kernels(app["merk"])  # pages were opened above
    for pid in processen.met_merk(app["merk"]):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            env = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        assert app["token"].encode() not in cmd, pid
        if pid != app["proc"].pid:  # only duiding itself had it, to print it
            assert app["token"].encode() not in env, pid


def test_stille_pagina_zonder_verbinding_wordt_opgeruimd(tmp_path):
    """Jupyter's culler stops a kernel whose page has no connection and does nothing (here after 5 s)."""
    poort, merk = _vrije_poort(), processen.nieuw_merk()
    proc, log = start_app(["app", "--opruimen-na", "5", "--poort", str(poort), "--opslag", str(tmp_path / "o.sqlite"),
                           "--data", str(SAMPLE), "--map", str(tmp_path / "s")], tmp_path, merk)
    try:
        basis, token = adres(log, proc)
        _wacht_op(f"{basis}{START}?token={token}", proc, log)  # a page view that never connects
        # what stays: the kernels Voilà keeps ready for the next pages (its pools)
        klaar = sum(p["pool_size"] for p in POOLS.values())
        assert wacht_tot(lambda: len(_kernels(merk)) == klaar and "Culling 'idle' kernel" in log.read_text(
            errors="replace"), 300), _kernels(merk)
        assert proc.poll() is None and "Culling 'idle' kernel" in log.read_text(errors="replace")
    finally:
        stop_app(proc, merk)
