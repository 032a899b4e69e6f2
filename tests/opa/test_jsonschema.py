"""The jsonschema target: every schema is valid draft 2020-12, the schemas resolve each other by
`$id`, the inputs of summit's hand-written test cases validate against the schemas of their
policy's declared subject, resource and context, and broken payloads are rejected."""

import copy
import json
import pathlib
import re

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import REPO, native_cases, run

EXAMPLE = "examples/summit"
BASE = "https://charter.invalid/schemas/"
HEADER = re.compile(
    r"^policy\s+(\w+)\s+on\s+(\w+)\s+by\s+(\w+(?:\s*,\s*\w+)*)(?:\s+with\s+(\w+))?",
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def schemas(charter, tmp_path_factory):
    """path relative to the jsonschema folder -> parsed schema."""
    out = tmp_path_factory.mktemp("jsonschema")
    run(charter, "build", EXAMPLE, "--target", "jsonschema", "--out", str(out))
    folder = pathlib.Path(out) / "jsonschema"
    found = {
        p.relative_to(folder).as_posix(): json.loads(p.read_text())
        for p in sorted(folder.rglob("*.schema.json"))
    }
    assert found, "no schemas were written"
    return found


@pytest.fixture(scope="module")
def registry(schemas):
    return Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT202012))
        for s in schemas.values()
    )


def validator(schemas, registry, path):
    return jsonschema.Draft202012Validator(schemas[path], registry=registry)


def by_name(schemas, name, kind):
    """The one entity or context schema named `name`."""
    found = [
        path
        for path, s in schemas.items()
        if path.endswith(f"/{name}.schema.json") and s["$comment"].startswith(f"Charter {kind} ")
    ]
    assert len(found) == 1, (name, kind, found)
    return found[0]


@pytest.fixture(scope="module")
def policies(schemas):
    """qualified policy name -> (subject schema paths, resource schema path, context path)."""
    out = {}
    for source in sorted((REPO / EXAMPLE / "src").rglob("*.charter")):
        text = source.read_text()
        package = re.search(r"^package\s+([\w.]+)", text, re.MULTILINE).group(1)
        for name, resource, subjects, context in HEADER.findall(text):
            out[f"{package}.{name}"] = (
                [by_name(schemas, s.strip(), "entity") for s in subjects.split(",")],
                by_name(schemas, resource, "entity"),
                by_name(schemas, context, "context") if context else None,
            )
    assert out
    return out


def test_every_schema_is_valid_2020_12(schemas):
    for path, schema in schemas.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == BASE + path, path


def test_every_ref_resolves(schemas, registry):
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    count = 0
    for schema in schemas.values():
        resolver = registry.resolver(base_uri=schema["$id"])
        for ref in refs(schema):
            assert resolver.lookup(ref).contents["$id"].endswith(ref.split("/")[-1])
            count += 1
    assert count > 0


def test_summit_test_inputs_validate(charter, schemas, registry, policies):
    checked = 0
    for case in native_cases(charter, EXAMPLE):
        if case["generated"]:
            continue
        subjects, resource, context = policies[case["policy"]]
        document = case["input"]
        errors = [
            list(validator(schemas, registry, s).iter_errors(document["subject"]))
            for s in subjects
        ]
        assert any(not e for e in errors), (case["name"], errors)
        validator(schemas, registry, resource).validate(document["resource"])
        if context:
            validator(schemas, registry, context).validate(document["context"])
        checked += 1
    assert checked >= 10


def first_case(charter, policy):
    return next(
        c["input"]
        for c in native_cases(charter, EXAMPLE)
        if c["policy"] == policy and not c["generated"]
    )


def rejects(v, payload):
    return not v.is_valid(payload)


def test_broken_payloads_are_rejected(charter, schemas, registry):
    document = first_case(charter, "summit.policy.dataset_access")
    dataset = validator(schemas, registry, "summit/identity/Dataset.schema.json")
    user = validator(schemas, registry, "summit/identity/User.schema.json")
    request = validator(schemas, registry, "summit/policy/Request.schema.json")
    resource, subject = document["resource"], document["subject"]
    assert dataset.is_valid(resource) and user.is_valid(subject)

    missing = copy.deepcopy(resource)
    del missing["tenant"]
    assert rejects(dataset, missing)

    wrong_type = dict(resource, legal_hold="no")
    assert rejects(dataset, wrong_type)

    unknown_enum = dict(resource, sensitivity="top_secret")
    assert rejects(dataset, unknown_enum)
    assert rejects(user, dict(subject, roles=["wizard"]))

    extra = dict(resource, colour="blue")
    assert rejects(dataset, extra)

    # Refinements: the tenant pattern, a set's uniqueness.
    assert rejects(dataset, dict(resource, tenant="acme"))
    assert rejects(user, dict(subject, roles=["analyst", "analyst"]))

    # Optional means absent, not null.
    context = dict(mfa=True, ip_trusted=True)
    assert request.is_valid(context)
    assert rejects(request, dict(context, ticket=None))


def test_records_provenance_ranges_and_defaults(schemas, registry):
    event = validator(schemas, registry, "summit/lineage/LineageEvent.schema.json")
    provenance = {
        "origin": "ingest",
        "actor": "spiffe://summit.internal/ns/ingest/sa/loader",
        "timestamp": "2026-03-01T12:00:00Z",
        "confidence": 0.9,
        "simulated": False,
    }
    payload = {
        "provenance": provenance,
        "event_id": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
        "dataset": "ds-claims",
        "from": "crm",
        "to": "lake",
        "kind": "ingest",
        "hash": "q83vEjRWeJA=",
        "tags": ["backfill"],
    }
    assert event.is_valid(payload)
    # The envelope is required; its confidence is a range.
    assert rejects(event, {k: v for k, v in payload.items() if k != "provenance"})
    bad = copy.deepcopy(payload)
    bad["provenance"]["confidence"] = 1.5
    assert rejects(event, bad)
    assert rejects(event, dict(payload, kind="teleport"))
    schema = schemas["summit/lineage/LineageEvent.schema.json"]
    assert schema["properties"]["attributes"]["default"] == {}
    assert "attributes" not in schema["required"]
    assert schema["properties"]["source_system"]["deprecated"] is True
