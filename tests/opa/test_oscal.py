"""The crosswalk target's OSCAL component definition, validated with compliance-trestle's OSCAL
models (generated from the NIST OSCAL JSON schema: token patterns, UUIDs, required fields, no
extra fields), plus the properties the OSCAL schema cannot express: deterministic output and
one implemented requirement per covered requirement."""

import csv
import json
import pathlib

import pytest
from trestle.oscal.component import ComponentDefinition

from conftest import run


def build_crosswalk(charter, out):
    run(charter, "build", "examples/summit", "--target", "crosswalk", "--out", str(out))
    return pathlib.Path(out) / "crosswalk"


@pytest.fixture(scope="module")
def crosswalk(charter, tmp_path_factory):
    return build_crosswalk(charter, tmp_path_factory.mktemp("crosswalk"))


def test_component_definition_is_valid_oscal(crosswalk):
    path = crosswalk / "oscal" / "component-definition.json"
    document = json.loads(path.read_text())
    assert list(document) == ["component-definition"]
    model = ComponentDefinition.parse_obj(document["component-definition"])
    assert model.metadata.oscal_version.root.root == "1.1.2"
    # trestle's own reader agrees (it unwraps the top-level key itself).
    assert ComponentDefinition.oscal_read(path).uuid == model.uuid


def test_every_covered_requirement_is_implemented(crosswalk):
    document = json.loads((crosswalk / "oscal" / "component-definition.json").read_text())
    implementations = document["component-definition"]["components"][0][
        "control-implementations"
    ]
    labels = {
        (impl["source"], prop["value"])
        for impl in implementations
        for req in impl["implemented-requirements"]
        for prop in req["props"]
        if prop["name"] == "label"
    }
    report = json.loads((crosswalk / "crosswalk.json").read_text())
    titles = {f["framework"]: f["title"] for f in report["frameworks"]}
    with open(crosswalk / "crosswalk.csv", newline="") as f:
        covered = {
            (titles[row["framework"]], row["requirement_id"])
            for row in csv.DictReader(f)
            if row["status"] == "covered"
        }
    assert labels == covered
    for impl in implementations:
        ids = [r["control-id"] for r in impl["implemented-requirements"]]
        assert len(ids) == len(set(ids))


def test_output_is_deterministic(charter, crosswalk, tmp_path):
    again = build_crosswalk(charter, tmp_path)
    for name in [
        "crosswalk.md",
        "crosswalk.csv",
        "crosswalk.json",
        "oscal/component-definition.json",
    ]:
        assert (again / name).read_bytes() == (crosswalk / name).read_bytes(), name
