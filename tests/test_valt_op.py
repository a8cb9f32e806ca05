"""'Wat valt op' and the notebook helpers (parameters checked in the first cell)."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SAMPLE
from duiding import notebook as nb
from duiding.exceptions import ParameterFout, PeriodeFout
from duiding.periode import Kwartaal
from duiding.valt_op import als_html, bewegingen


def _reeks(maat, waarden, groep="W1", indicator="bereik", thema=""):
    perioden = [str(Kwartaal(2024, 4).vorige(i)) for i in range(len(waarden) - 1, -1, -1)]
    df = pd.DataFrame({"indicator": indicator, "per": "wijk", "groep": groep, "periode": perioden, "maat": maat,
                       "waarde": [float("nan") if w is None else float(w) for w in waarden]})
    df["status"] = ["verborgen" if w is None else "" for w in waarden]
    df["thema"] = thema
    return df


def test_grote_stijging_tegen_vorig_kwartaal_en_buiten_bereik():
    t = _reeks("in_zorg", [100, 102, 98, 101, 99, 100, 103, 100, 150])
    items = bewegingen({"bereik": t}, "W1", Kwartaal(2024, 4))
    assert len(items) == 1
    tekst = items[0].tekst
    assert "150 in 2024 K4" in tekst
    assert "50% meer dan het kwartaal ervoor (100)" in tekst
    assert "hoger dan in elk van de 8 kwartalen ervoor (98 tot 103)" in tekst


def test_kleine_schommelingen_en_verborgen_waarden_zeggen_niets():
    stil = _reeks("in_zorg", [100, 101, 99, 100, 102, 100, 101, 99, 101])
    verborgen = _reeks("instroom", [40, 41, 39, 40, 42, 40, 41, 39, None])
    assert bewegingen({"bereik": pd.concat([stil, verborgen])}, "W1", Kwartaal(2024, 4)) == []
    assert "Geen grote bewegingen" in als_html([], "Noord")


def test_aandelen_in_procentpunten_en_jaar_eerder():
    t = _reeks("binnen_norm_pct", [80, 81, 79, 80, 90, 82, 81, 80, 70], indicator="wachttijd")
    tekst = bewegingen({"wachttijd": t}, "W1", Kwartaal(2024, 4))[0].tekst
    assert "10,0 procentpunt lager dan het kwartaal ervoor (80,0%)" in tekst
    assert "20,0 procentpunt lager dan een jaar eerder (90,0%)" in tekst


def test_ervaringen_alleen_met_genoeg_antwoorden():
    pos = _reeks("positief_pct", [70] * 8 + [40], indicator="ervaringen", thema="effect")
    weinig = _reeks("n", [12] * 9, indicator="ervaringen", thema="effect")
    assert bewegingen({"ervaringen": pd.concat([pos, weinig])}, "W1", Kwartaal(2024, 4)) == []
    veel = _reeks("n", [80] * 9, indicator="ervaringen", thema="effect")
    tekst = bewegingen({"ervaringen": pd.concat([pos, veel])}, "W1", Kwartaal(2024, 4))[0].tekst
    assert "(n = 80)" in tekst and "30,0 procentpunt lager" in tekst


def test_vierkant_prognose_boven_budget():
    t = _reeks("prognose_pct", [100] * 8 + [112], groep="A1", indicator="budget")
    tekst = bewegingen({"budget": t}, "A1", Kwartaal(2024, 4), soort="aanbieder")[0].tekst
    assert "112,0% van het budget" in tekst and "2024" in tekst
    assert not any(w in tekst.lower() for w in ("slecht", "goed", "fout"))  # describes, does not judge


def test_html_escapet_en_zegt_geen_oordeel():
    t = _reeks("in_zorg", [100] * 8 + [200])
    html = als_html(bewegingen({"bereik": t}, "W1", Kwartaal(2024, 4)), "<b>Noord</b>")
    assert "&lt;b&gt;Noord&lt;/b&gt;" in html and "geen oordeel" in html


def test_parameters_naam_of_code():
    assert nb.wijk("overvecht", data=SAMPLE).code == "WK034403"
    assert nb.wijk("WK034403", data=SAMPLE).naam == "Overvecht"
    assert nb.aanbieder("a01", data=SAMPLE).code == "A01"  # codes in any case
    assert nb.aanbieder("de wending jeugdhulp", data=SAMPLE).code == "A01"
    o = nb.wijk("Zuid", "2024-K2", data=SAMPLE)
    assert str(o.periode) == "2024-Q2" and len(o.perioden) == 9 and str(o.perioden[0]) == "2022-Q2"


def test_onbekende_wijk_noemt_de_geldige_waarden():
    with pytest.raises(ParameterFout) as e:
        nb.wijk("../../etc", data=SAMPLE)
    assert "Overvecht (WK034403)" in str(e.value) and "Vleuten-De Meern" in str(e.value)
    assert e.value._render_traceback_() == [f"ParameterFout: {e.value}"]  # no Python traceback in a notebook


def test_foute_periode_stopt_met_uitleg():
    with pytest.raises(PeriodeFout, match="2024-Q4, 2024-K4 of 2024KW04"):
        nb.wijk("West", "vorig jaar", data=SAMPLE)
    with pytest.raises(PeriodeFout, match="2022-Q1 t/m 2024-Q4"):
        nb.aanbieder("A01", "2030-Q1", data=SAMPLE)
    with pytest.raises(ParameterFout, match="jeugd, wmo"):
        nb.verdieping(wet="zorg", data=SAMPLE)


def test_kerncijfers_tegen_de_stad():
    o = nb.wijk("Overvecht", "2024-Q4", data=SAMPLE)
    k = nb.kerncijfers(o)
    assert list(k.columns) == ["kerncijfer", "Overvecht", "stad"]
    rij = k[k["kerncijfer"] == "in zorg"].iloc[0]
    t = o.tabel("bereik", "wijk")
    verwacht = t[(t.groep == "WK034403") & (t.periode == "2024-Q4") & (t.maat == "in_zorg")]["waarde"].iloc[0]
    assert rij["Overvecht"] == f"{int(verwacht):,}".replace(",", ".")


def test_wat_niet_past_is_niet_van_toepassing_en_de_wet_is_een_keuze():
    o = nb.aanbieder("Horizonhuis Verblijf", data=SAMPLE)  # aanvullende zorg, no basiszorg
    k = nb.kerncijfers(o).set_index("kerncijfer")[o.naam]
    assert k["aandeel basiszorg"] == "niet van toepassing" and k["aandeel aanvullende zorg"].endswith("%")
    assert nb.wijk("Zuid", data=SAMPLE, wet="jeugd").wetten == ["jeugd"]
    assert nb.wijk("Zuid", data=SAMPLE, wet="beide").wetten == ["jeugd", "wmo"]
    assert nb.aanbieder("Vervoer Stadsregio", data=SAMPLE, wet="jeugd").wetten == []  # a Wmo provider
    with pytest.raises(ParameterFout, match="jeugd, wmo of beide"):
        nb.wijk("Zuid", data=SAMPLE, wet="zorg")
