"""The fields of a duiding, their Dutch labels and allowed values: one definition for the
store, the forms, the verslag and the CSV exchange."""

from __future__ import annotations

from ..codes import LEIDENDE_PRINCIPES
from ..exceptions import InvoerFout

SOORTEN = ("wijk", "aanbieder", "stad", "gemeente", "regio")  # regio: the whole of a region's data

# indicator sections of the notebooks, in their order, with the heading users see
SECTIES = {
    "bereik": "Bereik",
    "wachttijd": "Beschikbaarheid",
    "ervaringen": "Ervaringen",
    "budget": "Budget",
    "verdieping": "Verdieping",
    # a region (gemeente and regio notebooks)
    "solidariteit": "Solidariteit",
    "resultaat": "Maatschappelijk resultaat",
    "nabijheid": "Nabijheid",
}

HERKENNEN = ("ja", "deels", "nee")
WAARDERING = ("positief", "neutraal", "zorgelijk")
BINNEN_KADERS = ("ja", "nee", "twijfel")
STATUS = ("open", "lopend", "gereed")
PRINCIPES = LEIDENDE_PRINCIPES

# the text and choice fields of a duiding, in form order, with their Dutch label
VELDEN = {
    "wat_zien_we": "Wat zien we?",
    "herkennen": "Herkennen we het beeld?",
    "herkennen_toelichting": "Toelichting bij herkennen",
    "verhaal": "Wat is het verhaal erachter?",
    "waardering": "Hoe waarderen we dat?",
    "verwachting": "Wat verwachten we?",
    "principes": "Welke leidende principes raakt het?",
    "binnen_kaders": "Blijven we binnen de kaders?",
}
KEUZES = {"herkennen": HERKENNEN, "waardering": WAARDERING, "binnen_kaders": BINNEN_KADERS}
MAX_TEKST = 20_000  # characters per text field: a long story fits, a pasted file does not


def principes_lijst(waarde, toegestaan=PRINCIPES) -> list[str]:
    """'Eenvoud; zo nabij mogelijk' or a list -> the canonical names, in the order of `toegestaan`.

    `toegestaan` is the gemeente's list (`leidende_principes` in duiding.toml).
    """
    if waarde is None:
        return []
    delen = waarde.split(";") if isinstance(waarde, str) else list(waarde)
    gevraagd = {d.strip().casefold() for d in delen if d and d.strip()}
    bekend = {p.casefold(): p for p in toegestaan}
    onbekend = sorted(gevraagd - set(bekend))
    if onbekend:
        raise InvoerFout(f"Onbekend leidend principe '{onbekend[0]}'. Kies uit: {'; '.join(toegestaan)}.")
    return [p for p in toegestaan if p.casefold() in gevraagd]


def principes_vrij(waarde) -> list[str]:
    """Any list of principles, as stored: duidingen saved under an earlier list stay as they were."""
    if waarde is None:
        return []
    delen = waarde.split(";") if isinstance(waarde, str) else list(waarde)
    uit: dict[str, str] = {}
    for d in delen:
        d = str(d).strip()
        if len(d) > 100:
            raise InvoerFout(f"Leidend principe '{d[:40]}…' is te lang (hoogstens 100 tekens).")
        if d:
            uit.setdefault(d.casefold(), d)
    return list(uit.values())


def schoon(velden: dict) -> dict:
    """Validated duiding fields: known keys, allowed choices, bounded text. Raises InvoerFout."""
    onbekend = set(velden) - set(VELDEN)
    if onbekend:
        raise InvoerFout(f"Onbekend veld '{sorted(onbekend)[0]}'. Velden: {', '.join(VELDEN)}.")
    uit = {}
    for naam in VELDEN:
        waarde = velden.get(naam)
        if naam == "principes":
            uit[naam] = "; ".join(principes_vrij(waarde))
            continue
        waarde = "" if waarde is None else str(waarde).strip()
        if naam in KEUZES:
            waarde = waarde.casefold()
            if waarde and waarde not in KEUZES[naam]:
                raise InvoerFout(f"'{waarde}' is geen geldige waarde voor '{VELDEN[naam]}'. "
                                 f"Kies {', '.join(KEUZES[naam][:-1])} of {KEUZES[naam][-1]}, of laat het leeg.")
        elif len(waarde) > MAX_TEKST:
            raise InvoerFout(f"'{VELDEN[naam]}' is te lang ({len(waarde)} tekens; hoogstens {MAX_TEKST}).")
        uit[naam] = waarde
    return uit


def geldige_sectie(sectie: str) -> str:
    s = str(sectie).strip().casefold()
    if s not in SECTIES:
        raise InvoerFout(f"Onbekende sectie '{sectie}'. Kies uit: {', '.join(SECTIES)}.")
    return s
