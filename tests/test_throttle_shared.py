"""Login throttling shared by several app processes through Redis, as in production (README: deploying).

Two real app processes on 127.0.0.1, each with its own memory, count failed logins in one Redis: five wrong
passwords spread over both lock the sixth out of either. With each process counting alone (memory://) the
same five would leave both open, which is what happened before Redis support was installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.servers import serve_on_free_port

ROOT = Path(__file__).resolve().parents[1]
REDIS = shutil.which("redis-server")
pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (make test installs it)"),
]


@pytest.fixture
def redis_url(tmp_path):
    log = tmp_path / "redis.log"
    port, server = serve_on_free_port(
        lambda port: [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                      "--dir", str(tmp_path)],
        log, "Ready to accept connections",
    )  # fmt: skip
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def two_processes(tmp_path, redis_url):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "SECRET_KEY": "shared-by-both-processes-" + "x" * 16,
        "RATELIMIT_STORAGE_URI": redis_url,
        "FLASK_DEBUG": "0",
        "APP_ENV": "development",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    # The tables only: a login page needs no lessons or exercises.
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=180)
    servers, ports = [], []
    try:
        for n in range(2):
            port, server = serve_on_free_port(
                lambda port: [*flask, "run", "--host", "127.0.0.1", "--port", str(port)],
                tmp_path / f"process-{n}.log",
                "Running on http://127.0.0.1:",
                cwd=ROOT,
                env=env,
            )
            servers.append(server)
            ports.append(port)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(10)


def wrong_login(base: str) -> int:
    """A fresh browser on one process: fetch the form, send a wrong password; the answer's status."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/auth/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"email": "alex@example.com", "password": "not-the-password", "csrf_token": token}
    try:
        return opener.open(base + "/auth/login", urllib.parse.urlencode(form).encode(), timeout=30).status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_failed_logins_are_counted_once_across_processes(two_processes):
    first, second = two_processes
    answers = [wrong_login(base) for base in (first, second, first, second, first)]
    assert answers == [200] * 5, "five wrong passwords are each told so"
    assert wrong_login(second) == 429
    assert wrong_login(first) == 429
