"""A push service stand-in on 127.0.0.1, and browsers' subscriptions made as a browser makes them.

The stand-in checks what a real push service checks before it takes a push: the `Authorization: vapid t=..., k=...`
header (an ES256 JWT signed by the key in `k`, for this origin, not yet expired, with a contact in `sub`), the
`TTL` header, and an `aes128gcm` body, which it decrypts with the subscription's private key and auth secret, as
the browser would. It answers 201, or what a test told it to answer for an endpoint.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """One browser's subscription keys: what PushManager.subscribe() makes and keeps on the phone."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64(point)

    def to_json(self) -> dict:
        """As PushSubscription.toJSON() gives it."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64(self.auth)},
        }


@dataclass
class Received:
    path: str
    message: dict
    headers: dict
    claims: dict
    vapid_key: str


class Refused(Exception):
    pass


def verify_vapid(header: str, origin: str) -> tuple[dict, str]:
    """The JWT's claims and the key that signed it, or Refused saying what a push service would object to."""
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "vapid":
        raise Refused(f"Authorization scheme {scheme!r}, not vapid")
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    token, key = parts["t"], parts["k"]
    signed, _, signature = token.rpartition(".")
    header_part, _, claims_part = signed.partition(".")
    if json.loads(unb64(header_part)) != {"typ": "JWT", "alg": "ES256"}:
        raise Refused("the JWT is not ES256")
    raw = unb64(signature)
    if len(raw) != 64:
        raise Refused("the ES256 signature is not 64 bytes")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused("the JWT's signature does not match k") from None
    claims = json.loads(unb64(claims_part))
    if claims.get("aud") != origin:
        raise Refused(f"aud is {claims.get('aud')!r}, not this push service's origin {origin!r}")
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
        raise Refused("exp is not within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
        raise Refused("sub is not a mailto: or https: contact")
    return claims, key


class PushService:
    """Runs in a thread of the test; `browser()` makes a subscription on it, `received` holds what was delivered."""

    def __init__(self):
        self.browsers: dict[str, Browser] = {}
        self.answers: dict[str, int] = {}
        self.received: list[Received] = []
        self.refusals: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        # Closing waits for the loop's next look at the flag: every 0.05 s instead of 0.5 s.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def browser(self, name: str = "phone") -> Browser:
        browser = Browser(f"{self.origin}/push/{name}-{len(self.browsers)}")
        self.browsers[browser.endpoint.removeprefix(self.origin)] = browser
        return browser

    def answer(self, browser: Browser, status: int) -> None:
        self.answers[browser.endpoint.removeprefix(self.origin)] = status

    def messages(self, browser: Browser | None = None) -> list[dict]:
        path = browser.endpoint.removeprefix(self.origin) if browser else None
        return [r.message for r in self.received if path is None or r.path == path]

    def _take(self, request: BaseHTTPRequestHandler) -> int:
        browser = self.browsers.get(request.path)
        if browser is None:
            return 404
        body = request.rfile.read(int(request.headers.get("Content-Length", "0")))
        claims, key = verify_vapid(request.headers.get("Authorization", ""), self.origin)
        if request.headers.get("Content-Encoding") != "aes128gcm":
            raise Refused(f"Content-Encoding {request.headers.get('Content-Encoding')!r}, not aes128gcm")
        if not request.headers.get("TTL", "").isdigit():
            raise Refused("no TTL header")
        plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm")
        status = self.answers.get(request.path, 201)
        if status == 201:
            with self.lock:
                self.received.append(
                    Received(
                        request.path, json.loads(plain), {k.lower(): v for k, v in request.headers.items()}, claims, key
                    )
                )
        return status

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                try:
                    status = service._take(self)
                except Exception as exc:  # a push service answers a bad push with 400 and says why
                    with service.lock:
                        service.refusals.append(f"{type(exc).__name__}: {exc}")
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
