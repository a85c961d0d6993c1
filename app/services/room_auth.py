"""How a seat proves, command by command, who is signed in at it (never trust the seat, and
never put a password in the journal in clear).

The commands table is readable by every seat of the room. So:
- The service publishes an X25519 public key (its row in `seats`), fresh at each start.
- Signing in (and unlocking) seals {login, password} to that key: the seat makes an
  ephemeral X25519 key, derives from the shared secret (HKDF-SHA256) one key that encrypts
  the payload (AES-256-GCM) and one session secret; only the service can open it, and only
  the two of them know the secret.
- Every later command is wrapped in an envelope: the session's id, a counter that only
  grows (a copied row cannot be replayed) and an HMAC-SHA256 over kind, counter and body
  with the session secret. The service opens it, checks the MAC and the counter, and acts
  as that session (app.services.gate decides what it may do).

A service that restarts forgets its sessions (and its key): seats are asked to sign in
again. Sessions are not written anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.DH import key_agreement
from Crypto.Protocol.KDF import HKDF
from Crypto.PublicKey import ECC

SIGN_IN = "sign_in"
UNLOCK = "unlock"
LOCK = "lock"
SIGN_OUT = "sign_out"
BODYCAM = "bodycam"
AUDIT = "audit"
SEALED_KINDS = frozenset({SIGN_IN, UNLOCK})
_CURVE = "curve25519"
_INFO = b"csu-console room sign-in v1"


class NotAuthentic(Exception):
    """A sealed message or an envelope that does not hold: plain words, for the log."""


def new_service_key() -> ECC.EccKey:
    return ECC.generate(curve=_CURVE)


def public_text(key: ECC.EccKey) -> str:
    return str(key.public_key().export_key(format="PEM"))


def fingerprint(public_pem: str) -> str:
    return hashlib.sha256(public_pem.encode()).hexdigest()[:16]


def _keys(shared: bytes) -> tuple[bytes, bytes]:
    """(payload key, session secret) from the X25519 shared secret."""
    both = HKDF(shared, 64, b"", SHA256, context=_INFO)
    assert isinstance(both, bytes)
    return both[:32], both[32:]


def seal(service_public_pem: str, payload: dict[str, Any]) -> tuple[str, bytes]:
    """(the command's body, the session secret): `payload` readable only by the service."""
    try:
        service = ECC.import_key(service_public_pem)
    except (ValueError, IndexError, TypeError) as exc:
        raise NotAuthentic(f"the console service's key is unreadable ({exc})") from exc
    mine = ECC.generate(curve=_CURVE)
    shared = key_agreement(static_priv=mine, static_pub=service, kdf=lambda z: z)
    key, secret = _keys(shared)
    cipher = AES.new(key, AES.MODE_GCM)
    data, tag = cipher.encrypt_and_digest(json.dumps(payload).encode())
    body = {"to": fingerprint(service_public_pem), "from": public_text(mine),
            "nonce": _b64(cipher.nonce), "data": _b64(data), "tag": _b64(tag)}
    return json.dumps(body), secret


def unseal(service_key: ECC.EccKey, body: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """(payload, session secret) of a sealed body; NotAuthentic when it does not open."""
    if body.get("to") != fingerprint(public_text(service_key)):
        raise NotAuthentic("sealed to another key (the console service restarted since the "
                           "seat read its key: sign in again)")
    try:
        theirs = ECC.import_key(str(body["from"]))
        shared = key_agreement(static_priv=service_key, static_pub=theirs, kdf=lambda z: z)
        key, secret = _keys(shared)
        cipher = AES.new(key, AES.MODE_GCM, nonce=_unb64(body["nonce"]))
        data = cipher.decrypt_and_verify(_unb64(body["data"]), _unb64(body["tag"]))
        payload = json.loads(data)
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise NotAuthentic("the sealed sign-in does not open (altered or not for this "
                           "service)") from exc
    if not isinstance(payload, dict):
        raise NotAuthentic("the sealed sign-in holds no fields")
    return payload, secret


def envelope(session_id: str, secret: bytes, n: int, kind: str, body: str) -> str:
    return json.dumps({"session": session_id, "n": n, "body": body,
                       "mac": _mac(secret, kind, n, body)})


@dataclass(frozen=True, slots=True)
class Envelope:
    session_id: str
    n: int
    body: str
    mac: str

    def authentic(self, secret: bytes, kind: str) -> bool:
        return hmac.compare_digest(self.mac, _mac(secret, kind, self.n, self.body))


def open_envelope(body: dict[str, Any]) -> Envelope:
    try:
        e = Envelope(str(body["session"]), int(body["n"]), str(body["body"]), str(body["mac"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise NotAuthentic("the command carries no session: sign in first") from exc
    return e


def new_session_id() -> str:
    return secrets.token_hex(12)


def _mac(secret: bytes, kind: str, n: int, body: str) -> str:
    return hmac.new(secret, f"{kind}\n{n}\n{body}".encode(), hashlib.sha256).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: object) -> bytes:
    return base64.b64decode(str(text), validate=True)
