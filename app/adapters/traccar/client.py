"""Traccar's REST calls (blocking `requests`, run through `asyncio.to_thread`), with every
failure turned into words an installer understands.

Only a refused *login* (401/403 on `/api/session`) means a wrong password or token: it raises
`AuthRefused`, which stops the adapter instead of retrying into an account lock-out. A 401 on
a later call is a session that ended (Traccar restarted, the session timed out): logging in
again fixes it, so it is an ordinary `TraccarError`.
"""

from __future__ import annotations

from datetime import datetime

import requests

from app.core.adapter import AuthRefused

TIMEOUT_S = 10.0


class TraccarError(ConnectionError):
    """Traccar cannot be used now; the message says why in plain words."""


class TraccarRest:
    def __init__(self, url: str, email: str | None, password: str | None,
                 token: str | None) -> None:
        self.url = url.rstrip("/")
        self.email, self._password, self._token = email, password, token
        self.http = requests.Session()

    def _call(self, method: str, path: str, *, login: bool = False,
              **kw: object) -> requests.Response:
        try:
            resp = self.http.request(method, self.url + path, timeout=TIMEOUT_S, **kw)  # type: ignore[arg-type]
        except requests.ConnectionError as exc:
            refused = "refused" in str(exc).lower()
            raise TraccarError(f"nothing answers at {self.url}"
                               + (" (connection refused)" if refused else f": {exc}")
                               ) from None
        except requests.RequestException as exc:
            raise TraccarError(f"Traccar at {self.url} did not answer: {exc}") from None
        if resp.status_code in (401, 403):
            if login:
                who = "the token" if self._token else \
                    f"the user name or password for '{self.email}'"
                raise AuthRefused(f"Traccar at {self.url} refused {who}")
            raise TraccarError(f"Traccar at {self.url} ended the session (HTTP "
                               f"{resp.status_code} on {path}): logging in again")
        if resp.status_code >= 400:
            raise TraccarError(f"Traccar at {self.url}{path} answered HTTP {resp.status_code}")
        return resp

    def login(self) -> str:
        """Open a session (cookie JSESSIONID); returns the cookie header for the socket."""
        if self._token:
            self._call("GET", "/api/session", login=True, params={"token": self._token})
        else:
            self._call("POST", "/api/session", login=True,
                       data={"email": self.email or "", "password": self._password or ""})
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        if not cookies:
            raise TraccarError(f"Traccar at {self.url} opened no session (no cookie)")
        return cookies

    def get(self, path: str, params: dict[str, str] | None = None) -> bytes:
        return self._call("GET", path, params=params).content

    def history(self, device_id: int, since: datetime, until: datetime) -> bytes:
        """Positions of one device between two times (what the live feed missed)."""
        return self.get("/api/positions", {"deviceId": str(device_id),
                                           "from": since.isoformat(), "to": until.isoformat()})

    def close(self) -> None:
        self.http.close()
