"""What `reach serve` does to every request and response, before Streamlit and the routes see
them (dashboard/server.py): the client's own address behind trusted proxies, and the headers
that keep the pages out of other sites' frames and their addresses out of other sites' logs."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.network import Network, client_address, forwarded_proto, normalised


def _header_values(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]


class ClientBehindProxies:
    """Puts the address the request came from in `scope["client"]` — the peer's, IPv4-mapped
    addresses written as IPv4, or behind a trusted proxy the client's from X-Forwarded-For — and
    the scheme a trusted proxy reports (X-Forwarded-Proto) in `scope["scheme"]`, so that the
    check-in rate limits, the Secure cookie and Streamlit's `st.context.ip_address` agree.
    Nothing else is believed: a peer that is no trusted proxy may write any header it likes."""

    def __init__(self, app: ASGIApp, trusted: Sequence[Network] = ()):
        self.app, self.trusted = app, tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope.get("client"):
            peer, port = scope["client"]
            forwarded = _header_values(scope, b"x-forwarded-for") if self.trusted else []
            client = client_address(peer, forwarded, self.trusted)
            scope = {**scope, "client": (client, port if client == normalised(peer) else 0)}
            proto = forwarded_proto(peer, _header_values(scope, b"x-forwarded-proto"), self.trusted)
            if proto is not None:
                scope["scheme"] = proto if scope["type"] == "http" else proto.replace("http", "ws")
        await self.app(scope, receive, send)


# On every response unless the route set its own (the check-in page sends a whole policy:
# dashboard/live/checkin_page.py). Streamlit's pages run its scripts and styles, so they get
# only frame-ancestors. same-origin, not no-referrer: with no-referrer browsers send
# `Origin: null` on a same-origin form or upload, and other sites still learn nothing.
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response that does not carry them already."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                headers += [(key, value) for key, value in SECURITY_HEADERS if key not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Preloads:
    """Adds `Link: <…>; rel=preload` to the dashboard's HTML page (Streamlit answers every page's
    path with the same page), so that the browser asks for what the charts need — plotly.js and
    the map's shapes (dashboard/live_chart.preloads) — with the page's first byte, not once
    Streamlit has mounted the page's first element about 1.2–1.6 s later. `links()` gives
    (path, kind) pairs, read per request (the server's base path is an option). The audience's
    check-in page (`skipped`) is left out: a phone on mobile data is not made to fetch 1.5 MB of
    charts it never draws."""

    def __init__(self, app: ASGIApp, links, skipped: Sequence[str] = ()):
        self.app, self.links, self.skipped = app, links, tuple(skipped)

    def _header(self) -> bytes:
        parts = [f"<{path}>; rel=preload; as={kind}" + ("; crossorigin" if kind == "fetch" else "")
                 for path, kind in self.links()]  # fmt: skip
        return ", ".join(parts).encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].rstrip("/").endswith(self.skipped):
            await self.app(scope, receive, send)
            return

        async def send_with_links(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
                kind = next((value for key, value in headers if key.lower() == b"content-type"), b"")
                if kind.startswith(b"text/html"):
                    message = {**message, "headers": headers + [(b"link", self._header())]}
            await send(message)

        await self.app(scope, receive, send_with_links)
