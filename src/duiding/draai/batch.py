"""`duiding draai`: every report of a quarter, in parallel, as offline HTML.

The top-level function reads like the pipeline:

    g = laad(data)                     # validate first: nothing is written on bad input
    taken = maak_plan(g, per, ...)     # one task per wijk / aanbieder / the city
    executor(taken, ...)               # papermill on warm kernels, N at a time
    schrijf_bundel(uitvoer)            # uitvoer/_static: the one Vega bundle of the reports
    schrijf_index(...)                 # uitvoer/<periode>/index.html
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .. import __version__, nl
from ..config import PRIVACY_NIVEAUS, Instellingen, laad_instellingen
from ..paths import NOTEBOOKS
from ..exceptions import ParameterFout
from ..iorw import ruim_op, schrijfbaar
from ..gegevens import laad
from .executors import kies
from .html import Voet
from .kernels import nodig, sluit_kernels, voorverwarm
from .index import schrijf_index
from .overzicht import kerncijfers
from .plan import WET_KEUZES, Taak, maak_plan, map_naam
from .statisch import Bundel
from .uitvoeren import Resultaat



@dataclass
class Batch:
    index: Path
    resultaten: list[Resultaat] = field(default_factory=list)

    @property
    def mislukt(self) -> list[Resultaat]:
        return [r for r in self.resultaten if not r.ok]


def draai(inst: Instellingen | None, per: str, periode: str | None = None, alleen: list[str] | None = None,
          jobs: int | None = None, uitvoer: Path = Path("uitvoer"), privacy: str | None = None,
          executor: str = "lokaal", scheduler: str | None = None, notebooks: Path = NOTEBOOKS,
          voortgang: bool = True, wet: str | None = None) -> Batch:
    """Make every report of a quarter: each notebook executed (papermill), rendered as offline HTML.

    Parameters
    ----------
    inst : Instellingen or None
        The gemeente's settings; None reads duiding.toml in the working folder, as the
        command line does (`laad_instellingen()`; `inst.met(data=...)` for another folder).
    per : str
        wijk, aanbieder, stad, gemeente, regio, verdieping or alle (alle: every wijk and aanbieder,
        the city or region with its gemeenten, and the deep dive).
    periode : str, optional
        The quarter, e.g. "2024-Q4"; the last one in the data when None.
    alleen : list of str, optional
        Only these wijken or aanbieders (name or code).
    jobs : int, optional
        Reports at once (default: the number of cores); each job keeps one warm kernel.
    uitvoer : Path
        The output folder; the reports go to `<uitvoer>/<periode>/` (`<periode>-<wet>/` for one wet),
        with index.html: the overview of the quarter's key figures.
    privacy : str, optional
        intern or openbaar (default: the settings').
    executor, scheduler : str, optional
        lokaal (default), or dask with the scheduler's address.
    notebooks : Path
        A folder with own versions of wijk/aanbieder/stad.ipynb (`duiding notebooks kopieer`).
    voortgang : bool
        Show a progress bar on stderr.
    wet : str, optional
        jeugd or wmo: every report about that wet only; None or "beide": both.

    Returns
    -------
    Batch
        `index` (the overview page), `resultaten` (one per report: ok, html, seconden, fout)
        and `mislukt`.

    Raises
    ------
    ParameterFout, PeriodeFout
        In Dutch, before anything is written, for an unknown wijk, quarter or option.
    """
    inst = inst or laad_instellingen()
    privacy = privacy or inst.privacy
    if privacy not in PRIVACY_NIVEAUS or privacy == "geen":
        raise ParameterFout("Rapporten worden alleen gemaakt met privacy openbaar of intern.")
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise ParameterFout("--jobs moet 1 of meer zijn.")
    wet = None if wet in (None, "", "beide") else wet
    if wet not in (None, "jeugd", "wmo"):
        raise ParameterFout(f"Onbekende wet '{wet}'. Kies uit: {', '.join(WET_KEUZES)}.")
    uitvoeren = kies(executor)
    if executor == "lokaal":  # the kernels start and import while the data is loaded and checked
        voorverwarm(nodig(jobs, alleen))
    try:
        return _draai(inst, per, periode, alleen, jobs, uitvoer, privacy, uitvoeren, scheduler, notebooks,
                      voortgang, wet)
    finally:
        sluit_kernels()  # also those no report needed (bad input, fewer reports than jobs)


def _draai(inst, per, periode, alleen, jobs, uitvoer, privacy, uitvoeren, scheduler, notebooks, voortgang,
           wet) -> Batch:
    g = laad(inst.data, inst.koppeling)
    kwartaal = g.kwartaal(periode)
    uitvoer = Path(uitvoer).resolve()  # workers must not depend on the working folder
    taken = maak_plan(g, per, kwartaal, uitvoer, Path(notebooks).resolve(), privacy, alleen, inst.gemeente_voor(g), wet)
    folder = map_naam(kwartaal, wet)
    # only once the request is valid (a refused one writes nothing; the kernels so far only imported):
    schrijfbaar(uitvoer / folder)  # a read-only or full disk is said at once
    ruim_op(uitvoer)  # temporary files of an earlier run that was killed
    voet = Voet(g.hash, str(kwartaal), privacy, __version__, _nu())
    batch = Batch(uitvoer / folder / "index.html")
    bundel = Bundel(uitvoer)  # the Vega bundle of the folder, built beside the first reports
    bundel.start()
    balk = tqdm(total=len(taken), desc="Rapporten", unit="rapport", file=sys.stderr, disable=not voortgang,
                bar_format="{desc}: {n}/{total} |{bar}| {elapsed} (nog ~{remaining})")

    def klaar(r: Resultaat) -> None:
        batch.resultaten.append(r)
        t = r.taak
        regel = (f"klaar    {t.soort} {t.naam}: {r.grafieken} grafieken, {nl.getal(r.seconden, 1)} s → {t.html}"
                 if r.ok else f"MISLUKT  {t.soort} {t.naam}: {r.fout.splitlines()[0] if r.fout else ''}")
        balk.write(regel, file=sys.stderr) if voortgang else None
        balk.update(1)

    try:
        uitvoeren(taken, voet, min(jobs, max(1, len(taken))), klaar, scheduler=scheduler)
        bundel.klaar()
    finally:
        balk.close()
        if batch.resultaten:
            schrijf_index(batch.index.parent, batch.resultaten, voet, g.fictief,
                          kerncijfers(g, kwartaal, privacy, inst, wet), wet, _toon_pad(inst.data))
    return batch


def _toon_pad(map: Path) -> str:
    """The data folder as the user would type it: relative to the working folder when inside it."""
    try:
        return Path(map).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(map)


def _nu() -> str:
    n = nl.nu()
    return f"{nl.datum(n)} {nl.tijd(n)}"


def draai_cli(args, inst: Instellingen) -> int:
    if args.scheduler and args.executor != "dask":
        raise ParameterFout("--scheduler hoort bij --executor dask.")
    try:
        batch = draai(inst, args.per, args.periode, args.alleen, args.jobs, args.uitvoer, args.privacy,
                      args.executor, args.scheduler, args.notebooks, wet=args.wet)
    except KeyboardInterrupt:
        print("\nAfgebroken. De kernels zijn gestopt; er staan geen halve bestanden. Draai opnieuw om de "
              "rapporten te maken.", file=sys.stderr)
        return 130
    goed = len(batch.resultaten) - len(batch.mislukt)
    print(f"{goed} van de {len(batch.resultaten)} rapporten zijn klaar.", file=sys.stderr)
    if batch.mislukt:
        print("Mislukt:", file=sys.stderr)
        for r in batch.mislukt:
            cel = f"cel {r.cel}" if r.cel is not None else "buiten een cel"
            print(f"  - {r.taak.soort} {r.taak.naam} ({cel}): {r.fout}. Notebook: {r.taak.ipynb}", file=sys.stderr)
    print(f"Overzicht: {batch.index.resolve()}")
    return 1 if batch.mislukt else 0


__all__ = ["draai", "Batch", "Taak", "Resultaat", "maak_plan"]
