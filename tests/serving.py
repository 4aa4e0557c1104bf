"""Starting `reach serve` on a free port for tests that talk HTTP to it (API, check-in, browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SETTINGS = (
    "REACH_INGEST_SECRET",
    "REACH_ZOOM_SECRET_TOKEN",
    "REACH_CHECKIN_LIMIT",
    "REACH_PUBLIC_URL",
    "REACH_NETWORK_PAGES",
    "REACH_CHECKIN_PAGE_LIMIT",
    "REACH_CHECKIN_FLOOR",
    "REACH_CHECKIN_FACTOR",
    "REACH_CHECKIN_CODE",
    "REACH_CHECKIN_CODE_MINUTES",
    "REACH_CHECKIN_SECRET",
    "REACH_TRUSTED_PROXIES",
    "FORWARDED_ALLOW_IPS",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db, env_extra: dict[str, str], cwd=None) -> tuple[subprocess.Popen, str]:
    """`reach serve --db db` (in the folder `cwd`) with only the settings in env_extra;
    returns once it answers. Started as a user starts it: the installed `reach` command."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS} | env_extra
    reach = Path(sys.executable).parent / "reach"
    proc = subprocess.Popen([str(reach), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)  # fmt: skip
    url = f"http://localhost:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            urllib.request.urlopen(f"{url}/api/v1/health", timeout=2)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read()}")
            time.sleep(0.5)
    proc.kill()
    pytest.fail("server did not start in 60 s")


def stop(proc: subprocess.Popen) -> str:
    """Stop the server; its output."""
    proc.terminate()
    try:
        return proc.communicate(timeout=10)[0]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[0]
