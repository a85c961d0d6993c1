"""Ids that one table of the site file gives and another refers to.

A Frigate camera mapped to `cam-nope`, an OwnTracks device mapped to officer `ot9`: each
validates on its own, and at run time the link silently leads nowhere (ot9's fixes were
counted, never shown). So each config says which camera/officer ids it refers to and which
it announces itself, and `check-config` checks one against the other (app/core/site_check).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

IdKind = Literal["camera", "officer"]


class IdRef(NamedTuple):
    """A camera or officer id at a key path of a config (a path as pydantic writes one:
    keys and list indexes, relative to the table the config was read from)."""

    path: tuple[str | int, ...]
    kind: IdKind
    id: str
