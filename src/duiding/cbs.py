"""Population from a CBS StatLine export of "Kerncijfers wijken en buurten".

StatLine CSV exports are `;`-separated and quoted, pad region codes with spaces and
write `.` for a secret or missing value. Kerncijfers has the age groups 0-15, 15-25,
25-45, 45-65 and 65+; the contract needs 0-17, 18-64 and 65+. We estimate 0-17 as
0-15 plus 3/10 of 15-25 (three of its ten birth years) and say so in a warning.
"""

from __future__ import annotations

import re

import pandas as pd

_LEEFTIJD = {
    "0_15": [r"0\s*tot\s*15", r"0tot15"],
    "15_25": [r"15\s*tot\s*25", r"15tot25"],
    "25_45": [r"25\s*tot\s*45", r"25tot45"],
    "45_65": [r"45\s*tot\s*65", r"45tot65"],
    "65p": [r"65\s*jaar\s*of\s*ouder", r"65jaarofouder"],
}


def is_statline(kolommen: list[str]) -> bool:
    platte = [re.sub(r"[^a-z0-9]", "", k.lower()) for k in kolommen]
    return any(k.startswith("codering") for k in platte) and any("15tot25" in k for k in platte)


def _zoek(kolommen: list[str], patronen: list[str]) -> str | None:
    for k in kolommen:
        plat = k.lower().replace("_", "")
        if any(re.search(p, plat) for p in patronen):
            return k
    return None


def naar_bevolking(ruw: pd.DataFrame, jaar: int | None) -> tuple[pd.DataFrame, list[str]]:
    """Convert a StatLine table (all text) to contract rows (all text).

    Returns the rows and a list of Dutch problems (empty when all went well).
    """
    kolommen = list(ruw.columns)
    problemen: list[str] = []
    code_kol = next(k for k in kolommen if re.sub(r"[^a-z]", "", k.lower()).startswith("codering"))
    leeftijd = {naam: _zoek(kolommen, p) for naam, p in _LEEFTIJD.items()}
    ontbreekt = [n.replace("_", "-").replace("p", "+") for n, k in leeftijd.items() if k is None]
    if ontbreekt:
        return pd.DataFrame(), [
            "in deze CBS-export ontbreken de leeftijdsgroepen " + ", ".join(ontbreekt)
            + "; exporteer Kerncijfers wijken en buurten met alle leeftijdsgroepen"
        ]
    # `Perioden` ("2024JJ00", "2024") in StatLine's own exports, `Peildatum` ("1-1-2024") in others
    periode_kol = _zoek(kolommen, [r"^perioden?$", r"^peildatum$"])
    if periode_kol is not None:
        jaren = ruw[periode_kol].str.extract(r"(\d{4})")[0]
    elif jaar is not None:
        jaren = pd.Series(str(jaar), index=ruw.index)
    else:
        return pd.DataFrame(), [
            "uit deze CBS-export blijkt niet over welk jaar hij gaat; zet het jaar in de "
            "bestandsnaam (bijvoorbeeld bevolking_2024.csv) of voeg een kolom 'Perioden' toe"
        ]
    code = ruw[code_kol].str.strip()
    soort_kol = _zoek(kolommen, [r"soort\s*regio", r"soortregio"])
    if soort_kol is not None:
        wijk = ruw[soort_kol].str.strip().str.lower() == "wijk"
    else:
        wijk = code.str.upper().str.startswith("WK")
    getal = {}
    for naam, kol in leeftijd.items():
        tekst = ruw[kol].str.strip().str.replace(".", "", regex=False).str.replace(" ", "")
        getal[naam] = pd.to_numeric(tekst.where(tekst != ""), errors="coerce")
    jeugd = (getal["0_15"] + 0.3 * getal["15_25"]).round()
    volw = (getal["15_25"] - (0.3 * getal["15_25"]).round() + getal["25_45"] + getal["45_65"])
    groepen = {"0-17": jeugd, "18-64": volw, "65+": getal["65p"]}
    # the user's own row numbers (header = row 1), for every message about these rows
    rij = pd.Series(range(2, len(ruw) + 2), index=ruw.index)
    delen = []
    for groep, waarde in groepen.items():
        deel = pd.DataFrame(
            {"jaar": jaren, "wijk_code": code, "leeftijdsgroep": groep, "aantal": waarde, "_rij": rij}
        )[wijk & waarde.notna()]
        delen.append(deel)
    uit = pd.concat(delen, ignore_index=True)
    gemeente_kol = _zoek(kolommen, [r"^gemeentenaam"])
    if gemeente_kol is not None:  # the gemeente's name, for titles (Gegevens.gemeente)
        uit.attrs["gemeenten"] = sorted(set(ruw.loc[wijk, gemeente_kol].str.strip()) - {""})
    wijziging_kol = _zoek(kolommen, [r"^indelingswijziging"])
    if wijziging_kol is not None:
        # CBS marks a wijk whose code or boundaries changed since the year before (any code but 1)
        vlag = ruw[wijziging_kol].str.strip()
        gewijzigd = wijk & vlag.ne("") & vlag.ne(".") & vlag.ne("1")
        uit["_indeling"] = uit["_rij"].isin(rij[gewijzigd])
    else:
        uit["_indeling"] = False
    geheim = int((wijk & pd.concat(groepen, axis=1).isna().any(axis=1)).sum())
    if geheim:
        problemen.append(
            f"waarschuwing: {geheim} wijk(en) met een geheime of ontbrekende waarde ('.') in de "
            "CBS-export; voor die wijken ontbreekt een deel van de bevolking"
        )
    uit["aantal"] = uit["aantal"].astype("int64").astype(str)
    return uit, problemen
