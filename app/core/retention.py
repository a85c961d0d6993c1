"""How long the journal keeps what it holds: the `[retention]` table of the site file, capped
by French law.

- Fixed cameras (vidéoprotection): at most one month, CSI L252-5. "Un mois" is written as
  30 days, the shortest month, so no site keeps a day too long in February's neighbours.
- Body-worn cameras (caméras-piétons): erased after one month, CSI L241-1 / L241-2. The
  cap is 30 days as for fixed cameras: one rule an operator can remember, and never
  longer than any month.
- Positions, events, closed alarms: no article sets a figure, but they are personal data
  (RGPD art. 5-1-e: kept no longer than needed). Default the same month, at most a year.
- The access log: three years (CSI R241-14 for body cams; the CNIL's recommendation for
  video-protection logs). Not a setting: a site that wrote it would be refused, with why.

A value above a cap is refused by `check-config` with the article that sets it.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

MONTH_DAYS = 30  # "un mois" (CSI L252-5, L241-1), the shortest reading of a month
PERSONAL_DATA_MAX_DAYS = 365
ACCESS_LOG_DAYS = 3 * 365 + 1  # three years, one leap day included
ACCESS_LOG_RULE = "CSI R241-14 (access log kept three years)"
RECORDINGS_RULE = ("CSI L252-5 (video-protection recordings kept one month at most): site "
                   "file [retention] fixed_video_days = {days}")


class Kind(enum.StrEnum):
    """What a purge removes from the journal (the register names it so)."""

    POSITIONS = "positions"  # events of kind "position"
    EVENTS = "events"  # every other event
    CLOSED_ALARMS = "closed_alarms"  # never an open one
    ACCESS_LOG = "access_log"
    RECORDINGS = "recordings"  # the fixed cameras' segments, their files with them


def _capped(days: int, cap: int, why: str) -> int:
    if days > cap:
        raise ValueError(f"must be at most {cap} days: {why}; got {days}")
    return days


class RetentionConfig(BaseModel):
    """`[retention]`: days each kind of data is kept, each within the law's cap."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fixed_video_days: int = Field(default=MONTH_DAYS, ge=1)
    bodycam_video_days: int = Field(default=MONTH_DAYS, ge=1)
    positions_days: int = Field(default=MONTH_DAYS, ge=1)
    events_days: int = Field(default=MONTH_DAYS, ge=1)
    closed_alarms_days: int = Field(default=MONTH_DAYS, ge=1)
    # declared only to be refused with the reason (an unknown key would just say "unknown")
    access_log_days: int | None = None

    @field_validator("fixed_video_days")
    @classmethod
    def _fixed(cls, v: int) -> int:
        return _capped(v, MONTH_DAYS, "CSI L252-5 keeps video-protection recordings one "
                                      "month at most")

    @field_validator("bodycam_video_days")
    @classmethod
    def _bodycam(cls, v: int) -> int:
        return _capped(v, MONTH_DAYS, "CSI L241-1 and L241-2 erase body-worn camera "
                                      "recordings after one month")

    @field_validator("positions_days", "events_days", "closed_alarms_days")
    @classmethod
    def _personal(cls, v: int) -> int:
        return _capped(v, PERSONAL_DATA_MAX_DAYS, "positions, events and alarms are "
                                                  "personal data, kept no longer than needed "
                                                  "(RGPD art. 5-1-e)")

    @field_validator("access_log_days", mode="before")
    @classmethod
    def _access_log(cls, v: object) -> None:
        raise ValueError("the access log is kept three years by law (CSI R241-14, CNIL) and "
                         "cannot be changed: remove this key")

    def keep(self, kind: Kind) -> timedelta:
        """How long `kind` is kept."""
        days = {Kind.POSITIONS: self.positions_days, Kind.EVENTS: self.events_days,
                Kind.CLOSED_ALARMS: self.closed_alarms_days,
                Kind.ACCESS_LOG: ACCESS_LOG_DAYS,
                Kind.RECORDINGS: self.fixed_video_days}[kind]
        return timedelta(days=days)

    def rule(self, kind: Kind) -> str:
        """The rule a purge of `kind` applies, for the register: the article, or the site's
        setting and why it is bounded."""
        if kind is Kind.ACCESS_LOG:
            return ACCESS_LOG_RULE
        if kind is Kind.RECORDINGS:
            return RECORDINGS_RULE.format(days=self.fixed_video_days)
        days = self.keep(kind).days
        return (f"site file [retention] {kind.value}_days = {days} (personal data, "
                f"RGPD art. 5-1-e; at most {PERSONAL_DATA_MAX_DAYS})")
