"""The JupyterLab extension: installed with the package, and working in a real browser.

The browser test starts the JupyterLab this package installs, on 127.0.0.1 with a
notebook that runs a scripted-model cell and a real default-model cell, then runs
the Playwright test in ``labextension/ui-tests`` on Debian's chromium (no browser
download). It leaves screenshots in ``labextension/ui-tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LABEXT = ROOT / "labextension"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PLAYWRIGHT = LABEXT / "node_modules" / ".bin" / "playwright"

SETUP = """%load_ext viscoder_magic
import pandas as pd
df = pd.DataFrame({"region": ["north", "south", "east", "west"], "sales": [120, 90, 150, 80]})"""
# A wrong column (too far from any real one for a rule-based patch), then the model's repair:
# a deterministic two-attempt run with a diff.
SCRIPTED = (
    '%%viscode df --rounds 1 --model "fake:import matplotlib.pyplot as plt\\n'
    "plt.bar(df['region'], df['amount'])||import matplotlib.pyplot as plt\\n"
    "plt.bar(df['region'], df['sales'])\\nplt.title('Sales per region')\"\n"
    "bar chart of sales per region"
)
# --fix: the user's code fails, a rule renames the column ('sale' -> 'sales'), Fix my cell writes it back.
FIX = (
    '%%viscode df --fix --rounds 1 --model "fake:import matplotlib.pyplot as plt\\n'
    "plt.bar(df['region'], df['sales'])\"\n"
    "import matplotlib.pyplot as plt\nplt.bar(df['region'], df['sale'])"
)
REAL = "%%viscode df --rounds 2\nbar chart of sales per region"


def test_labextension_is_installed() -> None:
    """``pip install`` put the prebuilt extension where JupyterLab finds it, enabled and OK."""
    listing = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, check=True
    )
    lines = [line for line in (listing.stdout + listing.stderr).splitlines() if "viscoder-magic" in line]
    assert lines, listing.stdout + listing.stderr
    assert "enabled" in lines[0] and "OK" in lines[0], lines[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float) -> bool:
    """Whether ``url`` answered within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except OSError:
            time.sleep(1)
    return False


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A JupyterLab on 127.0.0.1 serving ``viscode.ipynb`` from a fresh folder."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src) for src in (SETUP, SCRIPTED, FIX, REAL)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
        },
    )
    path = tmp_path / "work" / "viscode.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp_path / name.lower())
    # No "official Jupyter news?" or "a newer version is available" toast over the buttons and screenshots.
    news = (
        tmp_path
        / "jupyterlab_settings_dir"
        / "@jupyterlab"
        / "apputils-extension"
        / "notification.jupyterlab-settings"
    )
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--IdentityProvider.token=",
            "--ServerApp.ip=127.0.0.1",
            f"--port={port}",
            f"--ServerApp.root_dir={path.parent}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        if not _wait_for(url + "api/status", 120):
            pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:])
        yield url, path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _viscode_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text())["cells"]
    return [c for c in cells if "".join(c["source"]).startswith("%%viscode df --rounds")]


def _bundle(cell: dict) -> dict:
    return next(
        o["data"]["application/vnd.viscoder.run+json"]
        for o in cell["outputs"]
        if "application/vnd.viscoder.run+json" in o.get("data", {})
    )


@pytest.mark.e2e
@pytest.mark.timeout(1800)
@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no browser at {CHROMIUM}: apt-get install -y chromium"
)
def test_run_renders_in_jupyterlab(lab: tuple[str, Path]) -> None:
    """Expand an attempt, Insert code below, New VisCode cell, provenance saved."""
    assert PLAYWRIGHT.exists(), "labextension/node_modules is missing: run `jlpm install` in labextension/"
    url, path = lab
    (LABEXT / "ui-tests" / "artifacts").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "VISCODE_LAB_URL": url,
        "CHROMIUM_PATH": CHROMIUM,
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
    }
    run = subprocess.run(
        [str(PLAYWRIGHT), "test", "--config", "ui-tests/playwright.config.ts"],
        cwd=LABEXT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1700,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert (LABEXT / "ui-tests" / "artifacts" / "viscode-run.png").stat().st_size > 1000
    scripted, real = _viscode_cells(path)
    for cell in (scripted, real):
        bundle = _bundle(cell)
        record = cell["metadata"]["viscode"]
        assert record["model"] == bundle["model"]["name"]
        assert record["final_code"] == bundle["final_code"]
        assert record["rounds"] == bundle["request"]["rounds"]
        assert record["attempts"] == len(bundle["attempts"])
    assert scripted["metadata"]["viscode"]["final_code"].endswith("plt.title('Sales per region')")
    assert real["metadata"]["viscode"]["rounds"] == 2
    fixed = next(c for c in json.loads(path.read_text())["cells"] if "--fix" in "".join(c["source"]))
    assert "".join(fixed["source"]).splitlines()[1:] == [
        "import matplotlib.pyplot as plt",
        "plt.bar(df['region'], df['sales'])",
    ]
