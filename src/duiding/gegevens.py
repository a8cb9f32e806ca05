"""The validated tables of one data folder, ready for the indicators."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import CONTRACT
from .controle import Rapport, cache, controleer, dekking
from .controle.regels import gemeente_codes
from .exceptions import ParameterFout, PeriodeFout, ValidatieFout
from .inhoud import bestand_hash
from .paths import stempel
from .periode import Kwartaal
from .tabellen import LuiVeld, onthouden

MIN_INWONERS = 100  # below this a wijk gets a short report: rates per inhabitant say nothing there
_LEEG_TYPE = {"tekst": "str", "code": "str", "geheel": "Int64", "bedrag": "float64",
              "datum": "datetime64[ns]"}


def _leeg(stam: str) -> pd.DataFrame:
    return pd.DataFrame({k.naam: pd.Series(dtype=_LEEG_TYPE[k.type]) for k in CONTRACT[stam].kolommen
                         if not k.weglaten_mag})


@dataclass
class Gegevens:
    map: Path
    trajecten: pd.DataFrame = LuiVeld()  # type: ignore[assignment]
    aanbieders: pd.DataFrame
    wijken: pd.DataFrame
    bevolking: pd.DataFrame
    ervaringen: pd.DataFrame = LuiVeld()  # type: ignore[assignment]
    budget: pd.DataFrame
    realisatie: pd.DataFrame
    # reported by providers (optional file): weeks to intake and to start per product and quarter
    wachttijden: pd.DataFrame = field(default_factory=lambda: _leeg("wachttijden"))
    # a region (optional files): names of its gemeenten, the aanbieders' locations, postcode positions
    gemeenten: pd.DataFrame = field(default_factory=lambda: _leeg("gemeenten"))
    locaties: pd.DataFrame = field(default_factory=lambda: _leeg("locaties"))
    postcodes: pd.DataFrame = field(default_factory=lambda: _leeg("postcodes"))
    regio: str = ""  # the region's name (bron.toml or duiding.toml), when the data hold several gemeenten
    hash: str = ""
    fictief: bool = False
    bron: str = ""
    gemeente: str = ""
    rapport: Rapport | None = field(default=None, repr=False)
    # caches that live as long as these data: the DuckDB connection of the indicators, and
    # the protected tables the notebooks of a warm kernel share (`Onderwerp.tabel`)
    duckdb: object | None = field(default=None, repr=False, compare=False)
    tabellen: dict = field(default_factory=dict, repr=False, compare=False)
    cache_sleutel: str = field(default="", repr=False, compare=False)  # the data's key in `controle.cache`

    @property
    def bronvermelding(self) -> str:
        """Dutch source line for captions."""
        tekst = f"Bron: {self.bron or 'gegevens van ' + self.gemeente}"
        return tekst + " · fictieve gegevens" if self.fictief else tekst

    def indelingswijzigingen(self, eerste: Kwartaal, laatste: Kwartaal, wijk: str | None = None) -> list[str]:
        """Dutch notes for wijken re-divided within these quarters (all wijken when `wijk` is None)."""
        gewijzigd = (self.rapport.samenvatting.get("indelingswijzigingen", {}) if self.rapport else {})
        namen = dict(zip(self.wijken["wijk_code"], self.wijken["naam"]))
        return [f"wijkindeling van {namen.get(w, w)} gewijzigd in {j}; vergelijk cijfers per inwoner niet "
                f"over die grens" for w, jaren in gewijzigd.items() if wijk in (None, w)
                for j in jaren if eerste.jaar < j <= laatste.jaar]

    def inwoners(self, jaar: int, groepen: tuple[str, ...] | None = None) -> dict[str, int]:
        """Inhabitants per wijk in `jaar`, or the nearest earlier year with figures.

        All age groups, or only `groepen` (e.g. ("0-17",)).
        """
        b = self.bevolking
        if b.empty:
            return {}
        jaren = sorted(int(j) for j in set(b["jaar"].dropna()) if int(j) <= jaar) or sorted(
            int(j) for j in set(b["jaar"].dropna()))
        deel = b[b["jaar"] == jaren[-1]]
        if groepen is not None:
            deel = deel[deel["leeftijdsgroep"].isin(groepen)]
        return {str(w): int(n) for w, n in deel.groupby("wijk_code")["aantal"].sum().items()}

    def weinig_inwoners(self, jaar: int) -> dict[str, int]:
        """Wijken with (almost) no inhabitants (an industrial estate, a new-built area): code -> inhabitants.

        Only wijken the population figures know about; without population figures, none.
        """
        return {w: n for w, n in self.inwoners(jaar).items() if n < MIN_INWONERS}

    def perioden(self) -> tuple[Kwartaal, Kwartaal]:
        """First and last quarter the trajecten cover (see `controle.dekking`).

        Kept beside the data's other caches (a national table takes a tenth of a second
        per look), under the table's identity, so a Gegevens given other trajecten recomputes.
        """
        t = LuiVeld.ruw(self, "trajecten")  # Arrow from the cache stays Arrow: its dates are read there
        sleutel = ("perioden", id(t), len(t))
        if sleutel not in self.tabellen:
            eerste, laatste = dekking(t)
            self.tabellen[sleutel] = (Kwartaal.van_datum(eerste), Kwartaal.van_datum(laatste), t)
        return self.tabellen[sleutel][:2]

    def laatste_kwartaal(self) -> Kwartaal:
        return self.perioden()[1]

    def kwartaal(self, periode: str | Kwartaal | None = None) -> Kwartaal:
        """The quarter asked for (the last one when empty), checked against the data: PeriodeFout in Dutch."""
        eerste, laatste = self.perioden()
        p = Kwartaal.parse(str(periode)) if periode and str(periode).strip() else laatste
        if p < eerste or p > laatste:
            raise PeriodeFout(f"Er zijn geen gegevens voor {p}. Kies een kwartaal van {eerste} t/m {laatste}.")
        return p

    def _zoek(self, tabel: pd.DataFrame, sleutel: str, waarde: str, wat: str) -> str:
        waarde = str(waarde).strip()
        if waarde in set(tabel[sleutel]):
            return waarde
        op_code = tabel[tabel[sleutel].astype(str).str.casefold() == waarde.casefold()]
        if len(op_code) == 1:
            return op_code[sleutel].iloc[0]
        op_naam = tabel[tabel["naam"].str.casefold() == waarde.casefold()]
        if len(op_naam) == 1:
            return op_naam[sleutel].iloc[0]
        geldig = "; ".join(f"{n} ({c})" for c, n in zip(tabel[sleutel], tabel["naam"]))
        if len(op_naam) > 1:
            raise ParameterFout(f"De naam '{waarde}' past bij meer dan één {wat}; gebruik de code. "
                                f"Geldige waarden: {geldig}.")
        raise ParameterFout(f"'{waarde}' is geen bekende {wat}. Geldige waarden: {geldig}.")

    def wijk(self, naam_of_code: str) -> str:
        """The wijk_code for a name or code; ParameterFout listing valid values otherwise."""
        return self._zoek(self.wijken, "wijk_code", naam_of_code, "wijk")

    def aanbieder(self, naam_of_code: str) -> str:
        return self._zoek(self.aanbieders, "aanbieder_id", naam_of_code, "aanbieder")

    @property
    def wijknamen(self) -> dict[str, str]:
        """wijk_code -> naam, in the order of wijken.csv."""
        return dict(zip(self.wijken["wijk_code"], self.wijken["naam"]))

    @property
    def aanbiedernamen(self) -> dict[str, str]:
        """aanbieder_id -> naam, in the order of aanbieders.csv."""
        return dict(zip(self.aanbieders["aanbieder_id"], self.aanbieders["naam"]))

    def productmix(self) -> pd.DataFrame:
        """Per aanbieder the share of its trajecten per (wet, productcategorie): one row per aanbieder."""
        if "productmix" not in self.tabellen:
            t = self.trajecten
            telling = t.groupby(["aanbieder_id", t["wet"].astype(str) + ":" + t["productcategorie"].astype(str)],
                                observed=True).size().unstack(fill_value=0)
            self.tabellen["productmix"] = telling.div(telling.sum(axis=1), axis=0)
        return self.tabellen["productmix"]

    def vergelijkbare_aanbieders(self, aanbieder: str, drempel: float = 0.5) -> list[str]:
        """The aanbieder and its peers: same wet and soort, and a similar productcategorie mix.

        Similar: the cosine similarity of the shares of trajecten per (wet, productcategorie) is
        at least `drempel` (1 = the same mix, 0 = nothing in common). So a Wmo transport
        provider is not compared with a youth-care clinic, even when both are 'aanvullend'.
        Most similar first; the aanbieder itself first of all (docs/indicatoren.md).
        """
        a = self.aanbieders.set_index("aanbieder_id")
        if aanbieder not in a.index:
            return [aanbieder]
        zelfde = a[(a["wet"] == a.at[aanbieder, "wet"]) & (a["soort"] == a.at[aanbieder, "soort"])].index
        mix = self.productmix().reindex(list(zelfde)).fillna(0.0)
        if aanbieder not in mix.index or not mix.loc[aanbieder].any():
            return [aanbieder]
        eigen = mix.loc[aanbieder].to_numpy()
        norm = (mix.pow(2).sum(axis=1) ** 0.5).replace(0, float("nan"))
        gelijkenis = (mix.to_numpy() @ eigen) / (norm * float((eigen ** 2).sum() ** 0.5))
        peers = gelijkenis.drop(aanbieder).dropna()
        return [aanbieder] + list(peers[peers >= drempel].sort_values(ascending=False, kind="stable").index)

    @property
    def kortenamen(self) -> dict[str, str]:
        """aanbieder_id -> a short name for crowded charts: `korte_naam` where given, else derived from naam."""
        eigen = self.aanbieders["korte_naam"] if "korte_naam" in self.aanbieders else [None] * len(self.aanbieders)
        return korte_namen(dict(zip(self.aanbieders["aanbieder_id"], self.aanbieders["naam"])),
                           {a: k for a, k in zip(self.aanbieders["aanbieder_id"], eigen)
                            if isinstance(k, str) and k.strip()})

    @property
    def gemeente_per_wijk(self) -> dict[str, str]:
        """wijk_code -> gemeente_code (its own column, else from the CBS wijk code; '' if unknown)."""
        return onthouden(self, "gemeente_per_wijk", (self.wijken,),
                         lambda: dict(zip(self.wijken["wijk_code"], gemeente_codes(self.wijken))))

    @property
    def gemeentenamen(self) -> dict[str, str]:
        """gemeente_code -> naam: gemeenten.csv first, then any other gemeente the wijken name."""
        def maak() -> dict[str, str]:
            namen = dict(zip(self.gemeenten["gemeente_code"], self.gemeenten["naam"]))
            per_wijk = [c for c in dict.fromkeys(self.gemeente_per_wijk.values()) if c]
            for code in per_wijk:
                if code not in namen:
                    namen[code] = self.gemeente if len(per_wijk) == 1 else f"gemeente {code}"
            return namen
        return onthouden(self, "gemeentenamen", (self.wijken, self.gemeenten, self.gemeente), maak)

    @property
    def is_regio(self) -> bool:
        """The data hold more than one gemeente."""
        return len(self.gemeentenamen) > 1

    def gemeente_zoek(self, naam_of_code: str) -> str:
        """The gemeente_code for a name or code; ParameterFout listing valid values otherwise."""
        tabel = pd.DataFrame({"gemeente_code": list(self.gemeentenamen), "naam": list(self.gemeentenamen.values())})
        return self._zoek(tabel, "gemeente_code", naam_of_code, "gemeente")

    def gemeentenaam(self, code: str) -> str:
        return self.gemeentenamen.get(code, code)

    def wijken_van(self, gemeente: str) -> dict[str, str]:
        """The wijken of one gemeente: code -> name."""
        per = self.gemeente_per_wijk
        return {c: n for c, n in self.wijknamen.items() if per.get(c) == gemeente}

    def wijknaam(self, code: str) -> str:
        return self.wijknamen.get(code, code)

    def aanbiedernaam(self, code: str) -> str:
        return self.aanbiedernamen.get(code, code)

    def onderwerp(self, soort: str, naam_of_code: str | None, gemeente: str) -> tuple[str, str]:
        """(code, name) of a subject: a wijk or aanbieder by name or code, or the city ('stad')."""
        if soort == "wijk":
            code = self.wijk(naam_of_code)
            return code, self.wijknaam(code)
        if soort == "aanbieder":
            code = self.aanbieder(naam_of_code)
            return code, self.aanbiedernaam(code)
        if soort == "gemeente":
            code = self.gemeente_zoek(naam_of_code)
            return code, self.gemeentenaam(code)
        return "stad", gemeente


def lees_bron(map: Path) -> dict:
    pad = map / "bron.toml"
    if not pad.exists():
        return {}
    try:
        return tomllib.loads(pad.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def laad(map: Path | str, koppeling: dict | None = None, bewaar: bool = True) -> Gegevens:
    """Validate a data folder against the contract and load it.

    Parameters
    ----------
    map : Path or str
        The folder with trajecten.csv, aanbieders.csv, wijken.csv and the optional files
        (docs/data.md); CBS exports and a gemeente's own export are read as they come.
    koppeling : dict, optional
        The mapping of the gemeente's own export to the contract, as `Instellingen.koppeling`
        holds it (the `[koppeling]` section of duiding.toml).
    bewaar : bool, default True
        Keep the validated tables in the user's cache folder, keyed by the data's hash, and
        take them from there when the same data is loaded again (`controle.cache`).

    Returns
    -------
    Gegevens
        Typed tables plus where they came from (`hash`, `bron`, `gemeente`, `fictief`) and
        the validation report (`rapport`, including warnings).

    Raises
    ------
    ValidatieFout
        Listing every problem at once, each with file, row, column and what to do
        (`fout.rapport.als_tekst()` in Dutch).

    Example
    -------
    >>> from duiding import laad
    >>> g = laad("data/sample")
    >>> g.perioden()
    (Kwartaal(jaar=2022, kwartaal=1), Kwartaal(jaar=2024, kwartaal=4))
    """
    map = Path(map)
    bewaar = bewaar and map.is_dir()
    stempel_ = cache.stempel(map, koppeling) if bewaar else ""
    vinger = cache.uit_index(stempel_) if bewaar else None  # files untouched since an earlier load
    eerder = cache.lees(vinger.sleutel, map) if vinger else None
    if bewaar and not eerder:  # touched or new: the same bytes may still have been checked before
        vinger = cache.vingerafdruk(map, koppeling)
        eerder = cache.lees(vinger.sleutel, map)
        if eerder:
            cache.in_index(stempel_, vinger)
    code = vinger.sleutel if vinger else None
    if eerder:
        rapport, tabellen, data_hash = eerder
    else:
        rapport, tabellen, paden = controleer(map, koppeling)
        if not rapport.ok:
            raise ValidatieFout(rapport)
        zelfde = vinger is not None and sorted(str(p) for p in paden) == sorted(str(p) for p in vinger.paden)
        data_hash = vinger.inhoud if zelfde else bestand_hash(paden)
        if code:
            cache.schrijf(code, rapport, tabellen, data_hash)
            cache.in_index(stempel_, vinger)
    cache.geef_vrij()
    bron = lees_bron(map)
    rapport.samenvatting["fictief"] = bool(bron.get("fictief", False))
    delen = {stam: tabellen.get(stam, _leeg(stam)) for stam in CONTRACT}
    g = Gegevens(map=map, **delen, hash=data_hash, fictief=bool(bron.get("fictief")),
                 bron=str(bron.get("naam", "")), rapport=rapport, regio=str(bron.get("regio", "")).strip())
    g.gemeente = _gemeente(bron, rapport, delen["wijken"], g.regio if g.is_regio else "")
    g.cache_sleutel = code or ""
    return g


def _gemeente(bron: dict, rapport: Rapport, wijken: pd.DataFrame, regio: str = "") -> str:
    """The name of the whole: a region's name, else the gemeente's from bron.toml, the CBS export or the wijk codes."""
    if regio:
        return regio
    if str(bron.get("gemeente", "")).strip():
        return str(bron["gemeente"]).strip()
    if rapport.samenvatting.get("gemeente"):
        return rapport.samenvatting["gemeente"]
    codes = set(gemeente_codes(wijken)) - {""}
    if len(codes) > 1:
        return "de regio"
    return f"gemeente {codes.pop()}" if codes else "de gemeente"


def gemeente_code(wijk_codes) -> str | None:
    """GM0344 from the wijk codes (WK0344..), when they are CBS codes of one gemeente."""
    gm = {m.group(1) for c in wijk_codes if (m := re.match(r"WK(\d{4})", str(c).upper()))}
    return f"GM{gm.pop()}" if len(gm) == 1 else None


_GELADEN: dict[tuple, Gegevens] = {}


def laad_bewaard(map: Path, koppeling: dict | None = None, bewaar: bool = True) -> Gegevens:
    """`laad`, remembered per process while the folder's files are unchanged.

    A batch (`duiding draai`) runs report after report in one warm kernel; this keeps it
    from validating the same files again for every report.
    """
    map = Path(map).resolve()
    sleutel = (str(map), stempel(map), repr(sorted((koppeling or {}).items())))
    if sleutel not in _GELADEN:
        g = laad(map, koppeling, bewaar)
        _GELADEN.clear()
        _GELADEN[sleutel] = g
    return _GELADEN[sleutel]


_RECHTSVORM = {"stichting", "st.", "b.v.", "bv", "v.o.f.", "vof", "coöperatie", "vereniging", "praktijk"}


def korte_namen(namen: dict[str, str], eigen: dict[str, str] | None = None, tekens: int = 16) -> dict[str, str]:
    """Short, distinct names: the given ones, else the name without its legal form, cut at a word.

    'Stichting Buurtkracht Jeugd & Gezin' -> 'Buurtkracht Jeugd'; two names that would come out
    the same keep one more word each until they differ (or are whole).
    """
    eigen = dict(eigen or {})
    woorden = {a: [w for w in n.split() if w.casefold() not in _RECHTSVORM] or n.split() for a, n in namen.items()}

    def kort(a: str, extra: int) -> str:
        ws, uit = woorden[a], []
        for w in ws:
            if uit and len(" ".join(uit + [w])) > tekens and extra <= 0:
                break
            if uit and len(" ".join(uit + [w])) > tekens:
                extra -= 1
            uit.append(w)
        while uit and uit[-1].casefold() in {"&", "-", "en", "de", "van", "het"}:
            uit.pop()
        return " ".join(uit) or namen[a]

    extra = {a: 0 for a in namen}
    for _ in range(6):
        uit = {a: eigen.get(a) or kort(a, extra[a]) for a in namen}
        dubbel = {k for k in uit.values() if list(uit.values()).count(k) > 1}
        if not dubbel:
            return uit
        for a, k in uit.items():
            if k in dubbel and a not in eigen:
                extra[a] += 1
    return uit
