"""The session as a code-free web app: Voilà serving the kit's notebooks on this machine.

- `serveer(map, notebook)`: Voilà with the kit's template `duiding` (offline, projector
  type, Dutch error pages), code hidden, on 127.0.0.1 unless a network bind is asked for
  explicitly. The kernels it starts get `DUIDING_WEBAPP=1`, so a failing cell shows a
  Dutch message instead of a traceback (`foutmelding`).
- `startpagina()`: what the start notebook shows: the sessions, and a form that starts a
  new one (wijk or aanbieder and period picked from lists).
"""

from __future__ import annotations

import html
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

import nbformat

from . import toegang
from ..exceptions import DuidingFout, InvoerFout, ParameterFout
from ..paths import NOTEBOOKS, jupyter_paden

TEMPLATE = "duiding"
START = "start.ipynb"
MAX_PAGINAS = 3  # open pages (kernels) at once: 3 x 450 MB stays under 2 GiB with the server
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


def sessienotebook(soort: str, parameters: dict, doel: Path, titel: str = "Duidingssessie") -> Path:
    """The subject's notebook with the session's parameters, for Voilà to run (atomic write).

    The analysts' how-to cell is left out: a facilitator's page shows the figures only.
    """
    from papermill.parameterize import parameterize_notebook

    from papermill.iorw import load_notebook_node

    bron = load_notebook_node(str(NOTEBOOKS / f"{soort}.ipynb"))  # papermill's reader adds the tag lists it needs
    bron.cells = [c for c in bron.cells if "notebook-uitleg" not in c.metadata.get("tags", [])]
    nb = parameterize_notebook(bron, parameters, report_mode=False)
    nb.metadata["title"] = titel  # the browser tab's title in Voilà
    _schrijf(nb, doel)
    return doel


def _schrijf(nb, doel: Path) -> None:
    from ..iorw import atomair
    with atomair(doel, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)


def startnotebook(map: Path, opslag: str, data: Path) -> Path:
    """start.ipynb in the served folder, with this store and data folder as parameters."""
    from papermill.parameterize import parameterize_notebook

    from papermill.iorw import load_notebook_node

    bron = load_notebook_node(str(NOTEBOOKS / START))
    bron.cells = [c for c in bron.cells if "notebook-uitleg" not in c.metadata.get("tags", [])]
    nb = parameterize_notebook(bron, {"opslag": opslag, "data": str(Path(data).resolve())}, report_mode=False)
    nb.metadata["title"] = "Duidingssessies"
    doel = Path(map) / START
    _schrijf(nb, doel)
    return doel


def vrije_poort(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def voila_opdracht(pad: Path, poort: int, host: str, opruimen_na: int = OPRUIMEN_NA) -> list[str]:
    """The Voilà command line: our template, code stripped, no browser, no tracebacks.

    Voilà runs under `bewaakt`, which stops it when this process goes away.
    """
    return [sys.executable, "-m", "duiding.web.bewaakt", str(os.getpid()), str(pad), "--no-browser",
            f"--port={poort}", f"--Voila.ip={host}", f"--template={TEMPLATE}", "--theme=light",
            "--strip_sources=True", "--show_tracebacks=False", "--VoilaExporter.language_code=nl",
            # kernels of pages left without a connection are stopped after 10 minutes of quiet
            f"--MappingKernelManager.cull_idle_timeout={opruimen_na}",
            f"--MappingKernelManager.cull_interval={max(1, min(60, opruimen_na // 2))}",
            "--MappingKernelManager.cull_connected=False"]


def omgeving(opslag: str, data: Path) -> dict:
    """Voilà finds our template through JUPYTER_PATH; its kernels learn the store and data folder."""
    env = dict(os.environ)
    eigen = jupyter_paden()
    env["JUPYTER_PATH"] = os.pathsep.join(eigen + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep)
                                                   if p and p not in eigen])
    env.update(DUIDING_WEBAPP="1", DUIDING_OPSLAG=opslag, DUIDING_DATA=str(Path(data).resolve()))
    return env


class _Gestopt(Exception):
    """A stop signal (SIGTERM, SIGHUP) reached `duiding` while it served."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def serveer(pad: Path, poort: int, host: str, opslag: str, data: Path, adres: str, token: bool = True,
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
        proc = subprocess.Popen(voila_opdracht(pad, poort, host, opruimen_na), env=omgeving(opslag, data),
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
    import importlib.util
    return importlib.util.find_spec("voila") is not None


# ---- in the kernel --------------------------------------------------------------------

def foutmelding(fout: BaseException) -> str:
    """HTML for a facilitator: what went wrong, in Dutch, and what to do; no traceback."""
    if isinstance(fout, DuidingFout):
        wat = str(fout)
    else:
        wat = "Er ging iets mis bij het maken van deze pagina."
    return (f"<div class='duiding-foutmelding' role='alert'><h2>Dit deel van de pagina kon niet worden gemaakt"
            f"</h2><p>{html.escape(wat)}</p><p>Wat u kunt doen: laad de pagina opnieuw. Blijft dit gebeuren, "
            f"sluit de sessie dan en start hem opnieuw; wat al is opgeslagen blijft bewaard. De technische melding "
            f"staat in het venster waarin de app draait.</p></div>")


def installeer_foutafhandeling(shell) -> None:
    """In the web app: a failing cell shows one Dutch message; cells after it stay quiet."""
    from IPython.display import HTML, display

    staat = {"getoond": False}

    def afhandelen(self, etype, value, tb, tb_offset=None):
        import traceback
        print("".join(traceback.format_exception(etype, value, tb)), file=sys.__stderr__)  # for the app's log
        if not staat["getoond"]:
            staat["getoond"] = True
            display(HTML(foutmelding(value)))
        return None

    shell.set_custom_exc((Exception,), afhandelen)


def startpagina(opslag: str | None = None, data: str | Path | None = None, map: str | Path = ".") -> None:
    """The start page: sessions in the store, and a form that starts a new one."""
    import ipywidgets as w
    from IPython.display import HTML, display

    from .. import nl
    from ..config import laad_instellingen
    from ..gegevens import laad
    from ..notebook import _opslag
    from ..opslag.store import Deelnemer
    from ..sessie import sessie_parameters

    inst = laad_instellingen()
    if data:
        inst = inst.met(data=Path(data))
    g = laad(inst.data, inst.koppeling)
    winkel = _opslag(opslag or inst.opslag)
    fictief = ("<p class='duiding-fictief'><strong>Let op: fictieve gegevens.</strong> Deze cijfers zijn verzonnen "
               "om de kit te laten zien.</p>") if g.fictief else ""
    display(HTML(f"<h1>Samen naar de cijfers kijken</h1>{fictief}"))

    lijst = w.HTML()

    def pagina(s) -> str:
        """The session's page beside the start page (written when missing), as a relative link."""
        doel = Path(map) / _sessie_bestand(s.id)
        if not doel.exists():
            sessienotebook(s.soort, sessie_parameters(s, inst.data, winkel.url), doel, s.titel)
        return doel.name

    def toon_lijst() -> None:
        regels = []
        for s in winkel.sessies():
            naam = f"<a href='{html.escape(pagina(s))}'>{html.escape(s.titel)}</a>"
            regels.append(f"<li>{naam} · {html.escape(s.soort)} {html.escape(s.onderwerp_naam)} · "
                          f"{_kwartaal_label(s.periode)} · {nl.datum(s.datum)}</li>")
        lijst.value = ("<h2>Sessies</h2><ul class='duiding-sessies'>" + "".join(regels) + "</ul>") if regels else \
            "<h2>Sessies</h2><p>Nog geen sessies. Begin er hieronder een.</p>"

    eerste, laatste = g.perioden()
    from ..periode import reeks
    perioden = [str(p) for p in reeks(eerste, laatste)][::-1]
    soort = w.ToggleButtons(options=[("Wijk", "wijk"), ("Aanbieder", "aanbieder"), ("Stad", "stad")], value="wijk")
    onderwerp = w.Dropdown(description="Over", layout=w.Layout(width="32em"))
    periode = w.Dropdown(options=perioden, value=perioden[0], description="Kwartaal")
    titel = w.Text(description="Titel", placeholder="standaard: Duidingssessie … kwartaal", layout=w.Layout(width="40em"))
    deelnemers = w.Textarea(description="Deelnemers", placeholder="één per regel: naam, rol, organisatie",
                            layout=w.Layout(width="40em", height="6em"))
    knop = w.Button(description="Sessie starten", button_style="primary")
    uitslag = w.HTML()

    def kies_soort(_=None) -> None:
        namen = g.wijknamen if soort.value == "wijk" else g.aanbiedernamen if soort.value == "aanbieder" else {}
        onderwerp.options = [(n, c) for c, n in namen.items()] or [(inst.gemeente_voor(g), "stad")]
        onderwerp.value = onderwerp.options[0][1]  # ipywidgets does not select when options change
        onderwerp.disabled = soort.value == "stad"

    def start(_=None) -> None:
        try:
            wie = [Deelnemer.lees(r) for r in deelnemers.value.splitlines() if r.strip()]
            code, naam = g.onderwerp(soort.value, onderwerp.value, inst.gemeente_voor(g))
            s = winkel.sessie_maken(soort.value, code, periode.value, titel.value.strip() or None,
                                    deelnemers=wie, onderwerp_naam=naam)
            link = pagina(s)
            uitslag.value = (f"<p class='duiding-status'>Sessie {s.id} staat klaar: "
                             f"<a href='{html.escape(link)}'>open {html.escape(s.titel)}</a></p>")
            toon_lijst()
        except DuidingFout as e:
            uitslag.value = f"<p class='duiding-fout'>{html.escape(str(e))}</p>"
        except Exception as e:  # never a silent click: say it in Dutch, log the detail
            print(f"startpagina: {type(e).__name__}: {e}", file=sys.__stderr__)
            uitslag.value = ("<p class='duiding-fout'>De sessie kon niet worden gestart. Probeer het opnieuw; "
                             "blijft het misgaan, kijk dan in het venster van 'duiding app'.</p>")

    soort.observe(kies_soort, names="value")
    knop.on_click(start)
    kies_soort()
    toon_lijst()
    display(lijst)
    display(w.VBox([w.HTML("<h2>Nieuwe sessie</h2>"), soort, onderwerp, periode, titel, deelnemers, knop, uitslag]))


def _kwartaal_label(periode: str) -> str:
    from ..periode import Kwartaal
    return Kwartaal.parse(periode).label


def _sessie_bestand(sessie_id: int) -> str:
    return f"sessie-{int(sessie_id)}.ipynb"


__all__ = ["serveer", "startpagina", "sessienotebook", "startnotebook", "controleer_host", "foutmelding",
           "installeer_foutafhandeling", "vrije_poort", "ParameterFout"]
