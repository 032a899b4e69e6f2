"""`charter bundle push` against a real registry (Debian's `docker-registry`): open, behind
htpasswd (Basic), behind a token service (Bearer), read-only; and the errors (E9020 a bad
reference, E9021 refused credentials, E9022 unreachable, E9023 a refused push), exit code 2."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import urllib.request

import pytest

from conftest import free_port, run_charter
from registry import Registry


def push(charter, bundle, reference, *extra, stdin=None, env=None):
    return run_charter(
        charter, "bundle", "push", bundle, reference, *extra, stdin=stdin, check=False, env=env
    )


def error_code(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    return result.stderr.split("error[", 1)[1].split("]", 1)[0]


def json_error(result) -> dict:
    assert result.returncode == 2, result.stdout + result.stderr
    return json.loads(result.stdout)["diagnostics"][0]


@pytest.fixture
def registry_dir(tmp_path):
    folder = tmp_path / "registry"
    folder.mkdir()
    return folder


def test_push_prints_the_digest_the_registry_serves(charter, registry_bin, bundles, servers, registry_dir):
    registry = Registry(servers, registry_bin, registry_dir)
    reference = registry.reference("charter/summit", "v1")
    first = push(charter, bundles.rev1, reference, "--plain-http")
    assert first.returncode == 0, first.stderr
    digest = first.stdout.strip()
    assert digest.startswith("sha256:") and len(digest) == 71, first.stdout
    assert "signed bundle" in first.stderr and bundle_revision(bundles.rev1) in first.stderr
    request = urllib.request.Request(
        f"{registry.url}/v2/charter/summit/manifests/v1",
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        assert response.headers["Docker-Content-Digest"] == digest
    assert "sha256:" + hashlib.sha256(body).hexdigest() == digest
    manifest = json.loads(body)
    assert manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
    (layer,) = manifest["layers"]
    assert layer["annotations"] == {"org.opencontainers.image.title": "bundle.tar.gz"}
    with urllib.request.urlopen(f"{registry.url}/v2/charter/summit/blobs/{layer['digest']}", timeout=10) as response:
        assert response.read() == (bundles.rev1 / "bundle.tar.gz").read_bytes()
    # The same bundle again (the blobs are there): the same digest; the archive too.
    again = push(charter, bundles.rev1 / "bundle.tar.gz", reference, "--plain-http")
    assert again.returncode == 0 and again.stdout.strip() == digest, again.stderr
    # JSON output.
    doc = json.loads(push(charter, bundles.rev1, reference, "--plain-http", "--format", "json").stdout)
    assert doc["digest"] == digest and doc["reference"] == reference
    assert doc["revision"] == bundle_revision(bundles.rev1)


def bundle_revision(folder):
    return json.loads((folder / ".manifest").read_text())["revision"]


def test_basic_auth_with_htpasswd(charter, registry_bin, bundles, servers, registry_dir):
    registry = Registry(servers, registry_bin, registry_dir, auth="htpasswd", users={"ci": "s3cret pass"})
    reference = registry.reference("charter/summit", "basic")
    assert error_code(push(charter, bundles.rev1, reference, "--plain-http")) == "E9021"
    wrong = push(charter, bundles.rev1, reference, "--plain-http", "--username", "ci",
                 "--password-stdin", stdin="nope\n")
    assert error_code(wrong) == "E9021"
    assert "401" in wrong.stderr
    ok = push(charter, bundles.rev1, reference, "--plain-http", "--username", "ci",
              "--password-stdin", stdin="s3cret pass\n")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("sha256:")


def test_bearer_tokens_from_the_registry_token_service(charter, registry_bin, bundles, servers, registry_dir):
    registry = Registry(servers, registry_bin, registry_dir, auth="token", users={"ci": "pw"})
    try:
        reference = registry.reference("charter/summit", "bearer")
        # No credentials: an anonymous token without access, then 401 again.
        assert error_code(push(charter, bundles.rev1, reference, "--plain-http")) == "E9021"
        refused = push(charter, bundles.rev1, reference, "--plain-http", "--username", "ci",
                       "--password-stdin", stdin="wrong")
        assert error_code(refused) == "E9021"
        assert "token service" in refused.stderr
        ok = push(charter, bundles.rev1, reference, "--plain-http", "--username", "ci",
                  "--password-stdin", stdin="pw")
        assert ok.returncode == 0, ok.stderr
        asked = [r for r in registry.token_service.requests if r.get("user") == "ci" and "query" in r]
        assert asked and asked[-1]["query"]["scope"] == ["repository:charter/summit:pull,push"]
        assert asked[-1]["query"]["service"] == ["charter-fleet-registry"]
        # A token obtained beforehand, from the environment.
        request = urllib.request.Request(
            f"{registry.token_service.url}/token?service=charter-fleet-registry"
            "&scope=repository:charter/summit:pull,push",
            headers={"Authorization": "Basic " + base64.b64encode(b"ci:pw").decode()},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            token = json.loads(response.read())["token"]
        env = dict(os.environ, CHARTER_REGISTRY_TOKEN=token)
        with_token = push(charter, bundles.rev2, reference, "--plain-http", env=env)
        assert with_token.returncode == 0, with_token.stderr
        bad_env = dict(os.environ, CHARTER_REGISTRY_TOKEN="not-a-token")
        assert error_code(push(charter, bundles.rev2, reference, "--plain-http", env=bad_env)) == "E9021"
    finally:
        registry.stop()


def test_a_read_only_registry_refuses_the_push(charter, registry_bin, bundles, servers, registry_dir):
    registry = Registry(servers, registry_bin, registry_dir, read_only=True)
    result = push(charter, bundles.rev1, registry.reference(), "--plain-http", "--format", "json")
    d = json_error(result)
    assert d["code"] == "E9023", d
    assert "answered" in d["message"], d


def test_unreachable_registries_and_bad_references(charter, bundles):
    closed = f"127.0.0.1:{free_port()}/charter/summit:x"
    result = push(charter, bundles.rev1, closed, "--plain-http")
    assert error_code(result) == "E9022"
    assert "cannot reach" in result.stderr
    # HTTPS to a port where nothing listens is unreachable too (no TLS fallback to HTTP).
    assert error_code(push(charter, bundles.rev1, closed)) == "E9022"
    for reference, why in [
        ("charter/summit:1", "not a registry host"),
        ("127.0.0.1:5000/Charter:1", "not a repository name"),
        ("127.0.0.1:5000/charter@sha256:abc", "not a digest"),
        ("127.0.0.1:99999/charter", "not a port"),
    ]:
        result = push(charter, bundles.rev1, reference, "--plain-http")
        assert error_code(result) == "E9020", reference
        assert why in result.stderr, result.stderr
    # Plain HTTP only on loopback: refused before anything is sent.
    result = push(charter, bundles.rev1, "registry.example/charter/summit:1", "--plain-http",
                  "--format", "json")
    d = json_error(result)
    assert d["code"] == "E9020" and "only for a registry on this machine" in d["message"]


def test_what_is_not_a_bundle_is_refused(charter, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README").write_text("hi")
    assert error_code(push(charter, empty, "127.0.0.1:1/a:b", "--plain-http")) == "E9019"
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not gzip")
    assert error_code(push(charter, junk, "127.0.0.1:1/a:b", "--plain-http")) == "E9019"
    assert error_code(push(charter, tmp_path / "missing", "127.0.0.1:1/a:b", "--plain-http")) == "E9006"
