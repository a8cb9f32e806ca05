"""The `duiding` command line. Every message a user reads is Dutch.

Exit status: 0 success, 1 a failure of the kit or of a report, 2 bad input.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
import os
import sys
import time
from pathlib import Path

from . import __version__
from .config import PUBLICEERBAAR, Instellingen, geef_door, laad_instellingen
from .paths import jupyter_pad
from .exceptions import SCHRIJFFOUTEN, DuidingFout, ValidatieFout, schijf_fout
from .cijfers import voeg_parser_toe
from .paths import NOTEBOOKS
from .wijken import voeg_parser_toe as wijken_parser
from .iberichten.cli import voeg_parser_toe as iberichten_parser
from .lab import voeg_parser_toe as lab_parser
from .sessie_cli import voeg_toe

_VERTALING = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "deze opties zijn verplicht: %s",
    "unrecognized arguments: %s": "onbekende opties: %s",
    "argument %(argument_name)s: %(message)s": "optie %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze %(value)r (kies uit %(choices)s)",
    "expected one argument": "hier hoort één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "not allowed with argument %s": "niet samen te gebruiken met %s",
    "one of the arguments %s is required": "kies een van de opties %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "subcommands": "opdrachten",
}


@contextmanager
def nederlands():
    """Dutch argparse messages while the command line is built and read; argparse as it was afterwards."""
    vorige = argparse._
    argparse._ = lambda tekst: _VERTALING.get(tekst, tekst)
    try:
        yield
    finally:
        argparse._ = vorige


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def _data_optie(p: argparse.ArgumentParser):
    p.add_argument("--data", metavar="MAP", type=Path,
                   help="map met de gegevens (standaard: $DUIDING_DATA, anders de voorbeelddata)")


# Each command imports its own modules when it runs: `duiding app` does not wait for the
# draai, voorbeeld or CBS modules.
def _cmd_controleer(args, inst: Instellingen) -> int:
    from .controle import controleer
    from .gegevens import lees_bron

    map = args.map or inst.data
    rapport, _, _ = controleer(map, inst.koppeling)
    rapport.samenvatting["fictief"] = bool(lees_bron(Path(map)).get("fictief"))
    uit = sys.stdout if rapport.ok else sys.stderr
    print(rapport.als_tekst(), file=uit)
    return 0 if rapport.ok else 2


def _cmd_voorbeelddata(args, inst: Instellingen) -> int:
    from .voorbeeld import genereer

    uitvoer = args.uitvoer or Path(f"voorbeelddata-{args.schaal}")
    begin = time.monotonic()

    def voortgang(klaar, totaal, n):
        if args.schaal == "land":
            aantal = f"{n:,}".replace(",", ".")
            print(f"  {klaar:>5}/{totaal} wijken, {aantal} trajecten", file=sys.stderr)

    aantallen = genereer(uitvoer, args.schaal, args.zaad, args.formaat, voortgang)
    print(f"Fictieve voorbeelddata ({args.schaal}, zaad {args.zaad}) geschreven naar {uitvoer} "
          f"in {time.monotonic() - begin:.0f} s:")
    for naam, n in aantallen.items():
        print(f"  {naam:<12} {n:>12,} rijen".replace(",", "."))
    return 0


def _cmd_cijfers(args, inst: Instellingen) -> int:
    from .cijfers import cijfers_cli

    return cijfers_cli(args, inst)


def _cmd_draai(args, inst: Instellingen) -> int:
    from .draai import kernels  # light: the kernels start and import while the batch's modules load

    if args.executor == "lokaal" and (args.jobs is None or args.jobs >= 1):
        kernels.voorverwarm(kernels.nodig(args.jobs or os.cpu_count() or 1, args.alleen))
    try:
        from .draai import draai_cli

        args.notebooks = args.notebooks or NOTEBOOKS
        return draai_cli(args, inst)
    finally:
        kernels.sluit_kernels()  # whatever happened: no kernel outlives the command


def _cmd_wijken(args, inst: Instellingen) -> int:
    from .wijken import wijken_cli

    return wijken_cli(args)


def _cmd_iberichten(args, inst: Instellingen) -> int:
    from .iberichten.cli import iberichten_cli

    return iberichten_cli(args, inst)


def _cmd_cbs_haal(args, inst: Instellingen) -> int:
    from .landelijk import TABELLEN, haal


    print(f"CBS-tabellen ophalen ({', '.join(TABELLEN)}) …")
    for pad in haal(inst.data):
        if pad.suffix == ".csv":
            print(f"Geschreven: {pad}")
    print("Het stadsrapport zet de gemeente nu naast vergelijkbare gemeenten en Nederland.")
    return 0


def maak_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="duiding", description="Samen naar de cijfers kijken: cijfers en duiding "
                "van jeugdhulp en Wmo per wijk en per aanbieder.")
    p.add_argument("--versie", action="version", version=f"duiding {__version__}",
                   help="toon het versienummer en stop")
    sub = p.add_subparsers(dest="opdracht", metavar="OPDRACHT", parser_class=_Parser)

    c = sub.add_parser("controleer", help="controleer een map met gegevens tegen het gegevenscontract")
    c.add_argument("map", nargs="?", type=Path, help="de map (standaard: --data of de voorbeelddata)")
    _data_optie(c)
    c.set_defaults(functie=_cmd_controleer)

    v = sub.add_parser("voorbeelddata", help="maak fictieve voorbeelddata")
    v.add_argument("--schaal", choices=["stad", "regio", "land"], default="stad",
                   help="stad: een stad als Utrecht; regio: twaalf gemeenten die samen inkopen; "
                        "land: landelijke omvang voor benchmarks")
    v.add_argument("--zaad", type=int, default=2024, help="startgetal: dezelfde waarde geeft dezelfde data")
    v.add_argument("--uitvoer", type=Path, metavar="MAP", help="doelmap (standaard: ./voorbeelddata-SCHAAL)")
    v.add_argument("--formaat", choices=["csv", "parquet"], default="csv",
                   help="bestandsformaat van trajecten (standaard csv)")
    v.set_defaults(functie=_cmd_voorbeelddata)

    voeg_parser_toe(sub, _data_optie, _cmd_cijfers)

    wijken_parser(sub, _cmd_wijken)

    iberichten_parser(sub, _cmd_iberichten)

    lab_parser(sub, _Parser)

    cbs = sub.add_parser("cbs", help="landelijke cijfers van CBS naast die van de gemeente")
    cbs_sub = cbs.add_subparsers(dest="cbs_opdracht", metavar="OPDRACHT", parser_class=_Parser, required=True)
    haal = cbs_sub.add_parser("haal", help="haal de CBS-tabellen op (vraagt internet) en zet ze in de gegevensmap")
    _data_optie(haal)
    haal.set_defaults(functie=_cmd_cbs_haal)

    d = sub.add_parser("draai", help="maak alle rapporten van een kwartaal, parallel, als offline HTML")
    d.add_argument("--per", required=True,
                   choices=["wijk", "aanbieder", "stad", "gemeente", "regio", "verdieping", "alle"],
                   help="wijk, aanbieder, stad, gemeente, regio, verdieping of alle (alles: wijken, aanbieders, "
                        "de stad of regio met haar gemeenten, en de verdieping)")
    d.add_argument("--wet", choices=["beide", "jeugd", "wmo"], default="beide",
                   help="beide (standaard), jeugd of wmo: rapporten over één wet, in een eigen map (2024-Q4-jeugd)")
    d.add_argument("--periode", metavar="P", help="kwartaal, bijvoorbeeld 2024-Q4 (standaard: het laatste)")
    d.add_argument("--alleen", nargs="+", metavar="NAAM", help="alleen deze wijken/aanbieders (naam of code)")
    d.add_argument("--jobs", type=int, metavar="N", help="zoveel rapporten tegelijk (standaard: aantal kernen)")
    d.add_argument("--uitvoer", type=Path, default=Path("uitvoer"), metavar="MAP", help="standaard: ./uitvoer")
    d.add_argument("--privacy", choices=PUBLICEERBAAR, help="standaard: intern (of duiding.toml)")
    d.add_argument("--executor", choices=["lokaal", "dask"], default="lokaal", help="lokaal (standaard) of dask")
    d.add_argument("--scheduler", metavar="ADRES", help="Dask-scheduler, bijvoorbeeld tcp://10.0.0.5:8786")
    d.add_argument("--notebooks", type=Path, metavar="MAP",
                   help="map met eigen versies van wijk/aanbieder/stad.ipynb (standaard: die van de kit)")
    _data_optie(d)
    d.set_defaults(functie=_cmd_draai)

    voeg_toe(sub, _data_optie)
    return p


def main(argv: list[str] | None = None) -> int:
    with nederlands():
        parser = maak_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "functie", None):
            parser.print_help()
            return 2
    # kernels and servers started below run elsewhere: they read this folder's duiding.toml, and
    # find the kit's kernel and template in a checkout and in an installed package alike
    with geef_door(), jupyter_pad():
        return _voer_uit(args)


def _voer_uit(args) -> int:
    try:
        inst = laad_instellingen()
        if getattr(args, "data", None) is not None:
            inst = inst.met(data=args.data)
        return args.functie(args, inst)
    except ValidatieFout as fout:
        print(fout.rapport.als_tekst(), file=sys.stderr)
        return 2
    except DuidingFout as fout:
        print(f"Fout: {fout}", file=sys.stderr)
        return fout.exit_status
    except OSError as fout:  # a full disk, a read-only folder: one Dutch sentence, no traceback
        if fout.errno not in SCHRIJFFOUTEN:
            raise
        waar = fout.filename or "de schijf"
        print(f"Fout: {schijf_fout(fout, waar)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
