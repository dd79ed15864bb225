"""Who may use the review pages, as pure decisions the app's middleware applies.

- Bound to a loopback address (the default, 127.0.0.1) the pages need no login, but only requests
  naming a loopback host are answered, so a web page elsewhere cannot reach the index by pointing
  its own domain at 127.0.0.1 (DNS rebinding).
- Bound to any other address, the user must set a token (``--token`` or ``FOOTAGE_TOKEN``).
  Scripts send it as ``Authorization: Bearer TOKEN``; a browser logs in once and gets a cookie
  holding a keyed hash of the token, never the token itself.
- A request that changes something (POST) from a browser must come from the app's own pages: its
  ``Origin``, when present, must name the host it was sent to.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

from footage.errors import FootageError

__all__ = [
    "COOKIE", "LOOPBACK_HOSTS", "MIN_TOKEN_LENGTH", "allowed_hosts", "authorized", "check_bind", "is_loopback",
    "safe_next", "same_origin", "session_value",
]

COOKIE = "footage_session"
MIN_TOKEN_LENGTH = 12
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is only reachable from this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve beyond this computer without a token, or with a guessable one."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise FootageError(f"the token must be at least {MIN_TOKEN_LENGTH} characters long")
    if not is_loopback(host) and token is None:
        raise FootageError(f"serving on {host} makes the index reachable from other computers; set a token with "
                           "--token or the FOOTAGE_TOKEN environment variable (or serve on 127.0.0.1)")


def allowed_hosts(token: str | None, host: str = "127.0.0.1") -> tuple[str, ...]:
    """Host names requests may name: loopback names (and ``host``, the loopback address served
    on) when open without a token, any with one."""
    if token is not None:
        return ("*",)
    served = f"[{host.strip('[]')}]" if ":" in host else host  # a Host header puts IPv6 in brackets
    return LOOPBACK_HOSTS if served in LOOPBACK_HOSTS else (*LOOPBACK_HOSTS, served.lower())


def session_value(token: str) -> str:
    """What the login cookie holds: a keyed hash of the token (hex)."""
    return hmac.new(token.encode(), b"footage review session", hashlib.sha256).hexdigest()


def authorized(token: str | None, authorization: str | None, cookie: str | None) -> bool:
    """Whether a request may pass: always without a token, else with the bearer token or the
    session cookie (compared in constant time)."""
    if token is None:
        return True
    if authorization is not None and authorization.lower().startswith("bearer "):
        return hmac.compare_digest(authorization[7:].strip().encode(), token.encode())
    return cookie is not None and hmac.compare_digest(cookie.encode(), session_value(token).encode())


def same_origin(origin: str | None, host: str | None) -> bool:
    """A state-changing request passes when it carries no ``Origin`` (not a browser form or
    script) or one whose host and port equal the ``Host`` it was sent to."""
    if origin is None:
        return True
    if host is None or origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (no ``//other.host``), else ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
