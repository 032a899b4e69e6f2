"""Three real OPA servers pull signed bundles from a real OCI registry (Debian's
`docker-registry`) that `charter bundle push` filled: revision 1, revision 2 hot-reloaded, a
tampered bundle and a wrongly signed one refused (fleet.py has the scenario)."""

from __future__ import annotations

import hashlib
import json

from conftest import run_charter
from fleet import run_scenario, start_fleet
from registry import Registry


def push(charter, bundle, reference, *extra):
    result = run_charter(
        charter, "bundle", "push", bundle, reference, "--plain-http", "--format", "json", *extra
    )
    return json.loads(result.stdout)


def test_a_fleet_pulls_signed_bundles_from_a_registry(
    charter, opa, registry_bin, bundles, cases, servers, tmp_path
):
    (tmp_path / "registry").mkdir()
    registry = Registry(servers, registry_bin, tmp_path / "registry")
    reference = registry.reference("charter/summit", "rev")
    pushed = []

    def publish(bundle, archive):
        source = bundle / "bundle.tar.gz" if archive else bundle
        doc = push(charter, source, reference)
        # A folder is packed byte for byte as `charter build` packed its archive.
        layer = (bundle / "bundle.tar.gz").read_bytes()
        assert doc["layer"]["digest"] == "sha256:" + hashlib.sha256(layer).hexdigest()
        assert doc["signed"] is True
        # The registry serves the manifest under the digest charter printed.
        code, manifest = registry.manifest("charter/summit", "rev")
        assert code == 200, manifest
        assert manifest["layers"][0]["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip"
        assert manifest["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json"
        pushed.append(doc["digest"])

    fleet = start_fleet(
        servers,
        opa,
        tmp_path,
        {"url": registry.url, "type": "oci"},
        reference,
        bundles.public,
    )
    figures = run_scenario(fleet, publish, bundles, cases, charter)
    assert len(set(pushed)) == 4, pushed
    print(f"\nOCI fleet: revision 2 active on all three servers {figures['reload_seconds']:.1f}s after the push")
