"""HTTP for the client: case-insensitive ``Headers``, the request and response of one attempt,
the injectable ``HTTPSend`` and its default on ``urllib.request``."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol


class Headers(Mapping[str, str]):
    """HTTP headers, looked up case-insensitively; a repeated header's values are joined with
    ``", "`` (``get_all`` keeps them apart). Iterates over the names as first received."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        items = pairs
        self._names: dict[str, str] = {}
        self._values: dict[str, list[str]] = {}
        for name, value in items:
            key = name.lower()
            self._names.setdefault(key, name)
            self._values.setdefault(key, []).append(value)

    def __getitem__(self, name: str) -> str:
        return ", ".join(self._values[name.lower()])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name``, in order (empty when absent)."""
        return list(self._values.get(name.lower(), []))

    def __repr__(self) -> str:
        return f"Headers({[(n, self[n]) for n in self]!r})"


@dataclass(frozen=True)
class HTTPRequest:
    """One HTTP attempt, as given to an ``HTTPSend``."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None
    timeout: float
    """Seconds the attempt may take (connecting, and each read)."""


@dataclass(frozen=True)
class HTTPResponse:
    """A response of any status, as an ``HTTPSend`` returns it."""

    status: int
    headers: Headers
    body: bytes


class HTTPSend(Protocol):
    """The injectable HTTP stack: sends one request and returns its response, whatever its
    status. It raises ``TimeoutError`` when the attempt times out and ``OSError`` (for example
    ``ConnectionError``) when no response came; ``call`` retries the latter for idempotent
    methods. It must not follow redirects of non-GET requests."""

    def __call__(self, request: HTTPRequest, /) -> HTTPResponse: ...


class _NoUnsafeRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        if req.get_method() not in ("GET", "HEAD"):
            return (
                None  # the 3xx is returned as it is, never silently turned into a GET
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


_OPENER = urllib.request.build_opener(_NoUnsafeRedirects())


def _is_timeout(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )


def urllib_send(request: HTTPRequest) -> HTTPResponse:
    """The default ``HTTPSend``, on ``urllib.request``: follows redirects of GET and HEAD only,
    returns every status as a response, raises ``TimeoutError`` on a timeout and
    ``ConnectionError`` (an ``OSError``) when the connection fails."""
    req = urllib.request.Request(
        request.url,
        data=request.body,
        headers=dict(request.headers),
        method=request.method,
    )
    try:
        with _OPENER.open(req, timeout=request.timeout) as response:
            body: bytes = response.read()
            return HTTPResponse(
                response.status, Headers(response.headers.items()), body
            )
    except urllib.error.HTTPError as error:
        try:
            body = error.read()
        except (OSError, http.client.HTTPException):
            body = b""
        return HTTPResponse(error.code, Headers(error.headers.items()), body)
    except (OSError, http.client.HTTPException) as error:
        if _is_timeout(error):
            raise TimeoutError(str(error)) from error
        if isinstance(error, OSError):
            raise
        raise ConnectionError(str(error)) from error
