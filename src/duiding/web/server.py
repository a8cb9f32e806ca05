"""The launcher of the web app: Voilà on this machine, with the kit's template, watched and stopped cleanly.

`serveer` runs Voilà (under `bewaakt`) in the foreground; `toegang` guards every request
with the secret token; the kernels it starts get `DUIDING_WEBAPP=1`, so a failing cell shows
a Dutch message (`fouten`) instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

from . import toegang
from ..exceptions import InvoerFout
from ..paths import jupyter_paden

TEMPLATE = "duiding"
MAX_PAGINAS = 6  # open pages (kernels) at once: session pages ~100 MB, the start page ~400 MB; well under 2 GiB
OPRUIMEN_NA = 600  # seconds: a kernel without a connection and without activity is stopped


def controleer_host(host: str, netwerk: bool) -> str:
    """Loopback only, unless the user asked for a network bind explicitly (--netwerk)."""
    try:
        adres = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError):
        raise InvoerFout(f"'{host}' is geen geldig adres om op te luisteren.") from None
    if not adres.is_loopback and not netwerk:
        raise InvoerFout(f"De sessie luistert alleen op deze computer (127.0.0.1). '{host}' zou hem voor het "
                         "netwerk openzetten, met de duidingen erin. Wilt u dat echt, geef dan ook --netwerk.")
    return host


def vrije_poort(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# Kernels kept ready (Voilà's preheat), with their first cell already run. The session page's
# kernels are light (widgets and the store, ~50 MB: the page replays a recording, web/opname), so
# three wait, enough for opening page after page; the start page's holds the data and the shared
# tables (it records new sessions), so one; the actions page is light too. Other notebooks start a
# kernel on request.
POOLS = {"default": {"pool_size": 0}, "start.ipynb": {"pool_size": 1}, "sessie.ipynb": {"pool_size": 3},
         "acties.ipynb": {"pool_size": 1}}


def voila_opdracht(pad: Path, poort: int, host: str, opruimen_na: int = OPRUIMEN_NA, voorverwarmen: bool = False
                   ) -> list[str]:
    """The Voilà command line: our template, code stripped, no browser, no tracebacks.

    Voilà runs under `bewaakt`, which stops it when this process goes away. With
    `voorverwarmen` (the app's folder) the start and session pages get a kernel kept ready.
    """
    warm = [] if not voorverwarmen else [
        "--preheat_kernel=True", "--pool_size=1", f"--VoilaKernelManager.kernel_pools_config={json.dumps(POOLS)}",
        "--VoilaKernelManager.fill_delay=0"]
    return [sys.executable, "-m", "duiding.web.bewaakt", str(os.getpid()), str(pad), "--no-browser", *warm,
            f"--port={poort}", f"--Voila.ip={host}", f"--template={TEMPLATE}", "--theme=light",
            "--strip_sources=True", "--show_tracebacks=False", "--VoilaExporter.language_code=nl",
            # kernels of pages left without a connection are stopped after 10 minutes of quiet
            f"--MappingKernelManager.cull_idle_timeout={opruimen_na}",
            f"--MappingKernelManager.cull_interval={max(1, min(60, opruimen_na // 2))}",
            "--MappingKernelManager.cull_connected=False"]


def omgeving(opslag_url: str, data: Path) -> dict:
    """Voilà finds our template through JUPYTER_PATH; its kernels learn the store and data folder."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = jupyter_paden(env.get("JUPYTER_PATH"))
    env.update(DUIDING_WEBAPP="1", DUIDING_OPSLAG=opslag_url, DUIDING_DATA=str(Path(data).resolve()))
    return env


class _Gestopt(Exception):
    """A stop signal (SIGTERM, SIGHUP) reached `duiding` while it served."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def serveer(pad: Path, poort: int, host: str, opslag_url: str, data: Path, adres: str, token: bool = True,
            max_paginas: int = MAX_PAGINAS, opruimen_na: int = OPRUIMEN_NA) -> int:
    """Run Voilà in the foreground until Ctrl-C, SIGTERM or SIGHUP; prints where to open it.

    Whatever stops this process stops Voilà and its kernels too: the signals are passed
    on, and Voilà itself watches this process in case it dies without a word (kill -9).
    The exit status is 128 + the signal's number, as a shell reports it.

    The address printed carries a secret token (see `toegang`), unless `token=False`
    (`--zonder-token`). At most `max_paginas` pages (kernels) are open at once.
    """
    if not _heeft_voila():
        raise InvoerFout("Voilà ontbreekt. Installeer het met: pip install 'duiding' (voila hoort erbij).")
    if max_paginas < 1:
        raise InvoerFout("--max-paginas moet 1 of meer zijn.")
    if opruimen_na < 1:
        raise InvoerFout("--opruimen-na moet 1 of meer seconden zijn.")
    sleutel = secrets.token_urlsafe(24) if token else ""
    poort_instellingen = {"token": sleutel, "max_paginas": max_paginas,
                          "namen": [] if host in toegang.EIGEN_NAMEN or host == "0.0.0.0" else [host]}
    naam = "127.0.0.1" if host in ("127.0.0.1", "localhost", "0.0.0.0") else host
    print(f"Open in de browser: http://{naam}:{poort}{adres}" + (f"?token={sleutel}" if sleutel else ""), flush=True)
    if not sleutel:
        print("Let op: zonder token kan elk programma op deze computer de app gebruiken.", flush=True)
    print("Stoppen: Ctrl-C in dit venster.", flush=True)

    def gestopt(signum, _frame):
        raise _Gestopt(signum)

    vorige = {s: signal.signal(s, gestopt) for s in (signal.SIGTERM, signal.SIGHUP)}
    proc = None
    try:
        proc = subprocess.Popen(voila_opdracht(pad, poort, host, opruimen_na, voorverwarmen=Path(pad).is_dir()),
                                env=omgeving(opslag_url, data),
                                stdin=subprocess.PIPE, text=True)
        proc.stdin.write(json.dumps(poort_instellingen) + "\n")  # the token: never on a command line
        proc.stdin.close()
        return proc.wait()
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except _Gestopt as s:
        return 128 + s.signum
    finally:
        for s in vorige:  # a second signal now would only cut the clean-up short
            signal.signal(s, signal.SIG_IGN)
        if proc is not None:
            _stop_voila(proc)
        for s, h in vorige.items():
            signal.signal(s, h)


def _stop_voila(proc: subprocess.Popen, wacht: float = 30) -> None:
    """SIGTERM: Voilà shuts down its kernels and exits; SIGKILL if it hangs (its kernels then follow it)."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=wacht)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except KeyboardInterrupt:  # Ctrl-C again: no more waiting
        proc.kill()
        proc.wait()


def _heeft_voila() -> bool:
    return importlib.util.find_spec("voila") is not None
