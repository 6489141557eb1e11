#!/usr/bin/env python3
"""Draw static/deelafbeelding.png, the 1200x630 image link previews show (og:image), in Chromium.

Run once when the design changes and commit the PNG; builds only copy it. Uses the browser the
tests use (Debian's /usr/bin/chromium through Playwright); nothing is downloaded.

    python tools/deelafbeelding.py [--out static/deelafbeelding.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1200, 630  # the size Open Graph and Twitter's large card crop least

CARD = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><style>
  html, body { margin: 0; width: 1200px; height: 630px; }
  body { background: #154273; color: #fff; font-family: "DejaVu Serif", Georgia, serif;
         display: flex; flex-direction: column; justify-content: center; padding: 0 96px; box-sizing: border-box; }
  .rule { width: 120px; height: 10px; background: #f3c000; margin-bottom: 40px; }
  h1 { font-size: 112px; margin: 0 0 28px; letter-spacing: -1px; }
  p { font-family: "DejaVu Sans", sans-serif; font-size: 38px; line-height: 1.35; margin: 0; max-width: 1008px; }
  .nowrap { white-space: nowrap; }
  .small { font-size: 28px; margin-top: 36px; color: #d6e2f0; }
</style></head><body>
  <div class="rule"></div>
  <h1>Kamerarchief</h1>
  <p>Verslagen van schriftelijk overleg van de <span class="nowrap">Staten-Generaal</span>, doorzoekbaar en overgenomen zoals gedrukt.</p>
  <p class="small">Brieven, partijen, personen en bronnen, onderling gelinkt.</p>
</body></html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "deelafbeelding.png")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
        page.set_content(CARD)
        page.screenshot(path=str(args.out), type="png", clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
        browser.close()
    print(f"Wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
