"""Sessions on the command line: start one (`duiding sessie`) and write its verslag.

- `maak_sessie`: the session in the store, then its notebook executed with papermill in
  `modus="sessie"` (forms under every section), ready to open in JupyterLab.
- `verslag`: the session notebook executed in `modus="verslag"`: per section the charts
  (static SVG, so the one file works offline and by mail) and what was said, with the
  participants on top and the actions per section. Markdown carries the same text, with
  each chart as its sentence. Every user text is escaped.
"""

from __future__ import annotations

import html
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import __version__, nl
from .acties import eerdere as acties_eerdere
from .pdf import naar_pdf
from .config import PUBLICEERBAAR, Instellingen
from .paths import KERNEL, NOTEBOOKS
from .exceptions import DuidingFout, InvoerFout
from .gegevens import laad
from .iorw import atomair, atomair_pad, schrijfbaar, vertrouw
from .opslag import Opslag, Sessie
from .opslag.velden import SECTIES
from .periode import Kwartaal
from .draai.plan import slug
from .web.pagina import sessienotebook
from .draai.html import Voet, rapport_html


@dataclass(frozen=True)
class Gestart:
    sessie: Sessie
    notebook: Path


def _slug(tekst: str) -> str:
    return slug(tekst)


def sessie_parameters(sessie: Sessie, data: Path, opslag_url: str, modus: str = "sessie",
                      privacy: str | None = None) -> dict:
    """The notebook parameters of a session page (JupyterLab, Voilà) or its verslag."""
    p = {"periode": sessie.periode, "data": str(Path(data).resolve()), "modus": modus,
         "sessie": str(sessie.id), "opslag_url": opslag_url}
    if privacy:
        p["privacy"] = privacy
    if sessie.soort not in ("stad", "regio"):  # the whole: no subject parameter
        p[sessie.soort] = sessie.onderwerp
    return p


def _voer_uit(sessie: Sessie, inst: Instellingen, opslag: Opslag, modus: str, doel: Path,
              privacy: str | None = None) -> nbformat.NotebookNode:
    """Execute the subject's notebook for this session into `doel` (atomically)."""
    import papermill as pm

    bron = NOTEBOOKS / f"{sessie.soort}.ipynb"
    try:
        with atomair_pad(doel) as tmp:
            nb = pm.execute_notebook(str(bron), str(tmp), kernel_name=KERNEL, progress_bar=False,
                                     parameters=sessie_parameters(sessie, inst.data, opslag.url, modus, privacy),
                                     cwd=str(NOTEBOOKS))
            vertrouw(nb)  # as written: JupyterLab shows its charts and forms
        return nb
    except pm.PapermillExecutionError as e:
        raise DuidingFout(f"Het notebook van sessie {sessie.id} liep vast in cel {e.exec_count}: "
                          f"{e.ename}: {e.evalue}") from None


def maak_sessie(inst: Instellingen, opslag: Opslag, soort: str, naam: str | None, periode: str,
                titel: str | None = None, deelnemers: list[str] = (), uitvoer: Path = Path("sessies"),
                uitvoeren: bool = True) -> Gestart:
    """Create (or reopen) the session and write its session notebook.

    Executed with papermill for JupyterLab; with `uitvoeren=False` only parameterised,
    for Voilà, which runs it on every page load anyway.
    """
    g = laad(inst.data, inst.koppeling)
    code, onderwerp_naam = g.onderwerp(soort, naam, inst.gemeente_voor(g))
    p = g.kwartaal(periode)
    sessie = opslag.sessie_maken(soort, code, str(p), titel, deelnemers=deelnemers, onderwerp_naam=onderwerp_naam)
    doel = Path(uitvoer).resolve() / f"sessie-{sessie.id}-{_slug(onderwerp_naam)}-{p}.ipynb"
    if uitvoeren:
        _voer_uit(sessie, inst, opslag, "sessie", doel)
    else:
        sessienotebook(sessie.soort, sessie_parameters(sessie, inst.data, opslag.url), doel, sessie.titel)
    return Gestart(sessie, doel)


# ---- verslag ----------------------------------------------------------------------------

def _grafiek_zinnen(nb: nbformat.NotebookNode) -> dict[str, list[str]]:
    """Per section, the sentences of the charts shown before its closing cell."""
    uit: dict[str, list[str]] = {}
    lopend: list[str] = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "application/vnd.vegalite.v6+json" in data:
                tekst = data.get("text/plain", "")
                lopend.append("".join(tekst) if isinstance(tekst, list) else tekst)
        m = re.search(r"toon_vragen\(o, \"(\w+)\"", "".join(c.get("source", "")))
        if m:
            uit[m.group(1)] = lopend
            lopend = []
    return uit


def verslag_md(opslag: Opslag, sessie: Sessie, nb: nbformat.NotebookNode, privacy: str) -> str:
    """The verslag as Markdown: participants, per section the charts' sentences, what was said, actions."""
    def md(t: str) -> str:  # user text as literal text: no HTML (entities), no Markdown markup (backslashes)
        return re.sub(r"([\\`*_{}\[\]#|~])", r"\\\1", html.escape(t.strip(), quote=False)).replace("\n", "  \n")

    regels = [f"# {md(sessie.titel)}", "",
              f"{sessie.soort.capitalize()} {md(sessie.onderwerp_naam)} · {Kwartaal.parse(sessie.periode).label} · "
              f"sessie {sessie.id} op {nl.datum(sessie.datum)} · privacy {privacy}", ""]
    if sessie.deelnemers:
        regels += ["## Deelnemers", ""]
        for d in sessie.deelnemers:
            delen = ([] if privacy == "openbaar" else [d.naam]) + [d.rol, d.organisatie]
            regels.append("- " + ", ".join(md(x) for x in delen if x))
        regels.append("")
    zinnen = _grafiek_zinnen(nb)
    duidingen = opslag.duidingen(sessie.id)
    acties = opslag.acties(sessie_id=sessie.id)
    for sectie, titel in SECTIES.items():
        if sectie not in zinnen and sectie not in duidingen:
            continue
        regels += [f"## {titel}", ""]
        for z in zinnen.get(sectie, []):
            regels.append(f"- Grafiek: {md(z)}")
        regels.append("")
        d = duidingen.get(sectie)
        if d is None or d.leeg:
            regels += ["_Geen duiding vastgelegd._", ""]
        else:
            for label, tekst in d.ingevuld():
                regels += [f"**{label}**  ", md(tekst), ""]
            door = f", {md(d.auteur)}" if d.auteur and privacy != "openbaar" else ""
            regels += [f"_Versie {d.versie}, {nl.moment(d.opgeslagen_op)}{door}._", ""]
        eigen = [a for a in acties if a.sectie == sectie]
        if eigen:
            regels += ["**Acties**", ""]
            regels += [f"- {md(a.regel())}" for a in eigen]
            regels.append("")
    eerdere = acties_eerdere(opslag, sessie)
    if eerdere:
        regels += ["## Open acties uit eerdere sessies", ""]
        regels += [f"- {'**te laat:** ' if r.te_laat else ''}{md(r.actie.regel())} ({md(r.herkomst)})" for r in eerdere]
        regels.append("")
    n = nl.nu()
    regels.append(f"_Gemaakt op {nl.datum(n)} {nl.tijd(n)} met duiding {__version__}._")
    return "\n".join(regels) + "\n"


def verslag_html(nb: nbformat.NotebookNode, sessie: Sessie, data_hash: str, privacy: str) -> str:
    """The verslag page of a notebook run in modus verslag: one file, charts inline, the provenance footer."""
    n = nl.nu()
    voet = Voet(data_hash, sessie.periode, privacy, __version__, f"{nl.datum(n)} {nl.tijd(n)}")
    return rapport_html(nb, f"Verslag: {sessie.titel}", voet, terug=None)


def verslag_pdf(tekst: str, sessie: Sessie, data_hash: str, privacy: str, doel: Path) -> Path:
    """The verslag page printed as PDF (`duiding.pdf`): A4, page numbers, provenance on every page."""
    with tempfile.TemporaryDirectory(prefix="duiding-verslag-") as tmp:
        bron = Path(tmp) / "verslag.html"
        bron.write_text(tekst, encoding="utf-8")
        return naar_pdf(bron, doel, f"{sessie.titel} · gegevens {data_hash[:12]} · {sessie.periode} · "
                                    f"privacy {privacy} · duiding {__version__} · {nl.datum(nl.nu())}")


def verslag(inst: Instellingen, opslag: Opslag, sessie_id, formaat: str = "html", privacy: str | None = None,
            uitvoer: Path | None = None) -> Path:
    """Write the sessieverslag; returns its path."""

    if formaat not in ("html", "md", "pdf"):
        raise InvoerFout(f"Onbekend formaat '{formaat}'. Kies html, md of pdf.")
    privacy = privacy or inst.privacy
    if privacy not in PUBLICEERBAAR:
        raise InvoerFout("Een verslag wordt gemaakt met privacy openbaar of intern.")
    sessie = opslag.sessie(sessie_id)
    doel = Path(uitvoer) if uitvoer else Path(f"verslag-{sessie.id}-{_slug(sessie.onderwerp_naam)}-"
                                               f"{sessie.periode}.{formaat}")
    schrijfbaar(doel.resolve().parent)  # before a minute of running the notebook
    with tempfile.TemporaryDirectory(prefix="duiding-verslag-") as tmp:
        nb = _voer_uit(sessie, inst, opslag, "verslag", Path(tmp) / "verslag.ipynb", privacy)
    if formaat == "md":
        tekst = verslag_md(opslag, sessie, nb, privacy)
    else:
        g = laad(inst.data, inst.koppeling)
        tekst = verslag_html(nb, sessie, g.hash, privacy)
        if formaat == "pdf":  # the same page, printed (A4, page numbers, provenance on every page)
            return verslag_pdf(tekst, sessie, g.hash, privacy, doel)
    with atomair(doel, "w", encoding="utf-8") as f:
        f.write(tekst)
    return doel
