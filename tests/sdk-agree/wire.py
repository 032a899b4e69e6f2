"""The Python driver of the agreement test's wire cases (tests/sdk-agree/run.sh, wire.json):
calls each case's operation through the generated SDK of tests/sdk/wire (``CHARTER_PY_SDK`` on
sys.path) against the replay server and prints one normalised JSON line per case (see
wire.mjs for the fields).

Usage: wire.py RESPONSES_JSON BASE_URL  (BASE_URL without the trailing driver/case)."""

from __future__ import annotations

import dataclasses
import datetime
import os
import sys

sys.path.insert(0, os.environ["CHARTER_PY_SDK"])

from agree import canonical, drive

from wire_sdk import APIError, RetryPolicy, Transport, ValidationError
from wire_sdk.wire.tracker import Person, State, Task, TrackerClient

# The drivers' task: due None (a required nullable given nothing), no note, no labels.
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
VALUES = dataclasses.replace(
    TASK, due=datetime.date(2026, 1, 31), note="n", owner=None, labels=["a"]
)


def call(client: TrackerClient, op: str) -> tuple[int, object]:
    if op == "list":
        listed = client.list_tasks(
            start_time=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            assigned_by="ana",
            size=3,
            states=[State.IN_PROGRESS, State.PLUS_ONE],
        )
        return listed.status, [t.to_json() for t in listed.value]
    if op in ("create", "create_values"):
        created = client.create_task(body=TASK if op == "create" else VALUES)
        return created.status, created.value.to_json()
    if op == "archive":
        archived = client.archive_task(id="t-1", dry_run=True)
        return archived.status, archived.value.to_json()
    return client.touch_task(id="t-1").status, None


def run(case: dict[str, object], base: str) -> dict[str, object]:
    retry = RetryPolicy(max_retries=0)
    client = TrackerClient(Transport(f"{base}/python/{case['case']}", retry=retry))
    line: dict[str, object] = {"case": case["case"]}
    try:
        status, wire = call(client, str(case["op"]))
        line.update(outcome="ok", status=status)
        if case["op"] != "touch":
            line["value_digest"] = canonical(wire)
    except ValidationError as e:
        line.update(outcome="error", kind="validation", path=e.problems[0].path)
    except APIError as e:
        line.update(outcome="error", kind=f"api:{e.status}")
    return line


drive(run)
