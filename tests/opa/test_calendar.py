"""The `calendar` target read by a real iCalendar (RFC 5545) parser: `icalendar`.

`charter build examples/summit --target calendar` twice; the .ics must hold one VEVENT per
deprecation and one per sunset (counted independently from deprecations.json), stable unique
UIDs, the JSON's dates, and summaries that name the replacement.
"""

import json

import pytest
from icalendar import Calendar

from conftest import run

EXAMPLE = "examples/summit"


def build(charter, out):
    run(charter, "build", EXAMPLE, "--target", "calendar", "--out", str(out))
    folder = out / "calendar"
    raw = (folder / "deprecations.ics").read_bytes()
    document = json.loads((folder / "deprecations.json").read_text())
    return raw, Calendar.from_ical(raw), document


@pytest.fixture(scope="module")
def builds(charter, tmp_path_factory):
    return [build(charter, tmp_path_factory.mktemp("calendar")) for _ in range(2)]


def events(calendar):
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def deprecations(document):
    """(kind, name) -> the deprecation, from the JSON's deprecated events only."""
    return {
        (e["kind"], e["name"]): e
        for e in document["events"]
        if e["event"] == "deprecated"
    }


def test_calendar_header(builds):
    raw, calendar, _ = builds[0]
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_one_event_per_deprecation_and_sunset(builds):
    _, calendar, document = builds[0]
    found = deprecations(document)
    assert found, "summit deprecates something"
    expected = len(found) + sum(1 for d in found.values() if d["sunset"] is not None)
    assert len(events(calendar)) == expected
    assert len(document["events"]) == expected


def test_uids_unique_and_stable(builds):
    (raw1, first, _), (raw2, second, _) = builds
    uids = [str(e["UID"]) for e in events(first)]
    assert len(uids) == len(set(uids))
    assert uids == [str(e["UID"]) for e in events(second)]
    assert raw1 == raw2


def test_dates_match_json(builds):
    _, calendar, document = builds[0]
    by_uid = {e["uid"]: e for e in document["events"]}
    found = deprecations(document)
    for event in events(calendar):
        entry = by_uid[str(event["UID"])]
        start = event.decoded("DTSTART")
        assert start.isoformat() == entry["date"]
        assert not hasattr(start, "hour"), "all-day events"
        deprecation = found[(entry["kind"], entry["name"])]
        if entry["event"] == "deprecated":
            assert entry["date"] == deprecation["since"]
        else:
            assert entry["date"] == deprecation["sunset"]


def test_summaries_name_the_replacement(builds):
    _, calendar, document = builds[0]
    by_uid = {e["uid"]: e for e in document["events"]}
    replaced = 0
    for event in events(calendar):
        entry = by_uid[str(event["UID"])]
        summary = str(event["SUMMARY"])
        assert entry["name"] in summary
        if entry["replacement"]:
            replaced += 1
            assert entry["replacement"] in summary
            assert entry["replacement"] in str(event["DESCRIPTION"])
        if entry["note"]:
            assert entry["note"] in str(event["DESCRIPTION"])
    assert replaced > 0
