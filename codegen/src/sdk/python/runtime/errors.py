"""The exceptions a call raises besides ``ValidationError`` and ``VerdictError``."""

from __future__ import annotations

from typing import Generic, TypeVar

from .httpio import Headers, HTTPResponse
from .verdict import Verdict

B = TypeVar("B")


class APIError(Exception):
    """A response that is not a success and not a declared error (or one whose body is
    invalid): its status, headers and raw body."""

    def __init__(
        self, operation: str, status: int, headers: Headers, body: bytes
    ) -> None:
        super().__init__(f"{operation}: HTTP {status}")
        self.operation = operation
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


class DeclaredError(APIError, Generic[B]):
    """A declared error response with its typed body ``value``; each declared error has its own
    generated subclass (``class LineageIngest409Error(DeclaredError[Conflict])``)."""

    def __init__(self, operation: str, response: HTTPResponse, value: B) -> None:
        super().__init__(operation, response.status, response.headers, response.body)
        self.value = value


class DeniedError(Exception):
    """A guarded operation whose verdict denies (fail closed, whatever the status)."""

    def __init__(self, operation: str, status: int, verdict: Verdict) -> None:
        super().__init__(
            f"{operation}: denied by {verdict.decider} ({verdict.rule_id}): {verdict.reason}"
        )
        self.operation = operation
        self.status = status
        self.verdict = verdict


class CharterTimeoutError(TimeoutError):
    """An attempt took longer than its timeout (never retried)."""

    def __init__(self, operation: str, timeout: float) -> None:
        super().__init__(f"{operation}: no response within {timeout} s")
        self.operation = operation
        self.timeout = timeout
