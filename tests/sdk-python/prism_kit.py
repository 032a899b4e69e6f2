"""Prism for the Prism tests of the generated Python SDKs (test_sdk_prism.py: examples/summit;
test_wire_prism.py: tests/sdk/wire): ``prism mock --errors`` on a service's emitted OpenAPI
document, and an HTTPSend forwarding to it that keeps Prism's request-side problems and its
statuses. Reads ``CHARTER_PRISM`` and ``CHARTER_OPENAPI`` (run.sh sets them); the generated SDK
must be on sys.path (``sdk_env``) for its runtime's ``_charter`` HTTP types."""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import threading
from collections.abc import Iterator

import pytest

PRISM = os.environ.get("CHARTER_PRISM", "")
OPENAPI = os.environ.get("CHARTER_OPENAPI", "")
# The SDK's own runtime (``<name>_sdk._charter``): the package beside pyproject.toml.
_runtime = importlib.import_module(
    next(
        entry
        for entry in os.listdir(os.environ.get("CHARTER_PY_SDK", "."))
        if entry.endswith("_sdk")
    )
    + "._charter"
)
HTTPRequest = _runtime.HTTPRequest
HTTPResponse = _runtime.HTTPResponse
urllib_send = _runtime.urllib_send


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_prism(service: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [PRISM, "mock", "-h", "127.0.0.1", "-p", str(port), "--errors"]
        + [os.path.join(OPENAPI, f"{service}.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = threading.Event()

    def watch() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if "Prism is listening" in line:
                ready.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        if not ready.wait(60):
            pytest.fail(f"prism did not start for {service}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait()


class Recorder:
    """An HTTPSend forwarding to Prism with the service's base path stripped (Prism serves the
    document's paths), keeping Prism's request-side problems."""

    def __init__(self, prism: str, base: str) -> None:
        self.prism, self.base = prism, base
        self.sent = 0
        self.problems: list[str] = []
        self.statuses: list[int] = []
        """Prism's answers, in order."""

    def __call__(self, request: HTTPRequest) -> HTTPResponse:
        self.sent += 1
        rest = request.url.split("://", 1)[1]
        target = rest[rest.index("/") :]
        assert target.startswith(self.base), target
        forwarded = HTTPRequest(
            request.method,
            self.prism + target[len(self.base) :],
            request.headers,
            request.body,
            request.timeout,
        )
        response = urllib_send(forwarded)
        self.statuses.append(response.status)
        # Prism lists what it found wrong in the `sl-violations` header (with --errors, the
        # request's problems may be there only, the body naming its own mock's problems).
        found: list[dict[str, object]] = json.loads(
            response.headers.get("sl-violations") or "[]"
        )
        kind = ""
        if "problem" in (response.headers.get("content-type") or ""):
            problem = json.loads(response.body)
            found += problem.get("validation", [])
            kind = problem.get("type", "")
        request_side = [
            v for v in found if v.get("location", ["request"])[0] != "response"
        ]
        # Only request-side problems are the SDK's; with --errors Prism also fails its own
        # mock responses (#VIOLATIONS of the response alone).
        if request_side or (
            "stoplight.io/prism/errors" in kind and not kind.endswith("#VIOLATIONS")
        ):
            self.problems.append(f"{request.method} {target}: {request_side or kind}")
        return response
