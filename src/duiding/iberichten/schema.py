"""The structure of the messages the kit reads, as XSD 1.1, checked with `xmlschema`.

Only what the kit uses is declared, in the order release 3.2 gives it, with its code
lists; everything else a message carries (names, contact details, Omvang …) is allowed
anywhere by open content and skipped unread. So a real message with more elements than
the kit needs is valid, and one whose used elements are missing, misplaced or outside
their code list is not.

Each message type is one schema in its own namespace, importing the shared basis schema
of its standard (`…/ijw/3_2/basisschema/schema`), as the published schemas are laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import codes

RELEASE = "3_2"


@dataclass(frozen=True)
class Soort:
    """One message type: JW305, WMO307 …"""
    standaard: str  # ijw | iwmo
    nummer: str  # 301 | 305 | 307 | 315
    code: str  # BerichtCode (COD002-VEKT)
    lijst: str  # the product list under Client
    regel: str  # one element of that list

    @property
    def naam(self) -> str:
        return ("JW" if self.standaard == "ijw" else "WMO") + self.nummer

    @property
    def wet(self) -> str:
        return "jeugd" if self.standaard == "ijw" else "wmo"

    @property
    def namespace(self) -> str:
        return f"http://www.istandaarden.nl/{self.standaard}/{RELEASE}/{self.naam.lower()}/schema"


def basis_namespace(standaard: str) -> str:
    return f"http://www.istandaarden.nl/{standaard}/{RELEASE}/basisschema/schema"


_LIJSTEN = {"301": ("ToegewezenProducten", "ToegewezenProduct"), "305": ("StartProducten", "StartProduct"),
            "307": ("StopProducten", "StopProduct"), "315": ("AangevraagdeProducten", "AangevraagdProduct")}
_CODES = {("ijw", "301"): "436", ("ijw", "305"): "438", ("ijw", "307"): "440", ("ijw", "315"): "446",
          ("iwmo", "301"): "414", ("iwmo", "305"): "418", ("iwmo", "307"): "420", ("iwmo", "315"): "444"}
SOORTEN = {s.namespace: s for s in (Soort(st, nr, code, *_LIJSTEN[nr]) for (st, nr), code in _CODES.items())}

# per message: the product line's elements the kit reads, in release order, (name, type, required)
_VELDEN = {
    "301": [("ToewijzingNummer", "b:Nummer", True), ("ReferentieAanbieder", "xs:string", False),
            ("Product", "b:Product", False), ("Toewijzingsdatum", "xs:date", False),
            ("Ingangsdatum", "xs:date", True), ("Einddatum", "xs:date", False), ("Verwijzer", "b:Verwijzer", False)],
    "305": [("ToewijzingNummer", "b:Nummer", True), ("Product", "b:Product", False),
            ("ToewijzingIngangsdatum", "xs:date", False), ("Begindatum", "xs:date", True),
            ("StatusAanlevering", "b:StatusAanlevering", True)],
    "307": [("ToewijzingNummer", "b:Nummer", True), ("Product", "b:Product", False),
            ("ToewijzingIngangsdatum", "xs:date", False), ("Begindatum", "xs:date", True),
            ("RedenBeeindiging", "b:RedenBeeindiging", False), ("Einddatum", "xs:date", True),
            ("StatusAanlevering", "b:StatusAanlevering", True)],
    "315": [("ReferentieAanbieder", "xs:string", True), ("Product", "b:Product", False),
            ("ToewijzingIngangsdatum", "xs:date", False), ("Verwijzer", "b:Verwijzer", False)],
}

_OPEN = """<xs:defaultOpenContent mode="interleave" appliesToEmpty="true">
    <xs:any namespace="##any" processContents="skip"/></xs:defaultOpenContent>"""


def _opsomming(waarden) -> str:
    return "".join(f'<xs:enumeration value="{w}"/>' for w in sorted(waarden))


def basis_xsd(standaard: str) -> str:
    wet = "jeugd" if standaard == "ijw" else "wmo"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{basis_namespace(standaard)}"
           xmlns:b="{basis_namespace(standaard)}" elementFormDefault="qualified">
  {_OPEN}
  <xs:complexType name="BerichtIdentificatie"><xs:sequence>
    <xs:element name="Identificatie" type="xs:string"/>
    <xs:element name="Dagtekening" type="xs:date"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Geboortedatum"><xs:sequence>
    <xs:element name="Datum" type="xs:date"/>
  </xs:sequence></xs:complexType>
  <xs:simpleType name="Bsn"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{{9}}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Nummer"><xs:restriction base="xs:string"><xs:pattern value="[0-9A-Za-z]{{1,20}}"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="Categorie"><xs:restriction base="xs:string">{_opsomming(codes.PRODUCT[wet])}
  </xs:restriction></xs:simpleType>
  <xs:complexType name="Product"><xs:sequence>
    <xs:element name="Categorie" type="b:Categorie"/>
    <xs:element name="Code" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string">
      <xs:pattern value="[0-9A-Z]{{5}}"/></xs:restriction></xs:simpleType></xs:element>
  </xs:sequence></xs:complexType>
  <xs:simpleType name="StatusAanlevering"><xs:restriction base="xs:string">{_opsomming(["1", "2", "3"])}
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="RedenBeeindiging"><xs:restriction base="xs:string">{_opsomming(codes.REDEN[wet])}
  </xs:restriction></xs:simpleType>
  <xs:complexType name="Verwijzer"><xs:sequence>
    <xs:element name="Type"><xs:simpleType><xs:restriction base="xs:string">{_opsomming(codes.VERWIJZER)}
    </xs:restriction></xs:simpleType></xs:element>
  </xs:sequence></xs:complexType>
</xs:schema>"""


def bericht_xsd(soort: Soort) -> str:
    velden = "\n".join(f'<xs:element name="{n}" type="{t}" minOccurs="{1 if verplicht else 0}"/>'
                       for n, t, verplicht in _VELDEN[soort.nummer])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{soort.namespace}"
           xmlns:m="{soort.namespace}" xmlns:b="{basis_namespace(soort.standaard)}" elementFormDefault="qualified">
  <xs:import namespace="{basis_namespace(soort.standaard)}"/>
  {_OPEN}
  <xs:element name="Bericht"><xs:complexType><xs:sequence>
    <xs:element name="Header" type="m:Header"/>
    <xs:element name="Client" type="m:Client"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:complexType name="Header"><xs:sequence>
    <xs:element name="BerichtCode"><xs:simpleType><xs:restriction base="xs:string">
      <xs:enumeration value="{soort.code}"/></xs:restriction></xs:simpleType></xs:element>
    <xs:element name="BerichtVersie" type="xs:string" fixed="3"/>
    <xs:element name="BerichtSubversie" type="xs:string" fixed="2"/>
    <xs:element name="Afzender" type="b:Nummer"/>
    <xs:element name="Ontvanger" type="b:Nummer"/>
    <xs:element name="BerichtIdentificatie" type="b:BerichtIdentificatie"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Client"><xs:sequence>
    <xs:element name="Bsn" type="b:Bsn"/>
    <xs:element name="Geboortedatum" type="b:Geboortedatum"/>
    <xs:element name="{soort.lijst}"><xs:complexType><xs:sequence>
      <xs:element name="{soort.regel}" type="m:Regel" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Regel"><xs:sequence>
    {velden}
  </xs:sequence></xs:complexType>
</xs:schema>"""


@lru_cache(maxsize=None)
def schema(namespace: str):
    """The compiled XSD 1.1 schema of one message type (built once per process)."""
    import xmlschema

    soort = SOORTEN[namespace]
    # the first source is the message's schema; the second, the basis schema it imports
    return xmlschema.XMLSchema11([bericht_xsd(soort), basis_xsd(soort.standaard)])
