"""Run Voilà as a child that never outlives the `duiding` process that started it.

`python -m duiding.web.bewaakt PARENT_PID voila-arguments…` is what `serveer` starts.
Before Voilà is imported, this process

- asks Linux to send it SIGTERM when its parent dies (`prctl(PR_SET_PDEATHSIG)`), so a
  `kill -9` of `duiding` still stops the server;
- keeps a watchdog thread that polls the parent pid, for systems without that call and
  for the moment between fork and prctl;
- turns SIGHUP (the terminal window was closed) into SIGTERM;
- puts the gate of `toegang` (Host/Origin, token, a ceiling on open pages) in front of
  every request.

Voilà handles SIGTERM itself: it stops its loop and shuts down every kernel it started.
Its kernels in turn watch Voilà (`JPY_PARENT_PID`, set by jupyter_client), so nothing
is left serving when any link of the chain goes away.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import threading
import time
from .toegang import installeer

PR_SET_PDEATHSIG = 1
INTERVAL = 0.5  # seconds between two looks at the parent


def _stop_mij(*_args) -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def volg_ouder(ouder: int) -> None:
    """SIGTERM to this process once `ouder` is no longer its parent."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still works
    if os.getppid() != ouder:  # the parent died before prctl took effect
        _stop_mij()

    def waak() -> None:
        while os.getppid() == ouder:
            time.sleep(INTERVAL)
        _stop_mij()

    threading.Thread(target=waak, name="duiding-ouderwacht", daemon=True).start()


VOORRANG = 3.0  # seconds the other pages' kernels wait at start, so the start page's comes first


def startpagina_eerst(start: str = "start.ipynb") -> None:
    """At start Voilà fills every page's pool at once; on two cores the start page, the one a
    facilitator opens first, then waits for four other kernels. The other pools begin `VOORRANG`
    seconds later; refills later on are as Voilà makes them."""
    import voila.app

    fabriek = voila.app.voila_kernel_manager_factory

    def met_voorrang(*args, **kwargs):
        klasse = fabriek(*args, **kwargs)
        if not hasattr(klasse, "fill_if_needed"):  # no preheat: nothing to order
            return klasse

        def fill_if_needed(self, delay=None, notebook_name=None, **kw):
            if delay == 0 and notebook_name not in (None, start):
                delay = VOORRANG
            return klasse.fill_if_needed(self, delay=delay, notebook_name=notebook_name, **kw)

        # the same class name, so `--VoilaKernelManager.…` settings still reach it
        return type(klasse.__name__, (klasse,), {"fill_if_needed": fill_if_needed})

    voila.app.voila_kernel_manager_factory = met_voorrang


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    ouder = int(argv.pop(0))
    signal.signal(signal.SIGHUP, _stop_mij)
    volg_ouder(ouder)
    # the gate's settings, the token among them, come as one JSON line on standard input:
    # never on the command line or in the environment, which other processes can read
    poort = json.loads(sys.stdin.readline() or "{}")
    installeer(poort.get("token") or None, poort.get("namen", []), int(poort.get("max_paginas", 6)))
    startpagina_eerst()
    from voila.app import main as voila_main
    sys.argv = ["voila", *argv]
    voila_main()


if __name__ == "__main__":
    main()
