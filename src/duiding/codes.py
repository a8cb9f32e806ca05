"""Code lists of the iStandaarden (release 3.2) and the Utrecht practice.

Every list maps a code to its Dutch label. The validation, the indicators and the
charts read these tables, so a code is defined in exactly one place.
"""

from __future__ import annotations

WETTEN = {"jeugd": "Jeugdwet", "wmo": "Wmo 2015"}
SOORTEN = {"basiszorg": "basiszorg (buurtteam)", "aanvullend": "aanvullende zorg"}
AANBIEDER_WETTEN = {"jeugd": "Jeugdwet", "wmo": "Wmo 2015", "beide": "Jeugdwet en Wmo"}

# COD327 Verwijzer (jeugd only). There is no 07.
VERWIJZER = {
    "01": "Gemeente",
    "02": "Huisarts",
    "03": "Jeugdarts",
    "04": "Gecertificeerde instelling",
    "05": "Medisch specialist",
    "06": "Zelfverwijzer / geen verwijzer",
    "08": "Rechter, Officier van Justitie of JJI",
}

# JZ588 Reden beeindiging (iJw)
REDEN_JEUGD = {
    "02": "Overlijden",
    "20": "Tijdelijk beëindigd",
    "31": "Volgens plan beëindigd",
    "32": "Voortijdig door cliënt",
    "33": "Voortijdig door aanbieder",
    "34": "Voortijdig in overleg",
    "35": "Voortijdig, externe oorzaak",
    "36": "Geïnitieerd door de gemeente",
    "37": "Wijzigingsverzoek",
    "38": "Overstap naar andere aanbieder",
    "39": "Uitstroom ander domein",
}

# WMO588 Reden beeindiging (iWmo)
REDEN_WMO = {
    "02": "Overlijden",
    "19": "Volgens plan beëindigd",
    "20": "Tijdelijk beëindigd",
    "21": "Eenzijdig door cliënt",
    "22": "Eenzijdig door aanbieder",
    "23": "Voortijdig in overeenstemming",
    "31": "Verhuizing andere gemeente",
    "36": "Geïnitieerd door de gemeente",
    "37": "Wijzigingsverzoek",
    "38": "Overstap naar andere aanbieder",
    "39": "Uitstroom ander domein",
}

# Endings that count as "volgens plan" per wet (used for herinstroom).
VOLGENS_PLAN = {"jeugd": "31", "wmo": "19"}
OVERSTAP = "38"

# Maatschappelijk resultaat: the endings that say something about how care went, per wet.
# Left out: 02 overlijden, 20 tijdelijk beeindigd, 37 wijzigingsverzoek (an administrative
# change of product), 38 overstap (care goes on elsewhere) and, Wmo only, 31 verhuizing.
RESULTAAT_TELT = {
    "jeugd": ("31", "32", "33", "34", "35", "36", "39"),
    "wmo": ("19", "21", "22", "23", "36", "39"),
}

# JZ020 Productcategorie (iJw)
PRODUCT_JEUGD = {
    "40": "Persoonlijke verzorging",
    "41": "Dagbehandeling",
    "42": "Vervoerdiensten",
    "43": "Verblijf inclusief behandeling",
    "44": "Verblijf exclusief behandeling",
    "45": "Jeugdhulp ambulant",
    "46": "Crisis",
    "47": "Jeugdreclassering",
    "48": "Jeugdbescherming",
    "49": "Preventief justitieel",
    "50": "Maatwerkarrangementen",
    "51": "Generalistische basis-ggz",
    "52": "Specialistische ggz",
    "53": "Kindergeneeskunde",
    "54": "Jeugd-ggz",
    "55": "Landelijk ingekocht",
}

# WMO020 Productcategorie (iWmo)
PRODUCT_WMO = {
    "01": "Hulp bij het huishouden",
    "02": "Begeleiding",
    "03": "Persoonlijke verzorging",
    "04": "Kortdurend verblijf",
    "05": "Woondiensten",
    "06": "Overige individuele ondersteuning",
    "07": "Dagbesteding",
    "08": "Vervoerdiensten",
    "09": "Overige groepsgerichte ondersteuning",
    "10": "Overige maatwerkarrangementen",
    "11": "Rolstoelen",
    "12": "Vervoervoorzieningen",
    "13": "Woonvoorzieningen",
    "14": "Overige hulpmiddelen",
    "15": "Beschermd wonen",
    "16": "Opvang",
    "17": "Spoedopvang",
    "18": "Overige beschermd wonen en opvang",
}

PRODUCT = {"jeugd": PRODUCT_JEUGD, "wmo": PRODUCT_WMO}
REDEN = {"jeugd": REDEN_JEUGD, "wmo": REDEN_WMO}

LEEFTIJDSGROEPEN = ("0-17", "18-64", "65+")
THEMAS = {
    "toegankelijkheid": "Toegankelijkheid",
    "kwaliteit": "Kwaliteit",
    "effect": "Effect",
}

LEIDENDE_PRINCIPES = (
    "Leefwereld centraal",
    "Doen wat nodig is",
    "Ruimte voor professionals",
    "Uitgaan van mogelijkheden",
    "Zo nabij mogelijk",
    "Eenvoud",
)

# The ten wijken of Utrecht with their CBS codes (used by the sample data).
UTRECHT_WIJKEN = {
    "WK034401": "West",
    "WK034402": "Noordwest",
    "WK034403": "Overvecht",
    "WK034404": "Noordoost",
    "WK034405": "Oost",
    "WK034406": "Binnenstad",
    "WK034407": "Zuid",
    "WK034408": "Zuidwest",
    "WK034409": "Leidsche Rijn",
    "WK034410": "Vleuten-De Meern",
}


def label(codes: dict[str, str], code: str) -> str:
    """Return 'code label' for display, or the bare code when unknown."""
    return f"{code} {codes[code]}" if code in codes else str(code)
