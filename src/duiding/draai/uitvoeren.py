"""Execute one report: papermill on a warm kernel, then the HTML; both written atomically.

Each worker (a thread of the local executor, or a Dask worker) keeps one kernel
`duiding` running (`kernels.py`) and executes report after report in it, after clearing the
namespace. Imports and the loaded data stay warm, so a report costs its own cells,
not a Python start-up. After a failed report the worker's kernel is restarted.
Chart outputs carry both the Vega-Lite spec and a static SVG, rendered in the kernels
(one vl-convert runtime per kernel process, so the workers render in parallel): the HTML
report draws the spec with the output folder's Vega bundle, and the executed notebook
beside it shows the SVG in JupyterLab, VS Code, GitHub and nbviewer.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import papermill as pm
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from ..mime import VEGALITE as MIME
from ..exceptions import SCHRIJFFOUTEN
from ..iorw import tijdelijk_pad, vertrouw
from .html import Voet, rapport_html
from .kernels import OPRUIMEN, herstart, kernel
from .plan import Taak
from ..paths import KERNEL

ENGINE = "duiding-warm"


class _WarmeClient(PapermillNotebookClient):
    def execute(self, **kwargs):
        try:
            return super().execute(cleanup_kc=False, **kwargs)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()  # the kernel stays; this report's client goes

    def papermill_execute_cells(self):
        # a clean namespace for every report; modules and caches stay loaded (and frozen)
        self.wait_for_reply(self.kc.execute(OPRUIMEN, silent=True))
        super().papermill_execute_cells()


class WarmeEngine(NBClientEngine):
    """papermill engine executing in a kernel manager the caller keeps alive (`km=`)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
                             stderr_file=stderr_file)
        return _WarmeClient(nb_man, **final).execute()


papermill_engines.register(ENGINE, WarmeEngine)


@dataclass(frozen=True)
class Resultaat:
    taak: Taak
    ok: bool
    seconden: float
    grafieken: int = 0
    cel: int | None = None  # execution count of the failing cell
    fout: str = ""  # 'ename: evalue'


def voer_uit(taak: Taak, voet: Voet, warm: bool = True) -> Resultaat:
    """Run one report and write <slug>.ipynb and <slug>.html; never leaves a partial file.

    No `cwd` for papermill: it would chdir the whole process, which races between worker
    threads. Task paths are absolute and the notebooks get the data folder as a parameter.
    """
    begin = time.perf_counter()
    taak.map.mkdir(parents=True, exist_ok=True)
    tmp_nb = tijdelijk_pad(taak.ipynb)
    tmp_html = tijdelijk_pad(taak.html)
    try:
        opties = {"engine_name": ENGINE, "km": kernel()} if warm else {}
        try:
            # request_save_on_cell_execute=False: papermill writes the notebook once at the end (or
            # with its error), not at every cell start and end: those writes, each a copy and JSON dump
            # of the whole notebook in this process, cost more than the reports' own cells
            nb = pm.execute_notebook(str(taak.notebook), str(tmp_nb), parameters=taak.parameters, kernel_name=KERNEL,
                                     progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                     **opties)
        except pm.PapermillExecutionError as e:
            if warm:
                herstart()
            os.replace(tmp_nb, taak.ipynb)  # kept for inspection
            taak.html.unlink(missing_ok=True)  # no stale report beside a failed run
            return Resultaat(taak, False, time.perf_counter() - begin, cel=e.exec_count,
                             fout=f"{e.ename}: {e.evalue}".strip())
        grafieken = sum(1 for c in nb.cells for o in c.get("outputs", []) if MIME in o.get("data", {}))
        tmp_html.write_text(rapport_html(nb, taak.titel, voet, static=taak.bundel_url), encoding="utf-8")
        vertrouw(nb)  # as written: JupyterLab shows its SVG charts
        os.replace(tmp_html, taak.html)
        os.replace(tmp_nb, taak.ipynb)
        return Resultaat(taak, True, time.perf_counter() - begin, grafieken=grafieken)
    except Exception as e:  # a failure outside the notebook (kernel died): report it, go on
        if isinstance(e, OSError) and e.errno in SCHRIJFFOUTEN:  # full or read-only disk: every report would fail
            raise
        if warm:
            herstart()
        return Resultaat(taak, False, time.perf_counter() - begin, fout=f"{type(e).__name__}: {e}")
    finally:
        tmp_nb.unlink(missing_ok=True)
        tmp_html.unlink(missing_ok=True)
