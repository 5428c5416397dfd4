"""The cloud API client (httpx) and how its failures are classified.

Every failure becomes one of these errors, because the caller acts differently on each:
- ``TransientCloudError``: try again later (network down, timeout, reset, 408, 429, 5xx);
  its subclass ``NotSentCloudError`` says the request never left (connection refused,
  DNS, TLS, connect timeout), so nothing it asked for can have happened: a payment that
  was never sent has failed, it is not "unknown";
- ``PermanentCloudError``: this request will never succeed as it is (other 4xx): the
  outbox parks the entry for a person to look at;
- ``AuthError``: the device itself is refused (401): stop sending everything, keep it all.
Tokens are never logged.

The client talks to the cloud over https only: the bearer token and payment codes cross
the network in every call. Plain ``http://`` is refused at construction
(``InsecureCloudUrlError``) unless the host is this machine (localhost, 127.0.0.0/8, ::1:
tests, the demo, a local TLS-terminating proxy).
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from drivers.listeners import Listeners, Unsubscribe
from terminal.errors import InputError

log = logging.getLogger(__name__)

API = "/v1"
# Raised before a byte of the request left: no connection, name or TLS session.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
RETRYABLE_STATUS = frozenset({408, 425, 429})
CONNECT_S = 2.0
# A call still unanswered this long is reported (``Contact.overdue``) while it goes on
# waiting for its read timeout: a cloud that takes the connection and then says nothing
# shows as offline in seconds, not when the timeout ends.
ANSWER_OVERDUE_S = 2.0


@dataclass(frozen=True, slots=True)
class Contact:
    """One call's contact with the cloud: ``reached`` when it answered at all.
    ``overdue``: not an end but a call still waiting after ``ANSWER_OVERDUE_S``
    (reported from a timer thread, not the calling one)."""

    reached: bool
    error: str | None = None
    overdue: bool = False


class CloudError(Exception):
    """Base of the errors the cloud client raises."""


class TransientCloudError(CloudError):
    """The cloud could not be reached or could not answer now; retrying is safe."""


class NotSentCloudError(TransientCloudError):
    """The request never reached the cloud (no connection could be made)."""


class PermanentCloudError(CloudError):
    """The cloud refused this request for good (a 4xx other than 408/429)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


class AuthError(PermanentCloudError):
    """The device's token is missing, wrong or revoked: it must be registered again."""


class RateLimitedCloudError(TransientCloudError):
    """The cloud refuses this client's address for a while (429): too many failed
    attempts from it. ``retry_after_s`` is the cloud's Retry-After, when it sent one."""

    def __init__(self, message: str, retry_after_s: float | None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class InsecureCloudUrlError(InputError):
    """The cloud URL is not https (or not a URL at all): a technician's to fix."""


def check_cloud_url(url: str) -> str:
    """``url`` without a trailing slash, if the client may use it: https to any host, plain
    http only to this machine. Raises ``InsecureCloudUrlError`` naming the URL otherwise."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return url.strip().rstrip("/")
    if scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url.strip().rstrip("/")
    if scheme == "http":
        raise InsecureCloudUrlError(
            f"the cloud URL {url} is plain http: the device token and payment codes would "
            "cross the network unencrypted; use https:// (plain http:// only to this "
            "machine: localhost, 127.0.0.1, ::1)"
        )
    raise InsecureCloudUrlError(
        f"the cloud URL {url!r} is not an https:// URL; give it like https://pay.example"
    )


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class CloudClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = check_cloud_url(base_url)
        self._contacts: Listeners[Contact] = Listeners("cloud contact")
        headers = {"User-Agent": "facepay-terminal"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            # A connection the network drops is known within CONNECT_S: the till shows
            # offline and a payment not sent fails that fast, whatever the read timeout.
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, CONNECT_S)),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CloudClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        watch = self._watch_answer()
        try:
            response = self._http.request(method, API + path, json=json, params=params)
        except _NOT_SENT as exc:
            error: TransientCloudError = NotSentCloudError(
                f"{type(exc).__name__}: {exc or 'no connection'}"
            )
            self._contact(False, error)
            raise error from exc
        except httpx.TransportError as exc:
            error = TransientCloudError(f"{type(exc).__name__}: {exc or 'no answer'}")
            self._contact(False, error)
            raise error from exc
        finally:
            if watch is not None:
                watch.cancel()
        self._contact(True, None)
        status = response.status_code
        if status < 300:
            return response.json() if response.content else None
        code, message = _error_of(response)
        if status == 429:
            raise RateLimitedCloudError(
                f"{status} {code}: {message}", _seconds(response.headers.get("retry-after"))
            )
        if status in RETRYABLE_STATUS or status >= 500:
            raise TransientCloudError(f"{status} {code}: {message}")
        if status == 401:
            raise AuthError(status, code, message)
        raise PermanentCloudError(status, code, message)

    def on_contact(self, listener: Callable[[Contact], None]) -> Unsubscribe:
        """``listener(contact)`` after every call, on the calling thread: whether the cloud
        answered at all (any status), else why not. The till uses it to show offline the
        moment a call fails, not a sync cycle later."""
        return self._contacts.add(listener)

    def _watch_answer(self) -> threading.Timer | None:
        if not self._contacts:
            return None  # nobody listens: no timer thread
        overdue = Contact(False, f"no answer within {ANSWER_OVERDUE_S:g} s", overdue=True)
        timer = threading.Timer(ANSWER_OVERDUE_S, self._contacts.emit, args=(overdue,))
        timer.daemon = True
        timer.start()
        return timer

    def _contact(self, reached: bool, error: CloudError | None) -> None:
        # Listeners log and skip their own failures: a payment's answer is never lost to one.
        self._contacts.emit(Contact(reached, None if error is None else str(error)))

    # -- the API ---------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def register(self, code: str, device_name: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST", "/devices/register", json={"code": code, "device_name": device_name}
        )
        return result

    def revoke_self(self) -> dict[str, Any]:
        """Revoke this client's own token in the cloud, for good: every later call with it
        is refused (401). ``{device_id, revoked_at, revoked_by}``."""
        result: dict[str, Any] = self._call("DELETE", "/devices/self")
        return result

    def put_order(self, order_no: str, document: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._call("PUT", f"/orders/{order_no}", json=document)
        return result

    def post_enrollment(self, enrollment: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/enrollments", json=enrollment)
        return result

    # -- payments: each call is idempotent on the client-made id, so resending is safe ----

    def face_pay(
        self,
        *,
        payment_id: str,
        order_no: str,
        member_id: str,
        amount_cents: int,
        probe: dict[str, str] | None,
        liveness: float | None,
    ) -> dict[str, Any]:
        """Debit a member's stored value: ``{state: SUCCESS|FAIL, reason, balance_cents}``.
        ``probe`` ({model, vector}: base64 float32) is the face the till matched; the cloud
        checks it against the member's own templates before it moves any money. Without
        it, only a repeat of a payment the cloud already has is answered."""
        body: dict[str, Any] = {
            "payment_id": payment_id,
            "order_no": order_no,
            "member_id": member_id,
            "amount_cents": amount_cents,
        }
        if probe is not None and liveness is not None:
            body |= {"probe": probe, "liveness": liveness}
        result: dict[str, Any] = self._call("POST", "/payments/face", json=body)
        return result

    def request_member_code(self, member_id: str, purpose: str) -> dict[str, Any]:
        """Ask the cloud to text a one-time code to the member's phone (``erase`` or
        ``add_template``): ``{otp_id, expires_at}``; the code itself reaches only the
        phone."""
        result: dict[str, Any] = self._call(
            "POST", f"/members/{member_id}/verifications", json={"purpose": purpose}
        )
        return result

    def request_erasure(
        self, member_id: str, *, otp_id: str, code: str, requested_by: str, face_verified: bool
    ) -> dict[str, Any]:
        """The member's own request to be erased, proved by their one-time code."""
        body = {
            "member_id": member_id,
            "otp_id": otp_id,
            "code": code,
            "requested_by": requested_by,
            "face_verified": face_verified,
        }
        result: dict[str, Any] = self._call("POST", "/erasure-requests", json=body)
        return result

    def withdraw_consent(
        self,
        member_id: str,
        kind: str,
        *,
        otp_id: str,
        code: str,
        requested_by: str,
        face_verified: bool,
    ) -> dict[str, Any]:
        """The member withdraws a consent (``face_pay``: the face goes, the membership
        stays), proved by their one-time code."""
        body = {
            "otp_id": otp_id,
            "code": code,
            "requested_by": requested_by,
            "face_verified": face_verified,
        }
        result: dict[str, Any] = self._call(
            "POST", f"/members/{member_id}/consents/{kind}/withdraw", json=body
        )
        return result

    def micropay(
        self, *, out_trade_no: str, order_no: str, auth_code: str, amount_cents: int
    ) -> dict[str, Any]:
        """Charge a wallet payment code: ``{trade_state, trade_no, message}``.

        ``auth_code`` is a full payment code: it goes in the body only, never in a log or
        an error message (httpx puts neither the body nor this call's arguments in one).
        """
        body = {
            "out_trade_no": out_trade_no,
            "order_no": order_no,
            "auth_code": auth_code,
            "amount_cents": amount_cents,
        }
        result: dict[str, Any] = self._call("POST", "/payments/micropay", json=body)
        return result

    def query_micropay(self, out_trade_no: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/payments/micropay/{out_trade_no}")
        return result

    def reverse_micropay(self, out_trade_no: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", f"/payments/micropay/{out_trade_no}/reverse")
        return result

    def catalog_changes(self, cursor: int, limit: int = 500) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "GET", "/catalog", params={"cursor": cursor, "limit": limit}
        )
        return result

    def member_changes(self, cursor: int, limit: int = 500) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "GET", "/members", params={"cursor": cursor, "limit": limit}
        )
        return result

    def config(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/config")
        return result

    def staff_changes(self, cursor: int, limit: int = 500) -> dict[str, Any]:
        """The store's staff after ``cursor``; upserts carry PIN hashes, never PINs."""
        result: dict[str, Any] = self._call(
            "GET", "/staff", params={"cursor": cursor, "limit": limit}
        )
        return result

    # -- shifts: idempotent on the shift id and revision, the device and Z number --------

    def put_shift(self, shift_id: str, document: dict[str, Any]) -> dict[str, Any]:
        """A shift as it stands (its revision counts its events): ``{status: created |
        updated | duplicate}``; an older revision than the cloud's is a duplicate."""
        result: dict[str, Any] = self._call("PUT", f"/shifts/{shift_id}", json=document)
        return result

    def put_z_report(
        self, device_id: str, z_number: int, document: dict[str, Any]
    ) -> dict[str, Any]:
        """A Z report, written once: ``{status: created | duplicate}``, 409 when the cloud
        holds different figures under that number."""
        result: dict[str, Any] = self._call(
            "PUT", f"/z-reports/{device_id}/{z_number}", json=document
        )
        return result

    # -- refunds: idempotent on the refund number and each refund payment's id ----------

    def put_refund(self, refund_no: str, document: dict[str, Any]) -> dict[str, Any]:
        """Store a refund as it stands: ``{status: created | updated | duplicate | stale}``;
        409 ``over_refund`` when the order (minus its earlier refunds) does not have that
        much left, 409 ``order_unknown`` when the cloud has not received the order yet."""
        result: dict[str, Any] = self._call("PUT", f"/refunds/{refund_no}", json=document)
        return result

    def refund_micropay(
        self, out_trade_no: str, *, out_refund_no: str, amount_cents: int
    ) -> dict[str, Any]:
        """Refund part or all of a wallet trade: ``{refund_state: SUCCESS | SYSTEMERROR,
        refund_id, refunded_cents, ...}``. SYSTEMERROR: ask again with the same
        ``out_refund_no`` (a new one could refund twice)."""
        body = {"out_refund_no": out_refund_no, "amount_cents": amount_cents}
        result: dict[str, Any] = self._call(
            "POST", f"/payments/micropay/{out_trade_no}/refund", json=body
        )
        return result

    def credit_member(
        self,
        member_id: str,
        *,
        refund_id: str,
        refund_no: str,
        payment_id: str | None,
        amount_cents: int,
    ) -> dict[str, Any]:
        """Credit stored value back to a member for a refund (``payment_id``: the face
        payment it goes back to; None for a no-receipt store credit): ``{balance_cents,
        repeat, ...}``, idempotent on ``refund_id``."""
        body = {
            "refund_id": refund_id,
            "refund_no": refund_no,
            "payment_id": payment_id,
            "amount_cents": amount_cents,
        }
        result: dict[str, Any] = self._call("POST", f"/members/{member_id}/credits", json=body)
        return result

    def get_order(self, order_no: str) -> dict[str, Any]:
        """An order of this store as the cloud stored it (another till's, for a return)."""
        result: dict[str, Any] = self._call("GET", f"/orders/{order_no}")
        return result


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After in seconds (the cloud sends whole seconds; an HTTP date is not used)."""
    try:
        seconds = float(retry_after) if retry_after else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < 86_400 else None


def _error_of(response: httpx.Response) -> tuple[str, str]:
    """The server's ``{"error", "message"}`` body, or the best a proxy's page gives."""
    try:
        body = response.json()
    except ValueError:
        return "http_error", response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        code = str(body.get("error") or "http_error")
        message = body.get("message") or body.get("detail") or response.reason_phrase
        return code, str(message)[:500]
    return "http_error", str(body)[:200]
