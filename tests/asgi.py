"""Calling an ASGI app in the test process (no server, no httpx): one request, its answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header's values joined by ", "
    body: bytes


def call(
    app,
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    client: tuple[str, int] | None = ("127.0.0.1", 50000),
    scheme: str = "http",
) -> Answer:
    """`app`'s answer to one HTTP request from `client`."""
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()],
        "client": client,
        "server": ("testserver", 80),
    }
    messages: list[dict] = []
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in messages if m["type"] == "http.response.start")
    collected: dict[str, str] = {}
    for key, value in start.get("headers", []):
        name = key.decode("latin-1").lower()
        collected[name] = f"{collected[name]}, {value.decode('latin-1')}" if name in collected else value.decode()
    content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return Answer(start["status"], collected, content)


class Recorder:
    """An innermost app that records the scope it was called with and answers 200 'ok'."""

    def __init__(self, headers: list[tuple[bytes, bytes]] | None = None):
        self.scopes: list[dict] = []
        self.headers = headers or [(b"content-type", b"text/plain")]

    async def __call__(self, scope, receive, send):
        self.scopes.append(scope)
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        await send({"type": "http.response.body", "body": b"ok"})
