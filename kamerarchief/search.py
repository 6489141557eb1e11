"""Build the Pagefind search index of a staged site with the binary that pagefind_bin ships.

The binary is run directly: the `pagefind` Python wrapper waits 0.1 s per page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pagefind_bin


class SearchIndexError(Exception):
    """Pagefind failed; carries what it printed."""


def build_index(site_dir: Path) -> str:
    """Index `site_dir` into `site_dir/pagefind`; returns Pagefind's summary output."""
    executable = pagefind_bin.get_executable()
    result = subprocess.run(
        [str(executable), "--site", str(site_dir), "--output-subdir", "pagefind", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout
