"""The static files' storage: WhiteNoise's hashed names and pre-compressed copies, gzip only.

WhiteNoise also writes Brotli copies whenever the `brotli` module happens to be installed (the load tool brings it
into development installs); at its highest quality that took ~40 s of CPU on every `serve` start for the API
documentation's scripts. Gzip alone is what every install had before and costs ~2 s.
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
