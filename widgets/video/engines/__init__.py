"""Players: one interface, several engines. The tile, its watchdog and its chrome only
talk to `Player`; `create_player()` builds the engine `widgets.video.engine.choose()` picked.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from widgets.video.engine import ENGINE_NAME, OPENCV_ENGINE, MediaOptions


class Player(Protocol):
    """What a tile needs from an engine. Every call is made on the GUI thread and returns
    quickly (no network wait): engines open and read in their own threads."""

    engine: str  # "libvlc" or "opencv-ffmpeg"

    def view(self) -> QWidget:
        """The widget the picture appears in (a native window for libvlc)."""
        ...

    def play(self, url: str, options: MediaOptions) -> None: ...

    def stop(self) -> None: ...

    def progress(self) -> int:
        """A counter that changes while pictures arrive (the watchdog's only input)."""
        ...

    def frames(self) -> int:
        """Pictures decoded so far in this attempt, counted once each (for fps)."""
        ...

    def state(self) -> str:
        """"idle", "opening", "playing", "ended" or "error"."""
        ...

    def error(self) -> str:
        """Why the attempt failed, when the engine knows ("" otherwise)."""
        ...

    def release(self) -> None: ...

    def crop(self, frac: tuple[float, float, float, float] | None) -> bool:
        """Digital zoom: show only (x, y, w, h) of the picture, in fractions (None: all)."""
        ...

    def snapshot(self, path: str) -> bool:
        """Write the current picture to `path`; may block, so off the GUI thread."""
        ...


def create_player(engine: str, parent: QWidget) -> Player:
    """A player of `engine` whose view is a child of `parent`."""
    if engine == ENGINE_NAME:
        from widgets.video.engines.libvlc import LibVlcPlayer

        return LibVlcPlayer(parent)
    if engine == OPENCV_ENGINE:
        from widgets.video.engines.opencv import OpenCvPlayer

        return OpenCvPlayer(parent)
    raise ValueError(f"unknown video engine {engine!r}")


__all__ = ["MediaOptions", "Player", "create_player"]
