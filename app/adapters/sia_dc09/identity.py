"""What names a DC-09 alarm and what names a DC-09 message, from the frame alone.

The alarm book decides what a report is (app/core/events.py `AlarmReported`): the same
`message_id` seen again within its retransmission window is a retransmission (acknowledged,
ignored); another message with the same `source_id` is a new occurrence of that alarm (or a
new alarm if it was closed). So both names must come from the protocol, never from when the
console happened to receive the frame: a console restart, or the hour turning between a send
and its retransmission, must not change the answer.

`source_id`, the CONDITION: account, event code, area (partition) and zone. The account is
what a panel is known by (the site file maps accounts to buildings); the receiver and line
numbers are not part of it: they only route the frame on the monitoring side, and a panel
that falls back to its backup path still reports the same zone of the same building.

`message_id`, the MESSAGE: account, receiver, line, sequence number, the frame's own
timestamp when it carries one, and a digest of its content (message type, data, extended
data). A retransmission repeats all of them. A panel that rebooted and restarted its
numbering reuses sequence numbers: its new message differs by its timestamp (or content).

Limits of the protocol, said plainly:
- Without a timestamp (optional in clear frames; dc09-spt sends none), a rebooted panel that
  reuses a sequence number for the very same event looks exactly like a retransmission. The
  book's bounded retransmission window (10 min) decides: within it, one message; after it,
  a new occurrence. Encryption makes the timestamp mandatory, which lifts the doubt.
- A timestamp names the transmission, not the event: a panel may stamp each retry anew
  (dc09-spt rebuilds the frame for every try, and a retry after a NAK must carry a corrected
  time). Such a retry reaches the book as another occurrence of the same alarm: one alarm,
  one more count in its history, never a second alarm nor a lost one.
"""

from __future__ import annotations

import hashlib
import json

from app.adapters.sia_dc09.frame import Frame

_DIGEST_HEX = 16  # 64 bits of SHA-256: collisions need billions of messages from one panel


def _number(text: str) -> str:
    """Zone and area numbers without their padding ("005" and "5" are the same zone)."""
    return text.lstrip("0") or "0"


def condition_id(frame: Frame, code: str, area: str, zone: str) -> str:
    """The alarm a frame reports: `account/code/areaN/zoneN`."""
    return f"{frame.account}/{code}/area{_number(area)}/zone{_number(zone)}"


def message_id(frame: Frame) -> str:
    """This message: `account/Rrcv/Lline/seq/timestamp/digest` (`-` where absent)."""
    content = json.dumps([frame.token, frame.data, *frame.extras], ensure_ascii=True)
    digest = hashlib.sha256(content.encode("ascii")).hexdigest()[:_DIGEST_HEX]
    stamp = f"{frame.timestamp:%Y%m%dT%H%M%SZ}" if frame.timestamp is not None else "-"
    return (f"{frame.account}/R{frame.receiver or '-'}/L{frame.line or '-'}/{frame.seq}/"
            f"{stamp}/{digest}")
