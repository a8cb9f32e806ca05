"""Executors: how the tasks of a batch are spread, behind a registry like papermill's engines.

- `lokaal`: N worker threads in this process, each driving its own warm kernel (the
  kernels are separate processes, so N kernels compute in parallel).
- `dask`: the same task function on a Dask distributed cluster: a scheduler address
  (`tcp://host:8786`), or without one a LocalCluster of N single-threaded workers.
Every executor calls `klaar(resultaat)` in the main thread as results come in, and on
Ctrl-C stops handing out work and shuts its kernels down.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Callable, Protocol

from ..exceptions import ParameterFout
from .html import Voet
from .plan import Taak
from .kernels import sluit_kernels
from .uitvoeren import Resultaat, voer_uit


class Executor(Protocol):
    def __call__(self, taken: list[Taak], voet: Voet, jobs: int, klaar: Callable[[Resultaat], None],
                 scheduler: str | None = None) -> None: ...


def lokaal(taken, voet, jobs, klaar, scheduler=None) -> None:
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="rapport")
    try:
        lopend = {pool.submit(voer_uit, t, voet) for t in taken}
        while lopend:
            gedaan, lopend = wait(lopend, timeout=0.5, return_when=FIRST_COMPLETED)
            for f in gedaan:
                klaar(f.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        sluit_kernels()  # running reports fail fast; their temporary files are removed
        pool.shutdown(wait=True)
        raise
    pool.shutdown(wait=True)
    sluit_kernels()


def dask(taken, voet, jobs, klaar, scheduler=None) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = client.map(voer_uit, taken, voet=voet, pure=False)
        for f in as_completed(futures):
            klaar(f.result())
    finally:
        try:
            client.run(sluit_kernels)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


EXECUTORS: dict[str, Executor] = {"lokaal": lokaal, "dask": dask}


def kies(naam: str) -> Executor:
    try:
        return EXECUTORS[naam]
    except KeyError:
        raise ParameterFout(f"Onbekende executor '{naam}'. Kies uit: {', '.join(EXECUTORS)}.") from None
