"""The live session app at the speed of a meeting (issue 15): times and memory as a facilitator meets them.

Starts `duiding app` on the sample data with a fresh store (one earlier session), then, in
a real headless Chromium at 1280x720:

- cold start: from launching `duiding app` to the start page showing "Sessie starten", split
  into launch to the printed address and address to the page (the first open);
- start page, warm: opened again once the app runs;
- new session: from clicking "Sessie starten" to the new session's forms;
- session page: first open after it was started, reopen, then 10 opens in a row (each
  page left for the next, as a facilitator does); a page counts as open when its forms and
  at least ten charts are drawn;
- a session made outside the app (no recording yet): its first open;
- memory: the app's whole process tree (server and every kernel, RSS) after 20 page opens.

    python bench/app.py [--data MAP]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DUIDING = [sys.executable, "-m", "duiding"]
WACHT = 300_000  # ms: a busy machine is slow, never wrong


def _poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str:
    for pad in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if Path(pad).exists():
            return pad
    sys.exit("Chromium ontbreekt (apt-get install chromium).")


def _wacht(voorwaarde, seconden: float = 300):
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        uitkomst = voorwaarde()
        if uitkomst:
            return uitkomst
        time.sleep(0.05)
    raise TimeoutError


def _geheugen(pid: int) -> float:
    """MiB, RSS of the process and all its descendants."""
    p = psutil.Process(pid)
    totaal = 0
    for q in [p, *p.children(recursive=True)]:
        try:
            totaal += q.memory_info().rss
        except psutil.Error:
            pass
    return totaal / 2**20


def open_sessiepagina(p, url: str) -> float:
    """Seconds from asking for a session page to its forms and charts drawn (also used by the browser test)."""
    begin = time.monotonic()
    p.goto(url)
    p.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
    p.wait_for_function("document.querySelectorAll('.jp-RenderedSVG, .jp-RenderedImage').length >= 10",
                        timeout=WACHT)
    return time.monotonic() - begin


def _startpagina(p, url: str) -> float:
    begin = time.monotonic()
    p.goto(url)
    p.get_by_role("button", name="Sessie starten").wait_for(timeout=WACHT)
    return time.monotonic() - begin


def main() -> None:
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    args = a.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from duiding.opslag import Opslag

    with tempfile.TemporaryDirectory(prefix="duiding-bench-app-") as tmp:
        tmp = Path(tmp)
        opslag = tmp / "duidingen.sqlite"
        o = Opslag(opslag)
        eerder = o.sessie_maken("wijk", "WK034401", "2024-Q3", "Zomersessie West", onderwerp_naam="West")
        o.actie(eerder.id, "Gesprek met de GGZ over de wachtlijst", "Cor", None, "bereik")
        log = tmp / "app.log"
        poort = _poort()
        uit: dict[str, object] = {}
        # the facilitator's browser is open before the app starts: its own start is not the app's
        pw = sync_playwright().start()
        b = pw.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        p = b.new_page(viewport={"width": 1280, "height": 720})
        begin = time.monotonic()
        with open(log, "w") as uitvoer:
            proc = subprocess.Popen(DUIDING + ["app", "--poort", str(poort), "--opslag", str(opslag), "--data",
                                               str(args.data), "--map", str(tmp / "sessies")],
                                    cwd=tmp, stdout=uitvoer, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            token = _wacht(lambda: (m := re.search(r"\?token=(\S+)", log.read_text(errors="replace"))) and m.group(1))
            adres_getoond = time.monotonic()
            basis = f"http://127.0.0.1:{poort}/voila/render"
            _wacht(lambda: _probeer(p, f"{basis}/start.ipynb?token={token}"))
            p.get_by_role("button", name="Sessie starten").wait_for(timeout=WACHT)
            klaar = time.monotonic()
            uit["koude start: duiding app tot startpagina"] = klaar - begin
            uit["  waarvan: duiding app tot het adres"] = adres_getoond - begin
            uit["  waarvan: adres tot startpagina (eerste keer openen)"] = klaar - adres_getoond
            opens = 1

            p.locator("select").first.select_option(label="West")
            klik = time.monotonic()
            p.get_by_role("button", name="Sessie starten").click()
            p.get_by_role("button", name="Opslaan", exact=True).first.wait_for(timeout=WACHT)
            uit["nieuwe sessie (klik tot formulieren)"] = time.monotonic() - klik
            opens += 1
            nieuw = max(Opslag(opslag).sessies(), key=lambda s: s.id)
            url = f"{basis}/sessie.ipynb?sessie={nieuw.id}"
            uit["sessiepagina, eerste keer"] = open_sessiepagina(p, url)
            uit["sessiepagina, opnieuw"] = open_sessiepagina(p, url)
            rij = [open_sessiepagina(p, url) for _ in range(10)]
            opens += 12
            uit["10 keer na elkaar: mediaan"] = statistics.median(rij)
            uit["10 keer na elkaar: langzaamste"] = max(rij)
            uit["startpagina, warm"] = _startpagina(p, f"{basis}/start.ipynb")
            opens += 1
            los = Opslag(opslag).sessie_maken("wijk", "WK034403", "2024-Q4", "Sessie Overvecht",
                                              onderwerp_naam="Overvecht")
            uit["sessie zonder opname, eerste keer (opname in de pagina)"] = open_sessiepagina(
                p, f"{basis}/sessie.ipynb?sessie={los.id}")
            opens += 1
            while opens < 20:
                open_sessiepagina(p, url)
                opens += 1
            uit[f"geheugen na {opens} paginas (MiB, server en kernels)"] = _geheugen(proc.pid)
            uit["kernels"] = sum(1 for q in psutil.Process(proc.pid).children(recursive=True)
                                 if "ipykernel" in " ".join(q.cmdline()))
        except Exception:
            print(log.read_text(errors="replace")[-6000:], file=sys.stderr)
            raise
        finally:
            b.close()
            pw.stop()
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    for naam, waarde in uit.items():
        print(f"{naam:<62} {waarde:>8.1f}" if isinstance(waarde, float) else f"{naam:<62} {waarde:>8}")


def _probeer(p, url: str) -> bool:
    try:
        p.goto(url)
        return True
    except Exception:
        return False


if __name__ == "__main__":
    main()
