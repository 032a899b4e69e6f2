//! The policies' test suites.

use std::fmt::Write as _;

use super::*;

pub(crate) fn user(id: &str, tenant: &str, roles: &str, clearance: &str, d: &Domain) -> String {
    format!(
        "subject User {{ id: \"{id}\", tenant: \"{tenant}\", roles: [{roles}], clearance: {clearance},\n                   department: \"{}\", contractor: false }}",
        d.word
    )
}

pub(crate) fn item(d: &Domain, sensitivity: &str, legal_hold: bool) -> String {
    format!(
        "resource {} {{ id: \"{}-1042\", tenant: \"t-acme\", owner: \"u-stew\", sensitivity: {sensitivity},\n                 region: \"eu-west-1\", status: active, tier: silver, contains_pii: false,\n                 legal_hold: {legal_hold}, retention_days: 30 }}",
        d.resource, d.snake
    )
}

pub(crate) const CONTEXT: &str =
    "environment: production, approvals: 0, external: false, session_age_minutes: 5";

pub(crate) fn access_tests(s: &mut String, d: &Domain, policy: &str) {
    let cases: [(&str, String, String, &str, String, &str); 6] = [
        (
            "member reads within clearance",
            user("u-ana", "t-acme", "analyst", "confidential", d),
            item(d, "internal", false),
            "read",
            format!("context {{ mfa: false, ip_trusted: true, {CONTEXT} }}"),
            "allow by read_within_clearance",
        ),
        (
            "reader above clearance falls to the default",
            user("u-ana", "t-acme", "analyst", "internal", d),
            item(d, "restricted", false),
            "read",
            format!("context {{ mfa: true, ip_trusted: true, {CONTEXT} }}"),
            "deny by default",
        ),
        (
            "a user of another tenant is denied",
            user("u-eve", "t-globex", "analyst, steward", "restricted", d),
            item(d, "internal", false),
            "read",
            format!("context {{ mfa: true, ip_trusted: true, {CONTEXT} }}"),
            "deny by cross_tenant",
        ),
        (
            "auditor reads confidential data",
            user("u-aud", "t-acme", "auditor", "internal", d),
            item(d, "confidential", false),
            "read",
            format!("context {{ mfa: true, ip_trusted: true, {CONTEXT} }}"),
            "allow by auditor_read",
        ),
        (
            "steward changes with MFA",
            user("u-stew", "t-acme", "steward", "restricted", d),
            item(d, "confidential", false),
            "update",
            format!("context {{ mfa: true, ip_trusted: true, ticket: \"CHG-2001\", {CONTEXT} }}"),
            "allow by steward_update",
        ),
        (
            "deletion under legal hold",
            user("u-stew", "t-acme", "steward", "restricted", d),
            item(d, "internal", true),
            "delete",
            format!("context {{ mfa: true, ip_trusted: true, ticket: \"CHG-2002\", {CONTEXT} }}"),
            "deny by legal_hold",
        ),
    ];
    out!(s, "/// Pins the decisions of `{policy}` for GA.");
    out!(s, "test {policy} {{");
    let mut first = true;
    for (name, subject, resource, action, context, expect) in cases {
        if !first {
            out!(s);
        }
        first = false;
        out!(s, "  \"{name}\" {{");
        out!(s, "    {subject}");
        out!(s, "    {resource}");
        out!(s, "    action {action}");
        out!(s, "    {context}");
        out!(s, "    expect {expect}");
        out!(s, "  }}");
    }
    out!(s, "}}");
}

pub(crate) fn ingest_tests(d: &Domain, pkg: &str) -> String {
    let policy = format!("{}_ingest", d.word);
    let workload = |attested: bool| {
        format!(
            "subject Workload {{ id: \"spiffe://atlas.internal/ns/{}/sa/loader\", tenant: \"t-acme\",\n                       environment: production, attested: {attested}, team: \"{}\" }}",
            d.word, d.word
        )
    };
    let provenance = |confidence: &str| {
        format!(
            ",\n              provenance: {{ origin: \"sftp://partner.example/{}\", actor: \"svc-loader\",\n                            timestamp: \"2026-01-01T00:00:00Z\", confidence: {confidence}, simulated: false }}",
            d.plural
        )
    };
    let cases: [(&str, String, String, &str); 5] = [
        (
            "attested loader ingests with provenance",
            workload(true),
            format!("ip_trusted: true{}", provenance("0.9")),
            "allow by attested_ingest",
        ),
        (
            "ingest without provenance",
            workload(true),
            "ip_trusted: true".to_string(),
            "deny by missing_provenance",
        ),
        (
            "low-confidence provenance",
            workload(true),
            format!("ip_trusted: true{}", provenance("0.3")),
            "deny by low_confidence",
        ),
        (
            "unattested workload",
            workload(false),
            format!("ip_trusted: true{}", provenance("0.9")),
            "deny by unattested_workload",
        ),
        (
            "write from outside the mesh",
            workload(true),
            format!("ip_trusted: false{}", provenance("0.9")),
            "deny by default",
        ),
    ];
    let mut s = String::new();
    out!(s, "// Pins the decisions of `{policy}` for GA.");
    out!(s, "package {pkg}");
    out!(s);
    out!(s, "use atlas.core.Workload");
    out!(s);
    out!(s, "/// Pins the decisions of `{policy}` for GA.");
    out!(s, "test {policy} {{");
    let mut first = true;
    for (name, subject, context, expect) in cases {
        if !first {
            out!(s);
        }
        first = false;
        out!(s, "  \"{name}\" {{");
        out!(s, "    {subject}");
        out!(s, "    {}", item(d, "internal", false));
        out!(s, "    action ingest");
        out!(s, "    context {{ mfa: false, {CONTEXT}, {context} }}");
        out!(s, "    expect {expect}");
        out!(s, "  }}");
    }
    out!(s, "}}");
    s
}
