"""The front end and the kernel must name the run's MIME type identically.

A mismatch does not fail loudly: JupyterLab just falls back to the HTML view, so
this test is the only thing that notices.
"""

from __future__ import annotations

import re
from pathlib import Path

from viscoder_magic.mime import MIME_TYPE

INDEX_TS = Path(__file__).resolve().parents[1] / "labextension" / "src" / "index.ts"


def test_typescript_mime_type_matches_python() -> None:
    declared = re.findall(r"^export const MIME_TYPE = '([^']+)';$", INDEX_TS.read_text(), re.MULTILINE)
    assert declared == [MIME_TYPE]
