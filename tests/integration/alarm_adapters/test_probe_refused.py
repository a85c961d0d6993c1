"""`csu-console check-config SITE --probe` against the ONVIF, XProtect and Traccar
stand-ins: "refused the user name or password" is said exactly where a call that carried
the password was refused, never for a camera that only refuses to tell its time without
one, a server that is down, or credentials that are not configured."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.secrets import set_secret
from tests.conftest import REPO
from tests.integration.adapters.fake_traccar import FakeTraccar
from tests.integration.alarm_adapters.fake_milestone import FakeXProtect
from tests.integration.alarm_adapters.fake_onvif import FakeOnvifCamera

REFUSED = "refused the user name or password"


@pytest.fixture
def peers() -> Iterator[tuple[FakeOnvifCamera, FakeXProtect, FakeTraccar, FakeTraccar]]:
    camera = FakeOnvifCamera("admin", "cam-pw", time_needs_auth=True, auth_status=401).start()
    xprotect = FakeXProtect("csu", "xp-pw").start()
    traccar, down = FakeTraccar("csu@ville.fr", "tr-pw"), FakeTraccar("csu@ville.fr", "tr-pw")
    traccar.start()
    down.start()
    down.down = True
    for name, value in (("probe-cam-right", "cam-pw"), ("probe-cam-wrong", "nope"),
                        ("probe-xp-wrong", "nope"), ("probe-tr-wrong", "nope"),
                        ("probe-tr-right", "tr-pw")):
        set_secret(name, value)
    try:
        yield camera, xprotect, traccar, down
    finally:
        camera.stop()
        xprotect.stop()
        traccar.stop()
        down.stop()


def test_the_probe_says_refused_only_for_a_refused_password(
        tmp_path: Path, peers: tuple[FakeOnvifCamera, FakeXProtect, FakeTraccar, FakeTraccar]
) -> None:
    camera, xprotect, traccar, down = peers
    onvif = """
[[adapters]]
kind = "onvif"
name = "{name}"
{login}
[[adapters.devices]]
id = "cam-1"
name = "Parvis"
url = "{url}"
"""
    site = tmp_path / "site.toml"
    site.write_text("[site]\nname = \"Probe\"\n[map]\ncenter = [48.85, 2.35]\n" + "".join((
        onvif.format(name="onvif-right", url=camera.url,
                     login='username = "admin"\npassword_secret = "probe-cam-right"'),
        onvif.format(name="onvif-wrong", url=camera.url,
                     login='username = "admin"\npassword_secret = "probe-cam-wrong"'),
        onvif.format(name="onvif-nologin", url=camera.url, login=""),
        f"""
[[adapters]]
kind = "milestone"
name = "xprotect"
url = "{xprotect.url}"
username = "csu"
password_secret = "probe-xp-wrong"

[[adapters]]
kind = "traccar"
name = "traccar-wrong"
url = "{traccar.url}"
email = "csu@ville.fr"
password_secret = "probe-tr-wrong"

[[adapters]]
kind = "traccar"
name = "traccar-down"
url = "{down.url}"
email = "csu@ville.fr"
password_secret = "probe-tr-right"
""")), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", "import sys; from app.main import main; "
                          "sys.exit(main(['check-config', sys.argv[1], '--probe']))",
                          str(site)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    lines = {line.split(":", 1)[0].split()[-1]: line.strip()
             for line in out.stdout.splitlines() if line.startswith(("  ok", "  FAIL"))}
    assert lines["onvif-right"].startswith("ok   onvif-right: ONVIF camera cam-1 at "), lines
    assert "answered: Acme PTZ-3000" in lines["onvif-right"]
    assert lines["onvif-wrong"].endswith(f"— camera cam-1: {REFUSED}")
    assert lines["onvif-nologin"].endswith("— camera cam-1: asks for a user name and "
                                           "password, and none is configured for it")
    assert lines["xprotect"].endswith(f"— XProtect at {xprotect.url} {REFUSED} for 'csu'")
    assert lines["traccar-wrong"].endswith(
        f"— Traccar at {traccar.url} {REFUSED} for 'csu@ville.fr'")
    assert lines["traccar-down"].startswith("FAIL traccar-down:")
    assert sum(REFUSED in line for line in lines.values()) == 3, lines
    for password in ("nope", "cam-pw", "xp-pw", "tr-pw"):  # no secret in the output
        assert password not in out.stdout + out.stderr
