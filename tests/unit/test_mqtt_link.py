"""The MQTT link's settings that decide how soon a returning broker sees the console again
and whose session the broker keeps (the behaviour itself is tested against a real
mosquitto in tests/integration/adapters/test_owntracks_mqtt.py)."""

from __future__ import annotations

import socket

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

from app.adapters import mqtt_link
from app.adapters.mqtt_link import MqttConfig, MqttLink


def link(**cfg: object) -> MqttLink:
    return MqttLink(MqttConfig.model_validate({"kind": "test", "name": "telephones", **cfg}),
                    ["t/#"], lambda t, p: (), lambda s, d: None)


def test_reconnect_delay_is_capped_so_a_returning_broker_sees_us_within_2_s(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """paho waits min, 2*min, ... up to max between attempts: the wait is what separates a
    broker's return from our reconnection (plus one connection set-up, milliseconds)."""
    asked: list[tuple[float, float]] = []
    original = mqtt.Client.reconnect_delay_set

    def record(self: mqtt.Client, min_delay: int = 1, max_delay: int = 120) -> None:
        asked.append((min_delay, max_delay))
        original(self, min_delay, max_delay)

    monkeypatch.setattr(mqtt.Client, "reconnect_delay_set", record)
    link()
    [(first, cap)] = asked
    assert 0 < first <= cap <= 1.0
    assert (first, cap) == (mqtt_link.RECONNECT_FIRST_S, mqtt_link.RECONNECT_CAP_S)


def test_client_id_is_stable_per_workstation_and_adapter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The broker keeps a session per client id: the same id on every start here (our
    queued messages wait for us), another on another workstation (two consoles with one id
    would kick each other off for ever)."""
    monkeypatch.setattr(socket, "gethostname", lambda: "poste-3.csu.local")
    cfg = MqttConfig(kind="test", name="telephones")
    assert cfg.fixed_client_id == "csu-poste-3.csu.local-telephones"
    assert MqttConfig(kind="test", name="telephones").fixed_client_id == cfg.fixed_client_id
    assert link().client._client_id == b"csu-poste-3.csu.local-telephones"
    assert MqttConfig(kind="test", name="frigate").fixed_client_id \
        == "csu-poste-3.csu.local-frigate"
    monkeypatch.setattr(socket, "gethostname", lambda: "poste-4")
    assert MqttConfig(kind="test", name="telephones").fixed_client_id \
        == "csu-poste-4-telephones"
    assert MqttConfig(kind="test", name="x", client_id="site-id").fixed_client_id == "site-id"


def test_a_long_or_odd_client_id_stays_within_what_brokers_take(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: "poste 3")
    odd = MqttConfig(kind="test", name="téléphones/étage").fixed_client_id
    assert odd == "csu-poste_3-t_l_phones__tage"
    long_a = MqttConfig(kind="test", name="a" * 100 + "-1").fixed_client_id
    long_b = MqttConfig(kind="test", name="a" * 100 + "-2").fixed_client_id
    assert len(long_a) == len(long_b) == mqtt_link.CLIENT_ID_MAX
    assert long_a != long_b


@pytest.mark.parametrize(("name", "credentials"), [
    ("Bad user name or password", True),  # MQTT 3.1.1 code 4
    ("Not authorized", True),  # 3.1.1 code 5 (mosquitto: wrong password, or anonymous)
    ("Server unavailable", False),  # an outage: retry
    ("Client identifier not valid", False),
])
def test_which_connack_refusals_are_about_credentials(name: str, credentials: bool) -> None:
    assert mqtt_link.is_auth_refusal(ReasonCode(PacketTypes.CONNACK, name)) is credentials
