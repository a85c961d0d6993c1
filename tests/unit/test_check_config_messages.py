"""`check-config` speaks to an installer: adapters named by their `name`, the nearest valid
key for a misspelt one, type errors in plain words (never pydantic's own text), `--help`
that helps, and a keyring secret the site names but the keyring lacks as a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core.registry import discover
from app.core.secrets import set_secret
from app.core.site import SiteError, load_site
from tests.unit.cli_run import csu, site_file

MISTAKES = """
[[cameras]]
id = 1234
name = "Parvis"
main = "rtsp://10.0.0.1/a"
heding = 90

[alarm_types.weapon_drawn]
priority = 7

[alarm_types.teleport]
priority = 1

[[adapters]]
kind = "cot"
name = "tak"
port = 8087
accept_unknown = "maybe"

[[adapters]]
kind = "nmea"
name = "traceurs"
mode = "both"
port = "5017a"
devices = []

[[adapters]]
kind = "frigate"
name = "frigate"
pasword_secret = "mqtt"
labels = "person"
min_score = 2
cameras = { cour = 5 }

[[adapters]]
kind = "sia_dc09"
name = "dc09-mairie"
[[adapters.accounts]]
account = "12g4"
building = ""

[[adapters]]
kind = "milestone"
name = "xprotect"
url = "ftp://vms"
username = "csu"

[[adapters]]
kind = "sia-dc09"
name = "typo"
"""

EXPECTED = [
    "cameras[0].id: expected text, got the number 1234",
    "cameras[0].heding: unknown key 'heding'; did you mean 'heading'?",
    "alarm_types.weapon_drawn.priority: must be at most 4, got the number 7",
    "alarm_types.teleport: expected one of 'weapon_drawn', 'bodycam_emergency', 'gunshot', "
    "'intrusion', 'lpr_hit', 'video_analytics', 'citizen_report' or 'other', "
    "got the text 'teleport'",
    'adapters "tak".port: unknown key \'port\'; did you mean \'tcp_port\' or \'udp_port\'?',
    'adapters "tak".accept_unknown: expected true or false, got the text \'maybe\'',
    'adapters "traceurs".mode: expected one of \'listen\' or \'connect\', got the text \'both\'',
    'adapters "traceurs".port: expected a whole number, got the text \'5017a\'',
    'adapters "traceurs".devices: expected a table (key = value lines), got an empty list',
    'adapters "frigate".pasword_secret: unknown key \'pasword_secret\'; '
    'did you mean \'password_secret\'?',
    'adapters "frigate".labels: expected a list, got the text \'person\'',
    'adapters "frigate".min_score: must be at most 1, got the number 2',
    'adapters "frigate".cameras.cour: expected text or a list, got the number 5',
    'adapters "dc09-mairie".accounts[0].account: the text \'12g4\' does not have the '
    'expected form',
    'adapters "dc09-mairie".accounts[0].building: must not be empty',
    'adapters "xprotect".url: the text \'ftp://vms\' does not have the expected form',
    'adapters "xprotect".password_secret: missing: this key is required',
    'adapters "typo".kind: no adapter of kind \'sia-dc09\' is installed; '
    'did you mean \'sia_dc09\'?',
]


def test_mistakes_in_plain_words(tmp_path: Path) -> None:
    path = site_file(tmp_path, MISTAKES)
    out = csu("check-config", str(path))
    assert out.returncode == 1
    text = out.stderr
    for line in EXPECTED:
        assert f"{path}: {line}" in text, f"{line!r} not in:\n{text}"
    assert "Input should" not in text
    assert "String should" not in text
    assert "Field required" not in text
    assert "adapters[" not in text  # adapters are named by their name
    assert "Traceback" not in text
    assert f"{len(EXPECTED)} problem(s)" in text


def test_an_adapter_without_a_usable_name_is_named_by_its_place(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as info:
        load_site(site_file(tmp_path, '[[adapters]]\nkind = "cot"\nname = 5\n'), discover())
    assert any("adapters[0].name: expected text, got the number 5" in p
               for p in info.value.problems), info.value.problems


def test_the_nearest_key_includes_aliases() -> None:
    from app.core.plain_errors import plain_problems

    class Aliased(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        listen_port: int = Field(8000, alias="listenPort")

    with pytest.raises(ValidationError) as info:
        Aliased.model_validate({"listenPrt": 1})
    [(path, sentence)] = plain_problems(info.value, Aliased)
    assert path == ("listenPrt",)
    assert "did you mean 'listenPort'" in sentence


def test_every_sentence_reads_like_one_for_unmapped_error_types() -> None:
    from datetime import date

    from app.core.plain_errors import plain_problems

    class Dated(BaseModel):
        when: date

    with pytest.raises(ValidationError) as info:
        Dated.model_validate({"when": "soon"})
    [(path, sentence)] = plain_problems(info.value, Dated)
    assert path == ("when",)
    assert sentence.startswith("expected a valid date"), sentence
    assert "got the text 'soon'" in sentence


def test_check_config_help_prints_help() -> None:
    out = csu("check-config", "--help")
    assert out.returncode == 0, out.stderr
    assert "usage: csu-console check-config" in out.stdout
    assert "--probe" in out.stdout
    assert "no such file" not in out.stdout + out.stderr
    top = csu("--help")
    assert top.returncode == 0
    for command in ("check-config", "adapters", "secret"):
        assert command in top.stdout


def test_a_missing_keyring_secret_is_a_warning(tmp_path: Path) -> None:
    set_secret("present-secret", "x")
    path = site_file(tmp_path, """
[[cameras]]
id = "cam-1"
name = "Parvis"
main = "rtsp://10.0.0.1/a"
username = "viewer"
password_secret = "absent-camera-secret"

[[adapters]]
kind = "owntracks"
name = "telephones"
password_secret = "absent-mqtt-secret"

[[adapters]]
kind = "webhook"
name = "capteurs"
secret = "present-secret"

[[adapters]]
kind = "traccar"
name = "off"
enabled = false
token_secret = "absent-but-disabled"
""")
    out = csu("check-config", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert (f"{path}: cameras[0].password_secret: the keyring holds no secret "
            "'absent-camera-secret'") in text
    assert (f'{path}: adapters "telephones".password_secret: the keyring holds no secret '
            "'absent-mqtt-secret'") in text
    assert "csu-console secret set absent-mqtt-secret" in text
    assert "present-secret" not in text
    assert "absent-but-disabled" not in text  # a disabled adapter reads no secret
    assert "2 warning(s)" in text
    assert "exit code 0" in text


def test_with_probe_a_missing_secret_fails(tmp_path: Path) -> None:
    path = site_file(tmp_path, """
[[cameras]]
id = "cam-1"
name = "Parvis"
main = "rtsp://10.0.0.1/a"
password_secret = "absent-camera-secret"
""")
    out = csu("check-config", str(path), "--probe")
    assert out.returncode == 1
    assert ("FAIL site file: secret 'absent-camera-secret' of cameras[0].password_secret in "
            "the keyring — the keyring holds no secret 'absent-camera-secret'") in out.stdout
    assert "probe: 0 check(s) ok, 1 failed" in out.stderr


def test_without_a_usable_keyring_check_config_warns_once_and_says_how(tmp_path: Path
                                                                       ) -> None:
    path = site_file(tmp_path, '[[adapters]]\nkind = "sia_dc09"\nname = "d"\n'
                               'key_secret = "k1"\n[[adapters]]\nkind = "owntracks"\n'
                               'name = "o"\npassword_secret = "k2"\n')
    out = csu("check-config", str(path),
              env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 warning(s)" in out.stdout
    assert "cannot check the keyring secrets the site names: no usable keyring" in out.stdout
    assert "PYTHON_KEYRING_BACKEND" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
