"""Checks on every request body before any route sees it (ASGI middleware).

- Size: over 1 MiB is 413 ``too_large``. The declared Content-Length is checked first;
  the body is then read in full, counting what actually arrives (a chunked upload or a
  lying header). At 1 MiB, holding one body in memory is simpler than a half-read request.
- Text: a JSON body must not hold NaN/Infinity (not JSON, though Python reads them), NUL
  characters (PostgreSQL text refuses them) or lone surrogates (not encodable as UTF-8):
  caught here, they are a 4xx instead of a database error half-way through a route.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024


class RequestGuard:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = _text_problem(body) if _is_json(scope) else None
        if problem is not None:
            await _answer(send, problem[0], problem[1], problem[2])
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        # The rest of the body is not read: the connection cannot be reused.
        message = f"the body is over {self.max_bytes} bytes"
        await _answer(send, 413, "too_large", message, close=True)


async def _answer(send: Send, status: int, code: str, message: str, close: bool = False) -> None:
    payload = json.dumps({"error": code, "message": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


def _text_problem(body: bytes) -> tuple[int, str, str] | None:
    """(status, code, message) when the JSON body holds text we cannot store, else None.

    A body that does not parse at all is left to FastAPI, which names the position."""
    if not body:
        return None
    try:
        document = json.loads(body, parse_constant=_refuse_constant)
    except _NotJson as error:
        return 400, "malformed_json", f"the body is not valid JSON: {error}"
    except (ValueError, RecursionError):
        return None
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return 422, "invalid", "text must not contain NUL characters"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return 422, "invalid", "text holds a lone surrogate; send valid Unicode"
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
