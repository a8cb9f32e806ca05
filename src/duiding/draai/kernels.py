"""The batch's warm kernels: one per worker, started early, shut down with the batch.

Each worker (a thread of the local executor, or a Dask worker) keeps one kernel `duiding`
running and executes report after report in it (`uitvoeren.py`). A new kernel costs a
Python start-up and then, in its first report, the imports of pandas, Altair and the kit:
together some 3 s before the first report's own cells. `voorverwarm(n)` starts n kernels
at once in the background and has each import what a report needs, while this process
loads the batch's own modules and checks the data; a worker takes a prepared kernel
instead of starting one. `sluit_kernels()` waits for kernels still starting and kills every
kernel of this process, used or not, so none outlives the batch.

Light on purpose (jupyter_client only): the command line imports this before the rest.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_core.utils import run_sync

from ..paths import KERNEL

# What survives the preparation and each reset lives as long as the kernel (modules, Altair's
# schema, the cached tables): it is frozen (`gc.freeze`), so the garbage collector no longer walks
# it. IPython's `%reset` runs two full collections, and over the ~240.000 objects of a kernel
# that has made a report those took 0,2-0,25 s of every report; over what a report leaves, 1 ms.
_BEWAAR = "__import__('gc').freeze()"
VOORBEREIDING = f"import duiding.notebook\n{_BEWAAR}"  # what every report imports first
OPRUIMEN = f"get_ipython().run_line_magic('reset', '-f')\n{_BEWAAR}"  # before each report: a clean namespace

_lokaal = threading.local()
_alle: list[AsyncKernelManager] = []
_slot = threading.Lock()
_voorraad: queue.SimpleQueue = queue.SimpleQueue()  # prepared kernels (None: a start that failed)
_starters: list[threading.Thread] = []
_te_halen = 0  # prepared kernels no worker has taken yet
_generatie = 0  # raised by every shutdown: a kernel got for an earlier generation is stopped at once


def _ipc_pad() -> str:
    """Kernel sockets as files in a private temporary folder (no TCP port, no plain-text traffic)."""
    return str(Path(tempfile.mkdtemp(prefix="duiding-kernel-")) / "kernel")


def _start() -> AsyncKernelManager:
    """A new kernel (asynchronous manager, so nbclient notices when it dies), registered for shutdown."""
    km = AsyncKernelManager(kernel_name=KERNEL, transport="ipc", ip=_ipc_pad())
    try:
        # no IPython history: a report's cells are in its notebook, and writing each to the history
        # database cost some 2 ms per cell
        run_sync(km.start_kernel)(env=dict(os.environ), extra_arguments=["--HistoryManager.enabled=False"])
    finally:
        with _slot:
            _alle.append(km)  # also a half-started one: `sluit_kernels` removes its socket folder
    return km


def _bereid_voor(km: AsyncKernelManager, code: str) -> None:
    """Run `code` in the kernel and wait for it, on a client of this thread's own."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive(code, silent=True, store_history=False, timeout=300, output_hook=lambda _: None)
    finally:
        kc.stop_channels()


def _verwarm(code: str) -> None:
    km = None
    try:
        km = _start()
        _bereid_voor(km, code)
    except Exception:  # noqa: BLE001 - the worker then starts a kernel of its own, and reports what fails
        km = None
    _voorraad.put(km)


def _leeg(q: queue.SimpleQueue) -> None:
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return


def nodig(jobs: int, alleen: list[str] | None) -> int:
    """How many kernels a batch of `jobs` workers uses at most: no more than the names asked for."""
    return min(jobs, len(alleen)) if alleen else jobs


def voorverwarm(n: int, code: str = VOORBEREIDING) -> None:
    """Start up to n kernels in the background, each running `code`; returns at once (idempotent up to n)."""
    global _te_halen
    with _slot:
        if _te_halen == 0:  # what an earlier batch of this process left is dead: not for this one
            _leeg(_voorraad)
        nieuw = max(0, n - _te_halen)
        _te_halen += nieuw
        for _ in range(nieuw):
            t = threading.Thread(target=_verwarm, args=(code,), name="kernel-start", daemon=True)
            _starters.append(t)
            t.start()


def kernel() -> AsyncKernelManager:
    """This worker's warm kernel: its own, else a prepared one, else a new one."""
    global _te_halen
    km = getattr(_lokaal, "km", None)
    if km is not None and run_sync(km.is_alive)():
        return km
    with _slot:
        generatie = _generatie
        neem = _te_halen > 0
        _te_halen -= neem
    km = _voorraad.get() if neem else None
    if km is None or not run_sync(km.is_alive)():
        km = _start()
    with _slot:
        gestopt = generatie != _generatie
        if gestopt and km in _alle:
            _alle.remove(km)
    if gestopt:  # the batch was shut down meanwhile (Ctrl-C): no kernel may outlive it
        _stop(km)
        raise RuntimeError("de kernels van deze batch zijn gestopt")
    _lokaal.km = km
    return km


def herstart() -> None:
    """After a failed report: a fresh kernel for the next one."""
    km = getattr(_lokaal, "km", None)
    _lokaal.km = None
    if km is not None:
        _stop(km)
        with _slot:
            if km in _alle:
                _alle.remove(km)


def _stop(km: AsyncKernelManager) -> None:
    """Kill the kernel process and remove its socket folder; safe from any thread."""
    pid = getattr(km.provisioner, "pid", None) if km.provisioner else None
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if km.transport == "ipc":
        shutil.rmtree(Path(km.ip).parent, ignore_errors=True)


def sluit_kernels() -> int:
    """Shut down every kernel of this process, prepared or in use (end of batch, bad input, or Ctrl-C)."""
    global _te_halen, _generatie
    with _slot:
        _generatie += 1
        starters, _starters[:] = list(_starters), []
    for t in starters:
        t.join()  # a kernel still starting is killed below, not left behind
    with _slot:
        kms, _alle[:] = list(_alle), []
        _te_halen = 0  # a worker still waiting for a prepared kernel gets it (dead) and stops on it
    for km in kms:
        _stop(km)
    _lokaal.km = None
    return len(kms)
