"""Code written against the Python SDK of tests/evolution/summit-v1 (summit 2.0.0).
tests/sdk-python/run.sh copies it beside today's summit SDK, built with
``--compat tests/evolution/summit-v1``, and runs ``mypy --strict`` on it there: code written
against the N-1 SDK must keep type-checking."""

from __future__ import annotations

from summit_sdk import APIError, Transport, ValidationError
from summit_sdk.summit.lineage import LineageClient
from summit_sdk.summit.platform import (
    AuditClient,
    CatalogClient,
    DatasetSummary,
    ExportFormat,
)


def uses_the_v1_sdk(base_url: str) -> list[str]:
    """Calls the v1 operations with the v1 names."""
    catalog = CatalogClient(Transport(base_url, timeout=5.0))
    try:
        found = catalog.get_dataset(dataset_id="d-1")
    except (ValidationError, APIError):
        return []
    summary: DatasetSummary = found.value
    decider = found.verdict.decider if found.verdict is not None else ""
    formats = [ExportFormat.PARQUET, ExportFormat.CSV]
    listed = catalog.search(limit=10)
    names = [summary.name, decider, formats[0].value]
    names.extend(d.name for d in listed.value)
    exported = AuditClient(base_url).export_csv(tenant="t-1")
    trace = LineageClient(base_url).trace(entity_id="e-1", depth=2)
    return [*names, exported.value.tenant, trace.value.entity_id]
