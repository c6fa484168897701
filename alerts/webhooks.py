"""Sending events to the endpoints REST clients registered: where a URL may point, how a
delivery is signed and sent.

No server-side request forgery: a URL must be https (http only in the embedded mode,
WEBHOOKS_ALLOW_HTTP) and its host must resolve to public addresses only (loopback only where
WEBHOOKS_ALLOW_LOOPBACK, the test settings). The check runs at registration and again at
each delivery, and the delivery connects to the very address it checked (the name is not
looked up a second time, so a DNS answer that changes in between cannot redirect it), with
TLS still verified against the host name. No redirect is followed; timeouts are short; only
a short excerpt of the answer is kept.
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

SIGNATURE_HEADER = "Untoc-Signature"
TIMESTAMP_HEADER = "Untoc-Timestamp"
EVENT_ID_HEADER = "Untoc-Event-Id"
DELIVERY_HEADER = "Untoc-Delivery"
EXCERPT_LENGTH = 200
TIMEOUT = urllib3.Timeout(connect=3.0, read=5.0)


class UrlRefused(Exception):
    """A URL the tracker will not send to; `rule` names why."""

    def __init__(self, rule: str, message: str) -> None:
        self.rule = rule
        super().__init__(message)


def secret_new() -> str:
    return secrets.token_hex(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "TIMESTAMP.BODY", hex."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return bool(settings.WEBHOOKS_ALLOW_LOOPBACK)
    return address.is_global


@dataclass(frozen=True)
class Target:
    """Where a delivery goes: the checked address to connect to, and the URL's parts."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def url_check(url: str) -> Target:
    """The address `url` may be sent to, or UrlRefused naming the rule it breaks.

    1. https only (http where WEBHOOKS_ALLOW_HTTP); no user name or password in it.
    2. The host resolves, and every address it resolves to is public (loopback only where
       WEBHOOKS_ALLOW_LOOPBACK): one private address among them is refused, since the
       connection could use it.
    """
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.WEBHOOKS_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed:
        raise UrlRefused("https_required", "The URL must start with https://.")
    if not parts.hostname or parts.username or parts.password:
        raise UrlRefused("host_required", "The URL must name a host, without a user name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError):
        raise UrlRefused("host_unknown", f"{parts.hostname} cannot be resolved.") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    refused = [str(a) for a in addresses if not _address_allowed(a)]
    if refused or not addresses:
        raise UrlRefused(
            "address_not_public",
            f"{parts.hostname} resolves to an address that is not public ({', '.join(refused)}).",
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, str(addresses[0]))


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: an HTTP status (None if none came), an excerpt, an error."""

    status: int | None
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def payload(event: Any | None, delivery_id: int) -> dict[str, Any]:
    """The JSON body: the event as changes/ gives it, or a ping."""
    from alerts.selectors import event_public

    if event is None:
        return {"id": None, "kind": "ping", "delivery": delivery_id}
    return {**event_public(event), "recorded_at": event.recorded_at.isoformat()}


def send(url: str, secret: str, body: bytes, event_id: int | None, delivery_id: int) -> Outcome:
    """POST `body` signed to `url`, after checking it again; never follows a redirect."""
    try:
        target = url_check(url)
    except UrlRefused as refused:
        return Outcome(None, error=f"{refused.rule}: {refused}")
    timestamp = str(int(time.time()))
    headers = {
        "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}",
        "Content-Type": "application/json",
        "User-Agent": "UNTOC-Tracker-Webhooks/1",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: f"v1={signature(secret, timestamp, body)}",
        EVENT_ID_HEADER: "" if event_id is None else str(event_id),
        DELIVERY_HEADER: str(delivery_id),
    }
    pool_options: dict[str, Any] = {"timeout": TIMEOUT, "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool_class: Any = urllib3.HTTPSConnectionPool
        pool_options |= {"server_hostname": target.host, "assert_hostname": target.host}
        if settings.WEBHOOKS_CA_CERTS:
            pool_options["ca_certs"] = settings.WEBHOOKS_CA_CERTS
    else:
        pool_class = urllib3.HTTPConnectionPool
    pool = pool_class(target.address, target.port, **pool_options)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=headers,
            redirect=False,
            preload_content=False,
        )
        excerpt = response.read(EXCERPT_LENGTH, decode_content=False)
        response.release_conn()
        text = excerpt.decode("utf-8", "replace")
        return Outcome(response.status, text)
    except urllib3.exceptions.HTTPError as error:
        return Outcome(None, error=f"{type(error).__name__}: {error}"[:300])
    finally:
        pool.close()


def body_of(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), sort_keys=True, default=str).encode()
