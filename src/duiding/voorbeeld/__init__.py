"""Synthetic sample data: a Utrecht-like city (`stad`), a region of gemeenten (`regio`) or a national-size set (`land`).

Everything here is invented except the names and CBS codes of Utrecht's ten wijken.
The generator is deterministic for a seed. It simulates care episodes per wijk with
seasonal instroom, a buurtteam (basiszorg) first step, referrals to aanvullende
providers with provider-specific waiting times, switches between providers (reden
38), re-entries after an ending, and derives budgets, costs and survey answers from
the simulated care. At `land` scale it works in chunks of gemeenten, so memory stays
bounded however many wijken are generated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from . import regio as regio_
from .simulatie import AANBIEDERS, EIND, EPOCH, ZORG, Aanbod, Wijken, dag, land, pseudoniem, simuleer, utrecht

JAREN = (2022, 2023, 2024)
KWARTALEN = [(j, k) for j in JAREN for k in (1, 2, 3, 4)]



# ------------------------------------------------------------------- care model
# Per wet: chance an episode starts at the buurtteam, chance the buurtteam refers on,
# weights of productcategorie for aanvullende care, durations (median days, sigma),
# day rates in euro (for costs), reden beeindiging mix, seasonal instroom per month.
def _trajecten_csv(df: pd.DataFrame, wijken: Wijken, eerste_id: int, prefix: pd.Series | None) -> pd.DataFrame:
    aanbieder = df["aanbieder"].values
    if prefix is not None:
        aanbieder = np.char.add(prefix.values.astype(str), aanbieder.astype(str))
    return pd.DataFrame({
        "traject_id": np.char.add("T", np.char.zfill(np.arange(eerste_id, eerste_id + len(df)).astype(str), 8)),
        "client_id": pseudoniem(df["client"].values),
        "wet": df["wet"].values,
        "aanbieder_id": aanbieder,
        "productcategorie": df["cat"].values,
        "wijk_code": wijken.code[df["wijk"].values],
        "verwijzer": df["verwijzer"].values,
        "aanmelddatum": dag(df["aanmeld"].values),
        "startdatum": dag(df["start"].values),
        "einddatum": dag(df["eind"].values),
        "reden_beeindiging": df["reden"].values,
        "geboortejaar": df["geboren"].values,
    })


def _kwartaal_dagen(df: pd.DataFrame) -> np.ndarray:
    """Days in care per traject per quarter of 2022-2024 (rows x 12)."""
    eind = np.where(df["eind"].values < 0, EIND, df["eind"].values)
    uit = np.zeros((len(df), len(KWARTALEN)), np.int64)
    for q, (j, k) in enumerate(KWARTALEN):
        qb = int((np.datetime64(f"{j}-{3 * k - 2:02d}-01", "D") - EPOCH).astype(int))
        qe = int((np.datetime64(f"{j + (k == 4)}-{(3 * k) % 12 + 1:02d}-01", "D") - EPOCH).astype(int)) - 1
        uit[:, q] = np.clip(np.minimum(eind, qe) - np.maximum(df["start"].values, qb) + 1, 0, None)
    return uit


class _Financien:
    """Accumulates costs and clients per provider and quarter over chunks."""

    def __init__(self):
        self.kosten: dict[str, np.ndarray] = {}
        self.clienten: dict[str, np.ndarray] = {}
        self.wijken: dict[str, dict[str, int]] = {}

    def voeg_toe(self, df: pd.DataFrame, aanbieder: np.ndarray, wijkcode: np.ndarray):
        dagen = _kwartaal_dagen(df)
        tarief = np.empty(len(df))
        for wet in ("jeugd", "wmo"):
            z = ZORG[wet]
            sel = df["wet"].values == wet
            tarief[sel] = pd.Series(df["cat"].values[sel]).map(z["dagtarief"]).fillna(z["standaard_tarief"]).values
        kosten = dagen * tarief[:, None]
        actief = dagen > 0
        for key in np.unique(aanbieder):
            sel = aanbieder == key
            self.kosten[key] = self.kosten.get(key, 0) + kosten[sel].sum(axis=0)
            self.clienten[key] = self.clienten.get(key, 0) + actief[sel].sum(axis=0)
            w, n = np.unique(wijkcode[sel], return_counts=True)
            d = self.wijken.setdefault(key, {})
            for code, aantal in zip(w, n):
                d[code] = d.get(code, 0) + int(aantal)


def _aanbieders_tabel(regios: list[str]) -> tuple[pd.DataFrame, dict]:
    rijen, meta = [], {}
    for r in regios:
        for a in AANBIEDERS:
            key = f"{r}{a[0]}"
            naam = a[1] if not r else f"{a[1]} (regio {r.strip('-')})"
            rijen.append((key, naam, a[2], a[3]))
            meta[key] = a
    return pd.DataFrame(rijen, columns=["aanbieder_id", "naam", "soort", "wet"]), meta


def _geld_en_ervaringen(rng, fin: _Financien, meta: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    budget, realisatie, ervaringen = [], [], []
    respons = 0
    for key in sorted(fin.kosten):
        a = meta[key]
        kosten = fin.kosten[key] * rng.normal(1.0, 0.02, len(KWARTALEN))
        for jaar_i, jaar in enumerate(JAREN):
            per_jaar = kosten[jaar_i * 4:(jaar_i + 1) * 4]
            factor = a[6] * rng.normal(1.0, 0.015)
            budget.append((jaar, key, round(per_jaar.sum() * factor, -3),
                           int(round(fin.clienten[key][jaar_i * 4:(jaar_i + 1) * 4].mean() * rng.uniform(0.92, 1.08)))))
            for k in range(4):
                realisatie.append((jaar, k + 1, key, round(per_jaar[k], 2)))
        # survey: a few percent of clients answer, on all three themes
        kans = 0.01 if a[2] == "basiszorg" else 0.03
        wijkcodes = np.array(list(fin.wijken[key]))
        wijkgewicht = np.array(list(fin.wijken[key].values()), float)
        for q, (jaar, k) in enumerate(KWARTALEN):
            n = rng.binomial(int(fin.clienten[key][q]), kans)
            if n == 0:
                continue
            qb = np.datetime64(f"{jaar}-{3 * k - 2:02d}-01", "D")
            datum = qb + rng.integers(0, 90, n)
            wijk = wijkcodes[rng.choice(len(wijkcodes), n, p=wijkgewicht / wijkgewicht.sum())]
            wijk = np.where(rng.random(n) < 0.12, "", wijk)
            for thema, verschuiving in (("toegankelijkheid", -0.06 - a[5] / 1000), ("kwaliteit", 0.0), ("effect", -0.04)):
                p = np.clip(a[7] + verschuiving + rng.normal(0, 0.03), 0.05, 0.97)
                positief = rng.random(n) < p
                score = np.where(positief, rng.choice([4, 5], n, p=[0.55, 0.45]), rng.choice([1, 2, 3], n, p=[0.2, 0.35, 0.45]))
                for i in range(n):
                    respons += 1
                    ervaringen.append((f"R{respons:08d}", key, wijk[i], str(datum[i]), thema, int(score[i])))
    return (
        pd.DataFrame(budget, columns=["jaar", "aanbieder_id", "budget_eur", "afgesproken_clienten"]),
        pd.DataFrame(realisatie, columns=["jaar", "kwartaal", "aanbieder_id", "kosten_eur"]),
        pd.DataFrame(ervaringen, columns=["respons_id", "aanbieder_id", "wijk_code", "datum", "thema", "score"]),
    )


def _bevolking(wijken: Wijken) -> pd.DataFrame:
    delen = []
    for i, jaar in enumerate(JAREN):
        tot = np.round(wijken.inwoners * (1 + wijken.groei) ** i)
        jeugd = np.round(tot * wijken.jeugd * (1 + 0.01 * i * (wijken.trend > 0.1)))
        oud = np.round(tot * wijken.oud)
        for groep, n in (("0-17", jeugd), ("18-64", tot - jeugd - oud), ("65+", oud)):
            delen.append(pd.DataFrame({"jaar": jaar, "wijk_code": wijken.code, "leeftijdsgroep": groep,
                                       "aantal": n.astype(int)}))
    return pd.concat(delen, ignore_index=True)


LEESMIJ = """# Voorbeelddata: fictieve gegevens

Alle gegevens in deze map zijn **fictieve gegevens**, gemaakt met
`duiding voorbeelddata --schaal {schaal} --zaad {zaad}`. Alleen de namen en CBS-codes
van de wijken zijn echt{echt}; aanbieders, cliënten, trajecten, bedragen en
enquêteantwoorden zijn verzonnen. Gebruik deze cijfers nooit als beeld van een echte
gemeente.

De gegevens volgen het gegevenscontract in `docs/data.md` en lopen van 2022-Q1 tot en
met 2024-Q4. Ze zijn zo gemaakt dat een sessie erop echt aanvoelt: seizoenen in de
instroom, wachttijden die per aanbieder en zorgvorm verschillen, een wijk waar het
jeugdbereik stijgt, een wijk met lange wachttijden, aanbieders die boven hun budget
uitkomen, cliënten met meerdere trajecten en overstappen tussen aanbieders.
"""


def genereer(uitvoer: Path | str, schaal: str = "stad", zaad: int = 2024, formaat: str = "csv",
             voortgang=None) -> dict[str, int]:
    """Write a complete data folder; return the number of rows per file.

    The folder is built in a temporary sibling and renamed into place at the end, so
    an interrupted run never leaves a half-written data set.
    """
    uitvoer = Path(uitvoer)
    rng = np.random.default_rng(zaad)
    if schaal == "stad":
        wijken = utrecht()
        regios = [""]
    elif schaal == "land":
        wijken = land(rng)
        regios = [f"R{r:02d}-" for r in range(25)]
    elif schaal == "regio":
        wijken, regio_wijken = regio_.wijken(rng)
        regios = [""]
    else:
        raise ValueError(schaal)
    aanbieders, meta = _aanbieders_tabel(regios)
    aanbod = Aanbod()
    fin = _Financien()
    tijdelijk = uitvoer.with_name(f".{uitvoer.name}.bezig")
    shutil.rmtree(tijdelijk, ignore_errors=True)
    tijdelijk.mkdir(parents=True)
    ext = "parquet" if formaat == "parquet" else "csv"
    trajecten_pad = tijdelijk / f"trajecten.{ext}"
    regio_van_wijk = wijken.regio
    blok = 300 if schaal == "land" else len(wijken)
    eerste_id, client_basis, n_traj = 1, 1, 0
    schrijver = None
    for b, van in enumerate(range(0, len(wijken), blok)):
        sel = np.arange(van, min(van + blok, len(wijken)))
        deel = wijken.deel(sel)
        brng = np.random.default_rng([zaad, b])
        df = simuleer(brng, deel, aanbod, client_basis)
        client_basis += int(df["client"].max()) + 1 if len(df) else 0
        prefix = None
        if schaal == "land":
            prefix = pd.Series(np.array(regios)[regio_van_wijk[sel][df["wijk"].values]])
        tabel = _trajecten_csv(df, deel, eerste_id, prefix)
        eerste_id += len(tabel)
        n_traj += len(tabel)
        sleutel = tabel["aanbieder_id"].values.astype(str)
        if schaal == "regio":  # budget and costs per aanbieder and gemeente
            sleutel = (tabel["aanbieder_id"] + "|GM" + tabel["wijk_code"].str[2:6]).to_numpy().astype(str)
        fin.voeg_toe(df, sleutel, tabel["wijk_code"].values.astype(str))
        if ext == "csv":
            tabel.to_csv(trajecten_pad, mode="a", header=(b == 0), index=False)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq
            t = pa.Table.from_pandas(tabel, preserve_index=False)
            if schrijver is None:
                schrijver = pq.ParquetWriter(trajecten_pad, t.schema)
            schrijver.write_table(t)
        if voortgang:
            voortgang(min(van + blok, len(wijken)), len(wijken), n_traj)
    if schrijver is not None:
        schrijver.close()
    if schaal == "regio":
        meta = {k: meta[k.split("|")[0]] for k in fin.kosten}
    budget, realisatie, ervaringen = _geld_en_ervaringen(rng, fin, meta)
    aanbieders = aanbieders[aanbieders["aanbieder_id"].isin({k.split("|")[0] for k in fin.kosten})]
    wijk_tabel = pd.DataFrame({"wijk_code": wijken.code, "naam": wijken.naam})
    if wijken.rij is not None:
        wijk_tabel["tegel_rij"] = wijken.rij
        wijk_tabel["tegel_kolom"] = wijken.kolom
    tabellen = {}
    if schaal == "regio":
        wijk_tabel = regio_wijken
        for t in (budget, realisatie, ervaringen):
            delen = t["aanbieder_id"].str.split("|", expand=True)
            t["aanbieder_id"] = delen[0]
            if t is not ervaringen:
                t.insert(t.columns.get_loc("aanbieder_id") + 1, "gemeente_code", delen[1])
        aanbieders, locaties = regio_.aanbieders_en_locaties(rng, aanbieders, wijk_tabel)
        tabellen = {"gemeenten": regio_.gemeenten(), "locaties": locaties}
    tabellen = {"aanbieders": aanbieders, "wijken": wijk_tabel, "bevolking": _bevolking(wijken),
                "ervaringen": ervaringen, "budget": budget, "realisatie": realisatie} | tabellen
    for stam, tabel in tabellen.items():
        tabel.to_csv(tijdelijk / f"{stam}.csv", index=False)
    echt = " (Utrecht)" if schaal == "stad" else " niet: ook die zijn verzonnen"
    regel = f'regio = "{regio_.REGIO_NAAM}"\n' if schaal == "regio" else ""
    (tijdelijk / "README.md").write_text(LEESMIJ.format(schaal=schaal, zaad=zaad, echt=echt), encoding="utf-8")
    gemeente = "" if schaal == "regio" else f'gemeente = "{"Utrecht" if schaal == "stad" else "Nederland (fictieve gemeenten)"}"\n'
    (tijdelijk / "bron.toml").write_text(
        f'naam = "voorbeelddata ({schaal}, zaad {zaad})"\nfictief = true\n{gemeente}{regel}',
        encoding="utf-8")
    if uitvoer.exists():
        oud = uitvoer.with_name(f".{uitvoer.name}.oud")
        shutil.rmtree(oud, ignore_errors=True)
        uitvoer.rename(oud)
        tijdelijk.rename(uitvoer)
        shutil.rmtree(oud)
    else:
        uitvoer.parent.mkdir(parents=True, exist_ok=True)
        tijdelijk.rename(uitvoer)
    aantallen = {"trajecten": n_traj} | {k: len(v) for k, v in tabellen.items()}
    return aantallen
