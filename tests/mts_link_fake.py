"""A local fake of the MTS Link API (docs/imports.md, "MTS Link API"), serving the recorded answers
in tests/fixtures/mts_link_api/ exactly as documented: x-auth-token, the users of a period with
their sessions and connections, participations page by page (perPage is capped at 2 here, as a
real API may cap it), and a 429 with Retry-After on the first request to /stats/users."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = Path(__file__).resolve().parent / "fixtures" / "mts_link_api"
TOKEN = "test-token-0123456789"
MAX_PER_PAGE = 2


class FakeMtsLink:
    def __init__(self):
        self.users = json.loads((RECORDED / "stats_users.json").read_text(encoding="utf-8"))
        self.participations = {
            path.stem.split("_")[1]: json.loads(path.read_text(encoding="utf-8"))
            for path in RECORDED.glob("participations_*.json")
        }
        self.requests: list[str] = []
        self.throttle_first = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/v3"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, query: dict[str, str], token: str | None) -> tuple[int, object, dict]:
        self.requests.append(path + ("?" + urllib.parse.urlencode(query) if query else ""))
        if token != TOKEN:
            return 401, {"error": {"message": "Unauthorized"}}, {}
        if path == "/v3/stats/users":
            if self.throttle_first:
                self.throttle_first = False
                return 429, {"error": {"message": "Too Many Requests"}}, {"Retry-After": "1"}
            if "from" not in query or "to" not in query:
                return 400, {"error": {"message": "from and to are required"}}, {}
            users = self.users
            if "eventId" in query:
                users = [u for u in users if any(str(s["eventId"]) == query["eventId"] for s in u["eventSessions"])]
            return 200, users, {}
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["v3", "eventsessions"] and parts[3] == "participations":
            items = self.participations.get(parts[2], [])
            per_page = min(int(query.get("perPage", 10)), MAX_PER_PAGE)
            page = int(query.get("page", 1))
            return 200, items[(page - 1) * per_page : page * per_page], {}
        return 404, {"error": {"message": "Not Found"}}, {}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                status, body, headers = fake.answer(parts.path, query, self.headers.get("x-auth-token"))
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet
                pass

        return Handler
