"""The site the set-up assistant is making, before it is a file: what the installer typed,
turned into a site file's TOML, checked by the very checks of `csu-console check-config`
(load_site's validation and check_references), then written whole, and the first
administrator created in the journal the site names. Qt-free, so that it is unit-tested
without a window.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from app.core.access import Role, User
from app.core.adapter import AdapterConfig
from app.core.journal_url import SQLITE, JournalLocation
from app.core.plain_errors import key_path, plain_problems
from app.core.registry import AdapterEntry
from app.core.secrets import KeyringUnusable, delete_secret, get_secret, set_secret
from app.core.site import JournalConfig, Site, SiteError, load_site, parse_site
from app.core.site_check import check_references
from app.core.user_paths import journal_path
from app.services.accounts import (
    AccountError,
    Accounts,
    check_login,
    check_password,
    installer,
    workstation,
)


class DraftError(Exception):
    """What stops the draft from becoming a site file: one plain line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class AdapterDraft:
    """One `[[adapters]]` table: its kind, its name and the keys typed in its form (only
    those that differ from the adapter's defaults)."""

    kind: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)

    def table(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, **self.values}


@dataclass
class JournalDraft:
    """Empty url: the embedded journal (SQLite, per site and user: no [journal] table)."""

    url: str = ""
    password_secret: str = ""

    def config(self) -> JournalConfig | None:
        if not self.url.strip():
            return None
        return JournalConfig(url=self.url.strip(), password_secret=self.password_secret)


@dataclass
class AdminDraft:
    login: str = ""
    name: str = ""
    password: str = ""

    def problems(self, repeated: str) -> list[str]:
        out: list[str] = []
        for check, value in ((check_login, self.login), (check_password, self.password)):
            try:
                check(value)
            except AccountError as exc:
                out.append(str(exc))
        if not self.name.strip():
            out.append("give the administrator's full name (the access log shows it)")
        if self.password != repeated:
            out.append("the two passwords differ: type the same one twice")
        return out


@dataclass
class SiteDraft:
    name: str = ""
    communes: list[str] = field(default_factory=list)
    center: tuple[float, float] = (48.8566, 2.3522)
    zoom: int = 15
    tile_url: str = ""  # an on-premises tile server's {z}/{x}/{y} template; "": none
    adapters: list[AdapterDraft] = field(default_factory=list)
    journal: JournalDraft = field(default_factory=JournalDraft)

    def data(self) -> dict[str, Any]:
        """The site file's tables (what tomli_w writes)."""
        site: dict[str, Any] = {"name": self.name.strip()}
        if self.communes:
            site["communes"] = list(self.communes)
        map_: dict[str, Any] = {"center": list(self.center), "zoom": self.zoom}
        if self.tile_url.strip():
            map_["base"] = "Tuiles du site"
            map_["tiles"] = [{"name": "Tuiles du site", "url": self.tile_url.strip()}]
        out: dict[str, Any] = {"site": site, "map": map_}
        journal = self.journal.config()
        if journal is not None:
            out["journal"] = {"url": journal.url} | (
                {"password_secret": journal.password_secret} if journal.password_secret
                else {})
        if self.adapters:
            out["adapters"] = [a.table() for a in self.adapters]
        return out

    def toml(self) -> str:
        return ("# written by the CSU Console set-up assistant; check it with "
                "`csu-console check-config FILE`\n" + tomli_w.dumps(self.data()))


def site_problems(draft: SiteDraft) -> list[str]:
    """The first page's checks, before the adapters are chosen."""
    out: list[str] = []
    if not draft.name.strip():
        out.append("give the site a name (the title bar shows it; it names the journal)")
    if len(set(draft.communes)) != len(draft.communes):
        out.append("a commune is listed twice")
    lat, lon = draft.center
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        out.append(f"[{lat}, {lon}] is not a latitude and a longitude")
    url = draft.tile_url.strip()
    if url and not all(k in url for k in ("{z}", "{x}", "{y}")):
        out.append("a tile server's address needs {z}, {x} and {y}")
    return out


def adapter_config(draft: AdapterDraft, registry: dict[str, AdapterEntry],
                   site_dir: Path) -> AdapterConfig:
    """The adapter's validated config, as load_site would make it. DraftError: what is
    wrong, key by key."""
    entry = registry.get(draft.kind)
    if entry is None or entry.cls is None:
        raise DraftError([f"adapter {draft.kind!r} cannot be used: "
                          f"{entry.error if entry else 'not installed'}"])
    if not draft.name.strip():
        raise DraftError(["give this connection a name (messages and the status panel "
                          "show it)"])
    try:
        return entry.cls.Config.model_validate(draft.table(),
                                               context={"site_dir": str(site_dir)})
    except ValidationError as exc:
        raise DraftError([f"{key_path(loc)}: {text}" for loc, text in
                          plain_problems(exc, entry.cls.Config)]) from None


def check_draft(draft: SiteDraft, path: Path, registry: dict[str, AdapterEntry]) -> Site:
    """The draft as the console will read it, from its TOML text, with `check-config`'s
    checks. DraftError: every problem, each naming the key."""
    data = tomllib.loads(draft.toml())
    try:
        site = parse_site(data, str(path), registry)
    except SiteError as exc:
        raise DraftError(exc.problems) from None
    errors, _warnings = check_references(site)
    if errors:
        raise DraftError(errors)
    return site


class SecretStash:
    """The secrets stored by one run of the assistant, so that a cancelled run takes them
    back: a name it added is deleted, a name it overwrote gets its old value again."""

    def __init__(self) -> None:
        self._before: dict[str, str | None] = {}

    def put(self, name: str, value: str) -> None:
        """Store `value` under `name` (KeyringUnusable: no keyring to store it in)."""
        if name not in self._before:
            try:
                self._before[name] = get_secret(name)
            except LookupError:
                self._before[name] = None
        set_secret(name, value)

    @property
    def names(self) -> list[str]:
        return list(self._before)

    def rollback(self) -> None:
        for name, old in self._before.items():
            with contextlib.suppress(KeyringUnusable):
                if old is None:
                    delete_secret(name)
                else:
                    set_secret(name, old)
        self._before.clear()

    def keep(self, named: set[str] | None = None) -> None:
        """The run finished: what it stored stays, except (given `named`, the secrets the
        saved site names) a secret stored under a name the site no longer uses."""
        if named is not None:
            self._before = {n: old for n, old in self._before.items() if n not in named}
            self.rollback()
        self._before.clear()


def journal_where(site: Site) -> JournalLocation:
    """The journal the console will open for this site and this OS user."""
    if site.journal is not None:
        return site.journal.location(Path(site.source_path).parent)
    return JournalLocation(SQLITE, path=journal_path(site.site.name))


def create_administrator(site: Site, admin: AdminDraft) -> User:
    """The first administrator, in the site's journal, as `csu-console user add --role
    admin` does it (argon2id hash, the creation in the access log by this OS user). A
    room's empty database gets its schema first, as the service's first start would."""
    from app.core.secrets import SecretMissing
    from app.store.opening import journal_password, open_store

    try:
        password = journal_password(site)
        store, _ = open_store(journal_where(site), password, purpose="set-up", create=True)
    except SecretMissing as exc:
        raise DraftError([str(exc)]) from None
    except Exception as exc:  # JournalCannotOpen, JournalCannotReach, OSError: said as is
        raise DraftError([f"the journal cannot be opened: {exc}"]) from None
    try:
        return Accounts(store, installer(), workstation()).add(
            admin.login, admin.name, Role.ADMIN, ["*"], admin.password)
    except AccountError as exc:
        raise DraftError([str(exc)]) from None
    finally:
        store.close()


def write_site(draft: SiteDraft, path: Path) -> None:
    """The whole file or nothing: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(draft.toml(), encoding="utf-8")
    os.replace(tmp, path)


def finish(draft: SiteDraft, admin: AdminDraft, path: Path,
           registry: dict[str, AdapterEntry]) -> Site:
    """Check, write the site file, create the administrator. When the administrator cannot
    be created, the file is taken back (the one it replaced, if any, restored): a run that
    did not finish leaves nothing behind. DraftError: what is wrong."""
    check_draft(draft, path, registry)
    before = path.read_bytes() if path.is_file() else None
    write_site(draft, path)
    try:
        try:
            site = load_site(path, registry)
        except SiteError as exc:
            raise DraftError(exc.problems) from None
        create_administrator(site, admin)
    except DraftError:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
        raise
    return site
