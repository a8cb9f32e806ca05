"""The index's key figures are the published figures: each cell is the protected table's value of that
quarter, its changes are the differences with the quarter before and a year before, and a hidden value
stays hidden, with no change given (a change would give it away)."""

from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLE
from duiding import gegevens
from duiding.cijfers import cijfers
from duiding.config import Instellingen
from duiding.draai.overzicht import KOLOMMEN, kerncijfers
from duiding.grafieken.basis import waarde_tekst
from duiding.indicatoren.basis import TOTAAL
from duiding.periode import reeks


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    map_ = tmp_path_factory.mktemp("overzicht")
    shutil.copytree(SAMPLE, map_ / "data")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(map_ / "cache"))
    gegevens._GELADEN.clear()
    yield gegevens.laad(map_ / "data")
    gegevens._GELADEN.clear()
    mp.undo()


def _waarde(t, groep, maat, periode):
    rij = t[(t["groep"] == groep) & (t["maat"] == maat) & (t["periode"] == periode)]
    if rij.empty or rij["waarde"].isna().all():
        return None, (rij["status"].iloc[0] if len(rij) else "")
    return float(rij["waarde"].iloc[0]), rij["status"].iloc[0]


@pytest.mark.parametrize("privacy, wet", [("intern", None), ("openbaar", None), ("openbaar", "jeugd")])
def test_elke_cel_is_het_gepubliceerde_cijfer_en_zijn_verschil(g, privacy, wet):
    k = g.kwartaal(None)
    inst = Instellingen()
    perioden = reeks(max(k.vorige(4), g.perioden()[0]), k)
    uit = kerncijfers(g, k, privacy, inst, wet)
    verborgen = gezien = 0
    for soort, codes in (("wijk", g.wijknamen), ("aanbieder", g.aanbiedernamen)):
        assert set(uit[soort]) == set(codes) | {TOTAAL}
        tabellen = {i: cijfers(g, i, soort, perioden, privacy, wet, inst) for i, _, _ in KOLOMMEN[soort]
                    if i != "budget"}
        for code, cellen in uit[soort].items():
            for cel, (indicator, maat, kop) in zip(cellen, KOLOMMEN[soort]):
                assert (cel["kop"], cel["maat"]) == (kop, maat)
                if indicator == "budget":
                    continue
                t = tabellen[indicator]
                nu, status = _waarde(t, code, maat, str(k))
                vorig, _ = _waarde(t, code, maat, str(k.vorige()))
                jaar, _ = _waarde(t, code, maat, str(k.vorige(4)))
                assert cel["waarde"] == nu and cel["tekst"] == waarde_tekst(maat, nu, status)
                for naam, toen in (("vorig", vorig), ("jaar", jaar)):
                    verschil = cel[naam]["waarde"]
                    if nu is None or toen is None:
                        assert verschil is None and cel[naam]["tekst"] == "–"
                    else:
                        assert verschil == pytest.approx(nu - toen, abs=0.051)
                verborgen += nu is None and status in ("verborgen", "geheim")
                gezien += nu is not None
    assert gezien > 80
    if wet == "jeugd":
        assert verborgen > 0  # one wet of the sample has hidden cells in the index: the check above covered them
