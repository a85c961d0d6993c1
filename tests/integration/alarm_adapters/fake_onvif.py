"""A local stand-in for an ONVIF camera (no ONVIF device can run here): SOAP 1.2 over real
HTTP, checking the WS-UsernameToken password digest like a device does, answering the
Device, Media, PTZ and Events (PullPoint) operations in the shapes of the ONVIF WSDLs."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ENV = ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope '
       'xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
       'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
       'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
       'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" '
       'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" '
       'xmlns:tt="http://www.onvif.org/ver10/schema" '
       'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
       'xmlns:wsa="http://www.w3.org/2005/08/addressing" '
       'xmlns:tns1="http://www.onvif.org/ver10/topics" '
       'xmlns:ter="http://www.onvif.org/ver10/error">'
       "<s:Header/><s:Body>{}</s:Body></s:Envelope>")
FAULT_AUTH = ("<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>"
              "ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text "
              'xml:lang="en">Sender not Authorized</s:Text></s:Reason></s:Fault>')


def notification(topic: str, items: dict[str, str], source: dict[str, str],
                 when: datetime, operation: str = "Changed") -> str:
    src = "".join(f'<tt:SimpleItem Name="{k}" Value="{v}"/>' for k, v in source.items())
    data = "".join(f'<tt:SimpleItem Name="{k}" Value="{v}"/>' for k, v in items.items())
    return (f'<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/'
            f'topicExpression/ConcreteSet">{topic}</wsnt:Topic><wsnt:Message>'
            f'<tt:Message UtcTime="{when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}" '
            f'PropertyOperation="{operation}"><tt:Source>{src}</tt:Source>'
            f"<tt:Data>{data}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>")


class FakeOnvifCamera:
    """`time_needs_auth`: refuses an unauthenticated GetSystemDateAndTime, as some real
    cameras do (`auth_status` 401 with a NotAuthorized fault, as ipycam; or 400).
    `clock_skew`: the device's clock is that far from ours, and it refuses a digest whose
    Created time is more than `max_skew` away from its clock (HTTP Date in its time too).
    `down`: every call answers HTTP 503 (an outage). `pull_answers`: raw bodies served to
    the next PullMessages instead of the usual answer (hostile or broken XML)."""

    def __init__(self, user: str, password: str, stream_base: str = "rtsp://127.0.0.1:8554",
                 *, time_needs_auth: bool = False, auth_status: int = 400,
                 clock_skew: timedelta = timedelta(0),
                 max_skew: timedelta = timedelta(minutes=5)):
        self.user, self.password = user, password
        self.stream_base = stream_base
        self.time_needs_auth, self.auth_status = time_needs_auth, auth_status
        self.clock_skew, self.max_skew = clock_skew, max_skew
        self.down = False
        self.pull_answers: list[bytes] = []
        self.ptz_answer: bytes | None = None  # raw body for the next PTZ order's answer
        self.signed_calls = 0  # requests that carried a UsernameToken
        self.requests = 0  # every request, answered or refused
        self.calls: list[str] = []
        self.moves: list[dict[str, str]] = []
        self.pending: list[str] = []
        self.subscriptions = 0
        self.unsubscribed = 0
        self._cond = threading.Condition()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/onvif/device_service"

    def base(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def start(self) -> FakeOnvifCamera:
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def push(self, *messages: str) -> None:
        with self._cond:
            self.pending.extend(messages)
            self._cond.notify_all()

    def push_raw(self, *bodies: bytes) -> None:
        """Whole HTTP bodies for the next pulls, one each, before any pending message."""
        with self._cond:
            self.pull_answers.extend(bodies)
            self._cond.notify_all()

    # -- the device -----------------------------------------------------------------------
    def now(self) -> datetime:
        """The device's clock."""
        return datetime.now(UTC) + self.clock_skew

    def authorised(self, xml: str) -> bool:
        def grab(tag: str) -> str:
            m = re.search(rf"<wsse:{tag}[^>]*>([^<]*)</wsse:{tag}>", xml) or \
                re.search(rf"<wsu:{tag}>([^<]*)</wsu:{tag}>", xml)
            return m[1] if m else ""

        user, digest, nonce, created = grab("Username"), grab("Password"), grab("Nonce"), \
            grab("Created")
        if user != self.user or not nonce or not created:
            return False
        when = datetime.fromisoformat(created.replace("Z", "+00:00"))
        if abs(when - self.now()) > self.max_skew:
            return False
        expect = base64.b64encode(hashlib.sha1(base64.b64decode(nonce) + created.encode()
                                               + self.password.encode()).digest()).decode()
        return digest == expect

    def answer(self, path: str, xml: str) -> tuple[int, str | bytes]:
        op_m = re.search(r"<s:Body><\w+:(\w+)", xml)
        op = op_m[1] if op_m else ""
        self.requests += 1
        self.calls.append(op)
        if self.down:
            return 503, b"Service Unavailable"
        signed = "<wsse:UsernameToken>" in xml
        self.signed_calls += signed
        if op == "GetSystemDateAndTime" and not (self.time_needs_auth and
                                                 not self.authorised(xml)):
            n = self.now()
            return 200, ("<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
                         "<tt:DateTimeType>NTP</tt:DateTimeType><tt:UTCDateTime><tt:Time>"
                         f"<tt:Hour>{n.hour}</tt:Hour><tt:Minute>{n.minute}</tt:Minute>"
                         f"<tt:Second>{n.second}</tt:Second></tt:Time><tt:Date>"
                         f"<tt:Year>{n.year}</tt:Year><tt:Month>{n.month}</tt:Month>"
                         f"<tt:Day>{n.day}</tt:Day></tt:Date></tt:UTCDateTime>"
                         "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>")
        if not self.authorised(xml):
            return self.auth_status, FAULT_AUTH
        b = self.base()
        if op == "GetDeviceInformation":
            return 200, ("<tds:GetDeviceInformationResponse><tds:Manufacturer>Acme"
                         "</tds:Manufacturer><tds:Model>PTZ-3000</tds:Model><tds:FirmwareVersion>"
                         "1.2.3</tds:FirmwareVersion><tds:SerialNumber>SN1</tds:SerialNumber>"
                         "<tds:HardwareId>1</tds:HardwareId></tds:GetDeviceInformationResponse>")
        if op == "GetCapabilities":
            return 200, ("<tds:GetCapabilitiesResponse><tds:Capabilities>"
                         f"<tt:Events><tt:XAddr>{b}/onvif/events</tt:XAddr></tt:Events>"
                         f"<tt:Media><tt:XAddr>{b}/onvif/media</tt:XAddr></tt:Media>"
                         f"<tt:PTZ><tt:XAddr>{b}/onvif/ptz</tt:XAddr></tt:PTZ>"
                         "</tds:Capabilities></tds:GetCapabilitiesResponse>")
        if op == "GetProfiles":
            profs = "".join(
                f'<trt:Profiles token="{tok}" fixed="true"><tt:Name>{tok}</tt:Name>'
                f'<tt:VideoEncoderConfiguration token="enc-{tok}"><tt:Encoding>H264'
                f"</tt:Encoding><tt:Resolution><tt:Width>{w}</tt:Width><tt:Height>{h}"
                "</tt:Height></tt:Resolution></tt:VideoEncoderConfiguration>"
                '<tt:PTZConfiguration token="ptz0"><tt:Name>ptz</tt:Name></tt:PTZConfiguration>'
                "</trt:Profiles>" for tok, w, h in (("main", 1920, 1080), ("sub", 640, 360)))
            return 200, f"<trt:GetProfilesResponse>{profs}</trt:GetProfilesResponse>"
        if op == "GetStreamUri":
            tok = re.search(r"<trt:ProfileToken>(\w+)<", xml)
            return 200, ("<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>"
                         f"{self.stream_base}/{tok[1] if tok else 'x'}</tt:Uri>"
                         "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
                         "<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>")
        if op in ("ContinuousMove", "Stop", "GotoPreset"):
            vals = dict(re.findall(r'<tt:(PanTilt|Zoom) x="([-\d.]+)"', xml))
            preset = re.search(r"<tptz:PresetToken>([^<]*)<", xml)
            self.moves.append({"op": op, **vals, **({"preset": preset[1]} if preset else {})})
            if self.ptz_answer is not None:
                return 200, self.ptz_answer
            return 200, f"<tptz:{op}Response/>"
        if op == "GetPresets":
            return 200, ('<tptz:GetPresetsResponse><tptz:Preset token="p1"><tt:Name>Mairie'
                         '</tt:Name></tptz:Preset><tptz:Preset token="p2"><tt:Name>Fontaine'
                         "</tt:Name></tptz:Preset></tptz:GetPresetsResponse>")
        if op == "CreatePullPointSubscription":
            self.subscriptions += 1
            return 200, ("<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
                         f"<wsa:Address>{b}/onvif/subscription/{self.subscriptions}</wsa:Address>"
                         "</tev:SubscriptionReference></tev:CreatePullPointSubscriptionResponse>")
        if op == "PullMessages":
            with self._cond:
                if self.pull_answers:
                    return 200, self.pull_answers.pop(0)
            lim = re.search(r"<tev:MessageLimit>(\d+)<", xml)
            limit = int(lim[1]) if lim else 1
            with self._cond:
                self._cond.wait_for(lambda: bool(self.pending), timeout=0.3)
                msgs, self.pending = self.pending[:limit], self.pending[limit:]
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return 200, (f"<tev:PullMessagesResponse><tev:CurrentTime>{now}</tev:CurrentTime>"
                         f"<tev:TerminationTime>{now}</tev:TerminationTime>{''.join(msgs)}"
                         "</tev:PullMessagesResponse>")
        if op == "Renew":
            return 200, "<wsnt:RenewResponse/>"
        if op == "Unsubscribe":
            self.unsubscribed += 1
            return 200, "<wsnt:UnsubscribeResponse/>"
        return 400, f"<s:Fault><s:Reason><s:Text>unknown {op}</s:Text></s:Reason></s:Fault>"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                """The HTTP Date header, from the device's clock."""
                return formatdate(fake.now().timestamp(), usegmt=True)

            def do_POST(self) -> None:
                xml = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                status, body = fake.answer(self.path, xml)
                data = body if isinstance(body, bytes) else ENV.format(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
