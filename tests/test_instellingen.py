from __future__ import annotations

from pathlib import Path

import pytest

from duiding.config import VOORBEELD_MAP, laad_instellingen
from duiding.exceptions import InstellingenFout, InvoerFout, PeriodeFout
from duiding.periode import Kwartaal, reeks


def test_defaults(tmp_path):
    inst = laad_instellingen(tmp_path, omgeving={})
    assert inst.data == VOORBEELD_MAP and inst.privacy == "intern" and inst.wachttijd_norm_dagen == 42


def test_toml_then_env_then_flags(tmp_path):
    (tmp_path / "duiding.toml").write_text('gemeente = "Zeist"\ndata = "gegevens"\nwachttijd_norm_dagen = 30\n')
    inst = laad_instellingen(tmp_path, omgeving={})
    assert inst.gemeente == "Zeist" and inst.data == (tmp_path / "gegevens").resolve()
    assert inst.wachttijd_norm_dagen == 30
    inst = laad_instellingen(tmp_path, omgeving={"DUIDING_NORM": "28", "DUIDING_DATA": "/x"})
    assert inst.wachttijd_norm_dagen == 28 and inst.data == Path("/x")
    assert inst.met(data=Path("/y"), privacy=None).data == Path("/y")


@pytest.mark.parametrize("inhoud,woord", [("privacy = 'alles'", "Privacyniveau"), ("kleur = 1", "onbekende instelling"),
                                          ("wachttijd_norm_dagen = 'veel'", "geheel aantal"), ("= =", "geen geldige TOML")])
def test_bad_settings_are_dutch(tmp_path, inhoud, woord):
    (tmp_path / "duiding.toml").write_text(inhoud)
    with pytest.raises(InstellingenFout) as fout:
        laad_instellingen(tmp_path, omgeving={})
    assert woord in str(fout.value)


@pytest.mark.parametrize("tekst", ["2024-Q4", "2024-K4", "2024KW04", "2024q4", " 2024-kw4 "])
def test_period_spellings(tekst):
    assert str(Kwartaal.parse(tekst)) == "2024-Q4"


@pytest.mark.parametrize("tekst", ["2024-Q5", "Q4", "2024", "24-Q1", "2024-Q0"])
def test_bad_periods(tekst):
    with pytest.raises(PeriodeFout) as fout:
        Kwartaal.parse(tekst)
    assert "2024-K4" in str(fout.value)


def test_quarter_arithmetic():
    q = Kwartaal.parse("2024-Q1")
    assert str(q.begin) == "2024-01-01" and str(q.eind) == "2024-03-31"
    assert str(q.vorige()) == "2023-Q4" and str(q.volgende(4)) == "2025-Q1"
    assert [str(k) for k in reeks("2023-Q3", "2024-Q1")] == ["2023-Q3", "2023-Q4", "2024-Q1"]
    with pytest.raises(PeriodeFout):
        reeks("2024-Q2", "2024-Q1")


def test_own_principles_and_kaders_from_duiding_toml(tmp_path):
    from duiding.notebook import vragen
    from duiding.opslag.velden import principes_lijst, schoon

    (tmp_path / "duiding.toml").write_text(
        'leidende_principes = ["Dichtbij", "Samen met inwoners", "Eenvoud"]\n'
        'kaders = "passen we binnen het regionale budget?"\n'
        'reflectievragen = [["Wat valt op?", "Kijk eerst samen."], ["Wat doen we?", "Wie, wat, wanneer."]]\n',
        encoding="utf-8")
    inst = laad_instellingen(tmp_path, omgeving={})
    assert inst.leidende_principes == ("Dichtbij", "Samen met inwoners", "Eenvoud")
    tekst = vragen("bereik", "Bereik", inst)
    assert "Dichtbij · Samen met inwoners · Eenvoud" in tekst and "regionale budget" in tekst
    assert "Leefwereld" not in tekst
    assert "<strong>Wat valt op?</strong> Kijk eerst samen." in tekst and "Herkennen we het beeld" not in tekst
    assert principes_lijst("eenvoud; dichtbij", inst.leidende_principes) == ["Dichtbij", "Eenvoud"]
    with pytest.raises(InvoerFout, match="Kies uit: Dichtbij; Samen met inwoners; Eenvoud"):
        principes_lijst("Leefwereld centraal", inst.leidende_principes)
    # a duiding saved under the earlier (Utrecht) list stays as it was
    assert schoon({"principes": "Leefwereld centraal; Eenvoud"})["principes"] == "Leefwereld centraal; Eenvoud"


@pytest.mark.parametrize("inhoud", ['leidende_principes = []', 'leidende_principes = ["A", "a"]',
                                    'leidende_principes = ["met; puntkomma"]', 'leidende_principes = 3'])
def test_bad_principles_are_refused_in_dutch(tmp_path, inhoud):
    (tmp_path / "duiding.toml").write_text(inhoud + "\n", encoding="utf-8")
    with pytest.raises(InstellingenFout, match="leidende_principes"):
        laad_instellingen(tmp_path, omgeving={})
