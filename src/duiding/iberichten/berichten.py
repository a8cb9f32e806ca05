"""Reading messages: files, folders and zip archives in; checked product lines out.

Each message is parsed once (ElementTree; a DOCTYPE is refused, so no entity tricks),
checked against its schema (schema.py), and turned into `Regel`s: one per product line,
with the client already pseudonymised. The BSN, names and the birth date are read only
here and never leave this module: a `Regel` holds the keyed hash of the BSN and the
birth year, and the error messages name the file and the element, never a value of a
personal element.
"""

from __future__ import annotations

import re
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .pseudoniem import Pseudoniem
from .schema import SOORTEN, Soort, schema

# values that may be quoted in an error message: codes, never anything about a person
_CODE_ELEMENTEN = {"Categorie", "Code", "StatusAanlevering", "RedenBeeindiging", "Type", "BerichtCode",
                   "BerichtVersie", "BerichtSubversie"}
MAX_BERICHT = 20 * 1024 * 1024  # bytes; a message file is a few kB, an archive member the same


@dataclass(frozen=True)
class Regel:
    """One product line of one message, as far as the contract needs it."""
    bericht: str  # JW305, WMO307 …
    wet: str
    bestand: str  # where it came from (file, or archive:member)
    volgorde: tuple  # (Dagtekening, Identificatie, bestand, position): the order messages apply in
    aanbieder: str  # AGB code (Afzender of 305/307/315, Ontvanger of 301)
    gemeente: str  # the gemeente's code in the header
    client: str  # keyed hash of the BSN
    geboortejaar: int
    toewijzing: str = ""
    referentie: str = ""
    categorie: str = ""
    begindatum: str = ""
    einddatum: str = ""
    reden: str = ""
    status: str = "1"
    verwijzer: str = ""
    dagtekening: str = ""
    postcode: str = ""  # 301 only; used for the wijk and dropped
    huisnummer: str = ""


class BerichtFout(Exception):
    """A message that cannot be used; the text names the file and element, in Dutch, without personal values."""


def bronnen(paden: list[Path]) -> Iterator[tuple[str, bytes]]:
    """(name, content) of every message: files, folders (recursively) and zip archives, in name order."""
    for pad in paden:
        if pad.is_dir():
            yield from bronnen(sorted(p for p in pad.rglob("*") if p.is_file()))
        elif zipfile.is_zipfile(pad):
            with zipfile.ZipFile(pad) as z:
                for info in sorted(z.infolist(), key=lambda i: i.filename):
                    if info.is_dir():
                        continue
                    naam = f"{pad.name}:{info.filename}"
                    if info.file_size > MAX_BERICHT:
                        yield naam, b""  # refused below, without unpacking it
                    else:
                        yield naam, z.read(info)
        elif pad.is_file():
            yield pad.name, pad.read_bytes() if pad.stat().st_size <= MAX_BERICHT else b""


def _lokaal(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _pad(xpath: str) -> str:
    kaal = re.sub(r"\{[^}]*\}|\[\d+\]", "", xpath)  # without namespaces and positions
    return "/".join(d for d in kaal.split("/") if d and d != "Bericht")


def _reden(fout) -> str:
    """A Dutch reason for a schema error, quoting a value only when it is a code."""
    from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError, XMLSchemaDecodeError

    elem = getattr(fout, "elem", None)
    naam = _lokaal(elem.tag) if elem is not None else ""
    if isinstance(fout, XMLSchemaChildrenValidationError):
        verwacht = re.findall(r"Tag '(?:\w+:)?(\w+)' expected", fout.reason or "")
        onverwacht = re.findall(r"Unexpected child with tag '(?:\{[^}]*\})?(\w+)'", fout.reason or "")
        if verwacht and onverwacht:
            return f"element {verwacht[0]} ontbreekt of staat niet op zijn plaats (gevonden: {onverwacht[0]})"
        if verwacht:
            return f"element {verwacht[0]} ontbreekt"
        return "de opbouw van dit element klopt niet"
    if isinstance(fout, XMLSchemaDecodeError) and naam not in _CODE_ELEMENTEN:
        return "geen geldige waarde (een datum schrijft u als jjjj-mm-dd)"
    if naam in _CODE_ELEMENTEN and elem is not None:
        return f"code '{(elem.text or '').strip()[:20]}' staat niet in de codelijst van release 3.2"
    return "de waarde past niet bij het formaat van release 3.2"


def _tekst(el, pad: str, ns: dict) -> str:
    gevonden = el.find(pad, ns)
    return (gevonden.text or "").strip() if gevonden is not None and gevonden.text else ""


def _elfproef(bsn: str) -> bool:
    return len(bsn) == 9 and bsn.isdigit() and (
        sum(int(c) * w for c, w in zip(bsn, range(9, 1, -1))) - int(bsn[8])) % 11 == 0


def lees(naam: str, inhoud: bytes, pseudoniem: Pseudoniem, volgnummer: int) -> tuple[Soort | None, list[Regel]]:
    """The product lines of one message; (None, []) for a message of a type the kit does not use.

    BerichtFout (Dutch, naming the file and element) for anything unusable.
    """
    if not inhoud:
        raise BerichtFout(f"{naam}: leeg of groter dan {MAX_BERICHT // 1024 // 1024} MB; geen bericht.")
    if b"<!DOCTYPE" in inhoud[:4096].upper() or b"<!ENTITY" in inhoud.upper():
        raise BerichtFout(f"{naam}: bevat een DOCTYPE of ENTITY; iJw/iWmo-berichten hebben die nooit. "
                          "Het bestand is niet gelezen.")
    try:
        root = ET.fromstring(inhoud)
    except ET.ParseError as e:
        regel = e.position[0] if getattr(e, "position", None) else "?"
        raise BerichtFout(f"{naam}: geen geldige XML (regel {regel}). Vraag de afzender het bericht opnieuw te "
                          "sturen.") from None
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    soort = SOORTEN.get(ns)
    if soort is None:
        if re.fullmatch(r"http://www\.istandaarden\.nl/i(jw|wmo)/\d_\d/(jw|wmo)\d{3}/schema", ns):
            return None, []  # another message of the standard (302, 306 …) or release: not used
        raise BerichtFout(f"{naam}: geen iJw- of iWmo-bericht van release 3.2 (namespace '{ns[:120]}').")
    fouten = list(schema(ns).iter_errors(root))
    if fouten:
        f = fouten[0]
        meer = f" (en nog {len(fouten) - 1} fout(en))" if len(fouten) > 1 else ""
        raise BerichtFout(f"{naam}: {soort.naam}, element {_pad(f.path or '')}: {_reden(f)}{meer}. "
                          "Het bericht is overgeslagen.")
    m = {"m": ns, "b": ns.replace(f"/{soort.naam.lower()}/", "/basisschema/")}
    bsn = _tekst(root, "m:Client/m:Bsn", m)
    if not _elfproef(bsn):
        raise BerichtFout(f"{naam}: {soort.naam}, element Client/Bsn: geen geldig burgerservicenummer "
                          "(elfproef). Het bericht is overgeslagen.")
    geboren = _tekst(root, "m:Client/m:Geboortedatum/b:Datum", m)
    kop = {"afzender": _tekst(root, "m:Header/m:Afzender", m), "ontvanger": _tekst(root, "m:Header/m:Ontvanger", m),
           "dag": _tekst(root, "m:Header/m:BerichtIdentificatie/b:Dagtekening", m),
           "id": _tekst(root, "m:Header/m:BerichtIdentificatie/b:Identificatie", m)}
    van_gemeente = soort.nummer == "301"
    postcode, huisnummer = _adres(root, m) if van_gemeente else ("", "")
    basis = dict(bericht=soort.naam, wet=soort.wet, bestand=naam,
                 aanbieder=kop["ontvanger"] if van_gemeente else kop["afzender"],
                 gemeente=kop["afzender"] if van_gemeente else kop["ontvanger"],
                 client=pseudoniem.client(bsn), geboortejaar=int(geboren[:4]), dagtekening=kop["dag"],
                 postcode=postcode, huisnummer=huisnummer)
    del bsn, geboren
    regels = []
    for i, r in enumerate(root.findall(f"m:Client/m:{soort.lijst}/m:{soort.regel}", m)):
        regels.append(Regel(
            **basis, volgorde=(kop["dag"], kop["id"], naam, volgnummer, i),
            toewijzing=_tekst(r, "m:ToewijzingNummer", m), referentie=_tekst(r, "m:ReferentieAanbieder", m),
            categorie=_tekst(r, "m:Product/b:Categorie", m),
            begindatum=_tekst(r, "m:Begindatum", m) or _tekst(r, "m:Ingangsdatum", m),
            einddatum=_tekst(r, "m:Einddatum", m), reden=_tekst(r, "m:RedenBeeindiging", m),
            status=_tekst(r, "m:StatusAanlevering", m) or "1", verwijzer=_tekst(r, "m:Verwijzer/b:Type", m)))
    return soort, regels


def _adres(root, m: dict) -> tuple[str, str]:
    """Postcode and house number of the client's first address (JW301/WMO301), for the wijk only."""
    for contact in root.iter(f"{{{m['m']}}}Contact"):
        postcode = huisnummer = ""
        for el in contact.iter():
            naam = _lokaal(el.tag)
            if naam == "Postcode" and el.text:
                postcode = re.sub(r"\s", "", el.text).upper()
            elif naam == "Huisnummer" and el.text and el.text.strip().isdigit() and not huisnummer:
                huisnummer = el.text.strip()
        if postcode:
            return postcode, huisnummer
    return "", ""
