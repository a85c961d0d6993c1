"""The site file: valid files load, every installer mistake names file, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.model import AlarmType, CameraKind
from app.core.registry import discover
from app.core.site import SiteError, load_site, parse_site
from app.main import main
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "site.example.toml"
DEMO = REPO / "resources" / "demo" / "site.toml"

GOOD_HEAD = """
[site]
name = "Test"
[map]
center = [48.85, 2.35]
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "site.toml"
    p.write_text(text, encoding="utf-8")
    return p


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SiteError) as info:
        load_site(write(tmp_path, text), discover())
    return info.value.problems


def test_the_readme_example_is_valid() -> None:
    site = load_site(EXAMPLE, discover())
    assert site.site.name.startswith("Ville de Saint-Exemple")
    cams = {c.id: c.to_camera() for c in site.cameras}
    assert cams["bc-pm11"].kind is CameraKind.BODY
    assert cams["cam-hdv"].fov is not None
    assert cams["cam-hdv"].fov.heading_deg == 135
    assert site.alarm_type(AlarmType.WEAPON_DRAWN).procedure
    assert site.resolve(site.map.streets_geojson or "").exists()
    assert not site.adapters[0].enabled


def test_the_demo_site_is_valid() -> None:
    site = load_site(DEMO, discover())
    assert [a.kind for a in site.adapters] == ["demo"]
    assert site.resolve(site.map.streets_geojson or "").is_file()


def test_defaults_apply_for_unconfigured_alarm_types(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, GOOD_HEAD), discover())
    assert site.alarm_type(AlarmType.GUNSHOT).escalate_after_s == 30
    assert site.alarm_type(AlarmType.GUNSHOT).procedure is None  # the console's own steps


def test_not_toml_gives_the_line(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, GOOD_HEAD + "zoom = = 3\n")
    assert "site.toml" in p
    assert "not valid TOML" in p
    assert "line 6" in p


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('[[cameras]]\nid = "c1"\nname = "x"\nmain = "rtsp://a"\nposition = [91, 2]\n',
         "cameras[0].position: [91.0, 2.0] is not a latitude/longitude pair"),
        ('[[cameras]]\nid = "c1"\nname = "x"\nmain = "rtsp://a"\nheding = 3\n',
         "cameras[0].heding: unknown key"),
        ('[[cameras]]\nid = "c1"\nname = "x"\n', "cameras[0].main: missing"),
        ('[[cameras]]\nid = "c1"\nname = "x"\nmain = "m"\nkind = "dome"\n', "cameras[0].kind:"),
        ('[[adapters]]\nkind = "genetec9"\nname = "g"\n',
         'adapters "g".kind: no adapter of kind \'genetec9\' is installed'),
        ('[[adapters]]\nkind = "demo"\nname = "d"\nofficers = "six"\n',
         'adapters "d".officers: expected a whole number, got the text \'six\''),
        ('[[adapters]]\nname = "d"\n', 'adapters "d".kind: missing'),
        ('[[adapters]]\nenabled = true\n', "adapters[0].kind: missing"),
        ('[alarm_types.weapon_drawn]\npriority = 7\n',
         "alarm_types.weapon_drawn.priority: must be at most 4, got the number 7"),
        ('[alarm_types.teleport]\npriority = 1\n', "alarm_types.teleport"),
    ],
)
def test_each_mistake_names_file_key_and_expectation(tmp_path: Path, extra: str,
                                                      expected: str) -> None:
    found = problems(tmp_path, GOOD_HEAD + extra)
    assert any(expected in p for p in found), found
    assert all(p.startswith(str(tmp_path / "site.toml") + ": ") for p in found)


def test_several_mistakes_are_all_reported(tmp_path: Path) -> None:
    text = """
[site]
[map]
center = [48.85, 2.35]
zoom = 40
[[cameras]]
id = "a"
name = "A"
main = "x"
[[cameras]]
id = "a"
name = "B"
main = "y"
"""
    found = problems(tmp_path, text)
    assert any("site.name: missing" in p for p in found)
    assert any("map.zoom" in p for p in found)
    assert len(found) >= 2


def test_duplicate_camera_ids_and_adapter_names(tmp_path: Path) -> None:
    text = GOOD_HEAD + """
[[cameras]]
id = "a"
name = "A"
main = "x"
[[cameras]]
id = "a"
name = "B"
main = "y"
[[adapters]]
kind = "demo"
name = "d"
[[adapters]]
kind = "demo"
name = "d"
"""
    found = problems(tmp_path, text)
    assert any("id 'a' is used twice" in p for p in found)
    assert any("adapters[1].name: 'd' is used by another adapter" in p for p in found)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="no such file"):
        load_site(tmp_path / "nope.toml", discover())


def test_check_config_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(EXAMPLE)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = write(tmp_path, GOOD_HEAD + "[[cameras]]\nid = 3\n")
    assert main(["check-config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "cameras[0].id: expected text, got the number 3" in err
    assert "Traceback" not in err


def test_adapters_command_lists_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["adapters"]) == 0
    out = capsys.readouterr().out
    demo = next(line for line in out.splitlines() if line.startswith("demo "))
    assert "alarms" in demo
    assert "positions" in demo


def test_the_readme_shows_the_example_file_verbatim() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```toml\n", readme.index("A complete example")) + len("```toml\n")
    block = readme[start: readme.index("```\n", start)]
    assert block == EXAMPLE.read_text(encoding="utf-8")


def readme_adapter_examples() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Adapters"): readme.index("## How it is built")]
    blocks = section.split("```toml\n")[1:]
    return [b[: b.index("```")] for b in blocks]


@pytest.mark.parametrize("example", readme_adapter_examples())
def test_each_adapter_example_of_the_readme_is_valid(tmp_path: Path, example: str) -> None:
    site = load_site(write(tmp_path, GOOD_HEAD + example), discover())
    assert len(site.adapters) == 1


def test_the_readme_command_line_lists_every_sub_command() -> None:
    import argparse

    from app.main import parser

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Command line"): readme.index("## The demo site")]
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        for words in ([f"{name} {action}" for action in nested[0].choices] if nested
                      else [name]):
            assert f"csu-console {words}" in section, words


def test_adapter_paths_are_relative_to_the_site_file() -> None:
    """A TLS certificate named `certs/c.pem` is beside the site file, wherever the console
    is started from."""
    from app.core.registry import discover

    site = parse_site({"site": {"name": "x"}, "map": {"center": [48.85, 2.35]},
                       "adapters": [{"kind": "webhook", "name": "w", "hmac_secret": "k",
                                     "tls_cert": "certs/c.pem", "tls_key": "/abs/k.pem"}]},
                      "/etc/csu/site.toml", discover())
    cfg = site.adapters[0]
    assert getattr(cfg, "tls_cert", None) == "/etc/csu/certs/c.pem"
    assert getattr(cfg, "tls_key", None) == "/abs/k.pem"
