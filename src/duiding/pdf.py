"""A verslag as PDF: A4, page numbers and the provenance on every page, printed by Chromium.

The kit's tests already use Debian's Chromium; here it prints the verslag's HTML (charts as
inline SVG, no script, no network) with `--print-to-pdf`. A print style sheet sets A4 and
the margin boxes: page x of y at the bottom right, where the figures come from at the
bottom left. Without Chromium the HTML verslag is still made; the message says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .exceptions import InvoerFout
from .iorw import atomair_pad

NAMEN = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str | None:
    """The Chromium (or Chrome) on this machine, if any."""
    return next((p for n in NAMEN if (p := shutil.which(n))), None)


def afdrukstijl(voettekst: str) -> str:
    """CSS for print: A4, margins, page numbers and the provenance line in the page margins."""
    voet = voettekst.replace("\\", "\\\\").replace('"', '\\"')
    return ("<style>@page { size: A4; margin: 16mm 14mm 20mm 14mm;"
            " @bottom-right { content: \"pagina \" counter(page) \" van \" counter(pages); font-size: 9pt; }"
            f" @bottom-left {{ content: \"{voet.replace('<', '').replace('>', '')}\"; font-size: 8pt; color: #444; }} }}"
            " @media print { body { font-size: 11pt; } svg { max-width: 100%; height: auto; }"
            " .duiding-nav, .duiding-terug { display: none; } h2 { break-after: avoid; }"
            " figure, .jp-OutputArea-output { break-inside: avoid; } }</style>")


def naar_pdf(html_pad: Path, pdf_pad: Path, voettekst: str, wachten: int = 120) -> Path:
    """Print `html_pad` to `pdf_pad` (atomically) with the print style sheet."""
    exe = chromium()
    if exe is None:
        raise InvoerFout("Voor een PDF is Chromium nodig; installeer het (Debian/Ubuntu: apt-get install chromium). "
                         "Het verslag als HTML is wel gemaakt.")
    tekst = Path(html_pad).read_text(encoding="utf-8")
    stijl = afdrukstijl(voettekst)
    tekst = tekst.replace("</head>", stijl + "</head>", 1) if "</head>" in tekst else stijl + tekst
    with tempfile.TemporaryDirectory(prefix="duiding-pdf-") as tmp:
        bron = Path(tmp) / "verslag.html"
        bron.write_text(tekst, encoding="utf-8")
        opties = ["--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                  f"--user-data-dir={Path(tmp) / 'profiel'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # Chromium refuses to sandbox as root
            opties.append("--no-sandbox")
        with atomair_pad(Path(pdf_pad)) as doel:
            r = subprocess.run([exe, *opties, f"--print-to-pdf={doel}", bron.as_uri()], capture_output=True,
                               text=True, timeout=wachten)
            if r.returncode != 0 or not doel.exists() or doel.stat().st_size == 0:
                raise InvoerFout(f"Chromium kon de PDF niet maken ({r.stderr.strip()[-300:]}). Het verslag als "
                                 f"HTML is wel gemaakt.")
    return Path(pdf_pad)
