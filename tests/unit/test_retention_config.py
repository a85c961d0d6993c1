"""`[retention]`: the law's caps are refused by `check-config` with the article that sets
them, in plain words; the access log's three years are not a setting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.registry import discover
from app.core.retention import ACCESS_LOG_DAYS, Kind, RetentionConfig
from app.core.site import load_site
from tests.conftest import REPO
from tests.unit.cli_run import csu, site_file


def test_defaults_are_the_month_and_three_years() -> None:
    r = RetentionConfig()
    assert r.fixed_video_days == r.bodycam_video_days == 30
    assert r.keep(Kind.POSITIONS) == r.keep(Kind.EVENTS) == r.keep(Kind.CLOSED_ALARMS) \
        == timedelta(days=30)
    assert r.keep(Kind.ACCESS_LOG) == timedelta(days=ACCESS_LOG_DAYS) >= timedelta(days=3 * 365)
    assert "R241-14" in r.rule(Kind.ACCESS_LOG)
    assert "positions_days = 30" in r.rule(Kind.POSITIONS)


def test_check_config_refuses_a_fixed_camera_month_and_a_half_with_the_article(
        tmp_path: Path) -> None:
    path = site_file(tmp_path, "[retention]\nfixed_video_days = 45\nbodycam_video_days = 31\n"
                               "positions_days = 400\nevents_days = 0\n")
    out = csu("check-config", str(path))
    assert out.returncode == 1, out.stdout + out.stderr
    text = out.stderr
    assert (f"{path}: retention.fixed_video_days: must be at most 30 days: CSI L252-5 keeps "
            "video-protection recordings one month at most; got 45") in text, text
    assert f"{path}: retention.bodycam_video_days: must be at most 30 days: CSI L241-1" in text
    assert f"{path}: retention.positions_days: must be at most 365 days" in text
    assert f"{path}: retention.events_days: must be at least 1, got the number 0" in text
    assert "Traceback" not in text
    assert "Value error" not in text


def test_the_access_log_period_is_not_a_setting(tmp_path: Path) -> None:
    path = site_file(tmp_path, "[retention]\naccess_log_days = 365\n")
    out = csu("check-config", str(path))
    assert out.returncode == 1
    assert (f"{path}: retention.access_log_days: the access log is kept three years by law "
            "(CSI R241-14, CNIL) and cannot be changed: remove this key") in out.stderr


def test_values_within_the_caps_load() -> None:
    r = RetentionConfig.model_validate({"fixed_video_days": 7, "positions_days": 365})
    assert r.keep(Kind.POSITIONS) == timedelta(days=365)
    with pytest.raises(ValidationError):
        RetentionConfig.model_validate({"closed_alarms_days": 366})


def test_the_example_site_file_has_its_retention_table() -> None:
    site = load_site(REPO / "resources" / "examples" / "site.example.toml", discover())
    assert site.retention == RetentionConfig()
    assert "[retention]" in (REPO / "resources/examples/site.example.toml").read_text("utf-8")
