"""`duiding iberichten BERICHTEN… --uitvoer MAP`: the command line of the message reader."""

from __future__ import annotations

import sys
from pathlib import Path

from ..nl import getal
from ..exceptions import InvoerFout
from . import converteer
from .pseudoniem import nieuw_geheim
from ..iorw import atomair
from ..wijken import maak


def voeg_parser_toe(sub, functie) -> None:
    p = sub.add_parser("iberichten", help="maak trajecten.csv en aanbieders.csv uit iJw- en iWmo-berichten (3.2)")
    p.add_argument("bronnen", nargs="*", type=Path, metavar="BERICHTEN",
                   help="XML-berichten, mappen of zip-archieven zoals uw systeem ze exporteert")
    p.add_argument("--uitvoer", type=Path, metavar="MAP", help="de gegevensmap waarin de bestanden komen")
    p.add_argument("--postcodes", type=Path, metavar="BESTAND",
                   help="CBS-tabel postcode/huisnummer naar buurt en wijk (pc6hnr…_gwb.csv), voor de wijk")
    p.add_argument("--clientwijk", type=Path, metavar="BESTAND",
                   help="eigen bestand client_id,wijk_code (client_id met hetzelfde geheim gemaakt)")
    p.add_argument("--wijken", type=Path, metavar="BRON",
                   help="maak ook wijken.csv, uit een grenzenbestand of CBS-export (zoals 'duiding wijken')")
    p.add_argument("--nieuw-geheim", action="store_true",
                   help="toon een nieuw geheim voor de pseudoniemen en stop")
    p.set_defaults(functie=functie)


def iberichten_cli(args, inst) -> int:

    if args.nieuw_geheim:
        print("Zet deze regel in duiding.toml (en bewaar hem als een wachtwoord):")
        print(f'pseudoniem_geheim = "{nieuw_geheim()}"')
        return 0
    if not args.bronnen or args.uitvoer is None:
        raise InvoerFout("Geef de berichten (bestanden, mappen of zip-archieven) en --uitvoer MAP, bijvoorbeeld: "
                         "duiding iberichten export.zip --uitvoer data")
    t, traj, aanb, gemeente = converteer(args.bronnen, args.uitvoer, inst.pseudoniem_geheim,
                                         postcodes=args.postcodes, clientwijk=args.clientwijk)
    if args.wijken:
        wijken, _ = maak(args.wijken, gemeente)
        with atomair(args.uitvoer / "wijken.csv", "w", encoding="utf-8", newline="") as f:
            wijken.to_csv(f, index=False)
        print(f"{len(wijken)} wijken van {gemeente} geschreven naar {args.uitvoer / 'wijken.csv'}.")
    for fout in t.fouten:
        print(f"Overgeslagen: {fout}", file=sys.stderr)
    soorten = ", ".join(f"{n} {getal(a)}" for n, a in sorted(t.per_bericht.items()))
    print(f"Berichten gelezen: {getal(t.gelezen)} ({soorten}); overgeslagen wegens fouten: {getal(t.overgeslagen)}; "
          f"ander berichttype (niet nodig): {getal(t.ander_type)}.")
    print(f"Regels gecorrigeerd (status 2): {getal(t.gecorrigeerd)}; verwijderd (status 3): {getal(t.verwijderd)}"
          + (f"; verwijderd zonder eerdere regel: {getal(t.verwijderen_zonder_record)}"
             if t.verwijderen_zonder_record else "") + ".")
    print(f"{getal(len(traj))} trajecten geschreven naar {args.uitvoer / 'trajecten.csv'}"
          + (f"; {getal(t.stop_zonder_start)} daarvan alleen uit een stopbericht (begindatum uit de stop)"
             if t.stop_zonder_start else "") + ".")
    print(f"Wijk uit de postcode: {getal(t.wijk_uit_postcode)}; uit het cliëntbestand: {getal(t.wijk_uit_bestand)}; "
          f"zonder wijk: {getal(t.zonder_wijk)} (die tellen mee voor de gemeente en de aanbieder, niet per wijk).")
    print(f"aanbieders.csv: {getal(t.nieuwe_aanbieders)} AGB-code(s) toegevoegd. Vul per aanbieder de naam en "
          "de soort (basiszorg of aanvullend) in.")
    return 0
