"""Build attestations (`charter build --attest`, docs/attest.md) read and verified by code that is
not Charter's: the in-toto attestation framework's models (Statement v1 and the SLSA Provenance
v1 predicate, parsed strictly from JSON: an unknown field or a wrong type fails), digests
recomputed with hashlib, and DSSE signatures checked with `cryptography` over a
pre-authentication encoding written here and with securesystemslib's own envelope.

Run by `bash tests/attest/run.sh` (which installs the packages); or by hand:
`.tools/venv/bin/python -m pytest tests/attest`.
"""

import base64
import datetime
import hashlib
import json
import os
import pathlib
import shutil
import subprocess

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from google.protobuf import json_format
from in_toto_attestation.predicates.provenance.v1 import provenance_pb2
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.v1.statement import Statement
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey

REPO = pathlib.Path(__file__).resolve().parents[2]
CHARTER = REPO / "target" / "debug" / "charter"
SUMMIT = REPO / "examples" / "summit"
KEYS = REPO / "codegen" / "src" / "bundle" / "testdata"
EPOCH = "1700000000"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


@pytest.fixture(scope="session")
def charter():
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "-q", "-p", "charter-cli"], cwd=REPO, check=True)
    assert CHARTER.exists(), f"{CHARTER} was not built"
    return CHARTER


def run(charter, *args, cwd=REPO, date=EPOCH):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if date is not None:
        env["SOURCE_DATE_EPOCH"] = date
    return subprocess.run(
        [str(charter), *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def build(charter, workspace, out, *extra):
    done = run(charter, "build", str(workspace), "--out", str(out), "--attest", *extra)
    assert done.returncode == 0, done.stderr
    return pathlib.Path(out)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def target_files(out, target):
    """Every file of the target's folder, by path relative to the output folder."""
    root = out / target
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def summit(charter, tmp_path_factory):
    """`examples/summit`, every target, attested (unsigned)."""
    return build(charter, SUMMIT, tmp_path_factory.mktemp("summit") / "out")


def statements(out):
    found = sorted((out / "attestations").glob("*.intoto.json"))
    assert found, "no statements"
    return found


def check_statement(text, out, target):
    """The statement parsed by the in-toto models and checked against the files on disk."""
    message = json_format.Parse(text, statement_pb2.Statement())
    Statement.copy_from_pb(message).validate()
    assert message.predicate_type == "https://slsa.dev/provenance/v1"
    predicate = json.loads(text)["predicate"]
    provenance = json_format.ParseDict(predicate, provenance_pb2.Provenance())
    definition = provenance.build_definition
    assert definition.build_type == "https://charter.invalid/attest/build-type/v1"
    assert definition.external_parameters["target"] == target
    for dependency in definition.resolved_dependencies:
        ResourceDescriptor.copy_from_pb(dependency).validate()
    # Subjects: exactly the target's files, each with the SHA-256 of its bytes.
    subjects = {s.name: dict(s.digest) for s in message.subject}
    files = target_files(out, target)
    assert subjects.keys() == files.keys()
    for name, data in files.items():
        assert subjects[name] == {"sha256": sha256(data)}, name
    # Dependencies: every source file of the workspace, with its digest.
    names = {d.name: dict(d.digest) for d in definition.resolved_dependencies}
    for source in SUMMIT.rglob("*.charter"):
        rel = source.relative_to(SUMMIT).as_posix()
        assert names[rel] == {"sha256": sha256(source.read_bytes())}, rel
    assert names["charter.toml"] == {"sha256": sha256((SUMMIT / "charter.toml").read_bytes())}
    assert "charter" in names and "charter-stdlib" in names
    started = provenance.run_details.metadata.started_on.ToDatetime(datetime.timezone.utc)
    assert started == datetime.datetime.fromtimestamp(int(EPOCH), datetime.timezone.utc)
    assert provenance.run_details.builder.version["charter"]
    return message


def test_every_statement_parses_with_the_in_toto_models(summit):
    targets = set()
    for path in statements(summit):
        target = path.name.removesuffix(".intoto.json")
        targets.add(target)
        check_statement(path.read_text(), summit, target)
    # One per target folder the build wrote.
    folders = {p.name for p in summit.iterdir() if p.is_dir() and p.name != "attestations"}
    assert targets == folders


def test_an_unknown_field_fails_the_strict_models(summit):
    # The check above can fail: the models refuse what the SLSA schema does not define.
    text = json.loads(statements(summit)[0].read_text())
    text["predicate"]["buildDefinition"]["surprise"] = 1
    with pytest.raises(json_format.ParseError):
        json_format.ParseDict(text["predicate"], provenance_pb2.Provenance())


def pae(payload_type, payload):
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


@pytest.mark.parametrize(
    "private,public,scheme",
    [
        ("rsa-pkcs1.pem", "rsa-public.pem", "rsa-pkcs1v15-sha256"),
        ("ec-sec1.pem", "ec-public.pem", "ecdsa-sha2-nistp256"),
    ],
)
def test_dsse_signatures_verify_independently(charter, tmp_path, private, public, scheme):
    out = build(
        charter,
        SUMMIT,
        tmp_path / "out",
        "--target",
        "rego",
        "--signing-key",
        str(KEYS / private),
        "--key-id",
        "ci",
    )
    key = serialization.load_pem_public_key((KEYS / public).read_bytes())
    for target in ("rego", "rego-tests"):
        lines = (out / "attestations" / f"{target}.intoto.jsonl").read_text().splitlines()
        assert len(lines) == 1
        envelope = json.loads(lines[0])
        assert envelope["payloadType"] == PAYLOAD_TYPE
        payload = base64.b64decode(envelope["payload"], validate=True)
        check_statement(payload.decode(), out, target)
        (signature,) = envelope["signatures"]
        assert signature["keyid"] == "ci"
        sig = base64.b64decode(signature["sig"], validate=True)

        def verify(data):
            if isinstance(key, rsa.RSAPublicKey):
                key.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
            else:
                assert isinstance(key, ec.EllipticCurvePublicKey)
                key.verify(sig, data, ec.ECDSA(hashes.SHA256()))

        verify(pae(PAYLOAD_TYPE, payload))
        # A changed payload or payload type does not verify.
        changed = payload.replace(b'"target": "', b'"target": "x', 1)
        assert changed != payload
        with pytest.raises(InvalidSignature):
            verify(pae(PAYLOAD_TYPE, changed))
        with pytest.raises(InvalidSignature):
            verify(pae("application/json", payload))
        # securesystemslib's DSSE: its own PAE and key schemes.
        sslib = Envelope.from_dict(envelope)
        assert sslib.pae() == pae(PAYLOAD_TYPE, payload)
        accepted = sslib.verify([SSlibKey.from_crypto(key, keyid="ci", scheme=scheme)], 1)
        assert list(accepted) == ["ci"]
    done = run(charter, "attest", "verify", str(out), "--verification-key", str(KEYS / public))
    assert done.returncode == 0, done.stderr


def test_two_builds_with_one_source_date_are_byte_identical(charter, tmp_path):
    # Two copies of the workspace in two places, each built into its own folder.
    outs = []
    for name in ("one", "two"):
        workspace = tmp_path / name / "summit"
        shutil.copytree(SUMMIT, workspace, ignore=shutil.ignore_patterns("out"))
        outs.append(
            build(
                charter,
                workspace,
                workspace / "out",
                "--target",
                "rego,openapi",
                "--signing-key",
                str(KEYS / "ec-sec1.pem"),
            )
        )
    first = sorted(p.name for p in (outs[0] / "attestations").iterdir())
    assert first == sorted(p.name for p in (outs[1] / "attestations").iterdir())
    assert "rego.intoto.jsonl" in first
    for name in first:
        assert (outs[0] / "attestations" / name).read_bytes() == (
            outs[1] / "attestations" / name
        ).read_bytes(), name


def test_tampered_removed_and_added_files_are_refused(charter, tmp_path, summit):
    out = tmp_path / "out"
    shutil.copytree(summit, out)
    changed = out / "openapi" / "Catalog.yaml"
    changed.write_bytes(changed.read_bytes() + b"# edited\n")
    (out / "rego" / ".manifest").unlink()
    (out / "sdk-go" / "backdoor.go").write_text("package backdoor\n")
    done = run(charter, "attest", "verify", str(out), "--format", "json")
    assert done.returncode == 1, done.stderr
    found = {(d["code"], d["file"]) for d in json.loads(done.stdout)["diagnostics"]}
    assert found == {
        ("E9032", str(out / "openapi" / "Catalog.yaml")),
        ("E9033", str(out / "rego" / ".manifest")),
        ("E9034", str(out / "sdk-go" / "backdoor.go")),
    }
