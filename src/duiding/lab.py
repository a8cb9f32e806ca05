"""Editable copies of the kit's notebooks (`duiding notebooks kopieer MAP`) and JupyterLab on them (`duiding lab`).

An installed kit keeps its notebooks inside the package; a researcher changes copies,
and `duiding draai --notebooks MAP` runs those.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .paths import NOTEBOOKS


def kopieer(doel: Path) -> tuple[list[Path], list[Path]]:
    """Copy every notebook of the kit into `doel`; never overwrite. Returns (copied, kept as they were)."""
    doel.mkdir(parents=True, exist_ok=True)
    gekopieerd, bewaard = [], []
    for bron in sorted(NOTEBOOKS.glob("*.ipynb")):
        pad = doel / bron.name
        if pad.exists():
            bewaard.append(pad)
        else:
            shutil.copyfile(bron, pad)
            gekopieerd.append(pad)
    return gekopieerd, bewaard


def kopieer_cli(args, inst) -> int:
    gekopieerd, bewaard = kopieer(args.map)
    print(f"{len(gekopieerd)} notebook(s) gekopieerd naar {args.map}.")
    if bewaard:
        print(f"Niet overschreven (bestaan al): {', '.join(p.name for p in bewaard)}.")
    print(f"Draai uw versies met: duiding draai --per wijk --notebooks {args.map}")
    return 0


def lab_cli(args, inst) -> int:
    """JupyterLab on the user's copies (made first when the folder has none), with the kit's kernel."""
    if not any(args.map.glob("*.ipynb")):
        kopieer(args.map)
        print(f"De notebooks van de kit staan nu in {args.map}.")
    opdracht = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={args.map.resolve()}",
                f"--ServerApp.port={args.poort}", "--ServerApp.ip=127.0.0.1"]
    if args.geen_browser:
        opdracht.append("--no-browser")
    return subprocess.call(opdracht)


def voeg_parser_toe(sub, parser_class) -> None:
    n = sub.add_parser("notebooks", help="de notebooks van de kit")
    nsub = n.add_subparsers(dest="notebooks_opdracht", metavar="OPDRACHT", parser_class=parser_class, required=True)
    k = nsub.add_parser("kopieer", help="kopieer de notebooks naar MAP om ze aan te passen (niets wordt overschreven)")
    k.add_argument("map", type=Path, metavar="MAP")
    k.set_defaults(functie=kopieer_cli)
    lab = sub.add_parser("lab", help="open JupyterLab op uw eigen kopie van de notebooks")
    lab.add_argument("--map", type=Path, default=Path("notebooks"), help="map met de notebooks (standaard ./notebooks)")
    lab.add_argument("--poort", type=int, default=8888, help="poort (standaard 8888)")
    lab.add_argument("--geen-browser", action="store_true", help="open geen browser")
    lab.set_defaults(functie=lab_cli)
