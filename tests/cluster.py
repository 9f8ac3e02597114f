"""`make cluster`: the production deployment from the README, on loopback, and a journey through it.

Started from Debian's packages, each on a free port of 127.0.0.1, in a folder that is removed at the end:
PostgreSQL (a cluster of its own), Redis, two app processes under gunicorn (two workers each) with the job
worker beside them, and nginx in front, terminating TLS with a certificate made for the run and spreading
requests over both processes. The app runs as production does (`APP_ENV=production`, `BASE_URL`,
`TRUST_PROXIES=1`, the throttle in Redis). nginx names the process that answered in `X-Served-By`.

The journey, all through nginx: the health check; Alex logs in and reads the plan and the offline package
(and a file it lists); two phones of Alex's sync the same session and one more from two connections that land
on different processes, and each session is stored once; wrong passwords spread over both processes are
counted together in Redis and the owner, from another address, still logs in; the trainer's dashboard and
API list Alex. It fails with the logs of every server if any step does not hold. Exits 0 when all hold.
"""

from __future__ import annotations

import getpass
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.servers import free_port, wait_for_log, wait_for_port
from webapp.config import new_vapid_key

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo-pass-123"  # the demo's (webapp/demo.py); the journey logs in as the demo people
PACKAGES = {"nginx": "nginx", "redis-server": "redis-server"}


def postgres_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


class Cluster:
    """The servers, started in order and stopped in reverse; `log(name)` is where each writes."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def start(self, name: str, command: list[str], port: int | None, env=None, cwd=ROOT, user=None,
              ready: str | None = None) -> None:  # fmt: skip
        """ready: what the server writes in its log once it serves, waited for rather than the port answering
        (which another suite's server could do: tests/servers.py)."""
        if user:
            command = ["runuser", "-u", user, "--", *command]
        output = open(self.log(name), "ab")  # noqa: SIM115 (kept open while the process writes)
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        self.processes.append((name, process))
        if ready:
            if not wait_for_log(process, self.log(name), ready, 90):
                raise AssertionError(f"{name} did not say it serves on port {port} (the port may have been taken)")
        elif port:
            wait_for_port(port, process, 90)

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.processes):
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                print(f"{name} did not stop within 30 s and was killed", file=sys.stderr)

    def show_logs(self) -> None:
        for path in sorted(self.folder.glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-25:]
            print(f"---- {path.name} (last {len(lines)} lines)", file=sys.stderr)
            print("\n".join(lines), file=sys.stderr)

    # ---- the parts ----

    def postgres(self) -> str:
        binaries = postgres_bin()
        data = self.folder / "postgres"
        data.mkdir()
        user = "postgres" if self.as_postgres else None
        if user:
            shutil.chown(self.folder, user)
            shutil.chown(data, user)
        port = free_port()
        init = [str(binaries / "initdb"), "-D", str(data), "-U", "coresteady", "-A", "trust", "--no-sync", "-E", "UTF8"]
        subprocess.run(["runuser", "-u", user, "--", *init] if user else init, check=True, capture_output=True)
        self.start("postgres", [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(data),
                                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"], port, user=user,
                   ready="database system is ready to accept connections")  # fmt: skip
        create = [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "coresteady", "coresteady"]
        subprocess.run(create, check=True, capture_output=True, timeout=30)
        return f"postgresql://coresteady@127.0.0.1:{port}/coresteady"

    def redis(self) -> str:
        port = free_port()
        self.start("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(self.folder)], port,
                   ready="Ready to accept connections")  # fmt: skip
        return f"redis://127.0.0.1:{port}"

    def app(self, env: dict, ports: list[int]) -> None:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        for step in (["init-db"], ["seed-demo"]):
            subprocess.run([*flask, *step], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        for number, port in enumerate(ports, 1):
            control = self.folder / f"gunicorn{number}.ctl"  # each its own (the default is one per user)
            self.start(f"app{number}", [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
                                        f"127.0.0.1:{port}", "--control-socket", str(control), "wsgi:app"],
                       port, env=env, ready=f"Listening at: http://127.0.0.1:{port}")  # fmt: skip
        self.start("jobs", [*flask, "jobs"], None, env=env)

    def nginx(self, ports: list[int], port: int) -> None:
        key, certificate = self_signed(self.folder)
        upstreams = "\n".join(f"    server 127.0.0.1:{each};" for each in ports)
        temp = {name: self.folder / f"nginx-{name}" for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        config = self.folder / "nginx.conf"
        config.write_text(f"""
daemon off;
worker_processes 1;
{"user " + getpass.getuser() + ";" if os.geteuid() == 0 else ""}
pid {self.folder / "nginx.pid"};
error_log {self.log("nginx")} warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {temp["body"]};
  proxy_temp_path {temp["proxy"]};
  fastcgi_temp_path {temp["fastcgi"]};
  uwsgi_temp_path {temp["uwsgi"]};
  scgi_temp_path {temp["scgi"]};
  upstream coresteady {{
{upstreams}
  }}
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {certificate};
    ssl_certificate_key {key};
    client_max_body_size 3m;
    location / {{
      proxy_pass http://coresteady;
      proxy_set_header Host $host:$server_port;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header X-Served-By $upstream_addr always;
    }}
  }}
}}
""")
        self.start("nginx", ["nginx", "-c", str(config), "-p", str(self.folder)], port)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A key and a certificate for 127.0.0.1, valid for a day (cryptography comes with pywebpush)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = datetime.now(UTC) - timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_path, certificate_path = folder / "tls.key", folder / "tls.crt"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, certificate_path


class FromAddress(urllib.request.HTTPSHandler):
    """HTTPS from a chosen loopback address (all of 127.0.0.0/8 is this machine), as if from another network."""

    def __init__(self, address: str):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the run's own certificate
        super().__init__(context=context)
        self.address = address

    def https_open(self, request):
        return self.do_open(
            http.client.HTTPSConnection, request, context=self._context, source_address=(self.address, 0)
        )


class Browser:
    """One phone or computer on a network of its own: its own cookies and address, talking to nginx over TLS."""

    def __init__(self, base: str, address: str = "127.0.0.2"):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(FromAddress(address), urllib.request.HTTPCookieProcessor(self.jar))
        self.served_by: list[str] = []
        self.csrf = ""
        self.login_token = ""

    def send(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + "/", **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=30) as answer:
                status, body, served = answer.status, answer.read(), answer.headers.get("X-Served-By", "")
                final = answer.url
        except urllib.error.HTTPError as refused:
            status, body, served, final = refused.code, refused.read(), refused.headers.get("X-Served-By", ""), ""
        self.served_by.append(served)
        return status, final, body

    def get(self, path: str) -> tuple[int, str, bytes]:
        return self.send(path)

    def token(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, f"GET {path} answered {status}"
        return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()

    def log_in(self, email: str, password: str, headers: dict | None = None) -> int:
        """The login form sent; its page is read once, so that tries in a row reach each process in turn."""
        self.login_token = self.login_token or self.token("/auth/login")
        form = {"email": email, "password": password, "csrf_token": self.login_token}
        status, _, _ = self.send("/auth/login", urllib.parse.urlencode(form).encode(), headers)
        return status

    def post_json(self, path: str, payload) -> tuple[int, object]:
        """A JSON call as the page's modules make it, with the token the page carries (read once)."""
        if not self.csrf:
            _, _, page = self.get("/")
            self.csrf = re.search(rb'<meta name="csrf-token" content="([^"]+)"', page).group(1).decode()
        headers = {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": self.csrf}
        status, _, body = self.send(path, json.dumps(payload).encode(), headers)
        return status, json.loads(body)

    def get_json(self, path: str):
        status, _, body = self.send(path, headers={"Accept": "application/json"})
        assert status == 200, f"GET {path} answered {status}: {body[:200]!r}"
        return json.loads(body)


def a_session(plan: dict) -> dict:
    """A finished session of the plan's first routine, as the phone sends it (ended an hour ago)."""
    routine = plan["routines"][0]
    end = datetime.now(UTC) - timedelta(hours=1)
    return {
        "id": str(uuid.uuid4()),
        "routine_id": routine["id"],
        "started_at": (end - timedelta(minutes=15)).isoformat(),
        "completed_at": end.isoformat(),
        "pain_before": 3,
        "pain_after": 2,
        "effort": 4,
        "notes": "",
        "exercises": [{"exercise": item["slug"], "sets_done": item["sets"], "reps_done": item["reps"],
                       "hold_seconds": item["hold_seconds"], "painful": False} for item in routine["exercises"]],
    }  # fmt: skip


def journey(base: str) -> list[str]:
    """Every step through nginx; returns what was checked, in words."""
    done = []
    anyone = Browser(base)
    status, _, body = anyone.get("/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok", f"/healthz answered {status}"
    done.append("the health check answers through nginx")

    phone, tablet = Browser(base), Browser(base)
    for device in (phone, tablet):
        assert device.log_in("alex@example.com", PASSWORD) == 200, "Alex logs in"
        assert any(cookie.secure for cookie in device.jar), "the session cookie is Secure behind TLS"
    plan = phone.get_json("/api/v1/plan")
    manifest = phone.get_json("/api/v1/offline-manifest")
    urls = manifest["urls"] if isinstance(manifest, dict) else manifest
    stylesheet = next(url for url in urls if url.endswith(".css") or ".css?" in url)
    assert phone.get(stylesheet)[0] == 200, f"{stylesheet} is served"
    done.append(f"Alex reads the plan ({len(plan['routines'])} routines) and the offline package ({len(urls)} URLs)")

    first, second = a_session(plan), a_session(plan)
    answers = []
    for attempt in range(4):  # nginx takes turns; a phone sends again until both processes have had a batch
        device = (phone, tablet)[attempt % 2]
        status, answer = device.post_json("/api/v1/sessions", {"sessions": [first, second] if attempt else [first]})
        assert status == 200, f"sync answered {status}: {answer}"
        answers.append([item["status"] for item in answer["results"]])
        sync_servers = {served for served in phone.served_by[-1:] + tablet.served_by[-1:] if served}
        if attempt and len(sync_servers) == 2:
            break
    assert answers[0] == ["created"] and answers[1] == ["duplicate", "created"], f"sync answers: {answers}"
    assert all(statuses == ["duplicate", "duplicate"] for statuses in answers[2:]), f"sync answers: {answers}"
    assert len(sync_servers) == 2, f"both syncs went to one process: {sync_servers}"
    stored = phone.get_json("/api/v1/sessions")["sessions"]
    assert sum(1 for item in stored if item["id"] in (first["id"], second["id"])) == 2, "each session stored once"
    done.append(f"two phones synced through both processes ({', '.join(sorted(sync_servers))}); each session once")

    attacker = Browser(base, address="127.0.0.9")  # naming other addresses in X-Forwarded-For does not help
    refusals = [attacker.log_in("sam@example.com", "not-the-password", {"X-Forwarded-For": f"10.0.0.{n}"})
                for n in range(6)]  # fmt: skip
    login_servers = {served for served in attacker.served_by if served}
    assert refusals[:5] == [200] * 5 and refusals[5] == 429, f"wrong passwords answered {refusals}"
    assert len(login_servers) == 2, "the wrong passwords reached both processes"
    assert Browser(base, "127.0.0.3").log_in("sam@example.com", PASSWORD) == 200, "Sam, from home, logs in"
    done.append("five wrong passwords over both processes throttle the sixth (Redis); the owner still logs in")

    coach = Browser(base, address="127.0.0.4")
    assert coach.log_in("coach@example.com", PASSWORD) == 200, "the trainer logs in"
    status, _, page = coach.get("/trainer/")
    assert status == 200 and b"Alex" in page, f"the dashboard answered {status}"
    clients = coach.get_json("/api/v1/trainer/clients")
    listed = clients["clients"] if isinstance(clients, dict) else clients
    assert any("Alex" in json.dumps(each) for each in listed), "the trainer's API lists Alex"
    done.append("the trainer's dashboard and API list Alex")
    return done


def main() -> int:
    missing = [package for command, package in PACKAGES.items() if shutil.which(command) is None]
    if postgres_bin() is None:
        missing.append("postgresql")
    if missing:
        print(f"make cluster needs Debian's {' '.join(missing)}: ./.ci/install-packages {' '.join(missing)}")
        return 2
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="coresteady-cluster-"))
    cluster = Cluster(folder)
    try:
        database, redis = cluster.postgres(), cluster.redis()
        ports, port = [free_port(), free_port()], free_port()  # the app's two, and nginx's (BASE_URL names it)
        base = f"https://127.0.0.1:{port}"
        env = {
            **os.environ,
            "APP_ENV": "production",
            "SECRET_KEY": "cluster-" + uuid.uuid4().hex + uuid.uuid4().hex,
            "DATABASE_URL": database,
            "RATELIMIT_STORAGE_URI": redis,
            "TRUST_PROXIES": "1",
            "CONTENT_AUTO_RELOAD": "0",
            "VAPID_PRIVATE_KEY": new_vapid_key(),
            "VAPID_SUBJECT": "mailto:cluster@example.org",
        }
        env.pop("FLASK_DEBUG", None)
        env["BASE_URL"] = base
        cluster.app(env, ports)
        cluster.nginx(ports, port)
        for line in journey(base):
            print(f"ok  {line}")
    except Exception as failure:  # any failure: show the servers' logs, then fail
        print(f"FAILED: {failure!r}", file=sys.stderr)
        cluster.show_logs()
        return 1
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"make cluster: the deployment held ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
