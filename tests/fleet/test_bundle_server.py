"""The same fleet scenario (fleet.py) with a plain HTTP bundle server, the other standard way
OPA downloads bundles: OPA's `services` without `type: oci`, the bundle's `resource` a path; the
server answers OPA's `If-None-Match` with 304 while the bundle is unchanged."""

from __future__ import annotations

import time

import pytest

from bundle_server import PATH, BundleServer
from fleet import run_scenario, start_fleet


@pytest.fixture
def bundle_server():
    server = BundleServer()
    yield server
    server.stop()


def test_a_fleet_pulls_signed_bundles_from_a_bundle_server(
    charter, opa, bundles, cases, servers, bundle_server, tmp_path
):
    def publish(bundle, archive):
        bundle_server.publish((bundle / "bundle.tar.gz").read_bytes())

    fleet = start_fleet(servers, opa, tmp_path, {"url": bundle_server.url}, PATH, bundles.public)
    figures = run_scenario(fleet, publish, bundles, cases, charter)
    # While the bundle is unchanged, the servers' polls are answered 304 (OPA sends the ETag).
    publish(bundles.rev2, archive=True)
    before = bundle_server.not_modified
    time.sleep(4.5)
    assert bundle_server.not_modified > before, "no poll was answered 304 Not Modified"
    print(f"\nbundle server fleet: revision 2 active on all three servers {figures['reload_seconds']:.1f}s after it was published")
