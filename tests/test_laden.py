"""The loader reads every dialect a municipality produces into the same typed tables."""

from __future__ import annotations

import pandas as pd
import pytest

from duiding import laad
from duiding.exceptions import ValidatieFout
from tests.conftest import klein, schrijf


def _als_nl(tabellen):
    """Dutch spreadsheet style: DD-MM-YYYY dates and decimal commas."""
    uit = {k: v.copy() for k, v in tabellen.items()}
    for kol in ("aanmelddatum", "startdatum", "einddatum"):
        s = uit["trajecten"][kol]
        uit["trajecten"][kol] = s.where(s == "", s.str[8:10] + "-" + s.str[5:7] + "-" + s.str[0:4])
    uit["budget"]["budget_eur"] = uit["budget"]["budget_eur"].map(lambda x: f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", "."))
    uit["realisatie"]["kosten_eur"] = uit["realisatie"]["kosten_eur"].map(lambda x: f"{x:.2f}".replace(".", ","))
    uit["aanbieders"].loc[0, "naam"] = "Buurtteam Zuidoost-Café"  # a character that differs in cp1252
    return uit


def _vergelijk(a, b):
    for naam in ("trajecten", "aanbieders", "wijken", "bevolking", "ervaringen", "budget", "realisatie"):
        x, y = getattr(a, naam).reset_index(drop=True), getattr(b, naam).reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y, check_dtype=False, obj=naam)


def test_comma_utf8(klein_map):
    g = laad(klein_map)
    t = g.trajecten.set_index("traject_id")
    assert t.loc["T5", "startdatum"] == pd.Timestamp("2024-02-29")
    assert pd.isna(t.loc["T2", "einddatum"])
    assert g.budget["budget_eur"].tolist() == [400000.0, 100000.5]
    assert g.wijken["tegel_rij"].tolist() == [0, 1]


@pytest.mark.parametrize("codering", ["cp1252", "utf-8-sig"])
def test_semicolon_dutch_dialect(tmp_path, codering):
    tabellen = klein()
    referentie = schrijf(tmp_path / "ref", {**tabellen, "aanbieders": _als_nl(tabellen)["aanbieders"]})
    nl = schrijf(tmp_path / "nl", _als_nl(tabellen), sep=";", encoding=codering)
    ruw = (nl / "aanbieders.csv").read_bytes()
    assert (b"\xe9" in ruw) == (codering == "cp1252")  # é as one byte in Windows-1252
    assert "400.000,00" in (nl / "budget.csv").read_text(encoding=codering)
    _vergelijk(laad(referentie), laad(nl))
    assert laad(nl).aanbieders.loc[0, "naam"] == "Buurtteam Zuidoost-Café"


def test_leading_zeros_lost_by_excel(tmp_path):
    tabellen = klein()
    tabellen["trajecten"]["verwijzer"] = tabellen["trajecten"]["verwijzer"].str.lstrip("0")
    g = laad(schrijf(tmp_path / "x", tabellen))
    assert g.trajecten["verwijzer"].tolist() == ["06", "02", "", "01", "06", "02"]


def test_parquet(tmp_path, klein_map):
    map = tmp_path / "pq"
    map.mkdir()
    for naam, df in klein().items():
        df.to_parquet(map / f"{naam}.parquet", index=False)
    _vergelijk(laad(klein_map), laad(map))


def test_typed_parquet(tmp_path, klein_map):
    """Parquet with real date and integer types reads the same as text."""
    map = tmp_path / "pq2"
    map.mkdir()
    for naam, df in klein().items():
        df = df.copy()
        if naam == "trajecten":
            for kol in ("aanmelddatum", "startdatum", "einddatum"):
                df[kol] = pd.to_datetime(df[kol].replace("", None))
            df["geboortejaar"] = df["geboortejaar"].astype(int)
        df.to_parquet(map / f"{naam}.parquet", index=False)
    _vergelijk(laad(klein_map), laad(map))


STATLINE = '''"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"AantalInwoners_5";"k_0Tot15Jaar_8";"k_15Tot25Jaar_9";"k_25Tot45Jaar_10";"k_45Tot65Jaar_11";"k_65JaarOfOuder_12"
"0";"Utrecht";"Utrecht                                 ";"Gemeente  ";"GM0344    ";"    7500";"    1500";"    1000";"    2500";"    1500";"    1000"
"1";"Noord";"Utrecht                                 ";"Wijk      ";"W1        ";"    4500";"     800";"     700";"    1500";"     900";"     600"
"2";"Zuid";"Utrecht                                 ";"Wijk      ";"W2        ";"    3000";"     700";"     300";"    1000";"     600";"       ."
'''


def test_cbs_statline_export(tmp_path):
    tabellen = klein()
    del tabellen["bevolking"]
    map = schrijf(tmp_path / "cbs", tabellen)
    (map / "bevolking_2024.csv").write_text(STATLINE, encoding="utf-8")
    g = laad(map)
    b = g.bevolking.set_index(["wijk_code", "leeftijdsgroep"])["aantal"]
    assert b[("W1", "0-17")] == 800 + 210  # 0-15 plus 3/10 of 15-25
    assert b[("W1", "18-64")] == 490 + 1500 + 900
    assert b[("W1", "65+")] == 600
    assert ("W2", "65+") not in b.index  # '.' is secret: left out, not zero
    assert set(g.bevolking["jaar"]) == {2024}
    meldingen = " ".join(p.tekst() for p in g.rapport.waarschuwingen)
    assert "CBS-export" in meldingen and "geheime" in meldingen


def test_cbs_without_year_is_refused(tmp_path):
    tabellen = klein()
    del tabellen["bevolking"]
    map = schrijf(tmp_path / "cbs", tabellen)
    (map / "cbs_kerncijfers.csv").write_text(STATLINE, encoding="utf-8")
    with pytest.raises(ValidatieFout) as fout:
        laad(map)
    assert "welk jaar" in str(fout.value)


def test_name_or_code(klein_map):
    from duiding.exceptions import ParameterFout

    g = laad(klein_map)
    assert g.wijk("zuid") == "W2" and g.wijk("W1") == "W1"
    assert g.aanbieder("Jeugdhulp Test") == "A1"
    with pytest.raises(ParameterFout) as fout:
        g.wijk("../../etc")
    assert "Noord (W1)" in str(fout.value) and "Zuid (W2)" in str(fout.value)


def _kerncijfers(rijen: list[tuple]) -> str:
    """A Kerncijfers export as StatLine writes it: BOM, `;`, quoted, padded codes, several years."""
    kop = ('"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";'
           '"IndelingswijzigingWijkenEnBuurten_4";"Peildatum";"AantalInwoners_5";"k_0Tot15Jaar_8";'
           '"k_15Tot25Jaar_9";"k_25Tot45Jaar_10";"k_45Tot65Jaar_11";"k_65JaarOfOuder_12"')
    regels = [kop]
    for i, (naam, soort, code, wijziging, peil, jong) in enumerate(rijen):
        regels.append(f'"{i}";"{naam}";"Testdorp                                ";"{soort:<10}";"{code:<10}";'
                      f'"{wijziging:>5}";"{peil}";"    4500";"{jong:>8}";"     700";"    1500";"     900";"     600"')
    return "\ufeff" + "\r\n".join(regels) + "\r\n"


def _zonder_bevolking(tmp_path):
    tabellen = klein()
    del tabellen["bevolking"]
    return schrijf(tmp_path / "cbs", tabellen)


def test_cbs_export_as_downloaded_several_years_one_file(tmp_path):
    map = _zonder_bevolking(tmp_path)
    (map / "CBS_Kerncijfers.csv").write_text(_kerncijfers([
        ("Testdorp", "Gemeente", "GM9999", ".", "1-1-2023", "1600"),
        ("Noord", "Wijk", "W1", "1", "1-1-2023", "800"),
        ("Noord-Oost", "Buurt", "BU99990101", "1", "1-1-2023", "400"),
        ("Zuid", "Wijk", "W2", "1", "1-1-2023", "700"),
        ("Noord", "Wijk", "W1", "1", "1-1-2024", "810"),
        ("Zuid", "Wijk", "W2", "1", "1-1-2024", "690"),
    ]), encoding="utf-8", newline="")
    g = laad(map)
    b = g.bevolking.set_index(["jaar", "wijk_code", "leeftijdsgroep"])["aantal"]
    assert set(g.bevolking["jaar"]) == {2023, 2024} and set(g.bevolking["wijk_code"]) == {"W1", "W2"}
    assert b[(2024, "W1", "0-17")] == 810 + 210 and b[(2023, "W2", "0-17")] == 700 + 210


def test_cbs_one_file_per_year_all_read_and_a_clash_names_both(tmp_path):
    map = _zonder_bevolking(tmp_path)
    for jaar, n in ((2023, "800"), (2024, "820")):
        tekst = _kerncijfers([("Noord", "Wijk", "W1", "1", f"1-1-{jaar}", n), ("Zuid", "Wijk", "W2", "1", f"1-1-{jaar}", n)])
        (map / f"bevolking_{jaar}.csv").write_text(tekst, encoding="utf-8")
    g = laad(map)
    assert set(g.bevolking["jaar"]) == {2023, 2024}
    (map / "cbs_extra.csv").write_text(_kerncijfers([("Noord", "Wijk", "W1", "1", "1-1-2024", "500")]),
                                       encoding="utf-8")
    with pytest.raises(ValidatieFout) as fout:
        laad(map)
    tekst = str(fout.value)
    assert "cbs_extra.csv" in tekst and "bevolking_2024.csv" in tekst and "W1" in tekst


def test_cbs_duplicate_row_names_the_users_row(tmp_path):
    map = _zonder_bevolking(tmp_path)
    (map / "cbs_kerncijfers.csv").write_text(_kerncijfers([
        ("Testdorp", "Gemeente", "GM9999", ".", "1-1-2024", "1600"),
        ("Noord", "Wijk", "W1", "1", "1-1-2024", "800"),
        ("Zuid", "Wijk", "W2", "1", "1-1-2024", "700"),
        ("Noord", "Wijk", "W1", "1", "1-1-2024", "800"),
    ]), encoding="utf-8")
    with pytest.raises(ValidatieFout) as fout:
        laad(map)
    assert "cbs_kerncijfers.csv, rij 5" in str(fout.value)  # header is row 1: the second Noord is row 5


def test_cbs_redivision_is_warned(tmp_path):
    map = _zonder_bevolking(tmp_path)
    (map / "cbs_kerncijfers.csv").write_text(_kerncijfers([
        ("Noord", "Wijk", "W1", "1", "1-1-2023", "8000"),
        ("Zuid", "Wijk", "W2", "1", "1-1-2023", "700"),
        ("Noord", "Wijk", "W1", "1", "1-1-2024", "80"),  # the Almere case: same code, a tenth of the people
        ("Zuid", "Wijk", "W2", "3", "1-1-2024", "700"),  # CBS marks the change itself
    ]), encoding="utf-8")
    g = laad(map)
    meldingen = " ".join(p.tekst() for p in g.rapport.waarschuwingen)
    assert "W1" in meldingen and "wijkindeling" in meldingen
    assert "CBS meldt voor wijk W2 een indelingswijziging in 2024" in meldingen


def test_reports_spanning_a_redivision_say_so(tmp_path):
    from duiding import notebook
    from duiding.periode import Kwartaal

    test_cbs_redivision_is_warned(tmp_path)
    map = tmp_path / "cbs"
    g = laad(map)
    assert g.indelingswijzigingen(Kwartaal.parse("2024-Q1"), Kwartaal.parse("2024-Q4")) == []  # within 2024: comparable
    noten = g.indelingswijzigingen(Kwartaal.parse("2023-Q1"), Kwartaal.parse("2024-Q4"), "W1")
    assert noten == ["wijkindeling van Noord gewijzigd in 2024; vergelijk cijfers per inwoner niet over die grens"]
    from duiding.config import Instellingen
    from duiding.periode import reeks
    o = notebook.Onderwerp("wijk", "W1", "Noord", Kwartaal.parse("2024-Q2"), reeks("2023-Q1", "2024-Q2"), g,
                           Instellingen(), "intern")
    assert "Let op: wijkindeling van Noord gewijzigd in 2024" in o.kop() and "Zuid" not in o.kop()
    o = notebook.Onderwerp("stad", "stad", "Testdorp", Kwartaal.parse("2024-Q2"), reeks("2023-Q1", "2024-Q2"), g,
                           Instellingen(), "intern")
    assert "Noord gewijzigd in 2024" in o.kop() and "Zuid gewijzigd in 2024" in o.kop()


def test_the_gemeente_comes_from_the_data_not_from_utrecht(tmp_path):
    from duiding.config import Instellingen

    tabellen = klein()
    tabellen["wijken"]["wijk_code"] = ["WK003401", "WK003402"]
    for stam in ("trajecten", "bevolking", "ervaringen"):
        if stam in tabellen and "wijk_code" in tabellen[stam]:
            tabellen[stam]["wijk_code"] = tabellen[stam]["wijk_code"].replace({"W1": "WK003401", "W2": "WK003402"})
    g = laad(schrijf(tmp_path / "a", tabellen))
    assert g.gemeente == "gemeente GM0034" and "Utrecht" not in g.bronvermelding
    assert Instellingen().gemeente_voor(g) == "gemeente GM0034"
    assert Instellingen(gemeente="Almere").gemeente_voor(g) == "Almere"
    del tabellen["bevolking"]
    map = schrijf(tmp_path / "b", tabellen)
    (map / "CBS_Kerncijfers.csv").write_text(_kerncijfers([
        ("Almere-Haven", "Wijk", "WK003401", "1", "1-1-2024", "800"),
        ("Almere-Stad", "Wijk", "WK003402", "1", "1-1-2024", "700")]).replace("Testdorp", "Almere  "),
        encoding="utf-8")
    assert laad(map).gemeente == "Almere"


def test_reported_waiting_times_are_read_checked_and_shown(tmp_path):
    from duiding import notebook
    from duiding.config import Instellingen
    from duiding.periode import Kwartaal, reeks

    map = schrijf(tmp_path / "w", klein())
    (map / "wachttijden.csv").write_text(
        "aanbieder_id;productcategorie;product;periode;weken_tot_intake;weken_tot_start;bron\n"
        "A1;45;;2024 K2;3,5;7;regio wachttijdenoverzicht\n"
        "A1;;Dyslexiezorg;2024-Q2;;12;regio wachttijdenoverzicht\n", encoding="utf-8")
    g = laad(map)
    o = notebook.Onderwerp("aanbieder", "A1", "Jeugdhulp Test", Kwartaal.parse("2024-Q2"),
                           reeks("2024-Q1", "2024-Q2"), g, Instellingen(), "intern")
    t = notebook.gemelde_wachttijden(o)
    assert list(t["product"]) == ["Dyslexiezorg", "Jeugdhulp ambulant"]
    assert list(t["weken tot intake"]) == ["", "3,5"] and list(t["weken tot start"]) == ["12", "7"]
    assert set(t["kwartaal"]) == {Kwartaal.parse("2024-Q2").label}
    (map / "wachttijden.csv").write_text(
        "aanbieder_id,periode,weken_tot_intake,weken_tot_start\nA9,2024-Q2,3,\nA1,volgende week,,\n", encoding="utf-8")
    with pytest.raises(ValidatieFout) as fout:
        laad(map)
    tekst = str(fout.value)
    assert "wachttijden.csv, rij 3, kolom periode" in tekst and "A9" in tekst and "geen productcategorie" in tekst


def _eigen_export(map):
    """trajecten as a gemeente's own system exports them: its own names, Dutch dates, words for reasons."""
    t = klein()["trajecten"]
    eigen = pd.DataFrame({
        "Trajectnummer": t["traject_id"], "Clientnummer": t["client_id"], "Wet": t["wet"],
        "Aanbieder": t["aanbieder_id"], "Categorie": t["productcategorie"], "Wijk": t["wijk_code"],
        "Verwijzer": t["verwijzer"],
        "Aanmelding": pd.to_datetime(t["aanmelddatum"]).dt.strftime("%d-%m-%Y").fillna(""),
        "Begindatum": pd.to_datetime(t["startdatum"]).dt.strftime("%d-%m-%Y"),
        "Einddatum": pd.to_datetime(t["einddatum"]).dt.strftime("%d-%m-%Y").fillna(""),
        "Reden": t["reden_beeindiging"].replace({"31": "Afgerond volgens plan", "19": "Afgerond volgens plan",
                                                  "38": "Overstap"}),
        "Geboortejaar": t["geboortejaar"]})
    eigen.to_csv(map / "zorgexport.csv", index=False, sep=";")


def test_own_export_mapped_in_duiding_toml_without_code(tmp_path):
    from duiding.config import laad_instellingen
    from duiding.controle import controleer

    tabellen = klein()
    del tabellen["trajecten"]
    map = schrijf(tmp_path / "eigen", tabellen)
    _eigen_export(map)
    # first only the file: controleer suggests the columns and lists the unmapped reasons
    (tmp_path / "duiding.toml").write_text('[koppeling.trajecten]\nbestand = "zorgexport.csv"\n'
                                           'datumformaat = "%d-%m-%Y"\n', encoding="utf-8")
    inst = laad_instellingen(tmp_path, omgeving={})
    rapport, _, _ = controleer(map, inst.koppeling)
    tekst = rapport.als_tekst()
    # (column names are read in lower case; the mapping matches them in any case)
    assert '"begindatum" = "startdatum"' in tekst and '"clientnummer" = "client_id"' in tekst
    assert '"reden" = "reden_beeindiging"' in tekst and "[koppeling.trajecten.kolommen]" in tekst
    # then the mapping as suggested, plus the reasons: the folder loads
    kolommen = {"Trajectnummer": "traject_id", "Clientnummer": "client_id", "Wet": "wet", "Aanbieder": "aanbieder_id",
                "Categorie": "productcategorie", "Wijk": "wijk_code", "Verwijzer": "verwijzer",
                "Aanmelding": "aanmelddatum", "Begindatum": "startdatum", "Einddatum": "einddatum",
                "Reden": "reden_beeindiging", "Geboortejaar": "geboortejaar"}
    toml = ('[koppeling.trajecten]\nbestand = "zorgexport.csv"\ndatumformaat = "%d-%m-%Y"\n'
            '[koppeling.trajecten.kolommen]\n' + "".join(f'"{a}" = "{b}"\n' for a, b in kolommen.items()))
    (tmp_path / "duiding.toml").write_text(toml, encoding="utf-8")
    inst = laad_instellingen(tmp_path, omgeving={})
    rapport, _, _ = controleer(map, inst.koppeling)
    tekst = rapport.als_tekst()
    assert '"Afgerond volgens plan" = ""   # 3×' in tekst and '"Overstap" = ""   # 1×' in tekst
    (tmp_path / "duiding.toml").write_text(
        toml + '[koppeling.trajecten.waarden.reden_beeindiging]\n"Afgerond volgens plan" = "31"\n"Overstap" = "38"\n',
        encoding="utf-8")
    inst = laad_instellingen(tmp_path, omgeving={})
    g = laad(map, inst.koppeling)
    echt = laad(schrijf(tmp_path / "echt", klein()))
    assert g.trajecten["startdatum"].tolist() == echt.trajecten["startdatum"].tolist()
    assert sorted(g.trajecten["reden_beeindiging"]) != [] and "Overstap" not in set(g.trajecten["reden_beeindiging"])


def test_a_bad_mapping_is_refused_in_dutch(tmp_path):
    from duiding.config import laad_instellingen
    from duiding.exceptions import InstellingenFout

    for toml, woord in (('[koppeling.zorg]\nbestand = "x.csv"\n', "onbekend bestand"),
                        ('[koppeling.trajecten.kolommen]\n"A" = "startdag"\n', "startdag"),
                        ('[koppeling.trajecten]\ndatumformaat = "dd-mm-jjjj"\n', "datumformaat")):
        (tmp_path / "duiding.toml").write_text(toml, encoding="utf-8")
        with pytest.raises(InstellingenFout, match=woord):
            laad_instellingen(tmp_path, omgeving={})


def test_gemeenten_van_de_wijken_volgen_een_nieuwe_wijkentabel(tmp_path):
    """The gemeente mappings are made once per wijken/gemeenten table: a new table gives new ones, and a
    caller that changes its copy changes nothing for the next."""
    g = laad(schrijf(tmp_path / "d", klein()))
    assert not g.is_regio and set(g.gemeente_per_wijk) == {"W1", "W2"}
    namen = g.gemeentenamen
    namen["GM9999"] = "niet echt"
    assert "GM9999" not in g.gemeentenamen
    g.wijken = pd.DataFrame({"wijk_code": ["WK034401", "WK030701"], "naam": ["Noord", "Zuid"]})
    assert g.is_regio and set(g.gemeentenamen) == {"GM0344", "GM0307"}
    assert g.gemeente_per_wijk == {"WK034401": "GM0344", "WK030701": "GM0307"}
