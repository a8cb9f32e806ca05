"""iJw/iWmo release 3.2 messages composed in their published shapes, for the tests.

Message namespace per type (`…/ijw/3_2/jw305/schema`), the basis schema's namespace for
BerichtIdentificatie, Geboortedatum and Product, header codes from COD002-VEKT (JW301 436,
JW305 438, JW307 440, JW315 446; WMO301 414, WMO305 418, WMO307 420), and the elements a
real message carries besides what the kit reads (Geslacht, Naam, XsdVersie, Contactgegevens,
Omvang …), so the schema's open content is exercised too. The BSN is the test number
999900006 of the iStandaarden; names and birth dates are made up.
"""

from __future__ import annotations

from dataclasses import dataclass

CODE = {("ijw", "301"): "436", ("ijw", "305"): "438", ("ijw", "307"): "440", ("ijw", "315"): "446",
        ("iwmo", "301"): "414", ("iwmo", "305"): "418", ("iwmo", "307"): "420", ("iwmo", "315"): "444"}
LIJST = {"301": ("ToegewezenProducten", "ToegewezenProduct"), "305": ("StartProducten", "StartProduct"),
         "307": ("StopProducten", "StopProduct"), "315": ("AangevraagdeProducten", "AangevraagdProduct")}


@dataclass
class Client:
    bsn: str
    geboren: str  # yyyy-mm-dd
    achternaam: str
    voornaam: str
    postcode: str = "3531AB"
    huisnummer: str = "12"


def bericht(standaard: str, nummer: str, client: Client, regels: list[str], dag: str, ident: str,
            aanbieder: str = "12345678", gemeente: str = "0344") -> str:
    """One message: `regels` are the product lines' inner XML, with `m:` for the message namespace
    and `b:` for the basis schema."""
    soort = ("jw" if standaard == "ijw" else "wmo") + nummer
    ns = f"http://www.istandaarden.nl/{standaard}/3_2/{soort}/schema"
    basis = f"http://www.istandaarden.nl/{standaard}/3_2/basisschema/schema"
    van_gemeente = nummer == "301"
    afzender, ontvanger = (gemeente, aanbieder) if van_gemeente else (aanbieder, gemeente)
    lijst, regel = LIJST[nummer]
    contact = ""
    if van_gemeente:
        contact = (f"<m:Contactgegevens><m:Contact><m:Soort>01</m:Soort><m:Adres><b:Straatnaam>Teststraat"
                   f"</b:Straatnaam><b:Huisnummer><b:Huisnummer>{client.huisnummer}</b:Huisnummer></b:Huisnummer>"
                   f"<b:Postcode>{client.postcode}</b:Postcode><b:Plaatsnaam>Utrecht</b:Plaatsnaam></m:Adres>"
                   f"</m:Contact></m:Contactgegevens>")
    producten = "".join(f"<m:{regel}>{r}</m:{regel}>" for r in regels)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<m:Bericht xmlns:m="{ns}" xmlns:b="{basis}">
  <m:Header>
    <m:BerichtCode>{CODE[(standaard, nummer)]}</m:BerichtCode>
    <m:BerichtVersie>3</m:BerichtVersie>
    <m:BerichtSubversie>2</m:BerichtSubversie>
    <m:Afzender>{afzender}</m:Afzender>
    <m:Ontvanger>{ontvanger}</m:Ontvanger>
    <m:BerichtIdentificatie><b:Identificatie>{ident}</b:Identificatie><b:Dagtekening>{dag}</b:Dagtekening>
    </m:BerichtIdentificatie>
    <m:XsdVersie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie>
    </m:XsdVersie>
  </m:Header>
  <m:Client>
    <m:Bsn>{client.bsn}</m:Bsn>
    <m:Geboortedatum><b:Datum>{client.geboren}</b:Datum><b:DatumGebruik>1</b:DatumGebruik></m:Geboortedatum>
    <m:Geslacht>2</m:Geslacht>
    <m:Naam><b:Geslachtsnaam><b:Achternaam>{client.achternaam}</b:Achternaam></b:Geslachtsnaam>
      <b:Voornamen>{client.voornaam}</b:Voornamen><b:Voorletters>{client.voornaam[0]}</b:Voorletters></m:Naam>
    {contact}
    <m:{lijst}>{producten}</m:{lijst}>
  </m:Client>
</m:Bericht>
"""


def product(categorie: str, code: str = "") -> str:
    return f"<m:Product><b:Categorie>{categorie}</b:Categorie>{f'<b:Code>{code}</b:Code>' if code else ''}</m:Product>"


def start(toewijzing: str, categorie: str, begin: str, status: str = "1") -> str:
    return (f"<m:ToewijzingNummer>{toewijzing}</m:ToewijzingNummer>{product(categorie, categorie + 'A01')}"
            f"<m:ToewijzingIngangsdatum>{begin}</m:ToewijzingIngangsdatum><m:Begindatum>{begin}</m:Begindatum>"
            f"<m:StatusAanlevering>{status}</m:StatusAanlevering>")


def stop(toewijzing: str, categorie: str, begin: str, eind: str, reden: str, status: str = "1") -> str:
    return (f"<m:ToewijzingNummer>{toewijzing}</m:ToewijzingNummer>{product(categorie)}"
            f"<m:ToewijzingIngangsdatum>{begin}</m:ToewijzingIngangsdatum><m:Begindatum>{begin}</m:Begindatum>"
            f"<m:RedenBeeindiging>{reden}</m:RedenBeeindiging><m:Einddatum>{eind}</m:Einddatum>"
            f"<m:StatusAanlevering>{status}</m:StatusAanlevering>")


def toewijzing(nummer: str, categorie: str, ingang: str, referentie: str = "", verwijzer: str = "") -> str:
    ref = f"<m:ReferentieAanbieder>{referentie}</m:ReferentieAanbieder>" if referentie else ""
    vw = f"<m:Verwijzer><b:Type>{verwijzer}</b:Type><b:Naam>dr. Huisarts</b:Naam></m:Verwijzer>" if verwijzer else ""
    return (f"<m:ToewijzingNummer>{nummer}</m:ToewijzingNummer>{ref}{product(categorie)}"
            f"<m:Toewijzingsdatum>{ingang}</m:Toewijzingsdatum><m:Toewijzingstijd>10:00:00</m:Toewijzingstijd>"
            f"<m:Ingangsdatum>{ingang}</m:Ingangsdatum>"
            f"<m:Omvang><b:Volume>10</b:Volume><b:Eenheid>04</b:Eenheid><b:Frequentie>2</b:Frequentie></m:Omvang>{vw}")


def verzoek(referentie: str, categorie: str, ingang: str, verwijzer: str) -> str:
    return (f"<m:ReferentieAanbieder>{referentie}</m:ReferentieAanbieder>{product(categorie)}"
            f"<m:ToewijzingIngangsdatum>{ingang}</m:ToewijzingIngangsdatum>"
            f"<m:Verwijzer><b:Type>{verwijzer}</b:Type><b:ZorgverlenerCode>01123456</b:ZorgverlenerCode></m:Verwijzer>")
