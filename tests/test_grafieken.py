"""Charts: theme and Dutch locale, hidden values, titles and captions, text alternative, saving."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from conftest import SAMPLE, knopen
from duiding import laad
from duiding.cijfers import cijfers, kies_perioden
from duiding.exceptions import InvoerFout, ParameterFout
from duiding.grafieken import Kader, bereik, bewaar, budget, ervaringen, kaart, tekstalternatief, verdieping, wachttijd
from duiding.grafieken import thema
from duiding.grafieken.thema import NL_GETAL, NL_TIJD, svg


@pytest.fixture(scope="module")
def sample():
    g = laad(SAMPLE)
    perioden = kies_perioden(g, van="2023-Q1", tot="2024-Q4")
    return g, perioden


def _tabel(rijen, indicator="bereik", per="wijk"):
    """A published table by hand: (groep, periode, maat, waarde or None)."""
    df = pd.DataFrame(rijen, columns=["groep", "periode", "maat", "waarde"])
    df.insert(0, "indicator", indicator)
    df.insert(1, "per", per)
    df["waarde"] = df["waarde"].astype("float64")
    df["status"] = ["verborgen" if pd.isna(w) else "" for w in df["waarde"]]
    return df


def _scene_items(spec, marktype):
    """Every drawn item of one mark type in Vega's scenegraph (what the renderer actually draws)."""
    return [k for k in knopen(vlc.vegalite_to_scenegraph(spec)) if k.get("marktype") == marktype and "items" in k]


def _teksten(svg_tekst):
    """Every text node of an SVG (a multi-line title is split into tspans)."""
    return [t for t in re.findall(r">([^<>]+)</(?:text|tspan)>", svg_tekst)]


def test_thema_alleen_aan_wanneer_gevraagd_en_daarna_terug():
    with alt.theme.enable("default"), alt.renderers.enable("default"):
        with thema.actief():
            assert (alt.theme.active, alt.renderers.active) == ("duiding", "duiding")
        assert (alt.theme.active, alt.renderers.active) == ("default", "default")


def test_thema_staat_aan_met_nederlandse_notatie():
    assert alt.theme.active == "duiding"  # switched on for the tests as a notebook does (conftest)
    assert alt.renderers.active == "duiding"
    df = pd.DataFrame({"d": ["2024-03-03", "2024-06-01"], "v": [1234.5, 2000.0]})
    chart = alt.Chart(df).mark_bar().encode(x=alt.X("d:T", axis=alt.Axis(format="%b %Y")),
                                            y=alt.Y("v:Q", axis=alt.Axis(format=",.1f")))
    spec = chart.to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    teksten = _teksten(svg(spec))
    assert "1.000,0" in teksten and "mrt 2024" in teksten
    assert not any(re.fullmatch(r"\d+\.\d", t) for t in teksten)  # no English decimals


def test_weergave_is_svg_zonder_script_en_met_spec():
    chart = bereik.stroom(_tabel([("W1", "2024-Q1", "in_zorg", 120), ("W1", "2024-Q1", "instroom", 30),
                                  ("W1", "2024-Q1", "uitstroom", 25)]), Kader("Noord", "Bron: test"), "W1")
    bundel = chart._repr_mimebundle_()
    bundel = bundel[0] if isinstance(bundel, tuple) else bundel
    assert bundel["image/svg+xml"].lstrip().startswith("<svg")
    assert "<script" not in bundel["image/svg+xml"] and "cdn" not in bundel["image/svg+xml"].lower()
    assert "Noord" in bundel["text/plain"]
    json.dumps(bundel["application/vnd.vegalite.v6+json"], allow_nan=False)  # valid JSON, no NaN


def test_verborgen_waarde_is_gestippeld_vak_en_nooit_een_nul():
    rijen = [("W1", "2024-Q4", "uitstroom_reden_31_pct", 60.0), ("W1", "2024-Q4", "uitstroom_reden_32_pct", None),
             ("W1", "2024-Q4", "uitstroom_reden_33_pct", None), ("stad", "2024-Q4", "uitstroom_reden_31_pct", 70.0),
             ("stad", "2024-Q4", "uitstroom_reden_32_pct", 20.0), ("stad", "2024-Q4", "uitstroom_reden_33_pct", 10.0)]
    chart = bereik.mix(_tabel(rijen), Kader("Noord", "Bron: test"), "W1", "uitstroom_reden", "Redenen", wet="jeugd")
    spec = chart.to_dict()
    # four values are shown, so exactly four filled bars are drawn; the hidden two are a dashed, white box each
    # (never a zero bar) with the word in it
    items = [i for b in _scene_items(spec, "rect") for i in b["items"]]
    gevuld = [i for i in items if i.get("fill") not in ("#ffffff", None)]
    vakken = [i for i in items if i.get("strokeDash")]
    assert len(gevuld) == 4 and len(vakken) == 2
    assert all(i["fill"] == "#ffffff" for i in vakken)
    teksten = _teksten(svg(spec))
    assert teksten.count("verborgen") == 2
    assert any("gestippeld vak = verborgen" in t for t in teksten)


def test_nul_is_een_nul_en_geen_lege_plek():
    rijen = [("W1", "2024-Q4", "uitstroom_reden_31_pct", 100.0), ("W1", "2024-Q4", "uitstroom_reden_32_pct", 0.0),
             ("stad", "2024-Q4", "uitstroom_reden_31_pct", 90.0), ("stad", "2024-Q4", "uitstroom_reden_32_pct", 10.0)]
    spec = bereik.mix(_tabel(rijen), Kader("Noord", "Bron: test"), "W1", "uitstroom_reden", "Redenen",
                      wet="jeugd").to_dict()
    teksten = _teksten(svg(spec))
    assert "0,0%" in teksten and "verborgen" not in teksten


def test_verborgen_in_lijn_onderbreekt_de_lijn(sample):
    rijen = [("W1", p, "in_zorg", w) for p, w in [("2024-Q1", 40), ("2024-Q2", None), ("2024-Q3", 44)]]
    rijen += [("W1", p, m, 10) for p in ("2024-Q1", "2024-Q2", "2024-Q3") for m in ("instroom", "uitstroom")]
    spec = bereik.stand(_tabel(rijen), Kader("Noord", "Bron: test"), "W1").to_dict()
    punten = sum(len(s["items"]) for s in _scene_items(spec, "symbol") if s.get("role") == "mark")
    assert punten == 2  # 3 values, one hidden: no point at zero
    assert "verborgen" in _teksten(svg(spec))
    spec = bereik.stroom(_tabel(rijen), Kader("Noord", "Bron: test"), "W1").to_dict()
    assert sum(len(s["items"]) for s in _scene_items(spec, "symbol") if s.get("role") == "mark") == 6


def test_titel_waar_periode_eenheid_en_bron(sample):
    g, perioden = sample
    tabel = cijfers(g, "bereik", "wijk", perioden)
    teksten = [t for f in (bereik.stand, bereik.stroom)
               for t in _teksten(svg(f(tabel, Kader("Overvecht", g.bronvermelding), "WK034403").to_dict()))]
    assert "Cliënten in zorg · Overvecht" in teksten and "Instroom en uitstroom · Overvecht" in teksten
    assert any("2023 K1 t/m 2024 K4" in t and "aantal cliënten" in t for t in teksten)
    assert any("fictieve gegevens" in t for t in teksten)


def test_elke_grafiekfunctie_op_de_voorbeelddata(sample, tmp_path):
    g, perioden = sample
    k = Kader("Overvecht", g.bronvermelding)
    stad = Kader("Utrecht", g.bronvermelding)
    an = dict(zip(g.aanbieders["aanbieder_id"], g.aanbieders["naam"]))
    wijken = {**dict(zip(g.wijken["wijk_code"], g.wijken["naam"])), "stad": "stad"}
    b = cijfers(g, "budget", "aanbieder", perioden)
    charts = [
        bereik.vergelijk_stad(cijfers(g, "bereik", "wijk", perioden), k, "WK034403", "per_1000_jeugd", "Jeugd"),
        bereik.basis_aanvullend(cijfers(g, "bereik", "wijk", perioden), k, "WK034403"),
        bereik.wijken_naast_elkaar(cijfers(g, "bereik", "wijk", perioden), stad, "per_1000_jeugd", wijken),
        wachttijd.verdeling(cijfers(g, "wachttijd", "wijk", perioden), k, "WK034403"),
        wachttijd.trend(cijfers(g, "wachttijd", "wijk", perioden), k, "WK034403"),
        wachttijd.per_groep(cijfers(g, "wachttijd", "wijk", perioden), stad, wijken),
        ervaringen.aandelen(cijfers(g, "ervaringen", "wijk", perioden), k, "WK034403"),
        budget.vierkant(b, Kader(an["A01"], g.bronvermelding), "A01"),
        budget.vergelijk(b, Kader(an["A01"], g.bronvermelding), "A01", {a: an[a] for a in ("A01", "A02", "A03")}),
        budget.landschap(b, stad, an, dict(zip(g.aanbieders["aanbieder_id"], g.aanbieders["soort"]))),
        verdieping.doorlooptijd(cijfers(g, "bereik", "soort", perioden), stad, {"basiszorg": "basiszorg",
                                                                               "aanvullend": "aanvullend"}),
        verdieping.herinstroom(cijfers(g, "verdieping", "stad", perioden), stad, voorlopig_vanaf="2024-Q1"),
        kaart.tegelkaart(cijfers(g, "bereik", "wijk", perioden), g.wijken, stad, uitgelicht="WK034403"),
    ]
    for i, chart in enumerate(charts):
        spec = chart.to_dict()
        beschrijving = spec.get("description", "")
        assert beschrijving.endswith(".") and len(beschrijving) > 40, beschrijving
        titels = json.dumps(spec.get("title", ""), ensure_ascii=False)
        assert "Overvecht" in titels or "Utrecht" in titels or an["A01"] in titels
        assert "fictieve gegevens" in titels
        pad = bewaar(chart, tmp_path / f"g{i}.svg")
        assert pad.read_text(encoding="utf-8").startswith("<svg")
        alt_html = tekstalternatief(chart)
        assert "<details>" in alt_html and "<td>" in alt_html


def test_bewaar_png_en_svg_atomair(sample, tmp_path):
    g, perioden = sample
    chart = wachttijd.trend(cijfers(g, "wachttijd", "wijk", perioden), Kader("Zuid", g.bronvermelding), "WK034407")
    png = bewaar(chart, tmp_path / "trend.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bewaar(chart, tmp_path / "trend.svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trend.png", "trend.svg"]  # no temporary files left
    with pytest.raises(ParameterFout, match=r"\.svg of \.png"):
        bewaar(chart, tmp_path / "trend.pdf")


def test_tekstalternatief_zin_tabel_en_escaping():
    rijen = [("W1", "2024-Q3", "in_zorg", 1234.0), ("W1", "2024-Q4", "in_zorg", None),
             ("W1", "2024-Q3", "instroom", 10.0), ("W1", "2024-Q4", "instroom", 12.0),
             ("W1", "2024-Q3", "uitstroom", 9.0), ("W1", "2024-Q4", "uitstroom", 8.0)]
    chart = bereik.stand(_tabel(rijen), Kader("<script>alert(1)</script>", "Bron: test"), "W1")
    alt_html = tekstalternatief(chart)
    assert "<script>" not in alt_html and "&lt;script&gt;" in alt_html
    assert "2024 K3" in alt_html and "1.234" in alt_html and "verborgen" in alt_html
    assert alt_html.count("<tr>") == 3  # header + two quarters


def _geojson(g):
    """Squares at the tile positions, keyed by CBS code as in the CBS wijkkaart (test geometry)."""
    features = []
    for r in g.wijken.itertuples():
        x, y = 5.0 + 0.02 * r.tegel_kolom, 52.1 - 0.02 * r.tegel_rij
        features.append({"type": "Feature", "properties": {"statcode": r.wijk_code, "statnaam": r.naam},
                         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 0.02, y], [x + 0.02, y - 0.02],
                                                                          [x, y - 0.02], [x, y]]]}})
    return {"type": "FeatureCollection", "features": features}


def test_choropleet_uit_geojson(sample, tmp_path):
    g, perioden = sample
    pad = tmp_path / "wijken.geojson"
    pad.write_text(json.dumps(_geojson(g)), encoding="utf-8")
    chart = kaart.choropleet(cijfers(g, "bereik", "wijk", perioden), g.wijken, kaart.lees_geojson(pad),
                             Kader("Utrecht", g.bronvermelding), uitgelicht="WK034403")
    vormen = _scene_items(chart.to_dict(), "shape")
    assert sum(len(v["items"]) for v in vormen) == 10
    assert "omlijnd" in chart.to_dict()["description"]


def test_geojson_fouten_in_het_nederlands(tmp_path):
    with pytest.raises(InvoerFout, match="bestaat niet"):
        kaart.lees_geojson(tmp_path / "weg.geojson")
    kapot = tmp_path / "kapot.geojson"
    kapot.write_text("{niet json", encoding="utf-8")
    with pytest.raises(InvoerFout, match="geen geldige GeoJSON"):
        kaart.lees_geojson(kapot)


def test_locale_ook_bij_expliciete_vl_convert_aanroep():
    # the renderer passes the locale explicitly too; vl-convert must accept our definitions
    out = vlc.vegalite_to_svg({"data": {"values": [{"v": 1234.5}]}, "mark": "text",
                               "encoding": {"text": {"field": "v", "format": ",.1f"}}},
                              format_locale=NL_GETAL, time_format_locale=NL_TIJD)
    assert "1.234,5" in out


def test_vergelijkbare_aanbieders_dezelfde_wet_en_productmix(sample):
    g, _ = sample
    namen = g.aanbiedernamen
    vervoer = g.vergelijkbare_aanbieders("A19")  # Vervoer Stadsregio: Wmo transport
    assert vervoer[0] == "A19" and "A11" not in vervoer  # not beside household help, though both Wmo aanvullend
    assert g.vergelijkbare_aanbieders("A11")[:2] == ["A11", "A12"]  # two household-help providers
    a = g.aanbieders.set_index("aanbieder_id")
    for code in namen:
        for peer in g.vergelijkbare_aanbieders(code)[1:]:
            assert (a.at[peer, "wet"], a.at[peer, "soort"]) == (a.at[code, "wet"], a.at[code, "soort"])


def test_korte_namen_verschillend_en_eigen_korte_naam_gaat_voor():
    from duiding.gegevens import korte_namen
    namen = {"B01": "Stichting Buurtkracht Jeugd & Gezin", "B02": "Stichting Buurtkracht Sociaal",
             "A09": "Kinderkliniek De Linde", "X1": "Zorg Groep Noord Oost", "X2": "Zorg Groep Noord West"}
    kort = korte_namen(namen, {"A09": "De Linde"})
    assert kort["A09"] == "De Linde" and kort["B01"] == "Buurtkracht Jeugd"
    assert len(set(kort.values())) == len(kort) and all(len(k) <= len(namen[c]) for c, k in kort.items())


def _specs_van_een_rapport(sample) -> list[str]:
    """The specs, as JSON text, of charts of every shape the reports use: plain, layered, layers of
    layers (hidden bars), faceted, conditions (the tile map), the vierkant of an aanbieder."""
    g, perioden = sample
    kader = Kader("West", "bron", "intern")
    b = cijfers(g, "bereik", "wijk", perioden, "intern")
    w = cijfers(g, "wachttijd", "wijk", perioden, "intern")
    e = cijfers(g, "ervaringen", "wijk", perioden, "intern")
    bu = cijfers(g, "budget", "aanbieder", perioden, "intern")
    an = g.aanbiedernamen
    grafieken = [bereik.stand(b, kader, "WK034401"), bereik.stroom(b, kader, "WK034401"),
                 bereik.mix(b, kader, "WK034401", "uitstroom_reden", "Redenen", wet="jeugd"),
                 bereik.mix_trend(b, kader, "WK034401", "uitstroom_reden", "Redenen", wet="jeugd"),
                 bereik.basis_aanvullend(b, kader, "WK034401"),
                 bereik.wijken_naast_elkaar(b, kader, "in_zorg", g.wijknamen),
                 wachttijd.verdeling(w, kader, "WK034401"), wachttijd.trend(w, kader, "WK034401", norm_dagen=42),
                 ervaringen.aandelen(e, kader, "WK034401"), ervaringen.trend(e, kader, "WK034401"),
                 kaart.tegelkaart(b, g.wijken, kader, "per_1000_jeugd", "WK034401"),
                 budget.vierkant(bu, Kader(an["A01"], "bron"), "A01"),
                 budget.vergelijk(bu, Kader(an["A01"], "bron"), "A01", {a: an[a] for a in ("A01", "A02", "A03")})]
    return [json.dumps(c.to_dict(validate=False), sort_keys=True) for c in grafieken]


def _zonder_en_met(aan, uit, is_uit, sample) -> tuple[list[str], list[str]]:
    """The specs of `_specs_van_een_rapport` with one of the kit's Altair shims switched off (Altair's own
    code), then on again."""
    assert aan()
    try:
        uit()
        assert is_uit()
        zonder = _specs_van_een_rapport(sample)
    finally:
        aan()
    return zonder, _specs_van_een_rapport(sample)


def test_onthouden_klassentabel_geeft_dezelfde_grafieken(sample):
    """`kanalen.onthoud()` keeps Altair's class table between channel conversions: every chart of a wijk's
    sections (shorthand channels, alt.value, alt.condition in the tile map) comes out the same as with
    Altair's own converter."""
    from duiding.grafieken import kanalen

    zonder, met = _zonder_en_met(kanalen.onthoud, kanalen.vergeet,
                                 lambda: kanalen.schemapi._FromDict is kanalen._ORIGINEEL, sample)
    assert kanalen.schemapi._FromDict is kanalen._Onthouden
    assert met == zonder
    assert kanalen._TABELLEN  # the table was built once and kept


def test_directe_kopie_geeft_dezelfde_grafieken_en_deelt_niets(sample):
    """`kopie.snel()` copies charts without running `__init__` again: every chart shape the reports use
    comes out the same as with Altair's own copy, and a deep copy shares no mutable part."""
    from duiding.grafieken import kopie

    zonder, met = _zonder_en_met(kopie.snel, kopie.altair_eigen,
                                 lambda: kopie.schemapi._deep_copy is kopie._ORIGINEEL, sample)
    assert kopie.schemapi._deep_copy is kopie._kopie
    assert met == zonder

    g, perioden = sample
    chart = bereik.mix(cijfers(g, "bereik", "wijk", perioden, "intern"), Kader("West", "bron", "intern"),
                       "WK034401", "uitstroom_reden", "Redenen", wet="jeugd")
    voor = json.dumps(chart.to_dict(validate=False), sort_keys=True)
    kopie_ = chart.copy()
    assert json.dumps(kopie_.to_dict(validate=False), sort_keys=True) == voor
    assert type(kopie_.layer[1]) is type(chart.layer[1]) and kopie_.layer[1] is not chart.layer[1]
    kopie_.layer[1].layer[0].mark.fill = "#000000"  # a part deep inside the copy ...
    kopie_.title.text = "anders"
    assert json.dumps(chart.to_dict(validate=False), sort_keys=True) == voor  # ... is not the original's
    assert all(set(vars(k)) <= {"_args", "_kwds"} for k in _schema_objecten(chart))  # nothing outside the copy


def _schema_objecten(obj):
    """Every Altair schema object in a chart's tree."""
    if isinstance(obj, alt.SchemaBase):
        yield obj
        for v in [*obj._args, *obj._kwds.values()]:
            yield from _schema_objecten(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _schema_objecten(v)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _schema_objecten(v)


def test_eigen_datatransformer_geeft_wat_altair_geeft():
    """The kit's data transformer (`waarden`) gives the values Altair's default gives, for the columns of
    chart rows (text, numbers with NaN and inf, booleans, None) and for those it hands to Altair (dates,
    categories, nullable numbers); above 5.000 rows it refuses as Altair does."""
    from altair.utils.data import to_values
    from duiding.grafieken.waarden import waarden
    import numpy as np

    df = pd.DataFrame({
        "groep": ["W1", "W2", None, "W4"], "waarde": [1.5, np.nan, np.inf, -0.0],
        "n": np.array([1, 2, 3, 4], dtype="int64"), "verborgen": [False, True, False, True],
        "tekst": pd.Series(["a", None, "c", "d"], dtype="string"),
        "gemengd": [np.int64(3), np.float64(2.5), float("nan"), np.array([1, 2])],
    }, index=[7, 3, 9, 1])
    assert waarden(df) == to_values(df)
    anders = df.assign(datum=pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-04-01"]),
                       cat=pd.Categorical(["x", "y", None, "x"]), leeg=pd.array([1, None, 3, 4], dtype="Int64"))
    assert waarden(anders) == to_values(anders)
    assert waarden(df.iloc[:0]) == to_values(df.iloc[:0])
    assert json.dumps(waarden(df)["values"][1]) == json.dumps(to_values(df)["values"][1])
    with pytest.raises(alt.MaxRowsError):
        waarden(pd.DataFrame({"x": range(5001)}))
    assert len(waarden(pd.DataFrame({"x": range(5001)}), max_rows=None)["values"]) == 5001


def test_specs_met_eigen_datatransformer_zijn_die_van_altair(sample):
    """Every chart shape of the reports gives the same spec with the kit's data transformer as with Altair's,
    but for two things: a missing value in a text-and-number column is null where Altair's default leaves
    a NaN (not JSON; the renderer made it null anyway), so the name Altair derives from the values differs."""
    with thema.actief():
        assert alt.data_transformers.active == "duiding"
        with alt.data_transformers.enable("default"):
            eigen = _specs_van_een_rapport(sample)
        assert alt.data_transformers.active == "duiding"
        nieuw = _specs_van_een_rapport(sample)
    assert any("NaN" in s for s in eigen) and not any("NaN" in s for s in nieuw)
    assert [_zonder_namen(s) for s in nieuw] == [_zonder_namen(s) for s in eigen]


def _zonder_namen(spec_json: str) -> str:
    """A spec with NaN as null and its datasets' names numbered in order of appearance."""
    spec = json.dumps(thema._zonder_nan(json.loads(spec_json)), sort_keys=True)
    namen = list(dict.fromkeys(re.findall(r"data-[0-9a-f]{32}", spec)))
    for i, naam in enumerate(namen):
        spec = spec.replace(naam, f"data-{i}")
    return spec


def test_grafiekfuncties_bouwen_zonder_altairs_controle_per_object_dezelfde_geldige_grafieken(sample, monkeypatch):
    """`@grafiek` switches Altair's check of every object at instantiation off while a kit chart function runs:
    the charts are the same as with the check on (and pass it), each is valid Vega-Lite as a whole, and
    outside the kit's functions Altair's check is on again, for a user's own charts."""
    from altair.utils import schemapi
    from duiding.grafieken import bouw

    assert schemapi.DEBUG_MODE
    met = _specs_van_een_rapport(sample)
    assert schemapi.DEBUG_MODE and bouw._binnen == 0  # back on once the functions return
    with monkeypatch.context() as m:  # the check stays on inside: every object is checked as it is made
        m.setattr(schemapi, "disable_debug_mode", lambda: None)
        gecontroleerd = _specs_van_een_rapport(sample)
    assert met == gecontroleerd
    for spec in met:
        alt.Root.validate(json.loads(spec))  # the whole spec against the Vega-Lite schema

    with pytest.raises(schemapi.SchemaValidationError):  # a mistake in a user's chart is still caught where it is made
        alt.Chart().mark_bar(size="groot")
    with bouw.bouwen():
        assert not schemapi.DEBUG_MODE
        alt.Chart().mark_bar(size="groot")  # not checked here: the kit's charts are checked as a whole
    assert schemapi.DEBUG_MODE
