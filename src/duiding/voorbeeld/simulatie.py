"""The simulation behind the sample data: wijken, inflow, episodes of care with referrals, transfers and endings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import codes

# --------------------------------------------------------------------- providers
# (key, naam, soort, wet, {wet: {productcategorie: weight}}, median wait days,
#  budget factor (<1: runs over its budget), positivity of survey answers)
AANBIEDERS = [
    ("B01", "Stichting Buurtkracht Jeugd & Gezin", "basiszorg", "jeugd", {"jeugd": {"45": 1}}, 8, 1.02, 0.84),
    ("B02", "Stichting Buurtkracht Sociaal", "basiszorg", "wmo", {"wmo": {"06": 1}}, 9, 1.03, 0.81),
    ("A01", "De Wending Jeugdhulp", "aanvullend", "jeugd", {"jeugd": {"45": 3, "50": 1}}, 28, 1.04, 0.78),
    ("A02", "Kompas Jeugd-GGZ", "aanvullend", "jeugd", {"jeugd": {"54": 3, "52": 2, "51": 1}}, 75, 0.86, 0.66),
    ("A03", "Horizonhuis Verblijf", "aanvullend", "jeugd", {"jeugd": {"43": 2, "44": 2}}, 55, 0.88, 0.70),
    ("A04", "Stapsteen Dagbehandeling", "aanvullend", "jeugd", {"jeugd": {"41": 3, "40": 1}}, 35, 1.05, 0.80),
    ("A05", "Vangnet Crisisdienst", "aanvullend", "jeugd", {"jeugd": {"46": 1}}, 2, 1.10, 0.72),
    ("A06", "Koers Jeugdbescherming", "aanvullend", "jeugd", {"jeugd": {"48": 3, "47": 2, "49": 1}}, 14, 1.01, 0.58),
    ("A07", "Praktijk Lichtpunt", "aanvullend", "jeugd", {"jeugd": {"51": 2, "54": 1}}, 42, 1.06, 0.86),
    ("A08", "Groeikracht Ambulant", "aanvullend", "jeugd", {"jeugd": {"45": 2, "50": 1}}, 21, 1.03, 0.82),
    ("A09", "Kinderkliniek De Linde", "aanvullend", "jeugd", {"jeugd": {"53": 2, "52": 1}}, 48, 1.02, 0.79),
    ("A10", "Landelijk Netwerk Specialistisch", "aanvullend", "jeugd", {"jeugd": {"55": 1, "42": 1}}, 60, 1.00, 0.74),
    ("A11", "Schoon Thuis Huishoudhulp", "aanvullend", "wmo", {"wmo": {"01": 1}}, 12, 1.03, 0.83),
    ("A12", "Thuishulp Vechtstreek", "aanvullend", "wmo", {"wmo": {"01": 2, "03": 1}}, 18, 1.01, 0.79),
    ("A13", "Samen Verder Begeleiding", "aanvullend", "wmo", {"wmo": {"02": 3, "06": 1, "10": 1}}, 30, 0.87, 0.76),
    ("A14", "De Werkplaats Dagbesteding", "aanvullend", "wmo", {"wmo": {"07": 3, "09": 1}}, 26, 1.04, 0.88),
    ("A15", "Onderdak Beschermd Wonen", "aanvullend", "wmo", {"wmo": {"15": 3, "18": 1, "05": 1}}, 95, 1.00, 0.69),
    ("A16", "Nachtlicht Opvang", "aanvullend", "wmo", {"wmo": {"16": 2, "17": 1}}, 5, 1.05, 0.64),
    ("A17", "Zorgzaam Thuis", "aanvullend", "wmo", {"wmo": {"03": 2, "04": 1}}, 16, 1.02, 0.81),
    ("A18", "Hulpmiddelencentrum Rijn", "aanvullend", "wmo", {"wmo": {"14": 3, "11": 1, "13": 1}}, 24, 1.06, 0.77),
    ("A19", "Vervoer Stadsregio", "aanvullend", "wmo", {"wmo": {"08": 1, "12": 2}}, 20, 1.03, 0.73),
    ("A20", "Kortverblijf De Hofstede", "aanvullend", "wmo", {"wmo": {"04": 2, "02": 1}}, 33, 1.04, 0.80),
    ("A21", "Netwerk Maatwerk Jeugd & Wmo", "aanvullend", "beide",
     {"jeugd": {"50": 2, "45": 1}, "wmo": {"02": 1, "10": 2}}, 38, 0.95, 0.75),
]



EPOCH = np.datetime64("1970-01-01", "D")
BEGIN = int((np.datetime64("2022-01-01", "D") - EPOCH).astype(int))
EIND = int((np.datetime64("2024-12-31", "D") - EPOCH).astype(int))
ZORG = {
    "jeugd": dict(
        basis_kans=0.74, verwijs_kans=0.30, basis_duur=(130, 0.75),
        categorie={"45": 30, "54": 18, "52": 7, "51": 6, "41": 6, "43": 4, "44": 3, "48": 5,
                   "47": 2, "46": 2, "50": 6, "40": 2, "53": 3, "42": 1, "49": 1, "55": 1},
        duur={"46": (35, 0.6), "43": (330, 0.7), "44": (400, 0.7), "48": (420, 0.6),
              "47": (300, 0.5), "52": (260, 0.7), "54": (230, 0.7), "42": (200, 0.9)},
        standaard_duur=(190, 0.75),
        dagtarief={"43": 260, "44": 180, "46": 420, "52": 55, "54": 45, "41": 95, "48": 40},
        standaard_tarief=30,
        reden={"31": 54, "34": 10, "32": 9, "33": 3, "35": 5, "36": 3, "37": 4, "39": 3, "20": 1, "02": 0.2},
        seizoen=[1.10, 1.05, 1.10, 1.00, 1.00, 0.90, 0.65, 0.60, 1.20, 1.25, 1.10, 0.85],
        instroom_per_inwoner=0.052, leeftijd=(0, 17),
    ),
    "wmo": dict(
        basis_kans=0.48, verwijs_kans=0.45, basis_duur=(150, 0.8),
        categorie={"01": 38, "02": 18, "07": 11, "03": 4, "04": 3, "15": 3, "16": 3, "17": 1,
                   "14": 7, "12": 5, "13": 3, "08": 2, "06": 1, "09": 1, "10": 2, "11": 1, "05": 1, "18": 1},
        duur={"01": (820, 0.9), "02": (380, 0.8), "07": (560, 0.8), "15": (720, 0.7),
              "16": (110, 0.8), "17": (20, 0.6), "14": (1100, 0.6), "11": (1200, 0.6),
              "13": (900, 0.6), "12": (900, 0.6), "04": (40, 0.7)},
        standaard_duur=(420, 0.8),
        dagtarief={"15": 160, "16": 90, "17": 150, "04": 120, "07": 45, "02": 32,
                   "01": 14, "14": 2, "11": 3, "12": 2, "13": 4},
        standaard_tarief=20,
        reden={"19": 40, "02": 17, "23": 10, "21": 6, "22": 3, "31": 6, "37": 4, "20": 3, "36": 1, "39": 1},
        seizoen=[1.05, 1.00, 1.00, 0.98, 0.95, 0.95, 0.90, 0.85, 1.00, 1.05, 1.10, 1.15],
        instroom_per_inwoner=0.0075, instroom_per_oudere=0.060, leeftijd=(18, 97),
    ),
}
VERWIJZER_DIRECT = {"02": 44, "03": 9, "05": 14, "01": 14, "06": 6, "04": 9, "08": 4}
OVERSTAP_KANS = 0.09
HERINSTROOM_KANS = 0.10
ZONDER_AANMELDING = 0.06

# The ten Utrecht wijken: inhabitants 2022, share 0-17, share 65+, tile row/col,
# factors for youth instroom trend per year and for waiting times (invented).
UTRECHT = [
    ("WK034401", 36500, 0.17, 0.10, 1, 1, 0.00, 1.0),
    ("WK034402", 44000, 0.18, 0.13, 0, 2, 0.00, 1.1),
    ("WK034403", 35500, 0.25, 0.12, 0, 3, 0.01, 1.7),
    ("WK034404", 40500, 0.17, 0.14, 1, 3, 0.00, 0.9),
    ("WK034405", 38000, 0.15, 0.13, 2, 3, -0.02, 0.9),
    ("WK034406", 20000, 0.09, 0.12, 1, 2, 0.00, 1.0),
    ("WK034407", 36000, 0.17, 0.16, 2, 2, 0.00, 1.0),
    ("WK034408", 38500, 0.19, 0.13, 2, 1, 0.02, 1.2),
    ("WK034409", 56000, 0.30, 0.06, 1, 0, 0.16, 1.0),
    ("WK034410", 45000, 0.27, 0.10, 2, 0, 0.03, 0.9),
]


@dataclass
class Wijken:
    code: np.ndarray
    naam: np.ndarray
    inwoners: np.ndarray
    jeugd: np.ndarray
    oud: np.ndarray
    trend: np.ndarray
    wacht: np.ndarray
    groei: np.ndarray
    regio: np.ndarray
    rij: np.ndarray | None = None
    kolom: np.ndarray | None = None

    def __len__(self):
        return len(self.code)

    def deel(self, sel) -> "Wijken":
        return Wijken(**{k: (None if v is None else v[sel]) for k, v in self.__dict__.items()})


def utrecht() -> Wijken:
    kol = list(zip(*UTRECHT))
    code = np.array(kol[0])
    return Wijken(
        code=code, naam=np.array([codes.UTRECHT_WIJKEN[c] for c in code]),
        inwoners=np.array(kol[1], float), jeugd=np.array(kol[2]), oud=np.array(kol[3]),
        rij=np.array(kol[4]), kolom=np.array(kol[5]), trend=np.array(kol[6]), wacht=np.array(kol[7]),
        groei=np.where(code == "WK034409", 0.03, 0.008), regio=np.zeros(len(code), int),
    )


def land(rng: np.random.Generator, n_gemeenten: int = 330, per_gemeente: int = 10) -> Wijken:
    n = n_gemeenten * per_gemeente
    gm = np.repeat(np.arange(1, n_gemeenten + 1), per_gemeente)
    wk = np.tile(np.arange(1, per_gemeente + 1), n_gemeenten)
    code = np.char.add(np.char.add("WK", np.char.zfill(gm.astype(str), 4)), np.char.zfill(wk.astype(str), 2))
    naam = np.char.add(np.char.add("Wijk ", np.char.zfill(wk.astype(str), 2)),
                       np.char.add(" gemeente ", np.char.zfill(gm.astype(str), 4)))
    return Wijken(
        code=code, naam=naam, inwoners=np.round(rng.lognormal(np.log(9600), 0.5, n)),
        jeugd=rng.uniform(0.12, 0.28, n), oud=rng.uniform(0.08, 0.28, n),
        trend=rng.normal(0.0, 0.05, n), wacht=rng.lognormal(0, 0.25, n),
        groei=rng.normal(0.006, 0.01, n), regio=(gm - 1) % 25,
    )


# ------------------------------------------------------------------ simulation

def _lognormaal(rng, mediaan, sigma, n):
    return np.maximum(1, np.round(rng.lognormal(np.log(mediaan), sigma, n))).astype(np.int64)


def _kies(rng, gewichten: dict, n: int) -> np.ndarray:
    sleutels = np.array(list(gewichten))
    p = np.array(list(gewichten.values()), float)
    return sleutels[rng.choice(len(sleutels), size=n, p=p / p.sum())]


class Aanbod:
    """Which providers offer which productcategorie, per wet."""

    def __init__(self):
        self.keys = np.array([a[0] for a in AANBIEDERS])
        self.wacht = {a[0]: a[5] for a in AANBIEDERS}
        self.basis = {w: next(a[0] for a in AANBIEDERS if a[2] == "basiszorg" and a[3] == w)
                      for w in ("jeugd", "wmo")}
        self.per_cat: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        for a in AANBIEDERS:
            if a[2] != "aanvullend":
                continue
            for wet, cats in a[4].items():
                for cat, g in cats.items():
                    k, w = self.per_cat.get((wet, cat), ([], []))
                    self.per_cat[(wet, cat)] = (list(k) + [a[0]], list(w) + [g])

    def kies(self, rng, wet: str, cat: np.ndarray, niet: np.ndarray | None = None) -> np.ndarray:
        uit = np.empty(len(cat), dtype=object)
        for c in np.unique(cat):
            sel = np.flatnonzero(cat == c)
            keys, gew = self.per_cat[(wet, c)]
            keys, gew = np.array(keys), np.array(gew, float)
            keuze = keys[rng.choice(len(keys), size=len(sel), p=gew / gew.sum())]
            if niet is not None and len(keys) > 1:  # a switch goes to another provider
                zelfde = keuze == niet[sel]
                while zelfde.any():
                    keuze[zelfde] = keys[rng.choice(len(keys), size=zelfde.sum(), p=gew / gew.sum())]
                    zelfde = keuze == niet[sel]
            uit[sel] = keuze
        return uit.astype(str)


def _instroom(rng, wijken: Wijken, wet: str, van: int, tot: int) -> tuple[np.ndarray, np.ndarray]:
    """Episode start days and wijk indices: a Poisson process per wijk and day."""
    z = ZORG[wet]
    dagen = np.arange(van, tot + 1)
    maand = (dagen.astype("datetime64[D]").astype("datetime64[M]").astype(int) % 12)
    jaar = (dagen - BEGIN) / 365.25
    seizoen = np.array(z["seizoen"])[maand]
    if wet == "jeugd":
        basis = wijken.inwoners * wijken.jeugd * z["instroom_per_inwoner"] / 365.25
        trend = 1 + np.outer(wijken.trend, np.maximum(jaar, 0))
    else:
        volw = wijken.inwoners * (1 - wijken.jeugd - wijken.oud)
        basis = (volw * z["instroom_per_inwoner"] + wijken.inwoners * wijken.oud
                 * z["instroom_per_oudere"]) / 365.25
        trend = np.ones((len(wijken), 1))
    groei = (1 + wijken.groei[:, None]) ** jaar[None, :]
    intensiteit = basis[:, None] * seizoen[None, :] * trend * groei
    aantal = rng.poisson(intensiteit)
    w_idx, d_idx = np.nonzero(aantal)
    herhaal = aantal[w_idx, d_idx]
    return np.repeat(dagen[d_idx], herhaal), np.repeat(w_idx, herhaal)


def _eindig(rng, wet, start, cat, leeftijd):
    """Duration and reden beeindiging for trajecten of one wet."""
    z = ZORG[wet]
    duur = np.empty(len(start), np.int64)
    for c in np.unique(cat):
        sel = cat == c
        med, sig = z["duur"].get(c, z["standaard_duur"])
        duur[sel] = _lognormaal(rng, med, sig, sel.sum())
    eind = start + duur
    reden = _kies(rng, z["reden"], len(start)).astype(object)
    if wet == "wmo":  # the oldest clients end more often by death
        oud = (leeftijd >= 82) & (rng.random(len(start)) < 0.35)
        reden[oud] = "02"
    return eind, reden.astype(str)


def _episodes(rng, aanbod: Aanbod, wijken: Wijken, wet: str, start, w_idx, client, geboren, verwijs_basis=True):
    """Trajecten for episodes: buurtteam first (or not), then aanvullend, then switches."""
    z = ZORG[wet]
    n = len(start)
    delen = []
    wachtfactor = wijken.wacht[w_idx]
    leeftijd = pd.DatetimeIndex(start.astype("datetime64[D]")).year.values - geboren
    # 1. buurtteam (basiszorg)
    via_basis = rng.random(n) < z["basis_kans"]
    b = np.flatnonzero(via_basis)
    b_start = start[b]
    b_eind = b_start + _lognormaal(rng, *z["basis_duur"], len(b))
    b_reden = np.where(rng.random(len(b)) < 0.8, codes.VOLGENS_PLAN[wet], _kies(rng, z["reden"], len(b)))
    b_wacht = _lognormaal(rng, aanbod.wacht[aanbod.basis[wet]] * 1.0, 0.6, len(b))
    delen.append(dict(i=b, aanbieder=np.full(len(b), aanbod.basis[wet]), cat=np.full(len(b), next(iter(
        next(a for a in AANBIEDERS if a[0] == aanbod.basis[wet])[4][wet]))), start=b_start, eind=b_eind,
        reden=b_reden, wacht=b_wacht, verwijzer=np.full(len(b), "06")))
    # 2. aanvullende zorg: referred by the buurtteam, or directly
    verwezen = via_basis & (rng.random(n) < z["verwijs_kans"])
    direct = ~via_basis
    a = np.flatnonzero(verwezen | direct)
    a_start = start[a].copy()
    uit_basis = verwezen[a]
    a_start[uit_basis] += rng.integers(14, 120, uit_basis.sum())
    cat = _kies(rng, z["categorie"], len(a))
    aanb = aanbod.kies(rng, wet, cat)
    med = np.array([aanbod.wacht[k] for k in aanb], float) * wachtfactor[a]
    wacht = np.maximum(0, np.round(rng.lognormal(np.log(med), 0.8))).astype(np.int64)
    a_start = a_start + wacht  # care starts after the wait
    a_eind, a_reden = _eindig(rng, wet, a_start, cat, leeftijd[a])
    verwijzer = np.where(uit_basis, "01", _kies(rng, VERWIJZER_DIRECT, len(a)))
    justitie = np.isin(cat, ["47", "48", "49"])
    verwijzer = np.where(justitie & (rng.random(len(a)) < 0.8), _kies(rng, {"04": 3, "08": 1}, len(a)), verwijzer)
    # 3. switches to another provider (reden 38), within 0-60 days
    overstap = (rng.random(len(a)) < OVERSTAP_KANS) & (a_eind <= EIND)
    a_reden = np.where(overstap, codes.OVERSTAP, a_reden)
    delen.append(dict(i=a, aanbieder=aanb, cat=cat, start=a_start, eind=a_eind, reden=a_reden,
                      wacht=wacht, verwijzer=verwijzer))
    o = np.flatnonzero(overstap)
    if len(o):
        o_cat = cat[o]
        o_aanb = aanbod.kies(rng, wet, o_cat, niet=aanb[o])
        o_start = a_eind[o] + rng.integers(0, 60, len(o))
        o_eind, o_reden = _eindig(rng, wet, o_start, o_cat, leeftijd[a][o])
        delen.append(dict(i=a[o], aanbieder=o_aanb, cat=o_cat, start=o_start, eind=o_eind, reden=o_reden,
                          wacht=rng.integers(0, 30, len(o)), verwijzer=verwijzer[o]))
    uit = {k: np.concatenate([d[k] for d in delen]) for k in delen[0]}
    i = uit.pop("i")
    uit["wijk"] = w_idx[i]
    uit["client"] = client[i]
    uit["geboren"] = geboren[i]
    return uit


def simuleer(rng, wijken: Wijken, aanbod: Aanbod, client_basis: int) -> pd.DataFrame:
    """All trajecten of both wetten for a set of wijken, as a DataFrame."""
    tabellen = []
    volgende_client = client_basis
    for wet, van in (("jeugd", BEGIN - 2 * 365), ("wmo", BEGIN - 6 * 365)):
        z = ZORG[wet]
        start, w_idx = _instroom(rng, wijken, wet, van, EIND)
        n = len(start)
        client = np.arange(volgende_client, volgende_client + n)
        volgende_client += n
        lo, hi = z["leeftijd"]
        if wet == "jeugd":
            leeftijd = np.clip(np.round(rng.triangular(lo, 12, hi + 1, n)), lo, hi)
        else:
            oud = rng.random(n) < 0.55
            leeftijd = np.where(oud, rng.integers(65, hi, n), rng.integers(lo, 65, n))
        geboren = pd.DatetimeIndex(start.astype("datetime64[D]")).year.values - leeftijd.astype(int)
        t = _episodes(rng, aanbod, wijken, wet, start, w_idx, client, geboren)
        # herinstroom: some clients come back after their last traject ended
        laatste = pd.DataFrame({"c": t["client"], "e": t["eind"], "w": t["wijk"], "g": t["geboren"]})
        laatste = laatste.groupby("c", sort=False).agg(e=("e", "max"), w=("w", "first"), g=("g", "first"))
        terug = laatste[(laatste["e"] < EIND) & (rng.random(len(laatste)) < HERINSTROOM_KANS)]
        h_start = terug["e"].values + _lognormaal(rng, 200, 0.8, len(terug))
        binnen = h_start <= EIND
        terug = terug[binnen]
        if len(terug):
            h = _episodes(rng, aanbod, wijken, wet, h_start[binnen], terug["w"].values,
                          terug.index.values, terug["g"].values)
            t = {k: np.concatenate([t[k], h[k]]) for k in t}
        t["wet"] = np.full(len(t["start"]), wet)
        tabellen.append(pd.DataFrame(t))
    df = pd.concat(tabellen, ignore_index=True)
    df = df[(df["start"] <= EIND) & (df["eind"] >= BEGIN)].reset_index(drop=True)
    lopend = df["eind"] > EIND
    df.loc[lopend, "eind"] = -1
    df.loc[lopend, "reden"] = ""
    df["aanmeld"] = df["start"] - df["wacht"]
    df.loc[rng.random(len(df)) < ZONDER_AANMELDING, "aanmeld"] = -1
    df.loc[df["wet"] == "wmo", "verwijzer"] = ""
    df["aanmeld"] = np.where(df["aanmeld"] > df["start"], df["start"], df["aanmeld"])
    return df


def dag(x: np.ndarray) -> np.ndarray:
    """Day numbers to ISO strings; -1 becomes empty."""
    uit = x.astype("datetime64[D]").astype(str)
    return np.where(x < 0, "", uit)


def pseudoniem(i: np.ndarray) -> np.ndarray:
    """A stable pseudonym for a client number: 10 hex digits, never a BSN."""
    h = (i.astype(np.uint64) * np.uint64(0x9E3779B1) + np.uint64(0x5BD1E995)) % np.uint64(1 << 40)
    return np.char.add("p", np.char.zfill(np.char.mod("%x", h), 10))
