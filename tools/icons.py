"""Draws the install icons and the install-sheet screenshots under static/icons/: `make icons`.

The PNGs are rendered by Chromium from the hand-drawn SVGs (icon.svg, and icon-maskable.svg with
its artwork inside the central safe circle), and the screenshots are the real pages at phone size,
served from a throwaway database with the demo data. Run it again after changing either SVG or a
page shown in the screenshots; commit the PNGs it writes. Needs Playwright and Chromium (dev tools).
"""

from __future__ import annotations

import base64
import logging
import struct
import sys
import tempfile
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "static" / "icons"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
PHONE = {"width": 390, "height": 844}

# (file written, SVG drawn, size in px, transparent corners?)
ICON_SET = [
    ("icon-192.png", "icon.svg", 192, True),
    ("icon-512.png", "icon.svg", 512, True),
    ("icon-maskable-192.png", "icon-maskable.svg", 192, False),
    ("icon-maskable-512.png", "icon-maskable.svg", 512, False),
    # iOS rounds the corners itself and shows transparency as black: full-bleed artwork.
    ("apple-touch-icon.png", "icon-maskable.svg", 180, False),
]
# (file written, who is signed in or None, path)
SCREENSHOTS = [
    ("screenshot-welcome.png", None, "/"),
    ("screenshot-lessons.png", "alex@example.com", "/lessons/"),
]


def draw_icons(browser) -> None:
    for name, source, size, transparent in ICON_SET:
        svg = base64.b64encode((ICONS / source).read_bytes()).decode()
        page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
        page.set_content(
            "<style>html,body{margin:0;background:transparent}img{display:block;width:100vw;height:100vh}</style>"
            f'<img src="data:image/svg+xml;base64,{svg}" alt="">'
        )
        page.wait_for_function("document.images[0].complete")
        page.screenshot(path=str(ICONS / name), omit_background=transparent)
        page.close()
        print(f"icons/{name}: {size}x{size}, {(ICONS / name).stat().st_size} bytes")


def recompress(path: Path) -> None:
    """Squeezes Chromium's PNG harder (same pixels, deflate level 9, one IDAT) to keep screenshots small."""
    data = path.read_bytes()
    chunks, position, idat = [], 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IDAT":
            idat += body
        else:
            chunks.append((kind, body))
    packed = zlib.compress(zlib.decompress(idat), 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # Every other chunk Chromium wrote (IHDR, sRGB, pHYs, ...) goes before the image data, as PNG requires.
    out = data[:8] + b"".join(chunk(kind, body) for kind, body in chunks if kind != b"IEND")
    out += chunk(b"IDAT", packed) + chunk(b"IEND", b"")
    if len(out) < len(data):
        path.write_bytes(out)


def serve_demo(folder: Path):
    """The app on a free port with a throwaway SQLite database holding the content and the demo accounts."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from webapp import create_app
    from webapp.bundle import load_content
    from webapp.demo import seed

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'shots.db'}",
            "SECRET_KEY": "screenshots-only",
            "CONTENT_AUTO_RELOAD": False,
        }
    )
    with app.app_context():
        upgrade()
        load_content()
        seed()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def take_screenshots(browser, base: str) -> None:
    from webapp.demo import DEMO_PASSWORD

    for name, email, path in SCREENSHOTS:
        # No worker: the install card and the sync pill stay out of the picture.
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, service_workers="block")
        page = context.new_page()
        if email:
            page.goto(f"{base}/auth/login")
            page.fill('input[name="email"]', email)
            page.fill('input[name="password"]', DEMO_PASSWORD)
            page.click('button[type="submit"]')
            page.wait_for_url(lambda url: "/auth/login" not in url)
        page.goto(base + path)
        page.screenshot(path=str(ICONS / name))
        context.close()
        recompress(ICONS / name)
        print(f"icons/{name}: 390x844, {(ICONS / name).stat().st_size} bytes")


def main() -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        draw_icons(browser)
        server = serve_demo(Path(folder))
        try:
            take_screenshots(browser, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
