"""Commands for sessions and the duiding store: sessie, sessies, verslag, duidingen …"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import acties, nl
from .config import PUBLICEERBAAR, Instellingen
from .opslag import Opslag
from .periode import leesbaar
from .web.pagina import startnotebook
from .web.server import MAX_PAGINAS, controleer_host, serveer

# Each command imports what only it needs (sessie: nbformat and the draai modules, 2-3 s), so
# `duiding app` starts its server without paying for them.


def _opslag(args, inst: Instellingen):
    return Opslag(args.opslag or inst.opslag)


def _opslag_optie(p: argparse.ArgumentParser) -> None:
    p.add_argument("--opslag", metavar="URL", help="waar de duidingen staan: een SQLite-bestand of een database-URL "
                   "(standaard: $DUIDING_OPSLAG, anders een bestand in uw gebruikersmap)")


def _cmd_sessie(args, inst: Instellingen) -> int:
    from .sessie import maak_sessie

    soort, naam = next(((s, getattr(args, s)) for s in ("wijk", "aanbieder", "gemeente") if getattr(args, s)),
                       ("regio" if args.regio else "stad", None))
    if args.serve:
        controleer_host(args.host, args.netwerk)
    opslag = _opslag(args, inst)
    print(f"Sessie voorbereiden ({soort} {naam or inst.gemeente or 'de stad'}, {leesbaar(args.periode or '')}) …", file=sys.stderr)
    s = maak_sessie(inst, opslag, soort, naam, args.periode, args.titel, args.deelnemer or [], args.uitvoer,
                    uitvoeren=not args.serve)
    if args.serve:
        print(f"Sessie {s.sessie.id}: {s.sessie.titel}")
        return serveer(s.notebook, args.poort, args.host, opslag.url, inst.data, "/", not args.zonder_token,
                       args.max_paginas, args.opruimen_na)
    print(f"Sessie {s.sessie.id}: {s.sessie.titel}")
    print(f"  {soort} {s.sessie.onderwerp_naam}, {leesbaar(s.sessie.periode)}, {nl.datum(s.sessie.datum)}; "
          f"{len(s.sessie.deelnemers)} deelnemer(s)")
    print(f"  Notebook: {s.notebook}")
    print(f"  Openen:   jupyter lab {s.notebook}  (kies daar 'Run All'; elke sectie heeft een formulier)")
    print(f"  Verslag:  duiding verslag {s.sessie.id}")
    return 0


def _cmd_app(args, inst: Instellingen) -> int:

    controleer_host(args.host, args.netwerk)
    opslag = _opslag(args, inst)
    map = args.map.resolve()
    map.mkdir(parents=True, exist_ok=True)
    startnotebook(map, opslag.url, inst.data)
    return serveer(map, args.poort, args.host, opslag.url, inst.data, "/voila/render/start.ipynb",
                   not args.zonder_token, args.max_paginas, args.opruimen_na)


def _web_opties(p: argparse.ArgumentParser, los: bool = False) -> None:
    if los:
        p.add_argument("--serve", action="store_true", help="toon de sessie als webpagina zonder code (Voilà)")
    p.add_argument("--poort", type=int, default=8866, help="poort van de webpagina (standaard 8866)")
    p.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard 127.0.0.1: alleen deze "
                   "computer)")
    p.add_argument("--netwerk", action="store_true", help="sta een adres buiten deze computer toe (met --host)")
    p.add_argument("--zonder-token", action="store_true", help="geen geheime sleutel in het adres (niet aan te raden: "
                   "dan kan elk programma op deze computer de app gebruiken)")
    p.add_argument("--max-paginas", type=int, default=MAX_PAGINAS, metavar="N",
                   help=f"hoeveel pagina's tegelijk open mogen staan (standaard {MAX_PAGINAS}; een sessiepagina kost "
                   "zo'n 100 MB, de startpagina 300-450 MB)")
    p.add_argument("--opruimen-na", type=int, default=600, metavar="SECONDEN",
                   help="stop een pagina zonder verbinding die zo lang niets deed (standaard 600: tien minuten)")


def _cmd_sessies(args, inst: Instellingen) -> int:
    opslag = _opslag(args, inst)
    sessies = opslag.sessies()
    if not sessies:
        print(f"Nog geen sessies in {opslag}. Begin er een met: duiding sessie --wijk NAAM --periode 2024-Q4")
        return 0
    for s in sessies:
        print(f"{s.id:>4}  {leesbaar(s.periode)}  {nl.datum(s.datum):>11}  {s.soort:<9} {s.onderwerp_naam:<28} {s.titel}")
    return 0


def _cmd_acties(args, inst: Instellingen) -> int:
    opslag = _opslag(args, inst)
    if args.zet:
        a = opslag.actie_bijwerken(args.zet[0], args.zet[1], args.toelichting)
        print(f"Actie {a.id} staat nu op {a.status}: {a.omschrijving}")
        return 0
    print(acties.als_tekst(acties.overzicht(opslag, args.status, args.onderwerp)))
    return 0


def _cmd_verslag(args, inst: Instellingen) -> int:
    from .sessie import verslag

    pad = verslag(inst, _opslag(args, inst), args.sessie, args.formaat, args.privacy, args.uitvoer)
    print(f"Verslag: {pad.resolve()}")
    return 0


def _cmd_exporteer(args, inst: Instellingen) -> int:
    from .iorw import atomair
    from .opslag.uitwisseling import als_tekst, exporteer_rijen

    rijen = exporteer_rijen(_opslag(args, inst), args.wijk, args.aanbieder, args.principe, args.van, args.tot,
                            args.alle_versies, inst.leidende_principes)
    tekst = als_tekst(rijen, args.formaat)
    if args.uitvoer:
        with atomair(args.uitvoer, "w", encoding="utf-8", newline="") as f:
            f.write(tekst)
        print(f"{len(rijen)} duiding(en) geschreven naar {args.uitvoer.resolve()}", file=sys.stderr)
    else:
        sys.stdout.write(tekst)
    return 0


def _cmd_importeer(args, inst: Instellingen) -> int:
    from .gegevens import laad
    from .opslag.uitwisseling import importeer, lees_import

    g = laad(inst.data, inst.koppeling)
    regels = lees_import(args.bestand, g, inst.gemeente_voor(g), inst.leidende_principes)
    nieuw, sessies = importeer(_opslag(args, inst), regels)
    print(f"{len(regels)} rij(en) gelezen uit {args.bestand}: {nieuw} nieuwe versie(s) in {sessies} sessie(s); "
          f"{len(regels) - nieuw} waren al zo opgeslagen.")
    return 0


def _cmd_geschiedenis(args, inst: Instellingen) -> int:

    opslag = _opslag(args, inst)
    s = opslag.sessie(args.sessie)
    versies = opslag.geschiedenis(s.id, args.sectie)
    if not versies:
        print(f"Sessie {s.id} heeft geen duiding voor de sectie {args.sectie}.")
    for d in versies:
        print(f"duiding {d.id} · versie {d.versie} · {nl.moment(d.opgeslagen_op)} · {d.auteur or 'onbekend'}")
        for label, tekst in d.ingevuld():
            print(f"    {label} {tekst}")
    return 0


def _cmd_verwijder(args, inst: Instellingen) -> int:
    d = _opslag(args, inst).verwijder(args.duiding, args.reden, args.door)
    print(f"Duiding {d.id} (sessie {d.sessie_id}, {d.sectie}, versie {d.versie}) is verwijderd en in het "
          f"logboek gezet.")
    return 0


def voeg_toe(sub, data_optie) -> None:
    s = sub.add_parser("sessie", help="begin een duidingssessie: sessie in de opslag en een notebook met formulieren")
    wie = s.add_mutually_exclusive_group(required=True)
    wie.add_argument("--wijk", metavar="NAAM", help="de wijk (naam of code)")
    wie.add_argument("--aanbieder", metavar="NAAM", help="de aanbieder (naam of code)")
    wie.add_argument("--stad", action="store_true", help="de hele stad")
    wie.add_argument("--gemeente", metavar="NAAM", help="een gemeente van een regio (naam of code)")
    wie.add_argument("--regio", action="store_true", help="de hele regio")
    s.add_argument("--periode", required=True, metavar="P", help="kwartaal, bijvoorbeeld 2024-Q4")
    s.add_argument("--titel", metavar="T", help="titel (standaard: Duidingssessie ONDERWERP PERIODE)")
    s.add_argument("--deelnemer", action="append", metavar='"naam, rol, organisatie"',
                   help="een deelnemer; herhaal de optie voor meer deelnemers")
    s.add_argument("--uitvoer", type=Path, default=Path("sessies"), metavar="MAP",
                   help="map voor het sessienotebook (standaard: ./sessies)")
    _web_opties(s, los=True)
    _opslag_optie(s)
    data_optie(s)
    s.set_defaults(functie=_cmd_sessie)

    a = sub.add_parser("app", help="de startpagina van de sessies als webapp zonder code (Voilà)")
    a.add_argument("--map", type=Path, default=Path("sessies"), help="map voor de sessiepagina's (standaard ./sessies)")
    _web_opties(a)
    _opslag_optie(a)
    data_optie(a)
    a.set_defaults(functie=_cmd_app)

    acties.voeg_parser_toe(sub, _opslag_optie, _cmd_acties)
    ls = sub.add_parser("sessies", help="toon de sessies in de opslag")
    _opslag_optie(ls)
    ls.set_defaults(functie=_cmd_sessies)

    v = sub.add_parser("verslag", help="het sessieverslag: grafieken, wat er gezegd is, acties, deelnemers")
    v.add_argument("sessie", help="het sessienummer")
    v.add_argument("--formaat", choices=["html", "md", "pdf"], default="html",
                   help="html (standaard), md of pdf (A4, met paginanummers; vraagt Chromium)")
    v.add_argument("--privacy", choices=PUBLICEERBAAR, help="openbaar laat ook namen weg (standaard: intern)")
    v.add_argument("--uitvoer", type=Path, metavar="BESTAND", help="standaard: ./verslag-ID-ONDERWERP-PERIODE.FORMAAT")
    _opslag_optie(v)
    data_optie(v)
    v.set_defaults(functie=_cmd_verslag)

    d = sub.add_parser("duidingen", help="duidingen exporteren, importeren, hun geschiedenis of verwijderen")
    dsub = d.add_subparsers(dest="handeling", metavar="HANDELING", required=True, parser_class=type(d))
    e = dsub.add_parser("exporteer", help="naar CSV of JSON, voor onderzoek")
    e.add_argument("--formaat", choices=["csv", "json"], default="csv")
    e.add_argument("--wijk", metavar="NAAM")
    e.add_argument("--aanbieder", metavar="NAAM")
    e.add_argument("--principe", metavar="PRINCIPE", help="alleen duidingen die dit leidende principe raken")
    e.add_argument("--van", metavar="P", help="vanaf kwartaal P")
    e.add_argument("--tot", metavar="P", help="tot en met kwartaal P")
    e.add_argument("--alle-versies", action="store_true", help="elke versie, niet alleen de nieuwste per sectie")
    e.add_argument("--uitvoer", type=Path, metavar="BESTAND", help="standaard: naar het scherm")
    _opslag_optie(e)
    e.set_defaults(functie=_cmd_exporteer)
    i = dsub.add_parser("importeer", help="uit een CSV-bestand (dezelfde kolommen als de export)")
    i.add_argument("bestand", type=Path)
    _opslag_optie(i)
    data_optie(i)
    i.set_defaults(functie=_cmd_importeer)
    h = dsub.add_parser("geschiedenis", help="elke versie van een sectie in een sessie")
    h.add_argument("sessie")
    h.add_argument("sectie", help="bereik, wachttijd, ervaringen, budget of verdieping")
    _opslag_optie(h)
    h.set_defaults(functie=_cmd_geschiedenis)
    r = dsub.add_parser("verwijder", help="verwijder één versie, met reden; het logboek houdt het bij")
    r.add_argument("duiding", type=int, help="het nummer van de duiding (zie 'geschiedenis')")
    r.add_argument("--reden", required=True)
    r.add_argument("--door", required=True, metavar="NAAM")
    _opslag_optie(r)
    r.set_defaults(functie=_cmd_verwijder)
