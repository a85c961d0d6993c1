"""XML from the network goes through defusedxml (app/adapters/safe_xml.py) in every parser
that reads it (CoT, ONVIF SOAP): a billion-laughs bomb, an external entity that would read a
local file (XXE) and a DTD standing anywhere in the document are each refused with a reason
in plain words, and the next valid message is read as usual. String searches missed a bomb
written in UTF-16 and any DTD past the first 2 KiB of a SOAP answer, and refused valid
messages that merely quoted "<!DOCTYPE" in a CDATA section."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.cot.parser import Rejected, Rules
from app.adapters.cot.parser import parse as parse_cot
from app.adapters.onvif import soap
from app.adapters.onvif.events import notifications
from app.adapters.onvif.soap import OnvifError
from app.adapters.safe_xml import XmlRefused, parse_xml
from app.core.events import PositionReported
from tests.integration.alarm_adapters.fake_onvif import ENV, notification

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
RULES = Rules("tak", {"ANDROID-1": "pm11"})
SOAP_NS = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
DTD_REASON = "document type declaration (DTD): refused"


def billion_laughs(root: str) -> str:
    """Ten levels of ten references: 10^9 'lol' once expanded (a few GB)."""
    ents = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(ents)}]>{root.format("&l9;")}'


def xxe(root: str, secret_file: Path) -> str:
    return (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
            f'"file://{secret_file}">]>{root.format("&xxe;")}')


def dtd_past_2k(root: str) -> str:
    """An external DTD declaration after 3 KiB of comment: past any look at the start."""
    return (f'<?xml version="1.0"?><!-- {"p" * 3000} --><!DOCTYPE x SYSTEM '
            f'"http://127.0.0.1:9/evil.dtd">{root.format("ok")}')


COT_ROOT = ('<event version="2.0" uid="ANDROID-1" type="a-f-G-U-C" how="m-g" '
            f'time="{NOW.isoformat()}" start="{NOW.isoformat()}" '
            f'stale="{(NOW + timedelta(minutes=2)).isoformat()}"><point lat="48.85" '
            'lon="2.35" hae="35" ce="9.0" le="9.0"/><detail><contact callsign="{}"/>'
            "</detail></event>")
SOAP_ROOT = (f"<s:Envelope {SOAP_NS}><s:Body><tds:GetDeviceInformationResponse "
             'xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:Manufacturer>{}'
             "</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>")


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    f = tmp_path / "secret.txt"
    f.write_text("TOP-SECRET-MARKER")
    return f


HOSTILE: dict[str, Callable[[str, Path], str]] = {
    "billion laughs": lambda root, _f: billion_laughs(root),
    "XXE to a local file": xxe,
    "DTD past the first 2 KiB": lambda root, _f: dtd_past_2k(root),
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("attack", list(HOSTILE))
def test_cot_refuses_the_attack_and_reads_the_next_event(attack: str, encoding: str,
                                                         secret_file: Path) -> None:
    doc = HOSTILE[attack](COT_ROOT, secret_file)
    if encoding != "utf-8":
        doc = doc.replace('version="1.0"?>', f'version="1.0" encoding="{encoding}"?>', 1)
    out = parse_cot(doc.encode(encoding), RULES, NOW)
    assert isinstance(out, Rejected), out
    assert DTD_REASON in out.reason
    assert "TOP-SECRET-MARKER" not in out.reason
    [fix] = parse_cot(COT_ROOT.format("PM 11").encode(), RULES, NOW)  # type: ignore[misc]
    assert isinstance(fix, PositionReported)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("attack", list(HOSTILE))
def test_onvif_refuses_the_attack_and_reads_the_next_answer(attack: str, encoding: str,
                                                            secret_file: Path) -> None:
    doc = HOSTILE[attack](SOAP_ROOT, secret_file)
    if encoding != "utf-8":
        doc = doc.replace('version="1.0"?>', f'version="1.0" encoding="{encoding}"?>', 1)
    with pytest.raises(OnvifError, match=r"document type declaration \(DTD\): refused") as err:
        soap.parse(doc.encode(encoding))
    assert "TOP-SECRET-MARKER" not in str(err.value)
    info = soap.device_information(soap.parse(SOAP_ROOT.format("Acme").encode()))
    assert info.manufacturer == "Acme"


def test_a_cdata_that_quotes_a_doctype_is_not_an_attack() -> None:
    """Chat remarks and SOAP texts may quote markup; only a real DTD is refused."""
    quoted = COT_ROOT.replace("</detail>", "<remarks><![CDATA[copied: <!DOCTYPE html> "
                                           "<!ENTITY x>]]></remarks></detail>")
    [fix] = parse_cot(quoted.encode(), RULES, NOW)  # type: ignore[misc]
    assert isinstance(fix, PositionReported)
    answer = SOAP_ROOT.format("<![CDATA[Acme <!ENTITY> & co]]>")
    assert soap.device_information(soap.parse(answer.encode())).manufacturer == \
        "Acme <!ENTITY> & co"


def test_pull_answers_are_parsed_the_same_way() -> None:
    ok = ENV.format("<tev:PullMessagesResponse>"
                    + notification("tns1:X/Motion", {"IsMotion": "true"}, {}, NOW)
                    + "</tev:PullMessagesResponse>")
    bomb = billion_laughs(ok.split("?>", 1)[1].replace("<s:Header/>", "<s:Header>{}</s:Header>"))
    with pytest.raises(OnvifError, match="DTD"):
        soap.parse(bomb.encode())
    assert len(notifications(soap.parse(ok.encode()))) == 1


def test_parse_xml_says_why() -> None:
    assert parse_xml(b"<a><b/></a>").tag == "a"
    with pytest.raises(XmlRefused, match="CoT is not well-formed XML"):
        parse_xml(b"<a><b></a>", "CoT")
    with pytest.raises(XmlRefused, match="not well-formed"):
        parse_xml(b'<?xml version="1.0" encoding="no-such-codec"?><a/>')
    with pytest.raises(XmlRefused, match="DTD"):
        parse_xml(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>')


def test_stray_bytes_before_a_cot_event_do_not_lose_it() -> None:
    """A TCP stream may carry a keep-alive or the tail of a broken event before the next."""
    [fix] = parse_cot(b"\n\x00junk " + COT_ROOT.format("PM 11").encode(), RULES,
                      NOW)  # type: ignore[misc]
    assert isinstance(fix, PositionReported)
    refused = parse_cot(b"junk <!DOCTYPE x [<!ENTITY a 'b'>]>" + COT_ROOT.format("&a;").encode(),
                        RULES, NOW)
    assert isinstance(refused, Rejected)
    assert DTD_REASON in refused.reason


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=300).map(str.encode))
def test_parse_xml_only_ever_refuses_in_words(raw: bytes) -> None:
    words = ""
    try:
        parse_xml(raw)
    except XmlRefused as exc:  # anything else escaping fails the test
        words = str(exc)
        assert words
