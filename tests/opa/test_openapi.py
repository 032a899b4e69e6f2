"""The openapi target: every emitted document is valid OpenAPI 3.1 for `openapi-spec-validator`,
its YAML file reads back (PyYAML) as exactly its JSON file, payloads taken from summit's
Charter tests validate against the request and response schemas while broken ones do not, and
the deprecated operations carry `deprecated: true` and the `Deprecation`/`Sunset` values
computed here from the source."""

import copy
import datetime
import email.utils
import json
import os
import pathlib
import re
import subprocess

import jsonschema
import pytest
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import REPO, native_cases, run

SUMMIT = "examples/summit"
GEN = REPO / "target" / "debug" / "charter-gen"

# Strings a YAML writer easily gets wrong: reserved words, number and date look-alikes,
# indicators, `: ` and ` #`, quotes, line breaks, non-ASCII; an open enum; exponents.
TRICKY = r'''package tricky

/// Answers: yes, no # maybe
/// - or "on", 'off'? 100% café
open enum Answer { yes, no, on, off }

enum Flag { y, n }

/// A form: `#1: x`, [brackets] and {braces}.
record Form {
  /// - starts with a dash
  answer: Answer = yes
  flag: Flag?
  code: string matching "^#[0-9]+: x$" = "#1: x"
  day: string = "2026-03-01"
  number_text: string = "1.0"
  ratio: float in 1.0E-6..2.5e3 = 1.0
  note: string = "line\nbreak\ttab"
  spaced: string = " lead "
  empty: string = ""
}

/// Wire names and `null` (docs/language.md §8.4, §8.5).
record Wired {
  @wire("yes: no #") wired: string?
  @nullable maybe_flag: Flag = none
  @nullable maybe_note: string
  @nullable @wire("null") maybe_day: date?
  sign: Sign = plus
}

/// Enum values on the wire: `+1`, `in-progress`, `null`.
enum Sign { @wire("+1") plus, @wire("in-progress") in_progress, @wire("null") nothing }

/// Tricky: strings.
service Tricky version "0.1.0" at "/t" {
  /// Post a form: yes.
  op post POST "/forms" (body: Form, mode: Answer = on, q: string = "null", n: string = "-1") -> Form

  /// Created, with a query parameter named `StartTime>` on the wire.
  @status(201)
  op create POST "/forms/new" (body: Wired, @wire("StartTime>") start: timestamp?, sign: Sign = plus) -> Wired

  @status(202)
  op queue POST "/forms/queue" (body: Form)

  @deprecated(since: 2024-02-29, sunset: 2025-03-01, use: post, note: "off: \"gone\" # soon")
  op old GET "/forms/{id}" (id: string) -> Form
}
'''


def build_openapi(charter, workspace, out):
    run(charter, "build", str(workspace), "--target", "openapi", "--out", str(out))
    return pathlib.Path(out) / "openapi"


def load(folder):
    """stem -> (JSON document, YAML document)."""
    docs = {}
    for path in sorted(folder.glob("*.json")):
        docs[path.stem] = (
            json.loads(path.read_text()),
            yaml.safe_load(path.with_suffix(".yaml").read_text()),
        )
    assert sorted(folder.glob("*.yaml")) == sorted(
        p.with_suffix(".yaml") for p in folder.glob("*.json")
    )
    return docs


@pytest.fixture(scope="module")
def workspaces(charter, tmp_path_factory):
    """name -> workspace folder: the examples, the edge workspace, a generated workspace and
    the tricky one."""
    found = {p.name: p for p in sorted((REPO / "examples").iterdir()) if (p / "charter.toml").exists()}
    found["edge"] = REPO / "tests" / "opa" / "workspaces" / "edge"
    tricky = tmp_path_factory.mktemp("tricky")
    (tricky / "charter.toml").write_text('[package]\nname = "tricky"\nversion = "0.1.0"\n')
    (tricky / "tricky.charter").write_text(TRICKY)
    found["tricky"] = tricky
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "-q", "-p", "charter-bench"], cwd=REPO, check=True)
    generated = tmp_path_factory.mktemp("generated") / "ws"
    subprocess.run([str(GEN), str(generated), "--packages", "3"], check=True, capture_output=True)
    found["generated"] = generated
    contracts = tmp_path_factory.mktemp("contracts") / "ws"
    subprocess.run(
        [str(GEN), str(contracts), "--models", "60", "--gets", "40"], check=True, capture_output=True
    )
    found["contracts"] = contracts
    return found


@pytest.fixture(scope="module")
def documents(charter, workspaces, tmp_path_factory):
    """workspace name -> stem -> (JSON, YAML)."""
    out = {}
    for name, folder in workspaces.items():
        target = tmp_path_factory.mktemp(f"openapi-{name}")
        out[name] = load(build_openapi(charter, folder, target))
    return out


def test_every_workspace_with_services_has_documents(documents):
    assert sorted(documents["summit"]) == ["Audit", "Catalog", "Lineage", "PolicyDecision"]
    # hello declares no service: the target writes nothing.
    assert documents["hello"] == {}
    assert list(documents["edge"]) == ["Readings"]
    assert list(documents["tricky"]) == ["Tricky"]
    assert len(documents["generated"]) == 3
    assert documents["contracts"]


def test_every_document_is_valid_openapi_3_1(documents):
    count = 0
    for name, docs in documents.items():
        for stem, (doc, _) in docs.items():
            assert doc["openapi"] == "3.1.0", (name, stem)
            validate(doc, cls=OpenAPIV31SpecValidator)
            count += 1
    assert count >= 10


def test_yaml_reads_back_as_the_json(documents):
    for name, docs in documents.items():
        for stem, (doc, from_yaml) in docs.items():
            assert from_yaml == doc, (name, stem)
    form = documents["tricky"]["Tricky"][1]["components"]["schemas"]["Form"]["properties"]
    assert form["day"]["default"] == "2026-03-01"
    assert form["number_text"]["default"] == "1.0"
    assert form["note"]["default"] == "line\nbreak\ttab"
    assert form["spaced"]["default"] == " lead "
    assert form["ratio"]["minimum"] == 1.0e-6 and form["ratio"]["maximum"] == 2500.0


def test_yaml_emitter_snapshot_reads_back():
    """The Rust unit test `yaml_scalars` snapshots the YAML of this value; PyYAML must read the
    snapshot back as exactly the value."""
    snap = REPO / "codegen/src/openapi/snapshots/charter_codegen__openapi__tests__yaml_scalars.snap"
    text = snap.read_text().split("---\n", 2)[2]
    expected = {
        "plain": "Bad Request",
        "reserved": ["yes", "No", "on", "OFF", "y", "null", "true"],
        "numbers_as_strings": ["1", "1.0", "2026-03-01", ".inf", "0x1F", "-3", "+1"],
        "indicators": ["#/x", "- a", "a: b", "a #b", "end:", "[x]", "{y}", "*a", "&a", "!t",
                       "|", ">", "'q'", '"q"', "%x", "@x", "`x`", " lead", "trail ", ""],
        "escapes": ["tab\there", "bell\u0007", "nel\u0085", "ls\u2028", "bom\ufeff",
                    "back\\slash"],
        "multi": "line one\nline two: with colon # and hash\n\nafter blank",
        "multi_final": "a\nb\n",
        "multi_two_final": "a\n\n",
        "multi_trailing_space": "a \nb",
        "multi_in_lists": ["p\nq", {"a": "x\ny", "b": ["z\n"]}],
        "numbers": [0, -7, 0.5, 1e20, 1.5e-7, 12345678901234],
        "bools": [True, False, None],
        "empty": {"map": {}, "list": [], "string": ""},
        "nested": [[1, [2, 3]], {"a": {"b": [{}]}}],
        "200": "status key",
    }
    assert yaml.safe_load(text) == expected


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_every_source_operation_is_documented(workspaces, documents):
    """Each `op name METHOD "path"` of summit's source is an operation at base path + path."""
    op = re.compile(r'^\s*op\s+(\w+)\s+([A-Z]+)\s+"([^"]+)"', re.MULTILINE)
    service = re.compile(r'^service\s+(\w+)[^\n]*?at\s+"([^"]+)"', re.MULTILINE)
    expected = set()
    for source in (workspaces["summit"] / "src").rglob("*.charter"):
        text = source.read_text()
        for s in service.finditer(text):
            body = text[s.end():]
            for o in op.finditer(body[: body.find("\n}")]):
                expected.add((s.group(1), s.group(2), o.group(1), o.group(2).lower(), o.group(3)))
    found = set()
    for stem, (doc, _) in documents["summit"].items():
        base = doc["servers"][0]["url"]
        for path, method, o in operations(doc):
            found.add((stem, base, o["operationId"], method, path))
            assert o["parameters"][0] == {"$ref": "#/components/parameters/traceparent"}
    assert found == expected
    assert len(found) == 11


def test_guarded_operations_return_the_verdict_header(workspaces, documents):
    guarded = set()
    for source in (workspaces["summit"] / "src").rglob("*.charter"):
        for block in re.split(r"\n\s*\n", source.read_text()):
            name = re.search(r"^\s*op\s+(\w+)", block, re.MULTILINE)
            if name and "guarded by" in block:
                guarded.add(name.group(1))
    seen = set()
    for _, (doc, _) in documents["summit"].items():
        for _, _, o in operations(doc):
            headers = [r.get("headers", {}) for r in o["responses"].values()]
            if o["operationId"] in guarded:
                seen.add(o["operationId"])
                for name in ("Charter-Verdict", "Charter-Verdict-Signature"):
                    assert all(h[name] == {"$ref": f"#/components/headers/{name}"} for h in headers)
                    assert name in doc["components"]["headers"]
            else:
                assert all(
                    "Charter-Verdict" not in h and "Charter-Verdict-Signature" not in h
                    for h in headers
                )
    assert seen == guarded and len(guarded) >= 6


def http_values(since, sunset):
    def day(text):
        return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)

    deprecation = f"@{int(day(since).timestamp())}"
    return deprecation, email.utils.format_datetime(day(sunset), usegmt=True)


def test_deprecated_operations_carry_rfc_9745_and_8594_headers(workspaces, documents):
    annotated = re.compile(
        # The annotation may wrap (charter fmt keeps lines within 100 columns).
        r"@deprecated\(\s*since:\s*([0-9-]+),\s*sunset:\s*([0-9-]+)[^)]*\)\s*op\s+(\w+)"
    )
    expected = {}
    for name in ("summit", "tricky"):
        for source in workspaces[name].rglob("*.charter"):
            for since, sunset, op in annotated.findall(source.read_text()):
                expected[op] = (sunset, *http_values(since, sunset))
    assert {"trace_v1", "export_csv", "old"} <= set(expected)
    seen = set()
    for name in ("summit", "tricky"):
        for _, (doc, _) in documents[name].items():
            for _, _, o in operations(doc):
                if o["operationId"] not in expected:
                    assert "deprecated" not in o
                    continue
                sunset, deprecation, sunset_http = expected[o["operationId"]]
                seen.add(o["operationId"])
                assert o["deprecated"] is True
                assert o["x-sunset"] == sunset
                for response in o["responses"].values():
                    headers = response["headers"]
                    assert headers["Deprecation"]["schema"]["const"] == deprecation
                    assert headers["Sunset"]["schema"]["const"] == sunset_http
    assert seen == set(expected)
    # Deprecated records and fields are marked too.
    audit = documents["summit"]["Audit"][0]["components"]["schemas"]
    assert audit["AuditExport"]["deprecated"] is True
    lineage = documents["summit"]["Lineage"][0]["components"]["schemas"]
    assert lineage["LineageEvent"]["properties"]["source_system"]["deprecated"] is True


class Schemas:
    """Validators for the request body and response schemas of one document, `$ref`s to
    `components` resolved within the document."""

    def __init__(self, doc):
        self.uri = "urn:charter:openapi"
        self.registry = Registry().with_resource(
            self.uri, Resource.from_contents(doc, default_specification=DRAFT202012)
        )
        self.doc = doc

    def _pointer(self, *parts):
        return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)

    def _validator(self, pointer):
        return jsonschema.Draft202012Validator(
            {"$ref": f"{self.uri}#/{pointer}"}, registry=self.registry
        )

    def request(self, path, method):
        pointer = self._pointer(
            "paths", path, method, "requestBody", "content", "application/json", "schema"
        )
        return self._validator(pointer)

    def response(self, path, method, status):
        pointer = self._pointer(
            "paths", path, method, "responses", status, "content", "application/json", "schema"
        )
        return self._validator(pointer)


PROVENANCE = {
    "origin": "ingest",
    "actor": "spiffe://summit.internal/ns/ingest/sa/loader",
    "timestamp": "2026-03-01T12:00:00Z",
    "confidence": 0.9,
    "simulated": False,
}

EVENT = {
    "provenance": PROVENANCE,
    "event_id": "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
    "dataset": "ds-claims",
    "from": "crm",
    "to": "lake",
    "kind": "ingest",
    "hash": "q83vEjRWeJA=",
    "tags": ["backfill"],
}


def test_lineage_request_bodies_require_provenance(documents):
    doc = documents["summit"]["Lineage"][0]
    ingest = Schemas(doc).request("/v2/events", "post")
    assert ingest.is_valid(EVENT)
    assert doc["paths"]["/v2/events"]["post"]["x-charter-requires-provenance"] is True
    assert not ingest.is_valid({k: v for k, v in EVENT.items() if k != "provenance"})
    bad = copy.deepcopy(EVENT)
    bad["provenance"]["confidence"] = 1.5
    assert not ingest.is_valid(bad)
    assert not ingest.is_valid(dict(EVENT, kind="teleport"))
    assert not ingest.is_valid(dict(EVENT, colour="blue"))
    # Optional means absent, never null.
    assert ingest.is_valid(dict(EVENT, prev_hash="q83vEjRWeJA="))
    assert not ingest.is_valid(dict(EVENT, prev_hash=None))
    batch = Schemas(doc).request("/v2/events/validate", "post")
    assert batch.is_valid([EVENT, EVENT])
    assert not batch.is_valid([EVENT, dict(EVENT, tags="x")])
    assert not batch.is_valid(EVENT)


def test_catalog_export_request(documents):
    export = Schemas(documents["summit"]["Catalog"][0]).request(
        "/v1/datasets/{dataset_id}/exports", "post"
    )
    request = {"destination": "s3://acme/x/", "destination_region": "eu-west-1", "external": False}
    assert export.is_valid(request)
    assert export.is_valid(dict(request, format="csv", purpose="audit"))
    assert not export.is_valid(dict(request, format="zip"))
    assert not export.is_valid(dict(request, purpose=None))
    assert not export.is_valid({k: v for k, v in request.items() if k != "external"})


def test_pdp_payloads_from_the_charter_tests(charter, documents):
    """Each hand-written summit test case becomes an `evaluate` request; its verdict, computed
    by `charter test`, is the response: both validate, and broken variants do not."""
    schemas = Schemas(documents["summit"]["PolicyDecision"][0])
    request = schemas.request("/v1/evaluate", "post")
    response = schemas.response("/v1/evaluate", "post", "200")
    checked = 0
    for case in native_cases(charter, SUMMIT):
        if case["generated"]:
            continue
        subject = case["input"]["subject"]
        payload = {
            "policy": case["policy"],
            "action": case["input"]["action"],
            "subject": {
                "kind": "workload" if subject["id"].startswith("spiffe://") else "user",
                "id": subject["id"],
                "tenant": subject.get("tenant", "t-platform"),
            },
            "context": {
                k: v if isinstance(v, str) else json.dumps(v)
                for k, v in case["input"]["context"].items()
            },
            "artefact": case["input"]["resource"].get("id", "artefact"),
        }
        assert request.is_valid(payload), case["name"]
        assert not request.is_valid(dict(payload, policy="other.policy.x"))
        assert not request.is_valid(dict(payload, subject=dict(payload["subject"], kind="robot")))
        assert not request.is_valid(dict(payload, explain="yes"))
        verdict = case["verdict"]
        assert response.is_valid(verdict), case["name"]
        assert not response.is_valid({k: v for k, v in verdict.items() if k != "rule_id"})
        assert not response.is_valid(dict(verdict, allow="true"))
        checked += 1
    assert checked >= 10


def test_open_enums_accept_unknown_values(documents):
    doc = documents["tricky"]["Tricky"][0]
    answer = doc["components"]["schemas"]["Answer"]
    assert answer["x-charter-open-enum"] is True
    post = Schemas(doc).request("/forms", "post")
    assert post.is_valid({"answer": "maybe"})
    assert not post.is_valid({"flag": "maybe"})
    assert not post.is_valid({"code": "1: x"})
    assert post.is_valid({"code": "#12: x", "ratio": 0.5})
    assert not post.is_valid({"ratio": 0.0})
    mode = next(p for p in doc["paths"]["/forms"]["post"]["parameters"] if p.get("name") == "mode")
    assert mode == {
        "name": "mode",
        "in": "query",
        "required": False,
        "schema": {"$ref": "#/components/schemas/Answer", "default": "on"},
    }


def test_wire_names_nullable_members_and_success_statuses(documents):
    """`@wire`, `@nullable` and `@status` in a real 3.1 document, read by a real validator."""
    doc = documents["tricky"]["Tricky"][0]
    create = doc["paths"]["/forms/new"]["post"]
    assert list(create["responses"]) == ["201"]
    assert list(doc["paths"]["/forms/queue"]["post"]["responses"]) == ["202"]
    start = next(p for p in create["parameters"] if p.get("in") == "query" and "StartTime" in p["name"])
    assert start["name"] == "StartTime>"
    sign = next(p for p in create["parameters"] if p.get("name") == "sign")
    assert sign["schema"]["default"] == "+1"
    assert doc["components"]["schemas"]["Sign"]["enum"] == ["+1", "in-progress", "null"]
    body = Schemas(doc).request("/forms/new", "post")
    assert body.is_valid({"maybe_note": None})
    assert body.is_valid({"maybe_note": "n", "maybe_flag": None, "null": None, "yes: no #": "w"})
    assert body.is_valid({"maybe_note": "n", "maybe_flag": "y", "null": "2026-03-01", "sign": "in-progress"})
    assert not body.is_valid({})
    assert not body.is_valid({"maybe_note": "n", "wired": "w"})
    assert not body.is_valid({"maybe_note": "n", "maybe_day": None})
    assert not body.is_valid({"maybe_note": "n", "sign": "in_progress"})
    assert not body.is_valid({"maybe_note": "n", "yes: no #": None})
