"""Wall layouts, Qt-free: the grid kinds a wall can take and a named layout of cameras.

Both the site file (layouts shared by an installation) and the per-user settings (layouts
an operator saved) describe a layout the same way: a name, a grid kind and the camera id of
each tile, so that one validation serves both.

An operator's layout also keeps, per tile, the camera's name when it was saved, and the
site's name: ids are only keys, and a key that now names another place (a rebuilt site, a
renumbered camera) must not show that other place silently under the saved name.

A kind is either an n×n grid ("1", "2x2" … "5x5") or one big tile with small ones around
it ("1+5", "1+7", "1+12"), the classic CSU shapes: the big tile for the scene that
matters, the small ones for context.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Cell = tuple[int, int, int, int]  # row, column, row span, column span

# How a camera travels in a drag onto a wall tile: this MIME type (payload: the camera id),
# or, from a web page (the map) where only text drags, "csu-camera:<id>" as plain text.
CAMERA_MIME = "application/x-csu-camera-id"
CAMERA_TEXT_PREFIX = "csu-camera:"


def _grid(n: int) -> tuple[int, tuple[Cell, ...]]:
    return n, tuple((i // n, i % n, 1, 1) for i in range(n * n))


def _around(n: int, big: Cell) -> tuple[int, tuple[Cell, ...]]:
    """An n×n grid where `big` is one tile and every other cell a small one."""
    r0, c0, rs, cs = big
    small = tuple((r, c, 1, 1) for r in range(n) for c in range(n)
                  if not (r0 <= r < r0 + rs and c0 <= c < c0 + cs))
    return n, (big, *small)


# kind -> (side of the underlying grid, cells in tile order: the big tile first)
KINDS: dict[str, tuple[int, tuple[Cell, ...]]] = {
    "1": _grid(1),
    "2x2": _grid(2),
    "3x3": _grid(3),
    "4x4": _grid(4),
    "5x5": _grid(5),
    "1+5": _around(3, (0, 0, 2, 2)),
    "1+7": _around(4, (0, 0, 3, 3)),
    "1+12": _around(4, (1, 1, 2, 2)),
}
MAX_TILES = max(len(cells) for _, cells in KINDS.values())


def grid_kind(n: int) -> str:
    """The kind name of an n×n grid (1 → "1", 3 → "3x3")."""
    return "1" if n == 1 else f"{n}x{n}"


def kind_for(count: int) -> str:
    """The smallest kind that holds `count` cameras, preferring a big tile for the first
    (an alarm's or a place's cameras: the first is the one that matters most)."""
    for kind in ("1", "2x2", "1+5", "1+7", "3x3", "1+12", "4x4"):
        if count <= tile_count(kind):
            return kind
    return "5x5"


def tile_count(kind: str) -> int:
    return len(KINDS[kind][1])


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown grid {kind!r}: expected one of {', '.join(KINDS)}")
    return kind


@dataclass(frozen=True, slots=True)
class Layout:
    """A named wall: its grid kind, the camera id shown in each tile ("" = empty) and, when
    known, each camera's name at saving time and the site it was saved on."""

    name: str
    kind: str
    cameras: tuple[str, ...] = field(default_factory=tuple)
    names: tuple[str, ...] = field(default_factory=tuple)  # "" or absent: not known
    site: str = ""

    def __post_init__(self) -> None:
        check_kind(self.kind)
        if len(self.cameras) > tile_count(self.kind):
            raise ValueError(f"layout {self.name!r}: {len(self.cameras)} cameras for the "
                             f"{tile_count(self.kind)} tiles of grid {self.kind!r}")
        if len(self.names) > len(self.cameras):
            raise ValueError(f"layout {self.name!r}: more camera names than cameras")

    def name_at(self, index: int) -> str:
        """The name the camera of tile `index` had when saved ("" when not known)."""
        return self.names[index] if index < len(self.names) else ""

    def renamed(self, current: Mapping[str, str]) -> dict[int, str]:
        """Tiles whose camera id now names another camera: index -> the name it had.
        `current` maps the ids known now to their names; unknown ids are not "renamed"."""
        out: dict[int, str] = {}
        for index, cid in enumerate(self.cameras):
            was = self.name_at(index)
            if cid and was and cid in current and current[cid] != was:
                out[index] = was
        return out

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "grid": self.kind,
                                "cameras": list(self.cameras)}
        if any(self.names):
            data["camera_names"] = list(self.names)
        if self.site:
            data["site"] = self.site
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Layout:
        """From settings or JSON (older ones without names too); raises ValueError on
        anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("a layout must be a table")
        name, kind, cams = data.get("name"), data.get("grid"), data.get("cameras", [])
        names, site = data.get("camera_names", []), data.get("site", "")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("layout name: expected a non-empty string")
        if not isinstance(kind, str):
            raise ValueError("layout grid: expected a string")
        if not isinstance(cams, list) or not all(isinstance(c, str) for c in cams):
            raise ValueError("layout cameras: expected a list of camera ids")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("layout camera_names: expected a list of camera names")
        if not isinstance(site, str):
            raise ValueError("layout site: expected a string")
        return cls(name.strip(), kind, tuple(cams), tuple(names[: len(cams)]), site)

    def to_toml(self) -> str:
        """The `[[layouts]]` table an installer pastes into the site file to share it."""
        cams = ", ".join(f'"{c}"' for c in self.cameras)
        name = self.name.replace("\\", "\\\\").replace('"', '\\"')
        return f'[[layouts]]\nname = "{name}"\ngrid = "{self.kind}"\ncameras = [{cams}]\n'
