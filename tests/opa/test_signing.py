"""Bundle signatures, checked independently of the Rust code that writes them.

`charter build --signing-key` must write `.signatures.json` exactly as OPA reads it
(open-policy-agent/opa `v1/bundle/verify.go`, `hash.go`, `bundle.go`):

- `{"signatures": ["<JWS compact serialization>"]}` with exactly one token, whose protected header
  is `{"alg": "RS256"|"ES256", "kid": ...}` and whose payload is
  `{"files": [{"name", "hash", "algorithm": "SHA-256"}], "keyid"?, "scope"?}`;
- every file of the bundle but `.signatures.json` is listed once, by its path relative to the
  bundle root (no leading `/`), and no other file is;
- `hash` is the hex SHA-256 of the file's bytes, except for `data.json` and `.manifest`
  (`bundle.IsStructuredDoc`), hashed over their canonical JSON: keys sorted, no whitespace,
  numbers as written, strings as Go's json.Encoder writes them with SetEscapeHTML(false).

Here the JWS is verified with PyJWT and `cryptography`, every hash is recomputed with a canonical
JSON encoder written here from that description, and `charter bundle verify` must name a tampered,
a removed and an added file. Keys are generated for each run; nothing secret is stored.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "summit"
SIGNATURES = ".signatures.json"
ARCHIVE = "bundle.tar.gz"


# --- running charter (the `charter` fixture is conftest.py's) and keys ------------------------


def run(charter: Path, *args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(charter), *map(str, args)], capture_output=True, text=True, timeout=300
    )


def write_keys(folder: Path, algorithm: str) -> tuple[Path, Path, object]:
    """A fresh private key (PEM) and its public key, for this test run only."""
    if algorithm == "RS256":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_format = serialization.PrivateFormat.TraditionalOpenSSL  # RSA PRIVATE KEY
    else:
        key = ec.generate_private_key(ec.SECP256R1())
        private_format = serialization.PrivateFormat.PKCS8  # PRIVATE KEY
    private = folder / f"{algorithm}.key.pem"
    public = folder / f"{algorithm}.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, private_format, serialization.NoEncryption()
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public, key.public_key()


# --- OPA's file hash, written from its description ---------------------------------------------


class Number(str):
    """A JSON number kept as written (Go decodes with UseNumber and re-encodes the text)."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def go_string(text: str) -> str:
    # json.dumps escapes like Go's encoder without HTML escaping (", \, \b \f \n \r \t, other
    # control characters as \u00xx); Go also always escapes U+2028 and U+2029.
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def canonical(value) -> str:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-8", "surrogatepass"))
        return "{" + ",".join(go_string(k) + ":" + canonical(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return go_string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    raise TypeError(type(value))


def opa_hash(name: str, data: bytes) -> str:
    if name.rsplit("/", 1)[-1] in ("data.json", ".manifest"):
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        value = json.loads(
            data.decode("utf-8"),
            parse_int=Number,
            parse_float=Number,
            parse_constant=_reject_constant,
        )
        data = canonical(value).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def test_canonical_json_matches_opa_rules():
    text = b'{"b": [1.0, 1e2, "<&>"], "a": {"z": null, "y": true}, "\xc3\xa9": "\\u2028\\n"}'
    assert canonical(json.loads(text, parse_int=Number, parse_float=Number)) == (
        '{"a":{"y":true,"z":null},"b":[1.0,1e2,"<&>"],"\u00e9":"\\u2028\\n"}'
    )


# --- reading a bundle --------------------------------------------------------------------------


def folder_files(folder: Path) -> dict[str, bytes]:
    """The bundle's files by relative name: everything but the signatures and the archive."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).as_posix() not in (SIGNATURES, ARCHIVE)
    }


def token_of(signatures: bytes) -> str:
    config = json.loads(signatures)
    assert set(config) == {"signatures"}, config
    assert isinstance(config["signatures"], list) and len(config["signatures"]) == 1
    return config["signatures"][0]


def check_signed(files: dict[str, bytes], signatures: bytes, public_key, algorithm: str,
                 key_id: str | None, scope: str | None = None) -> dict:
    """Verifies the JWS and every file hash; returns the payload."""
    token = token_of(signatures)
    header = jwt.get_unverified_header(token)
    expected_header = {"alg": algorithm}
    if key_id is not None:
        expected_header["kid"] = key_id
    assert header == expected_header
    payload = json.loads(
        jwt.api_jws.PyJWS().decode(token, key=public_key, algorithms=[algorithm])
    )
    assert payload.get("keyid") == key_id
    assert payload.get("scope") == scope
    listed = {entry["name"]: entry for entry in payload["files"]}
    assert len(listed) == len(payload["files"]), "a file is listed twice"
    assert set(listed) == set(files), "the signature must list exactly the bundle's files"
    for name, data in files.items():
        entry = listed[name]
        assert set(entry) == {"name", "hash", "algorithm"}
        assert entry["algorithm"] == "SHA-256"
        assert not name.startswith(("/", "./")), name
        assert entry["hash"] == opa_hash(name, data), f"hash of {name}"
    return payload


def archive_files(path: Path) -> dict[str, bytes]:
    """Regular files of a bundle archive, named as OPA's tarball loader compares them."""
    out = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isreg():
                assert not member.name.startswith("./"), member.name
                extracted = tar.extractfile(member)
                assert extracted is not None
                out[member.name.lstrip("/")] = extracted.read()
    return out


# --- the bundle `charter build --signing-key` writes ------------------------------------------


@pytest.fixture(scope="module", params=["RS256", "ES256"])
def signed_build(request, charter, tmp_path_factory):
    algorithm = request.param
    work = tmp_path_factory.mktemp(f"signed-{algorithm}")
    private, public, public_key = write_keys(work, algorithm)
    out = work / "out"
    result = run(
        charter, "build", EXAMPLE, "--target", "rego", "--out", out,
        "--signing-key", private, "--key-id", "ci-key",
    )
    assert result.returncode == 0, result.stderr
    return {
        "algorithm": algorithm,
        "bundle": out / "rego",
        "public": public,
        "public_key": public_key,
        "private": private,
        "work": work,
    }


def test_build_writes_a_signature_opa_accepts(signed_build):
    bundle = signed_build["bundle"]
    files = folder_files(bundle)
    assert ".manifest" in files and any(n.endswith("policy.rego") for n in files)
    check_signed(
        files, (bundle / SIGNATURES).read_bytes(), signed_build["public_key"],
        signed_build["algorithm"], "ci-key",
    )


def test_the_archive_carries_the_same_signed_bundle(signed_build):
    bundle = signed_build["bundle"]
    archive = bundle / ARCHIVE
    if not archive.exists():
        pytest.skip("the rego target wrote no bundle.tar.gz")
    inside = archive_files(archive)
    assert SIGNATURES in inside, "the archive must carry .signatures.json"
    signatures = inside.pop(SIGNATURES)
    assert signatures == (bundle / SIGNATURES).read_bytes()
    assert inside == folder_files(bundle)
    check_signed(
        inside, signatures, signed_build["public_key"], signed_build["algorithm"], "ci-key"
    )


def test_signing_is_deterministic(signed_build, charter, tmp_path):
    again = tmp_path / "again"
    result = run(
        charter, "build", EXAMPLE, "--target", "rego", "--out", again,
        "--signing-key", signed_build["private"], "--key-id", "ci-key",
    )
    assert result.returncode == 0, result.stderr
    first = signed_build["bundle"]
    assert (again / "rego" / SIGNATURES).read_bytes() == (first / SIGNATURES).read_bytes()


def test_opa_itself_verifies_the_jws(signed_build, tmp_path):
    """OPA's own JWS code (io.jwt.verify_*), where the OPA engine bindings are installed."""
    opa = pytest.importorskip("opa_bindings")
    algorithm = signed_build["algorithm"]
    token = token_of((signed_build["bundle"] / SIGNATURES).read_bytes())
    _, other, _ = write_keys(tmp_path, algorithm)
    query = f"x := io.jwt.verify_{algorithm.lower()}(input.token, input.pem)"
    engine = opa.OpaEngine()
    try:
        good = {"token": token, "pem": signed_build["public"].read_text()}
        assert engine.eval_query(query, input=good) == [{"x": True}]
        bad = {"token": token, "pem": other.read_text()}
        assert engine.eval_query(query, input=bad) == [{"x": False}]
        [decoded] = engine.eval_query("[h, p, _] := io.jwt.decode(input.token)", input=good)
        assert decoded["h"] == {"alg": algorithm, "kid": "ci-key"}
        assert {f["name"] for f in decoded["p"]["files"]} == set(
            folder_files(signed_build["bundle"])
        )
    finally:
        engine.close()


# --- charter bundle verify ---------------------------------------------------------------------


@pytest.fixture
def copy(signed_build, tmp_path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(signed_build["bundle"], target)
    # The archive is checked on its own below; here the loose files are tampered with.
    (target / ARCHIVE).unlink(missing_ok=True)
    return target


def verify(charter, bundle, public, *extra) -> subprocess.CompletedProcess:
    return run(charter, "bundle", "verify", bundle, "--verification-key", public, *extra)


def test_verify_accepts_the_built_bundle(signed_build, charter):
    result = verify(charter, signed_build["bundle"], signed_build["public"], "--key-id", "ci-key")
    assert result.returncode == 0, result.stderr
    assert "ok:" in result.stderr


def test_verify_names_a_tampered_file(signed_build, charter, copy):
    policy = next(p for p in sorted(copy.rglob("policy.rego")))
    name = policy.relative_to(copy).as_posix()
    policy.write_text(policy.read_text() + "\n# tampered\n")
    result = verify(charter, copy, signed_build["public"])
    assert result.returncode == 1, result.stderr
    assert f"`{name}` does not match" in result.stderr, result.stderr


def test_verify_names_a_removed_file(signed_build, charter, copy):
    (copy / ".manifest").unlink()
    result = verify(charter, copy, signed_build["public"])
    assert result.returncode == 1, result.stderr
    assert "`.manifest` is listed in the signature but missing" in result.stderr, result.stderr


def test_verify_names_an_added_file(signed_build, charter, copy):
    extra = copy / "charter" / "injected" / "policy.rego"
    extra.parent.mkdir(parents=True)
    extra.write_text("package charter.injected\n\nallow := true\n")
    result = verify(charter, copy, signed_build["public"])
    assert result.returncode == 1, result.stderr
    assert "`charter/injected/policy.rego` is in the bundle but not included" in result.stderr


def test_verify_accepts_reformatted_json(signed_build, charter, copy):
    """Structured files are hashed over canonical JSON, so whitespace does not matter."""
    data = copy / "data.json"
    if not data.exists():
        pytest.skip("the bundle has no data.json")
    data.write_text(json.dumps(json.loads(data.read_text()), indent=7) + "\n")
    result = verify(charter, copy, signed_build["public"])
    assert result.returncode == 0, result.stderr


def test_verify_rejects_another_key(signed_build, charter, tmp_path):
    _, other, _ = write_keys(tmp_path, signed_build["algorithm"])
    result = verify(charter, signed_build["bundle"], other)
    assert result.returncode == 1
    assert "bad signature" in result.stderr, result.stderr
    wrong = "ES256" if signed_build["algorithm"] == "RS256" else "RS256"
    _, other, _ = write_keys(tmp_path, wrong)
    result = verify(charter, signed_build["bundle"], other)
    assert result.returncode == 1
    assert "wrong algorithm" in result.stderr, result.stderr


def test_verify_names_a_file_tampered_inside_the_archive(signed_build, charter, tmp_path):
    archive = signed_build["bundle"] / ARCHIVE
    if not archive.exists():
        pytest.skip("the rego target wrote no bundle.tar.gz")
    files = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isreg():
                files[member.name] = tar.extractfile(member).read()
    name = next(n for n in files if n.endswith("policy.rego"))
    files[name] += b"\n# tampered\n"
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for member_name, data in files.items():
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = verify(charter, forged, signed_build["public"])
    assert result.returncode == 1, result.stderr
    assert f"`{name.lstrip('/')}` does not match" in result.stderr, result.stderr


# --- charter bundle sign -----------------------------------------------------------------------


def test_bundle_sign_with_scope(signed_build, charter, copy, tmp_path):
    (copy / SIGNATURES).unlink()
    private, public, public_key = write_keys(tmp_path, "ES256")
    result = run(
        charter, "bundle", "sign", copy, "--signing-key", private, "--key-id", "k2",
        "--scope", "write",
    )
    assert result.returncode == 0, result.stderr
    check_signed(
        folder_files(copy), (copy / SIGNATURES).read_bytes(), public_key, "ES256", "k2", "write"
    )
    assert verify(charter, copy, public, "--scope", "write", "--key-id", "k2").returncode == 0
    result = verify(charter, copy, public)
    assert result.returncode == 1 and "scope mismatch" in result.stderr, result.stderr
    result = verify(charter, copy, public, "--scope", "write", "--key-id", "other")
    assert result.returncode == 1 and "wrong key id" in result.stderr, result.stderr


def test_bundle_sign_reports_a_bad_key(charter, copy, tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key\n")
    result = run(charter, "bundle", "sign", copy, "--signing-key", bad)
    assert result.returncode == 2
    assert "no PEM private key" in result.stderr, result.stderr
