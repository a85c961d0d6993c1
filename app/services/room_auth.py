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

The service's key lives in its OS user's keyring, and the sessions in the journal's
`sessions` table with their secret sealed by that key: a restarted service knows its seats'
sessions again (the highest command number of each is read back from the commands), and a
command that waited for it is taken. Without a keyring the key is fresh at each start and
the seats sign in again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.DH import key_agreement
from Crypto.Protocol.KDF import HKDF
from Crypto.PublicKey import ECC

log = logging.getLogger(__name__)

SIGN_IN = "sign_in"
UNLOCK = "unlock"
LOCK = "lock"
SIGN_OUT = "sign_out"
BODYCAM = "bodycam"
AUDIT = "audit"
ACCESS_LOG = "access_log"  # a page of the access log, for a chief
CONSULT = "consult"  # a consultation of recorded video, logged before it is shown
INCIDENTS = "incidents"  # the saved incidents (replay)
INCIDENT = "incident"  # save an incident
BOOKMARKS = "bookmarks"  # an incident's bookmarks
BOOKMARK = "bookmark"  # add a bookmark
EXPORT = "export"  # start an evidence export (logged with its recipient before it runs)
EXPORT_STATUS = "export_status"  # how far an export of theirs has gone
EXPORT_CANCEL = "export_cancel"
SEALED_KINDS = frozenset({SIGN_IN, UNLOCK})
_CURVE = "curve25519"
_INFO = b"csu-console room sign-in v1"


class NotAuthentic(Exception):
    """A sealed message or an envelope that does not hold: plain words, for the log."""


KEY_SECRET = "room-service-key"  # the service's private key, in its OS user's keyring


def new_service_key() -> ECC.EccKey:
    return ECC.generate(curve=_CURVE)


def service_key() -> ECC.EccKey:
    """The service's key: kept in the keyring so that the seats' sessions outlive a restart
    of the service; a fresh one (sessions lost at a restart) when no keyring can hold it."""
    from app.core.secrets import KeyringUnusable, SecretMissing, get_secret, set_secret

    try:
        return ECC.import_key(get_secret(KEY_SECRET))
    except SecretMissing:
        pass
    except (ValueError, IndexError, TypeError):
        log.error("the keyring's %r is not a key: a new one is made (seats sign in again)",
                  KEY_SECRET)
    key = new_service_key()
    try:
        set_secret(KEY_SECRET, str(key.export_key(format="PEM")))
    except KeyringUnusable as exc:
        log.warning("the service's key cannot be kept (%s): the seats will have to sign in "
                    "again after a restart of the service", exc.reason)
    return key


def seal_secret(key: ECC.EccKey, secret: bytes) -> str:
    """A session secret as the service stores it: readable only with its own key."""
    cipher = AES.new(_storage_key(key), AES.MODE_GCM)
    data, tag = cipher.encrypt_and_digest(secret)
    return ".".join(_b64(x) for x in (cipher.nonce, data, tag))


def unseal_secret(key: ECC.EccKey, sealed: str) -> bytes:
    try:
        nonce, data, tag = (_unb64(x) for x in sealed.split("."))
        return bytes(AES.new(_storage_key(key), AES.MODE_GCM, nonce=nonce)
                     .decrypt_and_verify(data, tag))
    except (ValueError, TypeError) as exc:
        raise NotAuthentic("a stored session does not open with this service's key") from exc


def _storage_key(key: ECC.EccKey) -> bytes:
    out = HKDF(str(key.export_key(format="PEM")).encode(), 32, b"", SHA256,
               context=b"csu-console sessions at rest v1")
    assert isinstance(out, bytes)
    return out


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
