"""Every operation of tests/sdk/wire (issue 17: wire names, @nullable, @status), called through
the generated Python SDK, is accepted by Prism (``prism mock --errors``, request validation on)
serving the emitted OpenAPI document, which answers each operation's declared success status.
run.sh runs it on the wire SDK (``CHARTER_PY_SDK``, ``CHARTER_PRISM``, ``CHARTER_OPENAPI``)."""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable, Iterator

import pytest
import sdk_env  # noqa: F401  (puts the generated SDK on sys.path)

if not os.environ.get("CHARTER_PRISM") or not os.environ.get("CHARTER_OPENAPI"):
    pytest.skip(
        "CHARTER_PRISM and CHARTER_OPENAPI are not set", allow_module_level=True
    )

from prism_kit import Recorder, start_prism
from wire_sdk import Transport, ValidationError
from wire_sdk._charter import RetryPolicy
from wire_sdk.wire.tracker import Person, State, Task, TrackerClient

TASK = Task(
    id="t-1",
    assigned_by_any="ana",
    plus_one=1,
    greeting='hello "you"',
    backslash=True,
    size=2.5,
    state=State.IN_PROGRESS,
    due=None,
    owner=Person(display_name="Ana", email="ana@example.com"),
    next_state=State.PLUS_ONE,
    people=[Person(display_name="Bo")],
)


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    yield from start_prism("Tracker")


def call(recorder: Recorder, name: str, want: int, f: Callable[[], object]) -> None:
    """One operation: exactly one request went out, Prism took it and answered ``want``. A mock
    response may fail the SDK's own checks; a request-side refusal fails the test."""
    before = recorder.sent
    try:
        f()
    except ValidationError as error:
        assert error.direction != "request", f"{name}: refused by the SDK: {error}"
    assert recorder.sent == before + 1, (
        f"{name}: {recorder.sent - before} requests sent"
    )
    assert not recorder.problems, f"{name}: Prism refused: {recorder.problems}"
    assert recorder.statuses[-1] == want, (
        f"{name}: Prism answered {recorder.statuses[-1]}"
    )


def test_every_tracker_operation(prism: str) -> None:
    r = Recorder(prism, "/tracker")
    client = TrackerClient(
        Transport("http://sdk.invalid", send=r, retry=RetryPolicy(max_retries=0))
    )
    t0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    call(
        r,
        "list_tasks",
        200,
        lambda: client.list_tasks(
            start_time=t0,
            assigned_by="ana",
            size=3,
            states=[State.IN_PROGRESS],
            limit=5,
        ),
    )
    call(r, "get_task", 200, lambda: client.get_task(id="t-1"))
    call(r, "create_task", 201, lambda: client.create_task(body=TASK))
    values = dataclasses.replace(
        TASK, due=datetime.date(2026, 1, 31), note="n", owner=None, labels=["a"]
    )
    call(r, "create_task with values", 201, lambda: client.create_task(body=values))
    call(r, "archive_task", 202, lambda: client.archive_task(id="t-1", dry_run=True))
    call(r, "touch_task", 202, lambda: client.touch_task(id="t-1"))
