//! The shared package `atlas.core`: the identity model and errors.

use std::fmt::Write as _;

pub(crate) fn core_files() -> Vec<(String, String)> {
    let mut identity = String::new();
    let s = &mut identity;
    out!(
        s,
        "// Atlas's shared identity model: who acts, and how sensitive what they touch is."
    );
    out!(s, "package atlas.core");
    out!(s);
    out!(s, "/// A tenant identifier, such as `t-acme`.");
    out!(
        s,
        "type TenantId = string matching \"^t-[a-z0-9-]{{3,32}}$\""
    );
    out!(s);
    out!(
        s,
        "/// Roles a person holds within their tenant. A person may hold several."
    );
    out!(s, "enum Role {{");
    for (role, doc) in [
        ("analyst", "Reads and queries data."),
        ("engineer", "Builds and operates services and pipelines."),
        ("steward", "Owns data: approves exports and deletions."),
        (
            "admin",
            "Administers a tenant: roles, keys, break-glass access.",
        ),
        ("auditor", "Reads audit logs and evidence; changes nothing."),
        (
            "support",
            "Works customer cases with read access to what the case covers.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {role}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// How sensitive data is. Ordered, so policies compare levels: `public` < `restricted`."
    );
    out!(s, "ordered enum Sensitivity {{");
    for (level, doc) in [
        ("public", "May be published."),
        ("internal", "Anyone in the tenant may see it."),
        (
            "confidential",
            "Need-to-know within the tenant; personal data lives here at the least.",
        ),
        (
            "restricted",
            "Regulated data (PHI, payment data): never leaves its tenant or region without review.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {level}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// Where a workload runs, from least to most protected."
    );
    out!(s, "ordered enum Environment {{");
    for (env, doc) in [
        ("development", "Developer sandboxes; synthetic data only."),
        (
            "staging",
            "Pre-production; mirrors production configuration.",
        ),
        ("production", "Customer data and customer traffic."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {env}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// A person signed in through the corporate identity provider."
    );
    out!(s, "entity User {{");
    for (field, ty, doc) in [
        (
            "id",
            "string",
            "Stable subject id from the identity provider.",
        ),
        ("tenant", "TenantId", "The tenant the person belongs to."),
        ("roles", "set<Role>", "Roles granted in that tenant."),
        (
            "clearance",
            "Sensitivity",
            "The most sensitive level the person is cleared for.",
        ),
        (
            "department",
            "string",
            "The person's department, such as `finance`.",
        ),
        (
            "contractor",
            "bool",
            "Whether the person is a contractor rather than an employee.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    out!(s);
    out!(
        s,
        "/// A workload identity: a pipeline, job or service, named by its SPIFFE id."
    );
    out!(s, "entity Workload {{");
    for (field, ty, doc) in [
        (
            "id",
            "string matching \"^spiffe://\"",
            "SPIFFE id, such as `spiffe://atlas.internal/ns/ingest/sa/loader`.",
        ),
        ("tenant", "TenantId", "The tenant the workload acts for."),
        (
            "environment",
            "Environment",
            "The environment the workload runs in.",
        ),
        (
            "attested",
            "bool",
            "Whether the workload presented a valid attestation at start-up.",
        ),
        ("team", "string", "The owning team's short name."),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");

    let mut errors = String::new();
    let s = &mut errors;
    out!(s, "// Errors every Atlas API returns.");
    out!(s, "package atlas.core");
    out!(s);
    out!(
        s,
        "/// An RFC 9457 problem document, returned with every 4xx and 5xx."
    );
    out!(s, "record Problem {{");
    for (field, ty, doc) in [
        ("type", "string", "A URI identifying the problem type."),
        ("title", "string", "A short summary of the problem type."),
        ("status", "int in 400..599", "The HTTP status code."),
        ("detail", "string?", "An explanation of this occurrence."),
        (
            "rule_id",
            "string?",
            "The policy rule that denied the request, when a policy did.",
        ),
        (
            "trace_id",
            "string?",
            "The distributed-tracing id of the failed request.",
        ),
    ] {
        out!(s, "  /// {doc}");
        out!(s, "  {field}: {ty}");
    }
    out!(s, "}}");
    vec![
        ("src/core/errors.charter".to_string(), errors),
        ("src/core/identity.charter".to_string(), identity),
    ]
}
