"""The ONVIF adapter against a camera we did not write: ipycam (PyPI), a virtual ONVIF camera
serving a video file over RTSP through FFmpeg. With the right password it was reported as
"refused the user name or password" (it refuses an unauthenticated GetSystemDateAndTime);
now it is announced with stream URIs that really play, its unreadable PTZ answer is said in
words, and only a wrong password is called one.

ipycam multicasts a WS-Discovery Hello to 239.255.255.250 at every start, so it runs only
inside a private network namespace with loopback alone (`unshare --net`, root), together
with what talks to it: `ipycam_run.py` runs there and prints JSON that this test reads.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

RUNNER = Path(__file__).with_name("ipycam_run.py")
RUN_BOUND_S = 300  # the whole run in the namespace; each step inside has its own bound
pytestmark = pytest.mark.timeout(RUN_BOUND_S + 60)


def _why_not() -> str | None:
    """Why ipycam cannot run here, or None."""
    if sys.platform != "linux":
        return "a private network namespace needs Linux"
    if os.geteuid() != 0:
        return "a private network namespace (unshare -n) needs root"
    for tool, package in (("unshare", "util-linux"), ("ip", "iproute2"), ("ffmpeg", "ffmpeg")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: {package}; bash packaging/dev.sh test)"
    if importlib.util.find_spec("ipycam") is None:
        return "ipycam is not installed (bash packaging/dev.sh test installs it)"
    tried = subprocess.run(["unshare", "--net", "--pid", "--kill-child", "true"],
                           capture_output=True, text=True, timeout=30)
    if tried.returncode != 0:
        return f"unshare --net --pid is refused here: {tried.stderr.strip()[:200]}"
    return None


@pytest.fixture(scope="module")
def ipycam_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    why = _why_not()
    if why is not None:
        if os.environ.get("CI"):  # CI runs as root with everything installed: it must run
            pytest.fail(f"the ipycam test cannot run on CI: {why}")
        pytest.skip(why)
    work = tmp_path_factory.mktemp("ipycam")
    video = work / "clip.mp4"  # made here, never downloaded: 3 s of a test pattern
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=10", "-t", "3", "-pix_fmt", "yuv420p",
                    str(video)], check=True, timeout=60)
    spec = {"workdir": str(work), "video": str(video), "user": "admin",
            "password": "ipycam-right-pw", "wrong_password": "not-this-one",
            "onvif_port": 18080, "rtsp_port": 18554}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # its own network namespace (loopback alone) and PID namespace: if the run is cut short
    # (a timeout kills unshare), --kill-child ends the runner, and with it, as the init of
    # that PID namespace, every process left there (ipycam, its FFmpeg)
    out = subprocess.run(["unshare", "--net", "--pid", "--kill-child", "--", sys.executable,
                          str(RUNNER)],
                         input=json.dumps(spec), capture_output=True, text=True, cwd=REPO,
                         env=env, timeout=RUN_BOUND_S)
    log = (work / "ipycam.log").read_text(errors="replace")[-2000:] \
        if (work / "ipycam.log").exists() else "(no ipycam log)"
    assert out.returncode == 0, f"{out.stderr[-3000:]}\nipycam: {log}"
    lines = out.stdout.strip().splitlines()
    assert lines, f"no result: {out.stderr[-3000:]}\nipycam: {log}"
    results: dict[str, Any] = json.loads(lines[-1])
    assert "error" not in results, f"{results['error']}\nipycam: {log}"
    return results


def test_nothing_but_loopback_in_the_namespace(ipycam_run: dict[str, Any]) -> None:
    """Where ipycam's multicast Hello went: a namespace with no interface but lo."""
    assert ipycam_run["interfaces"] == ["lo"]


def test_the_right_password_announces_the_camera_and_its_streams(
        ipycam_run: dict[str, Any]) -> None:
    started = ipycam_run["start_right"]
    assert "error" not in started, started.get("error")
    assert started["camera"] == {"id": "cam-ipycam",
                                 "main": "rtsp://127.0.0.1:18554/video_main",
                                 "sub": "rtsp://127.0.0.1:18554/video_sub", "ptz": True}
    assert started["status"] == "1 of 1 device(s) connected"
    assert "refused" not in started["states"]
    assert started["frame"] == [240, 320, 3]  # the main stream URI plays the video


def test_an_unreadable_ptz_answer_is_said_in_words(ipycam_run: dict[str, Any]) -> None:
    """ipycam answers ContinuousMove and Stop with an undeclared `ptz:` prefix."""
    started = ipycam_run["start_right"]
    assert "error" not in started, started.get("error")
    for said in started["ptz"]:
        assert said.startswith("PtzFailed: camera cam-ipycam: its answer to the order could "
                               "not be read (the answer is not well-formed XML (unbound "
                               "prefix"), said
        assert said.endswith("it may have moved anyway")
    assert started["status_after"] == "running"


def test_the_probe_passes_with_the_right_password_and_says_refused_with_a_wrong_one(
        ipycam_run: dict[str, Any]) -> None:
    [right] = ipycam_run["probe_right"]
    assert right["ok"], right
    assert right["detail"].startswith("camera cam-ipycam answered: PythonCam VirtualCam-1")
    assert ipycam_run["probe_wrong"] == [
        {"ok": False, "detail": "camera cam-ipycam: refused the user name or password"}]


def test_a_wrong_password_stops_the_adapter_as_refused(ipycam_run: dict[str, Any]) -> None:
    wrong = ipycam_run["start_wrong"]
    assert "error" not in wrong, wrong.get("error")
    assert wrong == {"detail": "ONVIF camera(s) cam-ipycam refused the user name or password "
                               "— fix the secret, then retry",
                     "starts": 1, "announced": 0}
