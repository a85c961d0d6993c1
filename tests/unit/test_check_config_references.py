"""`check-config` follows every reference between tables: an id that nothing declares or
announces is reported with the file, the key path, the wrong id and the ids that exist
(an OwnTracks device mapped to an unknown officer once had its fixes counted, never shown)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.adapters.bodycam.adapter import BodycamAdapter, BodycamConfig
from app.adapters.demo.adapter import DemoConfig, make_simulation
from app.adapters.rtsp.adapter import RtspConfig
from app.core.model import Streams
from app.core.registry import discover
from app.core.site import load_site
from tests.unit.cli_run import csu, site_file

BROKEN = """
[[cameras]]
id = "cam-hdv"
name = "Hôtel de ville"
main = "rtsp://10.0.0.1/a"
officer = "pm99"

[[cameras]]
id = "cam-gare"
name = "Gare"
main = "rtsp://10.0.0.2/a"

[[officers]]
id = "pm11"
callsign = "PM 11"
body_camera = "bc-pm77"

[[officers]]
id = "pm21"
callsign = "PM 21"

[[layouts]]
name = "Centre"
grid = "2x2"
cameras = ["cam-hdv", "", "cam-gar"]

[[adapters]]
kind = "frigate"
name = "frigate-parking"
[adapters.cameras]
parking = "cam-nope"
entree = ["cam-hdv", "cam-nope2"]

[[adapters]]
kind = "sia_dc09"
name = "dc09-mairie"
[[adapters.accounts]]
account = "1234"
building = "Mairie"
cameras = ["cam-gare", "cam-zzz"]

[[adapters]]
kind = "owntracks"
name = "telephones"
[adapters.devices]
"pm11/iphone" = "pm11"
"ot9/phone" = "ot9"

[[adapters]]
kind = "nmea"
name = "traceurs"
[adapters.devices]
"10.0.0.5" = "nobody"
[[adapters.sources]]
host = "10.0.0.6"
port = 5017
officer = "nobody2"

[[adapters]]
kind = "webhook"
name = "capteurs"
secret = "hook"
[[adapters.devices]]
id = "sound-07"
cameras = ["cam-marche"]

[[adapters]]
kind = "bodycam"
name = "cameras-pietons"
[adapters.devices.BC-0042]
officer = "pm404"

[[adapters]]
kind = "traccar"
name = "traccar"
[adapters.devices]
"860123456789012" = "pm500"

[[adapters]]
kind = "cot"
name = "tak"
[adapters.devices]
"ANDROID-5f3a" = "pm600"

[[adapters]]
kind = "milestone"
name = "xprotect"
url = "https://vms.local"
username = "csu"
password_secret = "xp"
camera_map = { "6a8c1f2e" = "cam-vms" }
"""


def test_every_broken_reference_is_named_with_the_ids_that_exist(tmp_path: Path) -> None:
    path = site_file(tmp_path, BROKEN)
    out = csu("check-config", str(path))
    assert out.returncode == 1, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert "Traceback" not in text
    cams = "cameras that exist: bc-bc-0042, cam-gare, cam-hdv"
    officers = "officers that exist: pm11, pm21"
    expected = [
        ('cameras[0].officer', "'pm99'", officers),
        ('officers[0].body_camera', "'bc-pm77'", cams),
        ('layouts[0].cameras[2]', "'cam-gar'", cams),
        ('adapters "frigate-parking".cameras.parking', "'cam-nope'", cams),
        ('adapters "frigate-parking".cameras.entree[1]', "'cam-nope2'", cams),
        ('adapters "dc09-mairie".accounts[0].cameras[1]', "'cam-zzz'", cams),
        ('adapters "telephones".devices."ot9/phone"', "'ot9'", officers),
        ('adapters "traceurs".devices."10.0.0.5"', "'nobody'", officers),
        ('adapters "traceurs".sources[0].officer', "'nobody2'", officers),
        ('adapters "capteurs".devices[0].cameras[0]', "'cam-marche'", cams),
        ('adapters "cameras-pietons".devices.BC-0042.officer', "'pm404'", officers),
        ('adapters "traccar".devices.860123456789012', "'pm500'", officers),
        ('adapters "tak".devices.ANDROID-5f3a', "'pm600'", officers),
        ('adapters "xprotect".camera_map.6a8c1f2e', "'cam-vms'", cams),
    ]
    lines = text.splitlines()
    for key, wrong, exist in expected:
        line = next((x for x in lines if f"{path}: {key}: " in x), None)
        assert line is not None, f"nothing about {key} in:\n{text}"
        assert wrong in line, line
        assert exist in line, line
    assert "did you mean 'cam-gare'?" in next(x for x in lines if "'cam-gar'" in x)
    assert "did you mean" not in next(x for x in lines if "'cam-nope'" in x)  # not cam-gare
    assert f"{len(expected)} problem(s)" in text


CROSS = """
[[officers]]
id = "pm90"
callsign = "PM 90"
body_camera = "bc-bc-0042"

[[layouts]]
name = "Mixte"
grid = "2x2"
cameras = ["cam-r1", "cam-o1", "cam-01", "bc-pm12"]

[[adapters]]
kind = "demo"
name = "demo"
cameras = 3
officers = 2

[[adapters]]
kind = "rtsp"
name = "rtsp"
[[adapters.cameras]]
id = "cam-r1"
name = "R1"
main = "rtsp://10.0.0.1/a"

[[adapters]]
kind = "onvif"
name = "onvif"
[[adapters.devices]]
id = "cam-o1"
name = "O1"
url = "http://10.0.0.2/onvif/device_service"

[[adapters]]
kind = "bodycam"
name = "bodycams"
[adapters.devices.BC-0042]
officer = "pm90"

[[adapters]]
kind = "frigate"
name = "frigate"
cameras = { cour = ["cam-r1", "cam-03"] }

[[adapters]]
kind = "owntracks"
name = "phones"
devices = { "pm12/phone" = "pm12" }
"""


def test_ids_announced_by_adapters_count_as_existing(tmp_path: Path) -> None:
    out = csu("check-config", str(site_file(tmp_path, CROSS)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK" in out.stdout


def test_a_reference_to_a_disabled_adapter_s_id_is_a_warning(tmp_path: Path) -> None:
    body = CROSS.replace('name = "demo"\n', 'name = "demo"\nenabled = false\n')
    from app.core.site_check import check_references

    site = load_site(site_file(tmp_path, body), discover())
    errors, warnings = check_references(site)
    assert errors == []
    assert any("layouts[0].cameras[2]" in w and "'cam-01'" in w and '"demo"' in w
               and "disabled" in w for w in warnings), warnings


def test_provides_matches_what_the_demo_announces() -> None:
    cfg = DemoConfig(kind="demo", name="demo", cameras=5, officers=12, video=False)
    sim = make_simulation(cfg, seed=7, start=datetime(2026, 1, 1, tzinfo=UTC))
    announced = {c.id for c in sim.cameras(lambda cid: Streams(f"http://h/{cid}"))}
    officers = {o.officer.id for o in sim.officers}
    provided = cfg.provides()
    assert {r.id for r in provided if r.kind == "camera"} == announced
    assert {r.id for r in provided if r.kind == "officer"} == officers


@pytest.mark.parametrize("devices", [
    {"BC-0042": {"officer": "pm11"}},
    {"BC-1": {"officer": "pm11", "camera": "bc-special"}, "x9": {"officer": "pm12"}},
])
def test_provides_matches_what_the_bodycam_adapter_announces(devices: dict[str, object]
                                                             ) -> None:
    cfg = BodycamConfig.model_validate({"kind": "bodycam", "name": "b", "devices": devices})
    announced = {c.id for c in BodycamAdapter(cfg).cameras()}
    assert {r.id for r in cfg.provides()} == announced
    assert {r.id for r in cfg.references()} == {d["officer"] for d in devices.values()}  # type: ignore[index]


def test_rtsp_provides_its_cameras() -> None:
    cfg = RtspConfig.model_validate({"kind": "rtsp", "name": "r", "cameras": [
        {"id": "a", "name": "A", "main": "rtsp://h/a"}]})
    assert [(r.path, r.kind, r.id) for r in cfg.provides()] == [(("cameras", 0, "id"),
                                                                 "camera", "a")]


def test_the_console_opens_a_site_with_a_broken_reference_and_logs_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A dangling link is a mistake to fix, not a reason to leave a CSU without its console."""
    from app.main import _log_site_checks

    path = site_file(tmp_path, '[[officers]]\nid = "pm1"\ncallsign = "PM 1"\n'
                               'body_camera = "bc-x"\n')
    site = load_site(path, discover())  # loads: the rest of the site works
    with caplog.at_level(logging.WARNING):
        _log_site_checks(site)
    assert f"{path}: officers[0].body_camera: no camera 'bc-x'" in caplog.text
