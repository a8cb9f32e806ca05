"""Who may use the web app: the gate in front of every request Voilà serves.

Installed by `bewaakt` in the Voilà process, before any request:

- **Host and Origin.** Only requests addressed to this machine's own names (127.0.0.1,
  localhost, ::1, plus the name given with `--host` under `--netwerk`) are served. A page
  of a foreign site that rebinds its DNS name to 127.0.0.1 sends its own name as Host
  (and as Origin on fetches and websockets): it gets 403 before any kernel starts.
- **Token.** The address `duiding app` prints carries a secret token; the first request
  with it sets a cookie (HttpOnly, SameSite=Strict) and redirects to the same address
  without it, as Jupyter does. Without token or cookie: 403 with a Dutch page. Only an
  explicit `--zonder-token` turns this off.
- **A ceiling on open pages.** Every page view runs in a kernel of its own (300-450 MB).
  Beyond `max_paginas` kernels, kernels whose page is gone (no connection for a minute)
  are stopped first; if there is still no room, the page says so in Dutch (503) instead
  of starting one more. Kernels of pages left open without a connection are culled by
  Jupyter's own culler (`voila_opdracht` sets it).
"""

from __future__ import annotations

import hmac
import re
import html
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

EIGEN_NAMEN = ("127.0.0.1", "localhost", "::1")
COOKIE = "duiding-token"
LOS_NA = 60.0  # seconds without any connection after which a page counts as closed


def _host(netloc: str) -> str:
    """'evil.example:8866' -> 'evil.example'; '[::1]:8866' -> '::1'."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1:netloc.find("]")] if "]" in netloc else netloc
    if netloc.count(":") == 1:
        return netloc.split(":")[0]
    return netloc


def host_toegestaan(host_kop: str, origin: str | None, namen: frozenset[str]) -> bool:
    """The Host header names this machine, and an Origin (when sent) does too."""
    if _host(host_kop) not in namen:
        return False
    if origin is not None:
        if origin == "null":
            return False
        if _host(urlsplit(origin).netloc) not in namen:
            return False
    return True


def _pagina(titel: str, tekst: str) -> str:
    return (f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{html.escape(titel)}</title>"
            "<style>body{font-family:'DejaVu Sans',Verdana,sans-serif;font-size:20px;max-width:40em;"
            "margin:3em auto;line-height:1.5}</style></head>"
            f"<body><h1>{html.escape(titel)}</h1><p>{tekst}</p></body></html>")


VERBODEN = _pagina("Geen toegang", "Deze app is alleen te openen via het adres dat <code>duiding app</code> in "
                   "het venster toonde, met de sleutel (<code>?token=…</code>) erin, op de computer waarop de app "
                   "draait. Kopieer dat adres uit het venster en open het opnieuw.")
TE_VEEL = _pagina("Te veel open pagina's", "Er staan al te veel pagina's van deze app open; elke pagina "
                  "gebruikt veel geheugen. Sluit een pagina (een tabblad) die u niet meer gebruikt en laad deze "
                  "pagina daarna opnieuw. Pagina's die al een minuut gesloten zijn, worden vanzelf opgeruimd.")


KERNEL_VRAAG = re.compile(r"/voila/query/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _eigen_kernel(request) -> bool:
    """A kernel kept ready asks Voilà, over loopback, which page it is to show (`wait_for_request`).

    It has no token; its kernel id (a random UUID only Voilà and the kernel know) in the
    address is what lets it in, and only on that one path.
    """
    return bool(KERNEL_VRAAG.fullmatch(request.path)) and request.remote_ip in ("127.0.0.1", "::1")


def installeer(token: str | None, namen: list[str], max_paginas: int) -> None:
    """Put the gate in front of every Voilà request (call before Voilà builds its app)."""
    import tornado.web
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.handler import TornadoVoilaHandler

    toegestaan = frozenset(n.lower() for n in [*EIGEN_NAMEN, *namen])

    class Verboden(tornado.web.RequestHandler):
        def prepare(self):
            self.set_status(403)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(VERBODEN)

    class Inwisselen(tornado.web.RequestHandler):
        """?token= in the address: keep it in a cookie, and show the address without it."""

        def prepare(self):
            self.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            rest = [(k, v) for k, vs in self.request.query_arguments.items() if k != "token"
                    for v in vs]
            self.redirect(self.request.path + (f"?{urlencode([(k, v.decode()) for k, v in rest])}" if rest else ""))

    def sleutel_klopt(gegeven: str | None) -> bool:
        return gegeven is not None and hmac.compare_digest(gegeven.encode(), token.encode())

    origineel = tornado.web.Application.find_handler

    def find_handler(self, request, **kwargs):
        if not host_toegestaan(request.host or "", request.headers.get("Origin"), toegestaan):
            return self.get_handler_delegate(request, Verboden)
        if token and not _eigen_kernel(request):
            uit_adres = request.query_arguments.get("token", [b""])[-1].decode(errors="replace") or None
            if sleutel_klopt(uit_adres):
                return self.get_handler_delegate(request, Inwisselen)
            koek = request.cookies.get(COOKIE)
            if not sleutel_klopt(koek.value if koek else None):
                return self.get_handler_delegate(request, Verboden)
        return origineel(self, request, **kwargs)

    tornado.web.Application.find_handler = find_handler

    # A page closing tells Voilà to stop its kernel with a POST (`navigator.sendBeacon`, which
    # cannot carry Jupyter's XSRF header), so the kernel of every closed page used to linger
    # and count against `max_paginas`. That POST passes this gate only with the SameSite=Strict
    # token cookie and this host as Origin: a request from another site never gets here.
    VoilaShutdownKernelHandler.check_xsrf_cookie = lambda self: None

    # A closed page's kernel takes a moment to stop; the page asked for next (often at the
    # same moment) must not count it as open.
    stoppen = VoilaShutdownKernelHandler.post

    async def stop(self, kernel_id):
        STOPPEND.add(kernel_id)
        try:
            return await stoppen(self, kernel_id)
        finally:
            STOPPEND.discard(kernel_id)

    VoilaShutdownKernelHandler.post = stop

    pagina_get = TornadoVoilaHandler.get

    async def get(self, path=None):
        km = self.kernel_manager
        if open_paginas(km) >= max_paginas:
            await ruim_gesloten_op(km)
        if open_paginas(km) >= max_paginas:
            self.log.warning("Te veel open pagina's (%d, hoogstens %d)", open_paginas(km), max_paginas)
            self.set_status(503)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Retry-After", "60")
            return self.finish(TE_VEEL)
        return await pagina_get(self, path)

    TornadoVoilaHandler.get = get


def klaargezet(km) -> set[str]:
    """Kernels Voilà keeps ready for a page (its preheat pool), not yet given to anyone."""
    uit = set()
    for pool in getattr(km, "_pools", {}).values():
        for taak in pool:
            if taak.done() and not taak.cancelled() and taak.exception() is None:
                uit.add(taak.result().get("kernel_id"))
    return uit


STOPPEND: set[str] = set()  # kernels of closed pages, being stopped


def open_paginas(km) -> int:
    """Kernels serving a page: all kernels, less those kept ready (started or starting) and those stopping."""
    return (len(set(km.list_kernel_ids()) - STOPPEND)
            - sum(len(p) for p in getattr(km, "_pools", {}).values()))


async def ruim_gesloten_op(km, na: float = LOS_NA) -> int:
    """Stop the kernels of pages that are gone: no connection, nothing done for `na` seconds.

    A kernel kept ready for the next page is not gone: it is left alone.
    """
    nu = datetime.now(timezone.utc)
    weg = 0
    bewaren = klaargezet(km)
    for kid in list(km.list_kernel_ids()):
        if kid in bewaren:
            continue
        kernel = km.get_kernel(kid)
        laatst = getattr(kernel, "last_activity", None)
        stil = (nu - laatst).total_seconds() if laatst is not None else float("inf")
        verbonden = km._kernel_connections.get(kid, 0)  # jupyter_server's own count of open websockets
        if verbonden == 0 and stil > na and getattr(kernel, "execution_state", "") != "busy":
            await km.shutdown_kernel(kid)
            weg += 1
    return weg

