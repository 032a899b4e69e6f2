//! A domain package's `model.charter`, `contexts.charter` and `records.charter`.

use std::fmt::Write as _;

use super::*;

pub(crate) fn model(d: &Domain, pkg: &str) -> String {
    let r = d.resource;
    let mut s = String::new();
    out!(
        s,
        "// {}: the {} model — what is governed, and who acts on it.",
        d.team,
        d.prose
    );
    out!(s, "package {pkg}");
    out!(s);
    out!(
        s,
        "use atlas.core.{{User, Workload, Sensitivity, TenantId}}"
    );
    out!(s);
    out!(s, "/// Lifecycle of a {}.", d.prose);
    out!(s, "enum {r}Status {{");
    for (v, doc) in [
        (
            "draft",
            "Being prepared; not visible outside the owning team.",
        ),
        ("active", "In use."),
        (
            "suspended",
            "Temporarily frozen while an issue is investigated.",
        ),
        ("archived", "Kept for retention only; read-only."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {v}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Service tier of the customer a {} belongs to, from least to most protected.",
        d.prose
    );
    out!(s, "ordered enum Tier {{");
    for (v, doc) in [
        ("bronze", "Self-service customers."),
        ("silver", "Customers with a support contract."),
        ("gold", "Customers with a dedicated account team."),
        (
            "platinum",
            "Regulated customers with contractual audit rights.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {v}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// A {} as the policies see it.", d.prose);
    out!(s, "entity {r} {{");
    for (field, ty, doc) in [
        ("id", "string".to_string(), "Stable id."),
        ("tenant", "TenantId".to_string(), "The owning tenant."),
        ("owner", "string".to_string(), "The accountable person."),
        ("sensitivity", "Sensitivity".to_string(), "Classification."),
        (
            "region",
            "string".to_string(),
            "The region the data is stored in.",
        ),
        ("status", format!("{r}Status"), "Lifecycle state."),
        ("tier", "Tier".to_string(), "The customer's service tier."),
        (
            "contains_pii",
            "bool".to_string(),
            "Whether it holds personal data.",
        ),
        (
            "legal_hold",
            "bool".to_string(),
            "Whether legal has frozen it.",
        ),
        (
            "retention_days",
            "int in 0..".to_string(),
            "How long it is kept after closure.",
        ),
        (
            "risk_score",
            "int?".to_string(),
            "The fraud and abuse score, once scored.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// What people do with {}.", d.many());
    out!(
        s,
        "action read, update, export, delete, approve on {r} by User"
    );
    out!(s);
    out!(s, "/// Pipelines append events to {}.", d.many());
    out!(s, "action ingest on {r} by Workload");
    s
}

pub(crate) fn contexts(d: &Domain, pkg: &str) -> String {
    let mut s = String::new();
    out!(
        s,
        "// Request context for {}: what the gateway knows besides who and what.",
        d.many()
    );
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use std.provenance.Provenance");
    out!(s, "use atlas.core.Environment");
    out!(s);
    out!(
        s,
        "/// Attributes of a request on a {}, filled in by the gateway.",
        d.prose
    );
    out!(s, "context {}Request {{", d.resource);
    for (field, ty, doc) in [
        (
            "provenance",
            "Provenance?",
            "The provenance envelope of the payload, when the request carries one.",
        ),
        (
            "mfa",
            "bool",
            "Whether the caller completed MFA in the last 12 hours.",
        ),
        (
            "ip_trusted",
            "bool",
            "Whether the request came from an allow-listed network or the mesh.",
        ),
        (
            "ticket",
            "string?",
            "The change or incident ticket the caller cites, such as `CHG-1042`.",
        ),
        (
            "environment",
            "Environment",
            "The environment the request is served in.",
        ),
        (
            "approvals",
            "int in 0..",
            "Distinct approvals on the request, excluding the requester.",
        ),
        (
            "external",
            "bool",
            "Whether data leaves the tenant's own accounts.",
        ),
        (
            "purpose",
            "string?",
            "The documented purpose, required for external recipients.",
        ),
        (
            "session_age_minutes",
            "int in 0..",
            "Minutes since the caller's session started.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    s
}

pub(crate) fn records(d: &Domain, pkg: &str, upstream: Option<usize>) -> String {
    let r = d.resource;
    let mut s = String::new();
    out!(s, "// The {} API's records.", d.team);
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use atlas.core.Sensitivity");
    out!(s);
    out!(s, "/// A {} as the API lists it.", d.prose);
    out!(s, "record {r}Summary {{");
    for (field, ty, doc) in [
        ("id", "string".to_string(), "Stable id."),
        ("tenant", "string".to_string(), "The owning tenant."),
        ("name", "string".to_string(), "Display name."),
        ("owner", "string".to_string(), "The accountable person."),
        ("sensitivity", "Sensitivity".to_string(), "Classification."),
        ("status", format!("{r}Status"), "Lifecycle state."),
        ("tier", "Tier".to_string(), "The customer's service tier."),
        ("region", "string".to_string(), "Storage region."),
        (
            "updated_at",
            "timestamp".to_string(),
            "When it last changed.",
        ),
        (
            "labels",
            "list<string> = []".to_string(),
            "Free-form labels.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "  /// The id in the system this one replaced.");
    out!(
        s,
        "  @deprecated(since: 2026-03-01, sunset: 2027-06-30, note: \"ids were migrated; use id\")"
    );
    out!(s, "  legacy_id: string?");
    out!(s, "}}");
    out!(s);
    out!(s, "/// Creates a {}.", d.prose);
    out!(s, "record Create{r}Request {{");
    for (field, ty, doc) in [
        ("name", "string", "Display name."),
        ("owner", "string", "The accountable person."),
        ("sensitivity", "Sensitivity", "Classification."),
        ("region", "string", "Storage region."),
        ("tier", "Tier = bronze", "The customer's service tier."),
        (
            "retention_days",
            "int in 0.. = 365",
            "How long it is kept after closure.",
        ),
        ("labels", "list<string> = []", "Free-form labels."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Changes a {}; absent fields stay as they are.",
        d.prose
    );
    out!(s, "record Update{r}Request {{");
    for (field, ty, doc) in [
        ("name", "string?".to_string(), "New display name."),
        ("owner", "string?".to_string(), "New accountable person."),
        ("status", format!("{r}Status?"), "New lifecycle state."),
        ("tier", "Tier?".to_string(), "New service tier."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// A page of {}.", d.many());
    out!(s, "record {r}Page {{");
    out!(s, "  /// The items on this page.");
    out!(s, "  items: list<{r}Summary>");
    out!(
        s,
        "  /// Pass as `cursor` to fetch the next page; absent on the last page."
    );
    out!(s, "  next_cursor: string?");
    out!(s, "  /// How many items match in total.");
    out!(s, "  total: int in 0..");
    out!(s, "}}");
    out!(s);
    out!(s, "/// What happened to a {} in one event.", d.prose);
    out!(s, "enum EventKind {{");
    for (v, doc) in [
        ("created", "It was created."),
        ("changed", "Its attributes changed."),
        ("exported", "It left Atlas."),
        ("deleted", "It was deleted."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {v}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// One change to a {}, chained to its predecessor by hash.",
        d.prose
    );
    out!(s, "record {r}Event with provenance {{");
    for (field, ty, doc) in [
        (
            "event_id",
            "uuid".to_string(),
            "Assigned by the producer; re-sending the same id is idempotent.",
        ),
        (
            &format!("{}_id", d.snake),
            "string".to_string(),
            "The affected item.",
        ),
        ("kind", "EventKind".to_string(), "What happened."),
        ("hash", "bytes".to_string(), "SHA-256 of the payload."),
        (
            "prev_hash",
            "bytes?".to_string(),
            "Hash of the previous event; absent only for the first.",
        ),
        (
            "attributes",
            "map<string, string> = {}".to_string(),
            "Producer-specific attributes, kept verbatim.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    if let Some(up) = upstream {
        out!(
            s,
            "  /// The upstream item this event was derived from, if any."
        );
        out!(
            s,
            "  derived_from: {}.{}?",
            package_path(up),
            summary_record(up)
        );
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// The ledger's acknowledgement of an ingested event.");
    out!(s, "record {r}Receipt with provenance {{");
    for (field, ty, doc) in [
        ("event_id", "uuid", "The acknowledged event."),
        (
            "sequence",
            "int in 0..",
            "Position of the event in its chain.",
        ),
        (
            "chain_hash",
            "bytes",
            "Hash of the chain up to and including this event.",
        ),
        (
            "accepted_at",
            "timestamp",
            "When the ledger committed the event.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// File formats an export can produce.");
    out!(s, "enum ExportFormat {{");
    out!(s, "  /// Apache Parquet, the default.");
    out!(s, "  parquet");
    out!(s, "  /// Comma-separated values.");
    out!(s, "  csv");
    out!(s, "  /// One JSON object per line.");
    out!(s, "  jsonl");
    out!(s, "}}");
    out!(s);
    out!(s, "/// Where and why a {} should be exported.", d.prose);
    out!(s, "record ExportRequest {{");
    for (field, ty, doc) in [
        (
            "destination",
            "string",
            "Destination URI, such as `s3://acme-analytics/exports/`.",
        ),
        ("destination_region", "string", "The destination's region."),
        (
            "external",
            "bool",
            "Whether the destination is outside the tenant's own accounts.",
        ),
        (
            "purpose",
            "string?",
            "The documented purpose; required for external destinations.",
        ),
        ("format", "ExportFormat = parquet", "The file format."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// An accepted export request.");
    out!(s, "record ExportTicket {{");
    for (field, ty, doc) in [
        ("id", "uuid".to_string(), "Ticket id."),
        (
            &format!("{}_id", d.snake),
            "string".to_string(),
            "The exported item.",
        ),
        (
            "requested_at",
            "timestamp".to_string(),
            "When the request was accepted.",
        ),
        (
            "expires_at",
            "timestamp?".to_string(),
            "When the download link expires, once there is one.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(s, "/// A {} in the v1 format.", d.prose);
    out!(
        s,
        "@deprecated(since: 2026-02-01, sunset: 2026-12-31, note: \"returned only by get_{}_v1\")",
        d.snake
    );
    out!(s, "record Legacy{r} {{");
    out!(s, "  /// Stable id.");
    out!(s, "  id: string");
    out!(s, "  /// Display name.");
    out!(s, "  name: string");
    out!(s, "}}");
    s
}
