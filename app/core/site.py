"""The site file: one TOML file per installation, loaded into pydantic models.

A bad file never gives a traceback: `SiteError` carries one line per problem, each naming
the file, the key path (``adapters "dc09-mairie".port``) and what was expected, in plain
words (app/core/plain_errors). References between tables are checked apart
(app/core/site_check): a dangling one is a mistake to fix, not a reason to refuse to start.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from app.core.adapter import AdapterConfig
from app.core.directory_config import DirectoryConfig
from app.core.export_config import ExportConfig
from app.core.journal_url import JournalLocation, parse_journal_url
from app.core.layouts import check_kind, tile_count
from app.core.model import (
    AlarmType,
    Camera,
    CameraKind,
    FieldOfView,
    LatLon,
    Officer,
    Streams,
)
from app.core.plain_errors import got, key_path, nearest, one_of, plain_problems
from app.core.recording_config import RecordingConfig
from app.core.registry import AdapterEntry
from app.core.retention import RetentionConfig


class SiteError(Exception):
    """A site file that cannot be used. `problems` are complete, human-readable lines."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _latlon(v: Any) -> Any:
    if isinstance(v, list | tuple):
        if len(v) != 2:
            raise ValueError("expected [latitude, longitude]")
        lat, lon = float(v[0]), float(v[1])
        if not -90 <= lat <= 90 or not -180 <= lon <= 180:
            raise ValueError(f"[{lat}, {lon}] is not a latitude/longitude pair")
        return (lat, lon)
    raise ValueError("expected [latitude, longitude]")


class SiteInfo(_Strict):
    name: str
    operator_timezone: str = "Europe/Paris"
    # the communes an intercommunal CSU watches (territories): cameras, officers and
    # adapters name theirs, users are bound to some. Empty: one town, no territories.
    communes: list[str] = Field(default_factory=list)


class TileSourceConfig(_Strict):
    """One tile source of the map: exactly one of `url`, `provider`, `mbtiles`."""

    name: str = Field(min_length=1)
    url: str | None = None  # template with {z}/{x}/{y}, e.g. an on-premises tile server
    provider: str | None = None  # an xyzservices name, e.g. "GeoportailFrance.plan"
    mbtiles: str | None = None  # an offline MBTiles file, relative to the site file
    attribution: str = ""  # the source's own attribution is used when empty
    max_zoom: int = Field(19, ge=1, le=22)  # deepest zoom the source has (Leaflet scales up)

    @field_validator("url")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        if v is not None and not all(k in v for k in ("{z}", "{x}", "{y}")):
            raise ValueError("a tile URL template needs {z}, {x} and {y}")
        return v

    @field_validator("provider")
    @classmethod
    def _provider(cls, v: str | None) -> str | None:
        if v is not None:
            import xyzservices  # pure Python; its provider list ships in the wheel (offline)

            try:
                xyzservices.providers.query_name(v)
            except ValueError:
                raise ValueError(f"no xyzservices provider named {v!r}") from None
        return v

    def model_post_init(self, _context: Any) -> None:
        if sum(x is not None for x in (self.url, self.provider, self.mbtiles)) != 1:
            raise ValueError("give exactly one of url, provider, mbtiles")


class MapConfig(_Strict):
    center: tuple[float, float]
    zoom: int = Field(15, ge=1, le=20)
    # The base layer shown first: "streets" (vector base layer from `streets_geojson`, no
    # tiles at all), the name of one of `tiles`, or a URL template with {z}/{x}/{y}.
    base: str = "streets"
    streets_geojson: str | None = None
    attribution: str = ""
    tiles: list[TileSourceConfig] = Field(default_factory=list)
    # Patrol sectors and geofences: GeoJSON polygons with properties name, kind
    # ("sector" | "geofence"), and for geofences notify ("enter" | "leave" | "both" | "none").
    sectors_geojson: str | None = None
    stale_after_s: float = Field(60, ge=5, le=3600)  # an officer's fix older than this: stale
    trail_minutes: float = Field(5, ge=0, le=60)  # how much of each officer's track is drawn

    _center = field_validator("center", mode="before")(_latlon)


class CameraConfig(_Strict):
    id: str = Field(min_length=1)
    name: str
    kind: CameraKind = CameraKind.FIXED
    main: str = Field(min_length=1, description="URL of the main stream")
    sub: str | None = None
    position: tuple[float, float] | None = None
    heading: float | None = Field(None, ge=0, lt=360)
    fov: float = Field(60, gt=0, le=360)
    range: float = Field(80, gt=0)
    zone: str = ""
    officer: str | None = None
    network_caching_ms: int = Field(300, ge=0, le=10_000)
    rtsp_tcp: bool = Field(True, description="RTSP: carry RTP over the TCP connection")
    hw_decoding: bool = Field(False, description="hardware decoding where the machine has it")
    username: str | None = None  # the stream's login; its password is in the keyring:
    password_secret: str | None = None  # `csu-console secret set <password_secret>`
    commune: str = ""  # its territory (one of [site] communes); "": the whole site's

    _pos = field_validator("position", mode="before")(_latlon)

    def to_camera(self, source: str = "site") -> Camera:
        return Camera(
            id=self.id,
            name=self.name,
            kind=self.kind,
            streams=Streams(main=self.main, sub=self.sub),
            position=LatLon(*self.position) if self.position else None,
            fov=(FieldOfView(self.heading, self.fov, self.range)
                 if self.heading is not None else None),
            zone=self.zone,
            officer_id=self.officer,
            source=source,
            network_caching_ms=self.network_caching_ms,
            rtsp_tcp=self.rtsp_tcp,
            hw_decoding=self.hw_decoding,
            username=self.username,
            password_secret=self.password_secret,
            commune=self.commune,
        )


class OfficerConfig(_Strict):
    id: str = Field(min_length=1)
    callsign: str
    unit: str = ""
    body_camera: str | None = None
    commune: str = ""  # its territory (one of [site] communes); "": the whole site's

    def to_officer(self, source: str = "site") -> Officer:
        return Officer(self.id, self.callsign, self.unit, body_camera_id=self.body_camera,
                       source=source, commune=self.commune)


class AlarmTypeConfig(_Strict):
    """How the console treats one alarm type: priority, escalation and the procedure."""

    label: str | None = None
    priority: int | None = Field(None, ge=1, le=4)
    escalate_after_s: int = Field(120, ge=5, le=86_400)
    # the checklist, shown as written; None (not set): the console's own steps for the type
    procedure: list[str] | None = None


class LayoutConfig(_Strict):
    """A wall layout shared by the installation: its name, grid kind and tile cameras."""

    name: str = Field(min_length=1)
    grid: str
    cameras: list[str] = Field(default_factory=list)

    _grid = field_validator("grid")(check_kind)

    @field_validator("cameras")
    @classmethod
    def _fits(cls, v: list[str], info: ValidationInfo) -> list[str]:
        grid = info.data.get("grid")
        if grid is not None and len(v) > tile_count(grid):
            raise ValueError(f"{len(v)} cameras for the {tile_count(grid)} tiles of {grid!r}")
        return v


DEFAULT_ESCALATION_S: dict[AlarmType, int] = {
    AlarmType.WEAPON_DRAWN: 20,
    AlarmType.BODYCAM_EMERGENCY: 20,
    AlarmType.GUNSHOT: 30,
    AlarmType.INTRUSION: 90,
    AlarmType.LPR_HIT: 120,
    AlarmType.VIDEO_ANALYTICS: 180,
    AlarmType.CITIZEN_REPORT: 300,
    AlarmType.OTHER: 300,
}


class JournalConfig(_Strict):
    """`[journal]`: where this site's journal is. Absent: one console's own SQLite file in
    the user's data folder. A `postgresql://` URL: the room's shared journal, its password
    in the keyring under `password_secret`."""

    url: str
    password_secret: str = ""

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        parse_journal_url(v)  # JournalUrlError is a ValueError: said with the key path
        return v

    def location(self, site_dir: Path) -> JournalLocation:
        """Where it is; a relative SQLite path is relative to the site file's folder."""
        where = parse_journal_url(self.url)
        if where.path is not None and not where.path.is_absolute():
            return JournalLocation(where.backend, path=site_dir / where.path)
        return where


class AuthConfig(_Strict):
    """`[auth]`: how people sign in. Local accounts (`csu-console user add`) always work,
    so that an installer's administrator can sign in when the directory is down; with
    `[auth.ldap]`, anyone else signs in with their town directory account."""

    # the session locks after this long without input (video and map hidden until the
    # password is typed again); the default: five minutes
    lock_after_s: int = Field(default=300, ge=30, le=3600)
    ldap: DirectoryConfig | None = None


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    site: SiteInfo
    map: MapConfig
    cameras: list[CameraConfig] = Field(default_factory=list)
    officers: list[OfficerConfig] = Field(default_factory=list)
    adapters: list[AdapterConfig] = Field(default_factory=list)
    alarm_types: dict[AlarmType, AlarmTypeConfig] = Field(default_factory=dict)
    layouts: list[LayoutConfig] = Field(default_factory=list)
    journal: JournalConfig | None = None
    auth: AuthConfig = AuthConfig()
    retention: RetentionConfig = Field(default_factory=RetentionConfig)
    recording: RecordingConfig = RecordingConfig()
    export: ExportConfig = ExportConfig()
    source_path: str = ""
    kind: Literal["site"] = "site"

    def alarm_type(self, t: AlarmType) -> AlarmTypeConfig:
        return self.alarm_types.get(t) or AlarmTypeConfig(
            priority=None, escalate_after_s=DEFAULT_ESCALATION_S.get(t, 120)
        )

    def resolve(self, relative: str) -> Path:
        """A path written in the site file, relative to the file's own folder."""
        p = Path(relative)
        return p if p.is_absolute() else Path(self.source_path).parent / p


def _problems(file: str, exc: ValidationError, model: type[BaseModel],
              head: str = "") -> list[str]:
    return [f"{file}: {key_path(loc, head)}: {text}"
            for loc, text in plain_problems(exc, model)]


def adapter_label(raw: object, index: int) -> str:
    """How messages name an `[[adapters]]` table: by its `name` (`adapters "dc09-mairie"`),
    which the installer wrote, rather than by its rank, which they must count."""
    name = raw.get("name") if isinstance(raw, dict) else None
    if isinstance(name, str) and name.strip():
        return f"adapters {json.dumps(name, ensure_ascii=False)}"
    return f"adapters[{index}]"


def _unknown_kind(kind: object, registry: dict[str, AdapterEntry]) -> str:
    close = nearest(str(kind), sorted(registry))
    if close:
        return f"no adapter of kind {kind!r} is installed; did you mean {one_of(close)}?"
    return (f"no adapter of kind {kind!r} is installed "
            f"(installed: {', '.join(sorted(registry)) or 'none'})")


def parse_site(
    data: dict[str, Any], file: str, registry: dict[str, AdapterEntry]
) -> Site:
    problems: list[str] = []
    adapters_raw = data.get("adapters", [])
    body = {k: v for k, v in data.items() if k != "adapters"}
    adapters: list[AdapterConfig] = []
    if not isinstance(adapters_raw, list):
        problems.append(f"{file}: adapters: expected a list of [[adapters]] tables")
        adapters_raw = []
    names: set[str] = set()
    for i, raw in enumerate(adapters_raw):
        label = adapter_label(raw, i)
        where = f"{file}: {label}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected a table, got {got(raw)}")
            continue
        kind = raw.get("kind")
        if not kind:
            problems.append(f"{where}.kind: missing: say which adapter (one of "
                            f"{', '.join(sorted(registry)) or 'none installed'})")
            continue
        entry = registry.get(kind)
        if entry is None:
            problems.append(f"{where}.kind: {_unknown_kind(kind, registry)}")
            continue
        if entry.cls is None:
            problems.append(f"{where}.kind: adapter {kind!r} is installed but broken: "
                            f"{entry.error}")
            continue
        try:
            cfg = entry.cls.Config.model_validate(
                raw, context={"site_dir": str(Path(file).parent)})  # paths: from the site
        except ValidationError as exc:
            problems += _problems(file, exc, entry.cls.Config, label)
            continue
        if cfg.name in names:
            problems.append(f"{file}: adapters[{i}].name: {cfg.name!r} is used by another "
                            "adapter")
        names.add(cfg.name)
        adapters.append(cfg)
    site: Site | None = None
    try:
        site = Site.model_validate({**body, "source_path": file})
    except ValidationError as exc:
        problems += _problems(file, exc, Site)
    if site is not None:
        ids = [c.id for c in site.cameras]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{file}: cameras: id {dup!r} is used twice")
        layout_names = [lay.name for lay in site.layouts]
        for dup in sorted({n for n in layout_names if layout_names.count(n) > 1}):
            problems.append(f"{file}: layouts: name {dup!r} is used twice")
    if problems or site is None:
        raise SiteError(file, problems)
    return site.model_copy(update={"adapters": adapters})


def load_site(path: Path | str, registry: dict[str, AdapterEntry]) -> Site:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError(p, [f"{p}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(p, [f"{p}: cannot be read: {exc}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(p, [f"{p}: not valid TOML: {exc}"]) from None
    return parse_site(data, str(p), registry)
