"""Starting real servers on 127.0.0.1 for the tests and measures that need them: a free port, and waiting for it.

Used by the shared-throttle test, `make bench`'s reads and sync under load (through `wrk`) and `make cluster`.
Waiting for a port to answer is not proof that the process started there is the one answering: another test's
server (the CI runs three suites at once) may take a port between free_port() and the process binding it, and the
process then exits while the other answers. Where a server says in its log that it serves, wait for that instead.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

# The browser a bench signs in with and then sends its load from. Flask-Login ties a login to the address and
# browser it was made from: requests from another browser re-sign the session cookie on every answer (marked
# no longer fresh), which a phone sending its own requests never does.
BENCH_AGENT = "CoreSteady-bench/1"
# `make bench`'s load figures: each measure is taken this many times, all of them in turn, and its median kept. On
# two cores shared with wrk, one run of a few seconds moves by 15% either way (/healthz alone once went from 1,127
# to 1,458 requests a second between two runs), and a ratio of two such figures twice as much.
BENCH_ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


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


def wait_for_log(process: subprocess.Popen, log: Path, ready: str, seconds: float = 60) -> bool:
    """True once the process's own log holds `ready` (a line it writes only once it serves); False if the process
    ends first or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if ready in log.read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return False


def serve_on_free_port(command, log: Path, ready: str, tries: int = 3, **popen) -> tuple[int, subprocess.Popen]:
    """`command(port)` started on a free port, once its log (stdout and stderr) says `ready`; another port if the
    process ends first, as it does when something took the port meanwhile."""
    for _ in range(tries):
        port = free_port()
        with log.open("w") as out:
            process = subprocess.Popen(command(port), stdout=out, stderr=subprocess.STDOUT, **popen)
        if wait_for_log(process, log, ready):
            return port, process
        process.terminate()
        process.wait(10)
    raise AssertionError(f"no free port could be served in {tries} tries:\n{log.read_text(errors='replace')}")


def medians_of_rounds(measures: dict, rounds: int = BENCH_ROUNDS) -> tuple[dict[str, float], str]:
    """{name: take()} → ({name: the median of `rounds` takes}, how far each ranged, in words). The measures are
    taken in turn, round after round, so a busier spell of the machine falls on all of them alike."""
    taken: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, take in measures.items():
            taken[name].append(take())
    ranges = ", ".join(f"{name} {min(figures):.0f}–{max(figures):.0f}" for name, figures in taken.items())
    return {name: statistics.median(figures) for name, figures in taken.items()}, ranges


def wrk_rate(port: int, path: str, seconds: int, headers: dict[str, str] | None = None, script: str = "") -> float:
    """Requests per second for `path` under `wrk -t2 -c20` (Debian's), the same for every bench: `headers` on each
    request, or a Lua `script` that makes them. Fails on any answer that is not 2xx."""
    command = ["wrk", "-t2", "-c20", f"-d{seconds}s", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script:
            lua.write(script)
            lua.flush()
            command += ["-s", lua.name]
        command.append(f"http://127.0.0.1:{port}{path}")
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    if os.environ.get("BENCH_VERBOSE"):
        print(output)
    # wrk leaves requests it sent in the server's queue: the workers finish them before the next measure starts.
    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=300).read()
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{path} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
