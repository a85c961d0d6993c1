"""Checks of a loaded site across its tables: the ids one table refers to exist somewhere,
and the keyring holds the secrets the site names.

Each table validates on its own (app/core/site), yet a Frigate camera mapped to `cam-nope`
or an OwnTracks device mapped to officer `ot9` leads nowhere at run time: ot9's fixes were
counted and never shown. An id exists when the site's own `[[cameras]]`/`[[officers]]`
declare it or an adapter announces it (`AdapterConfig.provides()`); every config says what
it refers to (`AdapterConfig.references()`). Lines name the file, the key path, the wrong
id and the ids that exist.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.model import CameraKind
from app.core.plain_errors import key_path, nearest, one_of
from app.core.recording_config import BODYCAM_REFUSAL
from app.core.refs import IdKind, IdRef
from app.core.secrets import KeyringUnusable, has_secret, secret_names
from app.core.site import Site

SHOWN_IDS = 15  # a large site has thousands of cameras: the list shows this many
PLURAL = {"camera": "cameras", "officer": "officers"}
SITE = "the site file"  # the owner of what the site's own tables give or use
ID_CUTOFF = 0.75  # ids share prefixes ("cam-"): a looser match proposes unrelated cameras


@dataclass(frozen=True)
class Located:
    """An id reference or a secret name with where it was written and whether it is used."""

    where: str  # the key path as the site file writes it
    owner: str  # who gives or uses it: SITE or `adapters "name"`
    enabled: bool


def _adapter_head(name: str) -> str:
    return f"adapters {json.dumps(name, ensure_ascii=False)}"


def provided(site: Site) -> Iterator[tuple[IdRef, Located]]:
    for i, cam in enumerate(site.cameras):
        yield IdRef(("cameras", i, "id"), "camera", cam.id), Located(
            key_path(("cameras", i, "id")), SITE, True)
    for i, off in enumerate(site.officers):
        yield IdRef(("officers", i, "id"), "officer", off.id), Located(
            key_path(("officers", i, "id")), SITE, True)
    for cfg in site.adapters:
        head = _adapter_head(cfg.name)
        for ref in cfg.provides():
            yield ref, Located(key_path(ref.path, head), head, cfg.enabled)


def referred(site: Site) -> Iterator[tuple[IdRef, Located]]:
    def own(ref: IdRef) -> tuple[IdRef, Located]:
        return ref, Located(key_path(ref.path), SITE, True)

    for i, cam in enumerate(site.cameras):
        if cam.officer:
            yield own(IdRef(("cameras", i, "officer"), "officer", cam.officer))
    for i, off in enumerate(site.officers):
        if off.body_camera:
            yield own(IdRef(("officers", i, "body_camera"), "camera", off.body_camera))
    for i, lay in enumerate(site.layouts):
        for j, cam_id in enumerate(lay.cameras):
            if cam_id:  # "" leaves a tile empty
                yield own(IdRef(("layouts", i, "cameras", j), "camera", cam_id))
    if isinstance(site.recording.cameras, list):
        for j, cam_id in enumerate(site.recording.cameras):
            yield own(IdRef(("recording", "cameras", j), "camera", cam_id))
    for i, store in enumerate(site.recording.storage):
        for j, cam_id in enumerate(store.cameras or ()):
            yield own(IdRef(("recording", "storage", i, "cameras", j), "camera", cam_id))
    for cfg in site.adapters:
        head = _adapter_head(cfg.name)
        for ref in cfg.references():
            yield ref, Located(key_path(ref.path, head), head, cfg.enabled)


def _missing(kind: IdKind, wanted: str, known: list[str]) -> str:
    text = f"no {kind} {wanted!r}"
    if not known:
        return (f"{text}: the site file declares no {kind} and no adapter announces one "
                f"(add [[{PLURAL[kind]}]] tables)")
    close = nearest(wanted, known, cutoff=ID_CUTOFF)
    if close:
        text += f"; did you mean {one_of(close)}?"
    shown = ", ".join(known[:SHOWN_IDS])
    more = f", … ({len(known)} in all)" if len(known) > SHOWN_IDS else ""
    return f"{text} ({PLURAL[kind]} that exist: {shown}{more})"


def check_references(site: Site) -> tuple[list[str], list[str]]:
    """(errors, warnings): an id nobody gives is an error; an id only a disabled adapter
    gives is a warning (the link works once that adapter is enabled)."""
    givers: dict[tuple[str, str], list[Located]] = defaultdict(list)
    for ref, loc in provided(site):
        givers[(ref.kind, ref.id)].append(loc)
    known = {kind: sorted({i for k, i in givers if k == kind}) for kind in PLURAL}
    file = site.source_path
    errors: list[str] = []
    warnings: list[str] = []
    for ref, loc in referred(site):
        found = givers.get((ref.kind, ref.id), [])
        if not found:
            errors.append(f"{file}: {loc.where}: {_missing(ref.kind, ref.id, known[ref.kind])}")
        elif loc.enabled and not any(g.enabled for g in found):
            owners = " and ".join(sorted({g.owner for g in found}))
            warnings.append(f"{file}: {loc.where}: {ref.kind} {ref.id!r} comes only from "
                            f"{owners}, which is disabled")
    errors += [f"{file}: {where}: {problem}" for where, problem in commune_problems(site)]
    errors += [f"{file}: {where}: {problem}" for where, problem in recording_problems(site)]
    return errors, warnings


def recording_problems(site: Site) -> list[tuple[str, str]]:
    """A body-worn camera named in `[recording] cameras`: refused (CSI L241-2, see
    app.core.recording_config). "*" means the fixed cameras only: nothing to refuse."""
    if not isinstance(site.recording.cameras, list):
        return []
    body = {c.id for c in site.cameras if c.kind is CameraKind.BODY}
    body |= {o.body_camera for o in site.officers if o.body_camera}
    return [(key_path(("recording", "cameras", j)), f"camera {cam_id!r}: {BODYCAM_REFUSAL}")
            for j, cam_id in enumerate(site.recording.cameras) if cam_id in body]


def commune_problems(site: Site) -> list[tuple[str, str]]:
    """(key path, problem) for each commune named that [site] communes does not list: a
    misspelt territory would hide a camera from the users of the right one."""
    listed = set(site.site.communes)
    named = [(key_path(("cameras", i, "commune")), c.commune) for i, c in enumerate(site.cameras)]
    named += [(key_path(("officers", i, "commune")), o.commune)
              for i, o in enumerate(site.officers)]
    named += [(key_path(("commune",), _adapter_head(a.name)), a.commune) for a in site.adapters]
    out: list[tuple[str, str]] = []
    for where, commune in named:
        if commune and commune not in listed:
            known = ", ".join(sorted(listed)) if listed else "none is listed"
            out.append((where, f"commune {commune!r} is not one of [site] communes ({known})"))
    return out


def secrets_named(site: Site) -> list[tuple[str, Located]]:
    """(keyring name, where) for every secret the site names: its journal's, its cameras'
    and its adapters'."""
    out = [(s.name, Located(key_path(("journal", *s.path)), SITE, True))
           for s in (secret_names(site.journal) if site.journal else [])]
    out += [(s.name, Located(key_path(("auth", *s.path)), SITE, True))
            for s in secret_names(site.auth)]
    out += [(s.name, Located(key_path(("cameras", i, *s.path)), SITE, True))
            for i, cam in enumerate(site.cameras) for s in secret_names(cam)]
    for cfg in site.adapters:
        head = _adapter_head(cfg.name)
        out += [(s.name, Located(key_path(s.path, head), head, cfg.enabled))
                for s in secret_names(cfg)]
    return out


def missing_secrets(site: Site) -> list[tuple[str, Located]]:
    """(name, where) of each secret an enabled part of the site needs and the keyring
    lacks (a disabled adapter reads none). KeyringUnusable: the keyring cannot be read."""
    needed = [(name, loc) for name, loc in secrets_named(site) if loc.enabled]
    held = {name: has_secret(name) for name in dict.fromkeys(n for n, _ in needed)}
    return [(name, loc) for name, loc in needed if not held[name]]


def check_secrets(site: Site) -> list[str]:
    """One line per missing secret, or one line in all when the keyring cannot be read."""
    try:
        absent = missing_secrets(site)
    except KeyringUnusable as exc:
        return [f"{site.source_path}: cannot check the keyring secrets the site names: {exc}"]
    return [f"{site.source_path}: {loc.where}: {missing_text(name)}" for name, loc in absent]


def missing_text(name: str) -> str:
    return (f"the keyring holds no secret {name!r} "
            f"(store it with `csu-console secret set {name}`)")
