"""Runs INSIDE private network and PID namespaces (`unshare --net --pid --kill-child`, as
root), as the init of the latter, so nothing it starts outlives it: brings loopback up,
starts ipycam (a virtual ONVIF camera written by others, PyPI) on a small video file, drives
the console's ONVIF adapter against it in the real adapter host, and prints one JSON object
of what it saw. `test_onvif_ipycam.py` starts it and asserts on that JSON.

ipycam multicasts a WS-Discovery Hello to 239.255.255.250 whenever it starts: inside this
namespace there is no interface but loopback, so nothing can leave the machine (the JSON
says which interfaces there were, and the test checks it).

stdin: {"workdir", "video", "user", "password", "wrong_password", "onvif_port", "rtsp_port"}
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from app.adapters.onvif import OnvifAdapter, OnvifConfig
from app.core.adapter import PtzCommand
from app.core.events import CameraAnnounced
from app.core.host import AdapterHost
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
from tests.waiting import port_open

START_BOUND_S = 60.0  # ipycam up and listening; a stream's first picture
STEP_BOUND_S = 30.0  # the adapter's answer to each step


def interfaces() -> list[str]:
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True,
                         check=True).stdout
    return [line.split(":")[1].strip() for line in out.splitlines() if line.strip()]


def start_ipycam(spec: dict[str, Any]) -> subprocess.Popen[bytes]:
    work = Path(spec["workdir"])
    config = {"name": "Caméra ipycam", "local_ip": "127.0.0.1",
              "onvif_port": spec["onvif_port"], "rtsp_port": spec["rtsp_port"],
              # ports of go2rtc and RTMP that nothing listens on: ipycam then serves RTSP
              # itself (FFmpeg), as it does on a machine without go2rtc
              "go2rtc_api_port": spec["onvif_port"] + 1, "rtmp_port": spec["onvif_port"] + 2,
              "web_port": spec["onvif_port"] + 3,
              "username": spec["user"], "password": spec["password"],
              "main_width": 320, "main_height": 240, "main_fps": 10,
              "sub_width": 160, "sub_height": 120, "sub_fps": 10, "hw_accel": "cpu",
              "show_timestamp": False, "recording_path": str(work / "recordings")}
    (work / "cam.json").write_text(json.dumps(config), encoding="utf-8")
    log = (work / "ipycam.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "ipycam", "--config", "cam.json",
                             "--source", spec["video"], "--hw", "cpu"],
                            cwd=work, stdout=log, stderr=subprocess.STDOUT)


def wait_port(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_BOUND_S
    while not port_open(port):
        if proc.poll() is not None:
            raise RuntimeError(f"ipycam exited with {proc.returncode} before listening")
        if time.monotonic() > deadline:
            raise TimeoutError(f"ipycam did not listen on {port} within {START_BOUND_S:g} s")
        time.sleep(0.05)  # the poll interval of a bounded wait


def config(spec: dict[str, Any], secret_name: str) -> OnvifConfig:
    url = f"http://127.0.0.1:{spec['onvif_port']}/onvif/device_service"
    return OnvifConfig(kind="onvif", name="ipycam", username=spec["user"],
                       password_secret=secret_name, devices=[  # type: ignore[list-item]
                           {"id": "cam-ipycam", "name": "Caméra ipycam", "url": url}])


def probe(cfg: OnvifConfig) -> list[dict[str, Any]]:
    return [{"ok": r.ok, "detail": r.detail} for r in asyncio.run(OnvifAdapter(cfg).probe())]


def first_frame(uri: str) -> list[int] | None:
    """The stream really plays: the shape of its first decoded picture (OpenCV/FFmpeg).
    Opened again within a bound: ipycam's encoder may not have its first frame yet (a real
    camera slow to answer needs the same, see FIELD-NOTES)."""
    import cv2

    os.environ["OPENCV_FFMPEG_CAPTURE_OPTIONS"] = "rtsp_transport;tcp"
    deadline = time.monotonic() + START_BOUND_S
    while time.monotonic() < deadline:
        cap = cv2.VideoCapture(uri, cv2.CAP_FFMPEG)
        try:
            ok, frame = cap.read()
        finally:
            cap.release()
        if ok:
            return list(frame.shape)
        time.sleep(0.2)  # between two bounded tries, not a wait for "done by now"
    return None


def ptz(host: AdapterHost, command: PtzCommand) -> str:
    """What a PTZ order came to: "ok", or the words an operator would read."""
    try:
        host.ptz("ipycam", command).result(STEP_BOUND_S)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def right_password(cfg: OnvifConfig) -> dict[str, Any]:
    adapter = OnvifAdapter(cfg)
    out: dict[str, Any] = {}
    with running(adapter, store=False) as r:
        [announced] = r.wait_for(CameraAnnounced, timeout=STEP_BOUND_S)
        assert isinstance(announced, CameraAnnounced)
        cam = announced.camera
        out["camera"] = {"id": cam.id, "main": cam.streams.main, "sub": cam.streams.sub,
                         "ptz": cam.ptz}
        out["status"] = r.wait_status("running", timeout=STEP_BOUND_S)
        out["states"] = sorted({s.state for s in r.statuses})
        out["ptz"] = [ptz(r.host, PtzCommand(cam.id, pan=0.5)), ptz(r.host, PtzCommand(cam.id))]
        out["frame"] = first_frame(cam.streams.main)
        out["status_after"] = r.sink.state  # a PTZ answer it cannot read changes nothing
    return out


def wrong_password(cfg: OnvifConfig) -> dict[str, Any]:
    with running(OnvifAdapter(cfg), store=False) as r:
        detail = r.wait_status("refused", "fix the secret", timeout=STEP_BOUND_S)
        return {"detail": detail, "starts": [s.state for s in r.statuses].count("starting"),
                "announced": sum(isinstance(e, CameraAnnounced) for e in r.events)}


def main() -> int:
    spec = json.loads(sys.stdin.read())
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    results: dict[str, Any] = {"interfaces": interfaces()}
    set_secret("ipycam-right", spec["password"])
    set_secret("ipycam-wrong", spec["wrong_password"])
    proc = start_ipycam(spec)
    try:
        wait_port(proc, spec["onvif_port"])
        for name, step in (
                ("probe_right", lambda: probe(config(spec, "ipycam-right"))),
                ("probe_wrong", lambda: probe(config(spec, "ipycam-wrong"))),
                ("start_right", lambda: right_password(config(spec, "ipycam-right"))),
                ("start_wrong", lambda: wrong_password(config(spec, "ipycam-wrong")))):
            try:
                results[name] = step()
            except Exception:
                results[name] = {"error": traceback.format_exc(limit=3)}
    except Exception as exc:
        results["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    sys.stdout.write(json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
