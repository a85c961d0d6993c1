"""The Linux build of packaging/csu-console.spec, started from the bundle as a workstation
without Python or VLC would start it (issue 14): a clean environment (no venv, no PYTHONPATH,
a PATH of /usr/bin:/bin, an empty home), another working folder. The demo opens and its
screen shows video, map and alarms; the libvlc it plays with is the bundle's (read from
/proc/PID/maps, not from what it says); the recorder's FFmpeg is the bundle's; the service,
the adapter list, check-config and install-config run from the same executable.

One build per session (about two minutes alone, more beside other tests), in a temporary
folder removed afterwards (CSU_TEST_BUNDLE=dist/csu-console tests one already built).
Slow; `.ci/run` runs it with the rest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.core.journal import Journal
from tests.conftest import REPO
from tests.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.video, pytest.mark.timeout(1800)]

SCREEN = (1920, 1080)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    built = os.environ.get("CSU_TEST_BUNDLE")  # a bundle built before, to try changes fast
    if built:
        yield Path(built)
        return
    out = tmp_path_factory.mktemp("bundle")
    done = subprocess.run(["bash", str(REPO / "packaging" / "build_bundle.sh"),
                           str(out / "dist"), str(out / "work")],
                          capture_output=True, text=True, timeout=1500, check=False)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    sys.stdout.write(done.stdout[done.stdout.find("bundle "):] + "\n")  # the size, by part
    subprocess.run(["rm", "-rf", str(out / "work")], check=True)
    yield out / "dist" / "csu-console"
    subprocess.run(["rm", "-rf", str(out)], check=True)  # about 1.2 GB


def clean_env(home: Path) -> dict[str, str]:
    """What a workstation's session gives a program: no venv, no Python path, no libvlc
    variables, a home of its own."""
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "DISPLAY": os.environ["DISPLAY"], "XDG_RUNTIME_DIR": str(home),
           # no sound server: the alarm tones go to Qt's null device (tests/conftest.py)
           "PULSE_SERVER": "unix:/nonexistent/csu-tests-have-no-sound-server"}
    if os.geteuid() == 0:  # QtWebEngine's sandbox refuses root (packaging/dev.sh)
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    return env


def run(bundle: Path, *args: str, home: Path, timeout: float = 120
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / "csu-console"), *args], env=clean_env(home),
                          cwd=home, capture_output=True, text=True, timeout=timeout,
                          check=False)


def mapped_files(pid: int) -> set[str]:
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
        return {line.split()[-1] for line in maps if "/" in line}


def region(shot: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    h, w = shot.shape[:2]
    return shot[int(y0 * h): int(y1 * h), int(x0 * w): int(x1 * w)].astype(int)


def share(mask: np.ndarray) -> float:
    return float(mask.sum()) / max(1, mask.size)


def test_the_demo_runs_from_the_bundle_with_its_own_libvlc_and_ffmpeg(
        bundle: Path, tmp_path: Path) -> None:
    shot, journal, log = tmp_path / "shot.png", tmp_path / "journal.sqlite", tmp_path / "c.log"
    env = clean_env(tmp_path / "home")
    proc = subprocess.Popen(
        [str(bundle / "csu-console"), "--demo", "--screenshot", str(shot), "--quit-after", "25",
         "--journal", str(journal), "--log-file", str(log)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: log.exists() and "video engine: libvlc" in log.read_text(),
                   timeout=90, what="the bundled console's video engine to start")
        mapped = mapped_files(proc.pid)
        output, _ = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, output[-4000:]
    root = str(bundle.resolve())
    vlc = sorted(f for f in mapped if "libvlc" in f or "/vlc/plugins/" in f)
    assert any(f.endswith("libvlccore.so.9") for f in vlc), vlc
    assert all(f.startswith(root) for f in vlc), vlc  # not the machine's VLC
    assert any("/vlc/plugins/" in f for f in vlc), "no VLC plugin loaded"
    text = log.read_text()
    assert re.search(rf"bundle {re.escape(root)}/_internal: libvlc {re.escape(root)}", text)
    recorder = re.search(r"recorder: recording .* with (\S+)", text)
    assert recorder, text[-3000:]
    assert recorder.group(1).startswith(root), recorder.group(0)
    assert "ERROR" not in text, [ln for ln in text.splitlines() if "ERROR" in ln]

    img = np.asarray(Image.open(shot).convert("RGB"))
    assert img.shape[1::-1] == SCREEN
    # the wall (top left): the demo's streets, their trees a green no widget paints
    wall = region(img, 0.16, 0.05, 0.65, 0.62)
    r, g, b = wall[..., 0], wall[..., 1], wall[..., 2]
    assert share((g > r + 30) & (g > b + 30)) > 0.02, "no video on the wall"
    # the map (top right): the town's offline tiles in many colours, not a blank page
    town = region(img, 0.70, 0.08, 0.98, 0.60)
    assert town.std() > 15, "no map"
    assert len(np.unique(town.reshape(-1, 3), axis=0)) > 200, "no map"
    # the alarm list (bottom left): the priorities' coloured cells
    prio = region(img, 0.0, 0.68, 0.03, 0.95)
    assert share(prio.max(axis=2) - prio.min(axis=2) > 120) > 0.05, "no alarm rows"
    j = Journal(journal)
    try:
        assert j.load_alarms(), "the demo raised no alarm"
    finally:
        j.close()


def test_the_service_runs_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    done = run(bundle, "serve", "--demo", "--quit-after", "5", "--journal",
               str(tmp_path / "j.sqlite"), "--log-file", str(log), home=tmp_path / "home")
    assert done.returncode == 0, done.stderr[-3000:]
    text = log.read_text()
    assert "serve starting" in text, text[-3000:]
    assert "adapter demo: running" in text, text[-3000:]
    assert f"FFmpeg {bundle.resolve()}" in text


def test_the_installers_commands_run_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "entry-points"]["csu_console.adapters"]
    listed = run(bundle, "adapters", home=home)
    assert listed.returncode == 0, listed.stderr
    assert {line.split()[0] for line in listed.stdout.splitlines()} == set(declared)
    assert "BROKEN" not in listed.stdout
    example = REPO / "resources" / "examples" / "site.example.toml"
    checked = run(bundle, "check-config", str(example), home=home)
    assert checked.returncode == 0, checked.stderr
    assert ": OK" in checked.stdout, checked.stdout
    config = tmp_path / "machine" / "console.toml"
    installed = run(bundle, "install-config", "--site", str(example), "--role", "seat",
                    "--config", str(config), home=home)
    assert installed.returncode == 0, installed.stderr
    assert 'role = "seat"' in config.read_text()
    assert (bundle / "_internal" / "resources" / "translations" / "csu_fr.qm").is_file()
