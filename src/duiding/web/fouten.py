"""In a kernel of the web app: a failing cell shows one Dutch message for the facilitator, no traceback."""

from __future__ import annotations

import sys
import traceback

from IPython.display import HTML, display

from ..exceptions import DuidingFout
from ..sjabloon import maak


def foutmelding(fout: BaseException) -> str:
    """HTML for a facilitator: what went wrong, in Dutch, and what to do; no traceback."""
    if isinstance(fout, DuidingFout):
        wat = str(fout)
    else:
        wat = "Er ging iets mis bij het maken van deze pagina."
    return maak("foutmelding.html.j2", wat=wat)


def installeer_foutafhandeling(shell) -> None:
    """In the web app: a failing cell shows one Dutch message; cells after it stay quiet."""
    staat = {"getoond": False}

    def afhandelen(self, etype, value, tb, tb_offset=None):
        print("".join(traceback.format_exception(etype, value, tb)), file=sys.__stderr__)  # for the app's log
        if not staat["getoond"]:
            staat["getoond"] = True
            display(HTML(foutmelding(value)))
        return None

    shell.set_custom_exc((Exception,), afhandelen)


def in_webapp() -> None:
    """In the web app (Voilà started by `duiding app` / `--serve`): Dutch messages, no tracebacks."""
    import os

    if os.environ.get("DUIDING_WEBAPP") == "1":
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            installeer_foutafhandeling(shell)
