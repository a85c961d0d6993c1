"""Wall layouts: the shapes, a layout's round trips (settings JSON, site-file TOML) and the
site file's validation of shared layouts."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.core.layouts import KINDS, MAX_TILES, Layout, grid_kind, kind_for, tile_count
from app.core.registry import discover
from app.core.site import SiteError, load_site, parse_site
from widgets.video.layouts import (
    current_layout,
    delete_layout,
    save_current,
    save_layout,
    saved_layouts,
)
from widgets.video.tools import zoom_rect

BASE = {"site": {"name": "T"}, "map": {"center": [60.17, 24.94]}}
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_shape_covers_its_grid_once(kind: str) -> None:
    side, cells = KINDS[kind]
    covered = [(r, c) for (r0, c0, rs, cs) in cells
               for r in range(r0, r0 + rs) for c in range(c0, c0 + cs)]
    assert sorted(covered) == [(r, c) for r in range(side) for c in range(side)]


def test_big_plus_small_counts() -> None:
    assert [tile_count(k) for k in ("1", "2x2", "3x3", "4x4", "5x5", "1+5", "1+7", "1+12")] \
        == [1, 4, 9, 16, 25, 6, 8, 13]
    assert MAX_TILES == 25
    assert KINDS["1+7"][1][0] == (0, 0, 3, 3)  # the big tile first
    assert grid_kind(1) == "1"
    assert grid_kind(4) == "4x4"


def test_a_task_wall_is_the_smallest_shape_that_holds_its_cameras() -> None:
    assert [kind_for(n) for n in (1, 2, 4, 5, 6, 7, 8, 9, 13, 16, 25)] == [
        "1", "2x2", "2x2", "1+5", "1+5", "1+7", "1+7", "3x3", "1+12", "4x4", "5x5"]


def test_a_layout_keeps_camera_names_and_tells_a_renamed_camera() -> None:
    lay = Layout("Nuit", "2x2", ("cam-1", "", "cam-3"), ("Gare", "", "Port"), "Ville")
    assert Layout.from_dict(lay.to_dict()) == lay
    assert lay.to_dict()["camera_names"] == ["Gare", "", "Port"]
    now = {"cam-1": "Gare", "cam-3": "Quai Nord"}
    assert lay.renamed(now) == {2: "Port"}
    assert lay.renamed({"cam-1": "Gare"}) == {}  # unknown here: not "renamed"
    old = Layout.from_dict({"name": "Vieux", "grid": "2x2", "cameras": ["cam-3"]})
    assert (old.names, old.site) == ((), "")  # saved before names were kept: still loads
    assert old.renamed(now) == {}
    assert "camera_names" not in old.to_dict()
    with pytest.raises(ValueError, match="camera_names"):
        Layout.from_dict({"name": "x", "grid": "1", "cameras": ["a"], "camera_names": [1]})


def test_a_layout_refuses_what_it_cannot_show() -> None:
    with pytest.raises(ValueError, match="unknown grid"):
        Layout("x", "6x6")
    with pytest.raises(ValueError, match="2 cameras for the 1 tiles"):
        Layout("x", "1", ("a", "b"))
    with pytest.raises(ValueError, match="name"):
        Layout.from_dict({"name": " ", "grid": "1"})


def test_toml_for_the_site_file_loads_back() -> None:
    lay = Layout('Gare "nuit"', "1+5", ("cam-1", "", "cam-3"))
    data = {**BASE, **tomllib.loads(lay.to_toml())}
    site = parse_site(data, "site.toml", {})
    (cfg,) = site.layouts
    assert (cfg.name, cfg.grid, cfg.cameras) == ('Gare "nuit"', "1+5", ["cam-1", "", "cam-3"])


def test_site_layout_errors_name_the_key_path() -> None:
    data = {**BASE, "layouts": [{"name": "a", "grid": "7x7"},
                                {"name": "b", "grid": "1", "cameras": ["x", "y"]},
                                {"name": "c", "grid": "2x2", "camera": []}]}
    with pytest.raises(SiteError) as err:
        parse_site(data, "site.toml", {})
    text = str(err.value)
    assert "site.toml: layouts[0].grid: unknown grid '7x7'" in text
    assert "site.toml: layouts[1].cameras: 2 cameras for the 1 tiles" in text
    assert "site.toml: layouts[2].camera: unknown key" in text


def test_duplicate_layout_names_are_refused() -> None:
    data = {**BASE, "layouts": [{"name": "a", "grid": "1"}, {"name": "a", "grid": "2x2"}]}
    with pytest.raises(SiteError, match="layouts: name 'a' is used twice"):
        parse_site(data, "site.toml", {})


def test_the_demo_and_example_sites_share_a_layout() -> None:
    registry = {"demo": discover()["demo"]}
    for path in (REPO / "resources/demo/site.toml",
                 REPO / "resources/examples/site.example.toml"):
        site = load_site(path, registry)
        assert site.layouts, path
        assert site.layouts[0].grid in KINDS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[QSettings]:
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    yield s
    s.sync()


def test_named_layouts_are_saved_replaced_and_deleted(store: QSettings) -> None:
    save_layout(Layout("Nuit", "2x2", ("a", "b")), store)
    save_layout(Layout("Jour", "1+7", ("c",)), store)
    save_layout(Layout("Nuit", "3x3", ("d",)), store)  # same name: replaced
    assert [(lay.name, lay.kind) for lay in saved_layouts(store)] == [("Jour", "1+7"),
                                                                      ("Nuit", "3x3")]
    delete_layout("Jour", store)
    assert [lay.name for lay in saved_layouts(store)] == ["Nuit"]


def test_bad_settings_never_stop_the_console(store: QSettings) -> None:
    store.setValue("wall/layouts", "{not json")
    store.setValue("wall/x/current", '{"name": "w", "grid": "9x9"}')
    assert saved_layouts(store) == []
    assert current_layout("wall/x", store) is None
    save_current("wall/x", Layout("w", "1+12", ("a",)), store)
    assert current_layout("wall/x", store) == Layout("w", "1+12", ("a",))


def test_zoom_stays_inside_the_picture() -> None:
    assert zoom_rect(0.5, 0.5, 1.0) is None
    assert zoom_rect(0.5, 0.5, 2.0) == (0.25, 0.25, 0.5, 0.5)
    x, y, w, h = zoom_rect(0.99, 0.01, 4.0) or (0, 0, 0, 0)
    assert (x, y, w, h) == (0.75, 0.0, 0.25, 0.25)
    assert zoom_rect(0.5, 0.5, 100.0) == pytest.approx((0.4375, 0.4375, 0.125, 0.125))
