"""Starting real servers on 127.0.0.1 for the tests and measures that need them: a free port, and waiting for it.

Used by the shared-throttle test, `make bench`'s reads under load and `make cluster`.
"""

from __future__ import annotations

import socket
import subprocess
import time

# The browser a bench signs in with and then sends its load from. Flask-Login ties a login to the address and
# browser it was made from: requests from another browser re-sign the session cookie on every answer (marked
# no longer fresh), which a phone sending its own requests never does.
BENCH_AGENT = "CoreSteady-bench/1"


def bench_client(app):
    """A test client of the app that browses as BENCH_AGENT, like the load a bench sends after it."""
    http = app.test_client()
    http.environ_base["HTTP_USER_AGENT"] = BENCH_AGENT
    return http


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Return once something accepts connections on the port; fail if `process` ends first or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process for port {port} ended with {process.returncode} before it answered")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")
